"""Keys of the liaison log: the published records of public keys (keys.json) and the private
key files, which only their owner may read. Pure Python, no Django.

A key is an Ed25519 key with a name (a signed-note key name), the side it belongs to, its
purpose ("log": signs that side's entries and checkpoints; "cosign": cosigns the other side's
checkpoints) and the window in which it is valid, [valid_from, valid_until).

The private key files themselves (PKCS#8 PEM, mode 0600) are `panmun.common.keyfiles`'.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from panmun.common.findings import Finding

from .entries import KEY_PURPOSES, SIDES, canonical, format_time, parse_time
from .notes import SIG_COSIGNATURE_V1, SIG_ED25519, b64decode_strict, valid_key_name, vkey

__all__ = ["PublicKeyRecord", "keys_json", "parse_keys_json", "valid_key_name"]

RECORD_FIELDS = ("name", "side", "purpose", "public_key", "valid_from", "valid_until", "log")


@dataclass(frozen=True)
class PublicKeyRecord:
    """A published key: who it is, what it signs, and when."""

    name: str
    side: str
    purpose: str
    public_key: bytes
    valid_from: datetime
    valid_until: datetime | None = None
    log: str | None = None

    @property
    def sig_type(self) -> int:
        """The signed-note signature type: 0x01 (Ed25519) for "log", 0x04 for "cosign"."""
        return SIG_COSIGNATURE_V1 if self.purpose == "cosign" else SIG_ED25519

    def vkey(self) -> str:
        return vkey(self.name, self.sig_type, self.public_key)

    def valid_at(self, t: datetime) -> bool:
        """valid_from <= t < valid_until (no end if valid_until is None)."""
        return self.valid_from <= t and (self.valid_until is None or t < self.valid_until)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "side": self.side,
            "purpose": self.purpose,
            "public_key": base64.b64encode(self.public_key).decode("ascii"),
            "valid_from": format_time(self.valid_from),
            "valid_until": format_time(self.valid_until) if self.valid_until else None,
            "log": self.log,
            "vkey": self.vkey(),
        }

    @classmethod
    def from_json(
        cls, obj: Any, *, file: str = "keys.json", index: int | None = None
    ) -> tuple[PublicKeyRecord | None, list[Finding]]:
        """The record of `to_json`'s object, or None and every finding."""
        return _record(obj, file, f"keys[{index}]" if index is not None else "")


