"""Entries of the liaison log: what one side sends the other, signed, as RFC 8785 canonical
JSON. Pure Python, no Django.

An entry is one JSON object with exactly the fields

    log          the log's origin (its checkpoints' first line)
    index        its place in that log, from 0
    kind         one of KINDS; `body` is kind-specific (`check_body`)
    sent_at      UTC time, "YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z"
    from_side    "south" | "north"; `to_side` the other
    in_reply_to  null, or {"log", "index", "leaf_hash" (64 lowercase hex)} of an earlier entry
    body         an object
    key          the name of the "log" key that signed it
    signature    base64 of the Ed25519 signature over the canonical JSON of the object
                 without `signature`

The leaf of the log's Merkle tree is the canonical JSON of the whole object. Numbers are
integers of at most 2^53-1 in size (no floats), strings valid Unicode without NUL.
"""

from __future__ import annotations

import base64
import copy
import json
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from panmun.common.findings import Finding, FindingsError

from . import merkle
from .notes import b64decode_strict
from .schema import (
    CALL_STATES,
    CALLS,
    COUNT,
    FIELDS,
    KEY_NAME,
    KEY_PURPOSES,
    KINDS,
    LIST_KINDS,
    MAX_INT,
    NONEMPTY,
    REPLY_REQUIRED,
    SIDES,
    TEXT,
    TIME,
    Add,
    Rule,
    _check_body,
    _fields,
    _invalid,
    _is_time,
    _kind_unknown,
    _missing,
    _one_of,
    _scan,
    _unknown,
    check_body,
    format_time,
    parse_time,
)

__all__ = [
    "CALLS",
    "CALL_STATES",
    "FIELDS",
    "KEY_PURPOSES",
    "KINDS",
    "LIST_KINDS",
    "REPLY_REQUIRED",
    "SIDES",
    "EntryError",
    "canonical",
    "check_body",
    "check_entry",
    "entry_leaf_hash",
    "format_time",
    "leaf_bytes",
    "make_entry",
    "parse_leaf",
    "parse_time",
    "reply_ref",
    "signing_input",
    "verify_signature",
]

_HEX64 = re.compile(r"[0-9a-f]{64}")


class EntryError(FindingsError):
    """An entry that cannot be made: every finding."""


def _plain(value: Any) -> bool:
    """Whether `value` holds only what Python's json writes exactly as RFC 8785 does: objects
    whose keys are in the Basic Multilingual Plane (where sorting by code point is sorting by
    UTF-16 unit), strings without lone surrogates, integers within ±2^53-1, true, false, null."""
    if isinstance(value, str):
        return not _SURROGATE.search(value)
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int):
        return -MAX_INT <= value <= MAX_INT
    if isinstance(value, dict):
        return all(
            isinstance(k, str) and not _ASTRAL.search(k) and _plain(k) and _plain(v)
            for k, v in value.items()
        )
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return False


