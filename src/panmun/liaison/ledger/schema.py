"""The schema of liaison entries: the kinds and sides, UTC times, and the rules of each
kind's body, each failure a `Finding` with a stable code. Pure Python, no Django; `entries`
re-exports what is public here.

Bodies (extra fields are allowed and let be; `in_reply_to` rules are in `entries`):

    notice            subject (non-empty), text
    letter            subject (non-empty), text; optional addressee, signatory (strings)
    proposal          subject, text, meeting: null | {starts_at, place (non-empty), agenda: [str]}
    counter_proposal  as proposal
    acceptance        text
    reply             text
    list              list_kind (LIST_KINDS), title (non-empty), items: [object],
                      source: null | {app, ref}
    agreement_text    title, text (both non-empty)
    contact_call      call (CALLS), scheduled_at, state (CALL_STATES); waited_seconds (int >= 0)
                      when unanswered
    meeting_record    title (non-empty), held_at, place, attendees {south: [str], north: [str]},
                      minutes, outcomes: [{text, record: null | {kind: talks|agreement, ref}}]
    key_rotation      new_key {name, purpose (log|cosign), public_key (base64, 32 bytes),
                      valid_from}, reason
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from panmun.common.findings import Finding

from .notes import b64decode_strict, valid_key_name

__all__ = [
    "CALLS",
    "CALL_STATES",
    "FIELDS",
    "KEY_PURPOSES",
    "KINDS",
    "LIST_KINDS",
    "MAX_INT",
    "RECORD_KINDS",
    "REPLY_REQUIRED",
    "SIDES",
    "check_body",
    "format_time",
    "parse_time",
]

KINDS: tuple[str, ...] = (
    "notice",
    "letter",
    "proposal",
    "counter_proposal",
    "acceptance",
    "reply",
    "list",
    "agreement_text",
    "contact_call",
    "meeting_record",
    "key_rotation",
)
SIDES: tuple[str, ...] = ("south", "north")
LIST_KINDS: tuple[str, ...] = (
    "delegation",
    "tracing",
    "video_letters",
    "aid_receipt",
    "other",
)
CALLS: tuple[str, ...] = ("opening", "closing")
CALL_STATES: tuple[str, ...] = ("placed", "answered", "unanswered")
KEY_PURPOSES: tuple[str, ...] = ("log", "cosign")
RECORD_KINDS: tuple[str, ...] = ("talks", "agreement")
#: Kinds that answer an earlier entry, whose `in_reply_to` may not be null.
REPLY_REQUIRED: tuple[str, ...] = ("counter_proposal", "acceptance", "reply")
FIELDS: tuple[str, ...] = (
    "log",
    "index",
    "kind",
    "sent_at",
    "from_side",
    "to_side",
    "in_reply_to",
    "body",
    "key",
    "signature",
)
MAX_INT = 2**53 - 1
_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,6}))?Z"
)


def format_time(dt: datetime) -> str:
    """An aware datetime as UTC `YYYY-MM-DDTHH:MM:SSZ`, with `.ffffff` if it has microseconds."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("a naive datetime has no UTC time")
    u = dt.astimezone(UTC)
    text = f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}"
    return text + (f".{u.microsecond:06d}Z" if u.microsecond else "Z")


def parse_time(text: str) -> datetime:
    """The aware UTC datetime of `format_time`'s form (1 to 6 fraction digits); ValueError."""
    match = _TIME.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"not a UTC time YYYY-MM-DDTHH:MM:SS[.ffffff]Z: {text!r}")
    year, month, day, hour, minute, second, fraction = match.groups()
    micro = int((fraction or "0").ljust(6, "0"))
    return datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tzinfo=UTC
    )


# Findings ---------------------------------------------------------------------------------


def _missing(fld: str) -> Finding:
    return Finding(
        "entry_field_missing", ko="필수 필드가 없습니다", en="the field is missing", field=fld
    )


def _unknown(fld: str) -> Finding:
    return Finding(
        "entry_field_unknown",
        ko="허용되지 않는 필드입니다",
        en="the field is not allowed here",
        field=fld,
    )


def _invalid(fld: str, *, ko: str, en: str) -> Finding:
    return Finding("entry_field_invalid", ko=ko, en=en, field=fld)


Add = Callable[[Finding], None]


def _text(v: Any) -> bool:
    return isinstance(v, str)


def _nonempty(v: Any) -> bool:
    return isinstance(v, str) and v.strip() != ""


