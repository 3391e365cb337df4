"""The certificates' published keys (keys.json): each key's id, its Ed25519 public key and the
window in which it signs, [valid_from, valid_to). Offline verification needs this file only.

keys.json is canonical JSON (sorted keys, no spaces, UTF-8):
``{"keys":[{"key_id":"…","public_key":"<base64>","valid_from":"2026-01-01T00:00:00Z","valid_to":null}]}``.
A key id is the fingerprint of its public key (`panmun.common.keyfiles.key_fingerprint`), so a
record whose id does not match its key is refused.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from panmun.common.findings import Finding
from panmun.common.keyfiles import key_fingerprint

__all__ = [
    "MAX_KEYS_BYTES",
    "CertificateKey",
    "canonical",
    "format_time",
    "keys_json",
    "parse_keys_json",
    "parse_time",
]

#: A keys.json of a few hundred keys is well under this.
MAX_KEYS_BYTES = 256 * 1024
FIELDS = frozenset({"key_id", "public_key", "valid_from", "valid_to"})


def canonical(obj: Any) -> bytes:
    """Canonical JSON of plain data (strings, integers, booleans, null, lists, objects): sorted
    keys, no spaces, UTF-8 — for such data the same bytes as RFC 8785."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def format_time(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: Any) -> datetime:
    """A UTC time written as `format_time` writes it; ValueError otherwise."""
    if not isinstance(value, str) or len(value) != 20:
        raise ValueError("not a UTC time")
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@dataclass(frozen=True)
class CertificateKey:
    """A published certificate key."""

    key_id: str
    public_key: bytes
    valid_from: datetime
    valid_to: datetime | None = None

    def valid_at(self, t: datetime) -> bool:
        return self.valid_from <= t and (self.valid_to is None or t < self.valid_to)

    def to_json(self) -> dict[str, Any]:
        return {
            "key_id": self.key_id,
            "public_key": base64.b64encode(self.public_key).decode("ascii"),
            "valid_from": format_time(self.valid_from),
            "valid_to": format_time(self.valid_to) if self.valid_to else None,
        }


def keys_json(keys: Sequence[CertificateKey]) -> bytes:
    return canonical({"keys": [k.to_json() for k in keys]})


def _record(obj: Any, file: str, at: str) -> tuple[CertificateKey | None, list[Finding]]:
    def bad(field: str, ko: str, en: str) -> tuple[None, list[Finding]]:
        code = "key_field_invalid"
        return None, [
            Finding(code, ko=ko, en=en, file=file, field=f"{at}.{field}" if field else at)
        ]

    if not isinstance(obj, dict) or set(obj) != FIELDS:
        return bad(
            "",
            "키는 key_id, public_key, valid_from, valid_to를 가진 객체여야 합니다",
            "a key must be an object of key_id, public_key, valid_from, valid_to",
        )
    try:
        raw = base64.b64decode(obj["public_key"], validate=True)
    except (TypeError, ValueError, binascii.Error):
        raw = b""
    if len(raw) != 32:
        return bad(
            "public_key",
            "32바이트 Ed25519 공개키의 base64여야 합니다",
            "must be the base64 of a 32-byte Ed25519 public key",
        )
    if obj["key_id"] != key_fingerprint(raw):
        return bad(
            "key_id", "공개키의 지문과 맞지 않습니다", "does not match the key's fingerprint"
        )
    try:
        start = parse_time(obj["valid_from"])
        end = None if obj["valid_to"] is None else parse_time(obj["valid_to"])
    except ValueError:
        return bad("valid_from", "UTC 시각이어야 합니다", "must be a UTC time")
    if end is not None and end <= start:
        return bad("valid_to", "valid_from보다 뒤여야 합니다", "must be after valid_from")
    return CertificateKey(obj["key_id"], raw, start, end), []


def parse_keys_json(
    data: bytes, file: str = "keys.json"
) -> tuple[list[CertificateKey], list[Finding]]:
    """The keys of keys.json, and the findings (a key with a finding is left out)."""

    def fail(ko: str, en: str) -> tuple[list[CertificateKey], list[Finding]]:
        return [], [Finding("keys_unreadable", ko=ko, en=en, file=file)]

    if len(data) > MAX_KEYS_BYTES:
        return fail("파일이 너무 큽니다", "the file is too large")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return fail("UTF-8 JSON 파일이 아닙니다", "not a UTF-8 JSON file")
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        return fail('{"keys": [...]} 형태여야 합니다', 'must be an object {"keys": [...]}')
    keys: list[CertificateKey] = []
    found: list[Finding] = []
    for i, obj in enumerate(document["keys"]):
        key, problems = _record(obj, file, f"keys[{i}]")
        found += problems
        if key is not None:
            keys.append(key)
    return keys, found