_SURROGATE = re.compile("[\ud800-\udfff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


_FOUR_BYTE_UTF8 = re.compile(b"[\xf0-\xf4]")


def _checked_canonical(entry: dict[str, Any]) -> bytes:
    """`canonical` of an entry `_check` has passed — integers within range, no floats, no lone
    surrogates — where only a character beyond the Basic Multilingual Plane (four bytes in
    UTF-8, rare) could make the standard library's key order differ from RFC 8785's."""
    data = json.dumps(entry, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode(
        "utf-8"
    )
    return rfc8785.dumps(entry) if _FOUR_BYTE_UTF8.search(data) else data


def canonical(obj: Any) -> bytes:
    """RFC 8785 canonical JSON (rfc8785.CanonicalizationError, a ValueError, if it has none).

    For plain data (`_plain`: every entry Panmun writes) the standard library's encoder gives
    the same bytes five times faster — sorted keys, no spaces, the same escapes (\\n, \\t...,
    lowercase \\u00XX for other control characters, nothing else escaped); anything else goes
    through the `rfc8785` package. The tests hold the two to the same output."""
    if _plain(obj):
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode(
            "utf-8"
        )
    return rfc8785.dumps(obj)


def signing_input(entry: Mapping[str, Any]) -> bytes:
    """What the signature covers: the canonical JSON of the entry without `signature`."""
    return canonical({k: v for k, v in entry.items() if k != "signature"})


def leaf_bytes(entry: Mapping[str, Any]) -> bytes:
    """The entry's leaf: the canonical JSON of the whole (signed) entry."""
    return canonical(dict(entry))


def entry_leaf_hash(entry: Mapping[str, Any]) -> bytes:
    return merkle.leaf_hash(leaf_bytes(entry))


def reply_ref(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The `in_reply_to` value that points at `entry`."""
    return {"log": entry["log"], "index": entry["index"], "leaf_hash": entry_leaf_hash(entry).hex()}


def verify_signature(entry: Mapping[str, Any], public_key: bytes) -> bool:
    """Whether `signature` is the Ed25519 signature of `public_key` over `signing_input`."""
    signature = entry.get("signature")
    raw = b64decode_strict(signature) if isinstance(signature, str) else None
    if raw is None or len(raw) != 64 or len(public_key) != 32:
        return False
    try:
        message = signing_input(entry)
        Ed25519PublicKey.from_public_bytes(public_key).verify(raw, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def make_entry(**fields: Any) -> dict[str, Any]:
    """A new signed entry, from the keyword arguments of `make_signed_leaf`; EntryError with
    every finding if it would not be valid."""
    return make_signed_leaf(**fields)[0]


def make_signed_leaf(
    *,
    log: str,
    index: int,
    kind: str,
    sent_at: datetime,
    from_side: str,
    to_side: str,
    body: Mapping[str, Any],
    key: str,
    in_reply_to: Mapping[str, Any] | None,
    private_key: Ed25519PrivateKey,
) -> tuple[dict[str, Any], bytes]:
    """A new signed entry and its leaf; EntryError with every finding if it would not be
    valid. The leaf is the signed bytes with the signature put in its sorted place (between
    `sent_at` and `to_side`, the last field), so the entry is serialised once, not twice."""
    entry: dict[str, Any] = {
        "log": log,
        "index": index,
        "kind": kind,
        "sent_at": format_time(sent_at),
        "from_side": from_side,
        "to_side": to_side,
        "in_reply_to": copy.deepcopy(dict(in_reply_to)) if in_reply_to is not None else None,
        "body": copy.deepcopy(dict(body)),
        "key": key,
    }
    findings = _check(entry, file="", row=None, signed=False)
    if findings:
        raise EntryError(findings)
    unsigned = _checked_canonical({k: v for k, v in entry.items() if k != "signature"})
    signature = base64.b64encode(private_key.sign(unsigned)).decode("ascii")
    entry["signature"] = signature
    tail = b'"to_side":"' + to_side.encode("ascii") + b'"}'  # a checked side: no escapes
    cut = len(unsigned) - len(tail)
    if unsigned[cut:] != tail or unsigned[cut - 1 : cut] != b",":  # pragma: no cover
        return entry, leaf_bytes(entry)
    leaf = unsigned[:cut] + b'"signature":"' + signature.encode("ascii") + b'",' + tail
    return entry, leaf


def check_entry(
    entry: Any, *, file: str = "entries.jsonl", row: int | None = None
) -> list[Finding]:
    """Everything structural of a signed entry, its body included; not its signature."""
    return _check(entry, file=file, row=row, signed=True)


def _check(entry: Any, *, file: str, row: int | None, signed: bool) -> list[Finding]:
    found: list[Finding] = []
    add = found.append
    if not isinstance(entry, dict):
        add(
            Finding(
                "entry_not_object",
                ko="항목이 JSON 객체가 아닙니다",
                en="the entry is not a JSON object",
            )
        )
        return _placed(found, file, row)
    expected = FIELDS if signed else FIELDS[:-1]
    for name in expected:
        if name not in entry:
            add(_missing(name))
    for name in entry:
        if name not in expected:
            add(_unknown(str(name)))
    _scan(entry, "", add)
    _top_level(entry, add)
    kind = entry.get("kind")
    if "body" in entry and kind in KINDS:
        _check_body(kind, entry["body"], add)
    elif "body" in entry and not isinstance(entry["body"], dict):
        add(
            _invalid(
                "body",
                ko="객체여야 합니다",
                en="must be an object",
            )
        )
    _reply_rules(entry, add)
    return _placed(found, file, row)


def _placed(found: list[Finding], file: str, row: int | None) -> list[Finding]:
    return [replace(f, file=file, row=row) for f in found]


def _top_level(entry: dict[str, Any], add: Add) -> None:
    def check(name: str, rule: Rule) -> None:
        if name in entry and not rule[0](entry[name]):
            code = "entry_time_invalid" if rule[0] is _is_time else "entry_field_invalid"
            add(Finding(code, ko=rule[2], en=rule[1], field=name))

    check(
        "log",
        (
            lambda v: isinstance(v, str) and v != "" and not any(c < " " for c in v),
            "must be the log's origin: a non-empty line",
            "기록의 이름(origin)이어야 합니다: 비어 있지 않은 한 줄",
        ),
    )
    check("index", COUNT)
    if "kind" in entry and entry["kind"] not in KINDS:
        add(
            _kind_unknown(entry["kind"])
            if isinstance(entry["kind"], str)
            else _invalid("kind", ko=TEXT[2], en=TEXT[1])
        )
    check("sent_at", TIME)
    side = _one_of(SIDES)
    check("from_side", side)
    check("to_side", side)
    if entry.get("from_side") in SIDES and entry.get("from_side") == entry.get("to_side"):
        add(
            Finding(
                "entry_sides_same",
                ko="보내는 쪽과 받는 쪽이 같습니다",
                en="from_side and to_side are the same side",
                field="to_side",
            )
        )
    check("key", KEY_NAME)
    check(
        "signature",
        (
            lambda v: isinstance(v, str) and len(b64decode_strict(v) or b"") == 64,
            "must be the base64 of a 64-byte Ed25519 signature",
            "64바이트 Ed25519 서명의 base64여야 합니다",
        ),
    )
    ref = entry.get("in_reply_to")
    if ref is not None:
        if not isinstance(ref, dict):
            add(
                _invalid(
                    "in_reply_to",
                    ko="null이거나 객체여야 합니다",
                    en="must be null or an object",
                )
            )
            return
        rules: dict[str, Rule] = {
            "log": NONEMPTY,
            "index": COUNT,
            "leaf_hash": (
                lambda v: isinstance(v, str) and _HEX64.fullmatch(v) is not None,
                "must be 64 lowercase hex digits",
                "16진수 소문자 64자여야 합니다",
            ),
        }
        _fields(ref, "in_reply_to", rules, add)
        for name in ref:
            if name not in rules:
                add(_unknown(f"in_reply_to.{name}"))


def _reply_rules(entry: dict[str, Any], add: Add) -> None:
    kind, ref = entry.get("kind"), entry.get("in_reply_to")
    raw = entry.get("body")
    body: dict[str, Any] = raw if isinstance(raw, dict) else {}
    state = body.get("state") if kind == "contact_call" else None
    if "in_reply_to" not in entry:
        return
    if ref is None and (kind in REPLY_REQUIRED or state in ("answered", "unanswered")):
        add(
            Finding(
                "entry_reply_required",
                ko="이 종류의 항목은 앞선 항목에 답하는 것이므로 in_reply_to가 있어야 합니다",
                en="this kind of entry answers an earlier one: in_reply_to must not be null",
                field="in_reply_to",
            )
        )
    if ref is not None and state == "placed":
        add(
            Finding(
                "entry_reply_forbidden",
                ko="통화 걸기(placed)는 답하는 항목이 아니므로 in_reply_to가 null이어야 합니다",
                en="a placed call answers nothing: in_reply_to must be null",
                field="in_reply_to",
            )
        )


def parse_leaf(
    data: bytes, *, file: str = "entries.jsonl", row: int | None = None
) -> tuple[dict[str, Any] | None, list[Finding]]:
    """The entry of a leaf's bytes, if they are a canonical JSON object; else the finding."""

    def fail(code: str, *, ko: str, en: str) -> tuple[None, list[Finding]]:
        return None, [Finding(code, ko=ko, en=en, file=file, row=row)]

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return fail(
            "entry_not_utf8",
            ko=f"줄이 올바른 UTF-8이 아닙니다({exc.start + 1}번째 바이트)",
            en=f"the line is not valid UTF-8 (byte {exc.start + 1})",
        )
    try:
        parsed = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        return fail(
            "entry_not_json",
            ko=f"줄을 JSON으로 읽을 수 없습니다({exc})",
            en=f"the line is not JSON ({exc})",
        )
    if not isinstance(parsed, dict):
        return fail(
            "entry_not_object",
            ko="줄이 JSON 객체가 아닙니다",
            en="the line is not a JSON object",
        )
    try:
        same = canonical(parsed) == data
    except (ValueError, RecursionError):
        same = False
    if not same:
        return fail(
            "entry_not_canonical",
            ko="줄이 RFC 8785 표준 형식(정규화된 JSON)이 아닙니다",
            en="the line is not in RFC 8785 canonical form",
        )
    return parsed, []


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