def _record(obj: Any, file: str, prefix: str) -> tuple[PublicKeyRecord | None, list[Finding]]:
    def at(name: str) -> str:
        return f"{prefix}.{name}" if prefix else name

    def invalid(name: str, en: str, ko: str) -> None:
        found.append(Finding("key_field_invalid", ko=ko, en=en, file=file, field=at(name)))

    found: list[Finding] = []
    if not isinstance(obj, Mapping):
        found.append(
            Finding(
                "key_not_object",
                ko="키는 객체여야 합니다",
                en="a key must be an object",
                file=file,
                field=prefix,
            )
        )
        return None, found
    for name in (*RECORD_FIELDS, "vkey"):
        if name not in obj:
            found.append(
                Finding(
                    "key_field_missing",
                    ko="필수 필드가 없습니다",
                    en="the field is missing",
                    file=file,
                    field=at(name),
                )
            )
    for name in obj:
        if name not in (*RECORD_FIELDS, "vkey"):
            found.append(
                Finding(
                    "key_field_unknown",
                    ko="허용되지 않는 필드입니다",
                    en="the field is not allowed here",
                    file=file,
                    field=at(str(name)),
                )
            )
    if found:
        return None, found
    if not valid_key_name(obj["name"]):
        invalid("name", "not a valid key name", "올바른 키 이름이 아닙니다")
    if obj["side"] not in SIDES:
        invalid("side", "must be 'south' or 'north'", "'south' 또는 'north'여야 합니다")
    if obj["purpose"] not in KEY_PURPOSES:
        invalid("purpose", "must be 'log' or 'cosign'", "'log' 또는 'cosign'이어야 합니다")
    raw = b64decode_strict(obj["public_key"]) if isinstance(obj["public_key"], str) else None
    if raw is None or len(raw) != 32:
        invalid(
            "public_key",
            "must be the base64 of a 32-byte Ed25519 public key",
            "32바이트 Ed25519 공개키의 base64여야 합니다",
        )
    times: dict[str, datetime | None] = {}
    for name in ("valid_from", "valid_until"):
        value = obj[name]
        if value is None and name == "valid_until":
            times[name] = None
            continue
        try:
            times[name] = parse_time(value)
        except ValueError:
            invalid(name, "must be a UTC time", "UTC 시각이어야 합니다")
    start, end = times.get("valid_from"), times.get("valid_until")
    if start is not None and end is not None and end <= start:
        invalid("valid_until", "must be after valid_from", "valid_from보다 뒤여야 합니다")
    log = obj["log"]
    if log is not None and (not isinstance(log, str) or not log or any(c < " " for c in log)):
        invalid("log", "must be null or a log's origin", "null이거나 기록의 이름이어야 합니다")
    if found or raw is None or start is None:
        return None, found
    record = PublicKeyRecord(obj["name"], obj["side"], obj["purpose"], raw, start, end, log)
    if obj["vkey"] != record.vkey():
        found.append(
            Finding(
                "key_vkey_mismatch",
                ko="vkey가 키 이름, 용도, 공개키와 맞지 않습니다",
                en="vkey does not match the name, purpose and public key",
                file=file,
                field=at("vkey"),
            )
        )
        return None, found
    return record, []


def keys_json(records: Sequence[PublicKeyRecord]) -> bytes:
    """keys.json: canonical JSON `{"keys": [...]}`, in the order given."""
    return canonical({"keys": [r.to_json() for r in records]})


def parse_keys_json(
    data: bytes, file: str = "keys.json"
) -> tuple[list[PublicKeyRecord], list[Finding]]:
    """The records of keys.json and the findings (a record with findings is left out)."""

    def fail(code: str, *, ko: str, en: str) -> tuple[list[PublicKeyRecord], list[Finding]]:
        return [], [Finding(code, ko=ko, en=en, file=file, field="")]

    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return fail(
            "keys_not_utf8",
            ko="파일이 올바른 UTF-8이 아닙니다",
            en="the file is not valid UTF-8",
        )
    except (ValueError, RecursionError):
        return fail(
            "keys_not_json",
            ko="파일을 JSON으로 읽을 수 없습니다",
            en="the file is not JSON",
        )
    try:
        same = canonical(document) == data
    except (ValueError, RecursionError):
        same = False
    if not same:
        return fail(
            "keys_not_canonical",
            ko="파일이 RFC 8785 표준 형식(정규화된 JSON)이 아닙니다",
            en="the file is not in RFC 8785 canonical form",
        )
    if not isinstance(document, dict) or set(document) != {"keys"}:
        return fail(
            "keys_not_object",
            ko='파일은 {"keys": [...]} 형태의 객체여야 합니다',
            en='the file must be an object {"keys": [...]}',
        )
    if not isinstance(document["keys"], list):
        return fail(
            "keys_not_object",
            ko='"keys"는 목록이어야 합니다',
            en='"keys" must be a list',
        )
    records: list[PublicKeyRecord] = []
    found: list[Finding] = []
    seen: set[str] = set()
    for i, obj in enumerate(document["keys"]):
        record, problems = _record(obj, file, f"keys[{i}]")
        found += problems
        if record is None:
            continue
        if record.name in seen:
            found.append(
                Finding(
                    "key_duplicate_name",
                    ko=f"키 이름 {record.name}이(가) 두 번 이상 나옵니다",
                    en=f"the key name {record.name} is listed more than once",
                    file=file,
                    field=f"keys[{i}].name",
                )
            )
            continue
        seen.add(record.name)
        records.append(record)
    return records, found
