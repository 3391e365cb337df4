"""This node's certificate keys: the folder `PANMUN_PERMITS_KEY_DIR` holds each private key
as `<key id>.key` (mode 0600, `panmun.common.keyfiles`) and `keys.json`, the published public
keys with the window in which each signs (`certificate.keyring`) — all that offline
verification needs. The key is made on first use where `PANMUN_PERMITS_CREATE_KEYS` allows it
(development, tests, the demo), else by `panmun permits keys --create`. A rotation closes the
current key's window and opens a new key's: the old one still verifies what it signed."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.utils import timezone

from panmun.common import keyfiles
from panmun.common.errors import DomainError, ErrorCode

from .certificate.keyring import CertificateKey, keys_json, parse_keys_json

KEYS_FILE = "keys.json"


def key_dir() -> Path:
    return Path(settings.PANMUN_PERMITS_KEY_DIR)


def keys_path() -> Path:
    return key_dir() / KEYS_FILE


def _key_error(exc: keyfiles.KeyFileError) -> DomainError:
    return DomainError(
        ErrorCode.CONFLICT,
        f"증명서 서명 키를 쓸 수 없습니다: {exc.finding.ko}",
        f"The certificate signing key cannot be used: {exc.finding.en}",
        {"code": exc.finding.code, "path": str(exc.path)},
    )


def published_keys() -> list[CertificateKey]:
    """The keys of keys.json (none before the first key is made)."""
    try:
        data = keys_path().read_bytes()
    except FileNotFoundError:
        return []
    keys, found = parse_keys_json(data, file=str(keys_path()))
    if found:
        raise DomainError(
            ErrorCode.CONFLICT,
            f"증명서 공개키 파일이 손상되었습니다: {found[0].ko}",
            f"The certificate keys file is damaged: {found[0].en}",
            {"path": str(keys_path()), "field": found[0].field},
        )
    return keys


def published_keys_json() -> bytes:
    return keys_json(published_keys())


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    """One process at a time makes or rotates a key."""
    key_dir().mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(key_dir() / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _write_keys(keys: list[CertificateKey]) -> None:
    partial = key_dir() / f".{KEYS_FILE}.{os.getpid()}.part"
    partial.write_bytes(keys_json(keys))
    partial.chmod(0o644)
    os.replace(partial, keys_path())


def _new_key(keys: list[CertificateKey], at: datetime) -> list[CertificateKey]:
    """A new key file, named after its key id once made (linked, so nothing is overwritten)."""
    fresh = key_dir() / f"new-{os.getpid()}-{os.urandom(4).hex()}.key"
    try:
        private = keyfiles.generate_key_file(fresh)
        public = keyfiles.public_bytes(private)
        key_id = keyfiles.key_fingerprint(public)
        try:
            os.link(fresh, key_dir() / f"{key_id}.key")
        except OSError as exc:
            raise keyfiles.KeyFileError(
                "key_file_unwritable",
                key_dir() / f"{key_id}.key",
                ko=f"키 파일을 쓸 수 없습니다({exc.strerror})",
                en=f"the key file cannot be written ({exc.strerror})",
            ) from exc
    except keyfiles.KeyFileError as exc:
        raise _key_error(exc) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            fresh.unlink()
    return [*keys, CertificateKey(key_id, public, at)]


@dataclass(frozen=True)
class CertificateSigner:
    key: CertificateKey
    private: Ed25519PrivateKey


def _current(keys: list[CertificateKey]) -> CertificateKey | None:
    return next((k for k in reversed(keys) if k.valid_to is None), None)


def create_key(*, rotate: bool = False, at: datetime | None = None) -> CertificateKey:
    """Make the first key, valid from `at` (now), or with `rotate` a new key that replaces the
    current one from the next second."""
    with _locked():
        keys = published_keys()
        current = _current(keys)
        if current is not None and not rotate:
            return current
        # Times are kept to the second: a new first key starts this second; a rotation hands
        # over at the start of the next, so what the old key signs this second stays valid.
        start = (at or timezone.now()).replace(microsecond=0)
        if current is not None:
            start += timedelta(seconds=1)
            keys = [
                CertificateKey(k.key_id, k.public_key, k.valid_from, start) if k == current else k
                for k in keys
            ]
        keys = _new_key(keys, start)
        _write_keys(keys)
        return keys[-1]


def signer(at: datetime | None = None) -> CertificateSigner:
    """The key that signs at `at` (now), loaded from its file (checked for its permissions);
    made on first use where settings allow."""
    at = at or timezone.now().replace(microsecond=0)
    keys = published_keys()
    valid = [k for k in keys if k.valid_at(at)]
    current = max(valid, key=lambda k: k.valid_from) if valid else None
    if current is None and keys:
        raise DomainError(
            ErrorCode.CONFLICT,
            "지금 유효한 증명서 서명 키가 없습니다.",
            "No certificate signing key is valid now.",
            {"path": str(key_dir())},
        )
    if current is None:
        if not settings.PANMUN_PERMITS_CREATE_KEYS:
            raise DomainError(
                ErrorCode.CONFLICT,
                "증명서 서명 키가 없습니다. 'panmun permits keys --create'로 만드십시오.",
                "No certificate signing key yet: make one with 'panmun permits keys --create'.",
                {"path": str(key_dir())},
            )
        current = create_key(at=at)  # from the very second it first signs
    try:
        private = keyfiles.load_private_key(key_dir() / f"{current.key_id}.key")
    except keyfiles.KeyFileError as exc:
        raise _key_error(exc) from exc
    if keyfiles.public_bytes(private) != current.public_key:
        raise DomainError(
            ErrorCode.CONFLICT,
            "증명서 서명 키 파일이 공개된 키와 맞지 않습니다.",
            "The certificate signing key file does not match its published key.",
            {"key_id": current.key_id},
        )
    return CertificateSigner(current, private)
