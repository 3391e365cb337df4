"""Key records (keys.json): read back as written, refused when not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from panmun.common.keyfiles import public_bytes

from ..ledger import keys, notes

T0 = datetime(2026, 1, 1, tzinfo=UTC)
PUBLIC = public_bytes(Ed25519PrivateKey.from_private_bytes(b"\x07" * 32))
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
