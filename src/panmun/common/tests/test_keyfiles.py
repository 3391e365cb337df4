"""Private key files: made private, refused when not."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
)

from panmun.common import keyfiles


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_generate_and_load(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "south-log-1.key"
    key = keyfiles.generate_key_file(path)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----\n")
    loaded = keyfiles.load_private_key(path)
    assert keyfiles.public_bytes(loaded) == keyfiles.public_bytes(key)
    assert len(keyfiles.public_bytes(key)) == 32
    assert keyfiles.check_key_file(path) is None
    assert os.listdir(path.parent) == ["south-log-1.key"]  # no partial file left


def test_generate_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "k.key"
    keyfiles.generate_key_file(path)
    before = path.read_bytes()
    with pytest.raises(keyfiles.KeyFileError) as err:
        keyfiles.generate_key_file(path)
    assert err.value.finding.code == "key_file_exists"
    assert path.read_bytes() == before
    link = tmp_path / "link.key"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(keyfiles.KeyFileError) as err:
        keyfiles.generate_key_file(link)
    assert err.value.finding.code == "key_file_exists"


def write_key(path: Path, data: bytes, file_mode: int = 0o600) -> Path:
    path.write_bytes(data)
    path.chmod(file_mode)
    return path


def pem(key: Any, encryption: Any = None) -> bytes:
    return bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, encryption or NoEncryption()))


@pytest.mark.parametrize("file_mode", [0o640, 0o604, 0o620, 0o602, 0o644, 0o666])
def test_load_refuses_open_permissions(tmp_path: Path, file_mode: int) -> None:
    path = tmp_path / "k.key"
    keyfiles.generate_key_file(path)
    path.chmod(file_mode)
    with pytest.raises(keyfiles.KeyFileError) as err:
        keyfiles.load_private_key(path)
    assert err.value.finding.code == "key_file_permissions"
    assert err.value.path == path
    assert f"{file_mode:04o}" in err.value.finding.en
    assert keyfiles.check_key_file(path) is not None


def test_load_refusals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def code(path: Path) -> str:
        with pytest.raises(keyfiles.KeyFileError) as err:
            keyfiles.load_private_key(path)
        assert err.value.finding.en and err.value.finding.ko
        return err.value.finding.code

    assert code(tmp_path / "missing.key") == "key_file_missing"
    assert code(tmp_path) == "key_file_not_regular"
    good = tmp_path / "good.key"
    keyfiles.generate_key_file(good)
    link = tmp_path / "link.key"
    link.symlink_to(good)
    assert code(link) == "key_file_not_regular"
    assert code(write_key(tmp_path / "text.key", b"not a key")) == "key_file_not_pem"
    assert code(write_key(tmp_path / "big.key", b"x" * 70000)) == "key_file_not_pem"
    encrypted = pem(Ed25519PrivateKey.generate(), BestAvailableEncryption(b"secret"))
    assert code(write_key(tmp_path / "enc.key", encrypted)) == "key_file_not_pem"
    x25519 = write_key(tmp_path / "x.key", pem(X25519PrivateKey.generate()))
    assert code(x25519) == "key_file_not_ed25519"
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 1)
    assert code(good) == "key_file_owner"


def test_load_refuses_folder_writable_by_others(tmp_path: Path) -> None:
    folder = tmp_path / "open"
    path = folder / "k.key"
    keyfiles.generate_key_file(path)
    folder.chmod(0o777)
    with pytest.raises(keyfiles.KeyFileError) as err:
        keyfiles.load_private_key(path)
    assert err.value.finding.code == "key_file_folder_writable"


def test_messages_hold_no_key_material(tmp_path: Path) -> None:
    path = tmp_path / "k.key"
    keyfiles.generate_key_file(path)
    body = path.read_text().splitlines()[1]
    path.chmod(0o644)
    err = keyfiles.check_key_file(path)
    assert err is not None
    assert body not in str(err) and body[:16] not in err.finding.en + err.finding.ko
    damaged = write_key(tmp_path / "d.key", path.read_bytes().replace(b"PRIVATE", b"PUBLIC"))
    err = keyfiles.check_key_file(damaged)
    assert err is not None and err.finding.code == "key_file_not_pem"
    assert body[:16] not in str(err)


def test_fingerprint_names_the_public_key() -> None:
    public = keyfiles.public_bytes(Ed25519PrivateKey.from_private_bytes(b"\x07" * 32))
    assert keyfiles.key_fingerprint(public) == hashlib.sha256(public).hexdigest()[:16]
    other = keyfiles.public_bytes(Ed25519PrivateKey.from_private_bytes(b"\x08" * 32))
    assert keyfiles.key_fingerprint(other) != keyfiles.key_fingerprint(public)