def _count(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _is_time(v: Any) -> bool:
    try:
        parse_time(v)
    except ValueError:
        return False
    return True


def _texts(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _objects(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, dict) for x in v)


def _key64(v: Any) -> bool:
    raw = b64decode_strict(v) if isinstance(v, str) else None
    return raw is not None and len(raw) == 32


Rule = tuple[Callable[[Any], bool], str, str]


def _one_of(choices: tuple[str, ...]) -> Rule:
    listed = ", ".join(choices)
    return (
        lambda v: v in choices,
        f"must be one of: {listed}",
        f"다음 중 하나여야 합니다: {listed}",
    )


TEXT: Rule = (_text, "must be a string", "문자열이어야 합니다")
NONEMPTY: Rule = (_nonempty, "must be a non-empty string", "비어 있지 않은 문자열이어야 합니다")
COUNT: Rule = (_count, "must be an integer of 0 or more", "0 이상의 정수여야 합니다")
TIME: Rule = (
    _is_time,
    "must be a UTC time YYYY-MM-DDTHH:MM:SS[.ffffff]Z",
    "UTC 시각(YYYY-MM-DDTHH:MM:SS[.ffffff]Z)이어야 합니다",
)
TEXTS: Rule = (_texts, "must be a list of strings", "문자열의 목록이어야 합니다")
OBJECTS: Rule = (_objects, "must be a list of objects", "객체의 목록이어야 합니다")
KEY_NAME: Rule = (
    valid_key_name,
    "must be a key name (no spaces, no '+', not empty)",
    "키 이름이어야 합니다(공백과 '+' 없이, 비어 있지 않게)",
)
PUBLIC_KEY: Rule = (
    _key64,
    "must be the base64 of a 32-byte Ed25519 public key",
    "32바이트 Ed25519 공개키의 base64여야 합니다",
)


def _fields(obj: Any, prefix: str, rules: Mapping[str, Rule], add: Add) -> bool:
    """Check each required field of `obj` by its rule; False if `obj` is not an object."""
    if not isinstance(obj, dict):
        add(
            _invalid(
                prefix,
                ko="객체여야 합니다",
                en="must be an object",
            )
        )
        return False
    for name, (ok, en, ko) in rules.items():
        if name not in obj:
            add(_missing(f"{prefix}.{name}"))
        elif not ok(obj[name]):
            code = "entry_time_invalid" if ok is _is_time else "entry_field_invalid"
            add(Finding(code, ko=ko, en=en, field=f"{prefix}.{name}"))
    return True


def _nullable(obj: Mapping[str, Any], name: str, prefix: str, add: Add) -> Any:
    """The object in `obj[name]` if there is one; None if null; findings otherwise."""
    fld = f"{prefix}.{name}"
    if name not in obj:
        add(_missing(fld))
        return None
    value = obj[name]
    if value is not None and not isinstance(value, dict):
        add(
            _invalid(
                fld,
                ko="null이거나 객체여야 합니다",
                en="must be null or an object",
            )
        )
        return None
    return value


_SUBJECT_TEXT = {"subject": NONEMPTY, "text": TEXT}
_MEETING = {"starts_at": TIME, "place": NONEMPTY, "agenda": TEXTS}


def _proposal(body: dict[str, Any], add: Add) -> None:
    _fields(body, "body", _SUBJECT_TEXT, add)
    meeting = _nullable(body, "meeting", "body", add)
    if meeting is not None:
        _fields(meeting, "body.meeting", _MEETING, add)


def _letter(body: dict[str, Any], add: Add) -> None:
    _fields(body, "body", _SUBJECT_TEXT, add)
    for name in ("addressee", "signatory"):  # optional
        if name in body and not isinstance(body[name], str):
            add(_invalid(f"body.{name}", ko=TEXT[2], en=TEXT[1]))


def _list(body: dict[str, Any], add: Add) -> None:
    rules = {"list_kind": _one_of(LIST_KINDS), "title": NONEMPTY, "items": OBJECTS}
    _fields(body, "body", rules, add)
    source = _nullable(body, "source", "body", add)
    if source is not None:
        _fields(source, "body.source", {"app": TEXT, "ref": TEXT}, add)


def _contact_call(body: dict[str, Any], add: Add) -> None:
    rules = {"call": _one_of(CALLS), "scheduled_at": TIME, "state": _one_of(CALL_STATES)}
    _fields(body, "body", rules, add)
    if body.get("state") == "unanswered":
        _fields(body, "body", {"waited_seconds": COUNT}, add)


def _meeting_record(body: dict[str, Any], add: Add) -> None:
    rules = {"title": NONEMPTY, "held_at": TIME, "place": TEXT, "minutes": TEXT}
    _fields(body, "body", rules, add)
    if "attendees" not in body:
        add(_missing("body.attendees"))
    else:
        _fields(body["attendees"], "body.attendees", {"south": TEXTS, "north": TEXTS}, add)
    if "outcomes" not in body:
        add(_missing("body.outcomes"))
    elif not _objects(body["outcomes"]):
        add(_invalid("body.outcomes", ko=OBJECTS[2], en=OBJECTS[1]))
    else:
        for i, outcome in enumerate(body["outcomes"]):
            prefix = f"body.outcomes[{i}]"
            _fields(outcome, prefix, {"text": TEXT}, add)
            record = _nullable(outcome, "record", prefix, add)
            if record is not None:
                rules = {"kind": _one_of(RECORD_KINDS), "ref": TEXT}
                _fields(record, f"{prefix}.record", rules, add)


def _key_rotation(body: dict[str, Any], add: Add) -> None:
    _fields(body, "body", {"reason": TEXT}, add)
    if "new_key" not in body:
        add(_missing("body.new_key"))
        return
    rules = {
        "name": KEY_NAME,
        "purpose": _one_of(KEY_PURPOSES),
        "public_key": PUBLIC_KEY,
        "valid_from": TIME,
    }
    _fields(body["new_key"], "body.new_key", rules, add)


def _simple(rules: Mapping[str, Rule]) -> Callable[[dict[str, Any], Add], None]:
    def check(body: dict[str, Any], add: Add) -> None:
        _fields(body, "body", rules, add)

    return check


_BODIES: dict[str, Callable[[dict[str, Any], Add], None]] = {
    "notice": _simple(_SUBJECT_TEXT),
    "letter": _letter,
    "proposal": _proposal,
    "counter_proposal": _proposal,
    "acceptance": _simple({"text": TEXT}),
    "reply": _simple({"text": TEXT}),
    "list": _list,
    "agreement_text": _simple({"title": NONEMPTY, "text": NONEMPTY}),
    "contact_call": _contact_call,
    "meeting_record": _meeting_record,
    "key_rotation": _key_rotation,
}


def check_body(kind: str, body: Any) -> list[Finding]:
    """The findings of a body of `kind`: its required fields (others are let be), and no
    float, out-of-range integer or bad string anywhere in it."""
    found: list[Finding] = []
    if kind not in _BODIES:
        return [_kind_unknown(kind)]
    _scan(body, "body", found.append)
    _check_body(kind, body, found.append)
    return found


def _check_body(kind: str, body: Any, add: Add) -> None:
    if not isinstance(body, dict):
        add(
            _invalid(
                "body",
                ko="객체여야 합니다",
                en="must be an object",
            )
        )
    else:
        _BODIES[kind](body, add)


def _kind_unknown(kind: Any) -> Finding:
    return Finding(
        "entry_kind_unknown",
        ko=f"알 수 없는 종류입니다({kind!r}). 다음 중 하나여야 합니다: {', '.join(KINDS)}",
        en=f"unknown kind {kind!r}; one of: {', '.join(KINDS)}",
        field="kind",
    )


def _bad_text(s: str) -> bool:
    """NUL, or a lone surrogate (which UTF-8 cannot encode)."""
    if "\x00" in s:
        return True
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _scan(value: Any, path: str, add: Add) -> None:
    """Every value below `value`: integers in range, no float, strings without NUL or lone
    surrogate, nothing that is not JSON."""
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str) or _bad_text(k):
                add(_bad_string(path))
                continue
            _scan(v, f"{path}.{k}" if path else k, add)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _scan(v, f"{path}[{i}]", add)
    elif isinstance(value, str):
        if _bad_text(value):
            add(_bad_string(path))
    elif isinstance(value, bool) or value is None:
        pass
    elif isinstance(value, int):
        if abs(value) > MAX_INT:
            add(
                Finding(
                    "entry_number_out_of_range",
                    ko="정수의 크기가 2^53-1보다 큽니다",
                    en="the integer is larger than 2^53-1 in size",
                    field=path,
                )
            )
    elif isinstance(value, float):
        add(
            Finding(
                "entry_number_not_integer",
                ko="숫자는 정수여야 합니다(소수나 지수 표기는 쓸 수 없습니다)",
                en="numbers must be integers (no fractions or exponents)",
                field=path,
            )
        )
    else:
        add(
            _invalid(
                path,
                ko="JSON 값이 아닙니다",
                en="not a JSON value",
            )
        )


def _bad_string(path: str) -> Finding:
    return Finding(
        "entry_text_invalid",
        ko="문자열에 NUL 문자나 짝이 없는 서로게이트가 있습니다",
        en="a string holds NUL or a lone surrogate",
        field=path,
    )
