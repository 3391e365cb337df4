"""Private key files: an Ed25519 signing key kept in a file that only its owner may read.
Pure Python, no Django. The liaison log's keys and the exchange-approval certificates' keys
are both kept this way.

A private key file is PKCS#8 PEM, unencrypted, mode 0600, owned by the user who runs Panmun,
in a folder no one else may write. It is made with O_CREAT|O_EXCL and linked into place, so a
file of that name is never overwritten and never seen half-written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)

from .findings import Finding, FindingsError

__all__ = [
    "KeyFileError",
    "check_key_file",
    "generate_key_file",
    "key_fingerprint",
    "load_private_key",
    "public_bytes",
]

#: A PEM private key file is a few hundred bytes; anything much larger is not one.
MAX_KEY_FILE_BYTES = 64 * 1024


class KeyFileError(FindingsError):
    """A private key file that cannot be made or used: one finding, whose file is the path.
    The messages name the problem and the path, never key material."""

    def __init__(self, code: str, path: Path, *, ko: str, en: str) -> None:
        self.path = path
        self.finding = Finding(code, ko=ko, en=en, file=str(path))
        super().__init__([self.finding])


def public_bytes(private_key: Ed25519PrivateKey) -> bytes:
    """The raw 32-byte public key."""
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_fingerprint(public_key: bytes) -> str:
    """A key's short name derived from the key itself: the first 16 hex digits of the SHA-256
    of its raw 32 public bytes (a key id that cannot name another key by mistake)."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def generate_key_file(path: Path) -> Ed25519PrivateKey:
    """A new Ed25519 key, written to `path` (mode 0600; its folder made 0700 if missing).
    KeyFileError if `path` exists: a key file is never overwritten."""
    path = Path(path)
    folder = path.parent
    if not folder.exists():
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise KeyFileError(
                "key_file_unwritable",
                path,
                ko=f"키 폴더를 만들 수 없습니다({exc.strerror})",
                en=f"the key folder cannot be made ({exc.strerror})",
            ) from exc
    if os.path.lexists(path):
        raise _exists(path)
    private_key = Ed25519PrivateKey.generate()
    pem = private_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    partial = folder / f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.part"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(partial, flags | getattr(os, "O_CLOEXEC", 0), 0o600)
        try:
            os.write(fd, pem)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.link(partial, path)  # fails, and overwrites nothing, if `path` exists
    except FileExistsError as exc:
        raise _exists(path) from exc
    except OSError as exc:
        raise KeyFileError(
            "key_file_unwritable",
            path,
            ko=f"키 파일을 쓸 수 없습니다({exc.strerror})",
            en=f"the key file cannot be written ({exc.strerror})",
        ) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
    return private_key


def _exists(path: Path) -> KeyFileError:
    return KeyFileError(
        "key_file_exists",
        path,
        ko="같은 이름의 키 파일이 이미 있습니다. 키 파일은 덮어쓰지 않습니다",
        en="a key file of that name exists; it is never overwritten",
    )


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The Ed25519 key in `path`, once the file is found private to this user; else
    KeyFileError."""
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError as exc:
        raise KeyFileError(
            "key_file_missing",
            path,
            ko="키 파일이 없습니다",
            en="no key file",
        ) from exc
    except OSError as exc:
        raise _cannot_read(path, exc) from exc
    if not stat.S_ISREG(info.st_mode):
        raise KeyFileError(
            "key_file_not_regular",
            path,
            ko="일반 파일이 아닙니다(링크, 폴더 또는 장치)",
            en="not a regular file (a link, folder or device)",
        )
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _cannot_read(path, exc) from exc
    try:
        _check_owner_and_mode(path, os.fstat(fd))
        data = os.read(fd, MAX_KEY_FILE_BYTES + 1)
    except OSError as exc:
        raise _cannot_read(path, exc) from exc
    finally:
        os.close(fd)
    _check_folder(path)
    if len(data) > MAX_KEY_FILE_BYTES:
        raise _not_pem(path)
    try:
        key = load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise _not_pem(path) from None  # the library's message is not repeated: no key material
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(
            "key_file_not_ed25519",
            path,
            ko="Ed25519 키가 아닙니다",
            en="the key is not an Ed25519 key",
        )
    return key


def _check_owner_and_mode(path: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise KeyFileError(
            "key_file_not_regular",
            path,
            ko="일반 파일이 아닙니다",
            en="not a regular file",
        )
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise KeyFileError(
            "key_file_owner",
            path,
            ko="키 파일의 소유자가 다른 사용자입니다",
            en="the key file belongs to another user",
        )
    if info.st_mode & 0o077:
        mode = stat.S_IMODE(info.st_mode)
        raise KeyFileError(
            "key_file_permissions",
            path,
            ko=f"다른 사용자가 키 파일을 읽거나 쓸 수 있습니다(권한 {mode:04o}, chmod 600 필요)",
            en=f"the key file may be read or written by others (mode {mode:04o}; chmod 600)",
        )


def _check_folder(path: Path) -> None:
    try:
        folder = os.stat(path.parent)
    except OSError as exc:
        raise _cannot_read(path, exc) from exc
    if folder.st_mode & stat.S_IWOTH:
        raise KeyFileError(
            "key_file_folder_writable",
            path,
            ko="다른 사용자가 키 폴더에 쓸 수 있습니다",
            en="the key folder may be written by others",
        )


def _cannot_read(path: Path, exc: OSError) -> KeyFileError:
    return KeyFileError(
        "key_file_unreadable",
        path,
        ko=f"키 파일을 읽을 수 없습니다({exc.strerror})",
        en=f"the key file cannot be read ({exc.strerror})",
    )


def _not_pem(path: Path) -> KeyFileError:
    return KeyFileError(
        "key_file_not_pem",
        path,
        ko="암호화되지 않은 PEM 형식의 개인키가 아닙니다",
        en="not an unencrypted PEM private key",
    )


def check_key_file(path: Path) -> KeyFileError | None:
    """The problem of a key file, or None if it can be used."""
    try:
        load_private_key(path)
    except KeyFileError as err:
        return err
    return None
