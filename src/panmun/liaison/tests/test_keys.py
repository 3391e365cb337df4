"""Key records (keys.json) and private key files: made private, refused when not."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
)

from ..ledger import keys, notes

T0 = datetime(2026, 1, 1, tzinfo=UTC)
PUBLIC = keys.public_bytes(Ed25519PrivateKey.from_private_bytes(b"\x07" * 32))
RECORD = keys.PublicKeyRecord(
    name="south-log-1",
    side="south",
    purpose="log",
    public_key=PUBLIC,
    valid_from=T0,
    valid_until=T0 + timedelta(days=30),
    log="panmun.example/south",
)
COSIGN = keys.PublicKeyRecord("north-cosign-1", "north", "cosign", PUBLIC, T0)


def test_record_json_round_trip() -> None:
    obj = RECORD.to_json()
    assert obj["valid_from"] == "2026-01-01T00:00:00Z"
    assert obj["valid_until"] == "2026-01-31T00:00:00Z"
    assert obj["vkey"] == notes.vkey("south-log-1", notes.SIG_ED25519, PUBLIC)
    assert COSIGN.to_json()["vkey"] == notes.vkey(
        "north-cosign-1", notes.SIG_COSIGNATURE_V1, PUBLIC
    )
    assert COSIGN.to_json()["valid_until"] is None and COSIGN.to_json()["log"] is None
    assert keys.PublicKeyRecord.from_json(obj) == (RECORD, [])
    assert keys.PublicKeyRecord.from_json(COSIGN.to_json()) == (COSIGN, [])


def test_valid_at() -> None:
    assert not RECORD.valid_at(T0 - timedelta(microseconds=1))
    assert RECORD.valid_at(T0)
    assert RECORD.valid_at(T0 + timedelta(days=30) - timedelta(microseconds=1))
    assert not RECORD.valid_at(T0 + timedelta(days=30))
    assert COSIGN.valid_at(T0 + timedelta(days=3650))


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("name", "south log", ("key_field_invalid", "keys[2].name")),
        ("side", "east", ("key_field_invalid", "keys[2].side")),
        ("purpose", "sign", ("key_field_invalid", "keys[2].purpose")),
        ("public_key", "AAAA", ("key_field_invalid", "keys[2].public_key")),
        ("valid_from", "2026-01-01", ("key_field_invalid", "keys[2].valid_from")),
        ("valid_until", "2025-12-31T00:00:00Z", ("key_field_invalid", "keys[2].valid_until")),
        ("log", "", ("key_field_invalid", "keys[2].log")),
        ("vkey", "x+00000000+AA==", ("key_vkey_mismatch", "keys[2].vkey")),
        ("extra", 1, ("key_field_unknown", "keys[2].extra")),
        ("side", None, ("key_field_invalid", "keys[2].side")),
    ],
)
def test_record_findings(name: str, value: Any, expected: tuple[str, str]) -> None:
    obj = {**RECORD.to_json(), name: value}
    record, found = keys.PublicKeyRecord.from_json(obj, index=2)
    assert record is None
    assert expected in {(f.code, f.field) for f in found}
    assert all(f.file == "keys.json" for f in found)


def test_record_missing_field_and_not_object() -> None:
    obj = RECORD.to_json()
    del obj["vkey"]
    _, found = keys.PublicKeyRecord.from_json(obj)
    assert [(f.code, f.field) for f in found] == [("key_field_missing", "vkey")]
    _, found = keys.PublicKeyRecord.from_json([1], index=0)
    assert [(f.code, f.field) for f in found] == [("key_not_object", "keys[0]")]


def test_keys_json_round_trip() -> None:
    data = keys.keys_json([RECORD, COSIGN])
    assert data == rfc8785.dumps({"keys": [RECORD.to_json(), COSIGN.to_json()]})
    assert keys.parse_keys_json(data) == ([RECORD, COSIGN], [])


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\xff", "keys_not_utf8"),
        (b"{", "keys_not_json"),
        (b'{"keys": []}', "keys_not_canonical"),
        (b"[]", "keys_not_object"),
        (b'{"keys":[],"x":1}', "keys_not_object"),
        (b'{"keys":{}}', "keys_not_object"),
    ],
)
def test_parse_keys_json_refuses(data: bytes, code: str) -> None:
    records, found = keys.parse_keys_json(data, file="k.json")
    assert records == []
    assert [(f.code, f.file) for f in found] == [(code, "k.json")]


def test_parse_keys_json_duplicate_names_and_bad_records() -> None:
    bad = {**COSIGN.to_json(), "side": "east"}
    data = rfc8785.dumps({"keys": [RECORD.to_json(), RECORD.to_json(), bad, COSIGN.to_json()]})
    records, found = keys.parse_keys_json(data)
    assert records == [RECORD, COSIGN]
    assert [(f.code, f.field) for f in found] == [
        ("key_duplicate_name", "keys[1].name"),
        ("key_field_invalid", "keys[2].side"),
    ]


# Key files ---------------------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_generate_and_load(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "south-log-1.key"
    key = keys.generate_key_file(path)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----\n")
    loaded = keys.load_private_key(path)
    assert keys.public_bytes(loaded) == keys.public_bytes(key)
    assert len(keys.public_bytes(key)) == 32
    assert keys.check_key_file(path) is None
    assert os.listdir(path.parent) == ["south-log-1.key"]  # no partial file left


def test_generate_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "k.key"
    keys.generate_key_file(path)
    before = path.read_bytes()
    with pytest.raises(keys.KeyFileError) as err:
        keys.generate_key_file(path)
    assert err.value.finding.code == "key_file_exists"
    assert path.read_bytes() == before
    link = tmp_path / "link.key"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(keys.KeyFileError) as err:
        keys.generate_key_file(link)
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
    keys.generate_key_file(path)
    path.chmod(file_mode)
    with pytest.raises(keys.KeyFileError) as err:
        keys.load_private_key(path)
    assert err.value.finding.code == "key_file_permissions"
    assert err.value.path == path
    assert f"{file_mode:04o}" in err.value.finding.en
    assert keys.check_key_file(path) is not None


def test_load_refusals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def code(path: Path) -> str:
        with pytest.raises(keys.KeyFileError) as err:
            keys.load_private_key(path)
        assert err.value.finding.en and err.value.finding.ko
        return err.value.finding.code

    assert code(tmp_path / "missing.key") == "key_file_missing"
    assert code(tmp_path) == "key_file_not_regular"
    good = tmp_path / "good.key"
    keys.generate_key_file(good)
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
    keys.generate_key_file(path)
    folder.chmod(0o777)
    with pytest.raises(keys.KeyFileError) as err:
        keys.load_private_key(path)
    assert err.value.finding.code == "key_file_folder_writable"


def test_messages_hold_no_key_material(tmp_path: Path) -> None:
    path = tmp_path / "k.key"
    keys.generate_key_file(path)
    body = path.read_text().splitlines()[1]
    path.chmod(0o644)
    err = keys.check_key_file(path)
    assert err is not None
    assert body not in str(err) and body[:16] not in err.finding.en + err.finding.ko
    damaged = write_key(tmp_path / "d.key", path.read_bytes().replace(b"PRIVATE", b"PUBLIC"))
    err = keys.check_key_file(damaged)
    assert err is not None and err.finding.code == "key_file_not_pem"
    assert body[:16] not in str(err)
