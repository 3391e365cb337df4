"""Entries: times, canonical JSON, signing, and every structural rule by its finding code."""

from __future__ import annotations

import base64
import copy
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from panmun.common.keyfiles import public_bytes

from ..ledger import entries, merkle

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
REF = {"log": "panmun.example/north", "index": 3, "leaf_hash": "ab" * 32}
NEW_KEY = base64.b64encode(public_bytes(OTHER)).decode()

#: A valid body of every kind, and whether it needs `in_reply_to`.
BODIES: dict[str, tuple[dict[str, Any], bool]] = {
    "notice": ({"subject": "공지", "text": "연락사무소 업무 시간을 알립니다."}, False),
    "letter": (
        {"subject": "서한", "text": "본문", "addressee": "북측 소장", "signatory": "남측 소장"},
        False,
    ),
    "proposal": (
        {
            "subject": "적십자 회담 제의",
            "text": "다음과 같이 제의합니다.",
            "meeting": {
                "starts_at": "2026-03-10T01:00:00Z",
                "place": "판문점 평화의 집",
                "agenda": ["이산가족 상봉", "화상 상봉"],
            },
        },
        False,
    ),
    "counter_proposal": (
        {"subject": "수정 제의", "text": "날짜를 바꿉니다.", "meeting": None},
        True,
    ),
    "acceptance": ({"text": "제의를 수락합니다."}, True),
    "reply": ({"text": "잘 받았습니다."}, True),
    "list": (
        {
            "list_kind": "tracing",
            "title": "생사 확인 의뢰 명단",
            "items": [{"name": "김철수", "born": 1938}],
            "source": {"app": "families", "ref": "batch-7"},
        },
        False,
    ),
    "agreement_text": ({"title": "합의서", "text": "1. 양측은 ..."}, False),
    "contact_call": (
        {"call": "opening", "scheduled_at": "2026-03-01T00:00:00Z", "state": "placed"},
        False,
    ),
    "meeting_record": (
        {
            "title": "실무 접촉",
            "held_at": "2026-03-05T01:00:00Z",
            "place": "통일각",
            "attendees": {"south": ["갑"], "north": ["을"]},
            "minutes": "회의록",
            "outcomes": [
                {"text": "상봉 일정 합의", "record": {"kind": "agreement", "ref": "A-1"}},
                {"text": "추후 협의", "record": None},
            ],
        },
        False,
    ),
    "key_rotation": (
        {
            "new_key": {
                "name": "south-log-2",
                "purpose": "log",
                "public_key": NEW_KEY,
                "valid_from": "2026-03-02T00:00:00Z",
            },
            "reason": "정기 교체",
        },
        False,
    ),
}


def make(kind: str = "notice", **changes: Any) -> dict[str, Any]:
    body, needs_reply = BODIES[kind]
    args: dict[str, Any] = {
        "log": "panmun.example/south",
        "index": 7,
        "kind": kind,
        "sent_at": AT,
        "from_side": "south",
        "to_side": "north",
        "body": body,
        "key": "south-log-1",
        "in_reply_to": REF if needs_reply else None,
        "private_key": KEY,
    }
    args.update(changes)
    return entries.make_entry(**args)


def codes(found: list[Any]) -> set[tuple[str, str]]:
    return {(f.code, f.field) for f in found}


# Times -------------------------------------------------------------------------------------


def test_format_time() -> None:
    assert entries.format_time(AT) == "2026-03-01T09:30:00Z"
    assert entries.format_time(AT.replace(microsecond=5)) == "2026-03-01T09:30:00.000005Z"
    seoul = timezone(timedelta(hours=9))
    assert entries.format_time(datetime(2026, 3, 1, 9, tzinfo=seoul)) == "2026-03-01T00:00:00Z"
    assert entries.format_time(datetime(999, 1, 2, tzinfo=UTC)) == "0999-01-02T00:00:00Z"
    with pytest.raises(ValueError):
        entries.format_time(datetime(2026, 3, 1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01T09:30:00Z", AT),
        ("2026-03-01T09:30:00.5Z", AT.replace(microsecond=500000)),
        ("2026-03-01T09:30:00.000001Z", AT.replace(microsecond=1)),
    ],
)
def test_parse_time(text: str, expected: datetime) -> None:
    assert entries.parse_time(text) == expected
    assert entries.parse_time(entries.format_time(expected)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-01T09:30:00+00:00",
        "2026-03-01 09:30:00Z",
        "2026-03-01T09:30:00z",
        "2026-03-01T09:30Z",
        "2026-02-30T00:00:00Z",
        "2026-03-01T24:00:00Z",
        "2026-03-01T23:59:60Z",
        "2026-03-01T09:30:00.1234567Z",
        "2026-03-01T09:30:00.Z",
        "２０２６-03-01T09:30:00Z",
        " 2026-03-01T09:30:00Z",
        "",
    ],
)
def test_parse_time_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        entries.parse_time(text)


# Canonical JSON and signing ---------------------------------------------------------------------


def test_canonical_sorts_keys_by_utf16() -> None:
    # RFC 8785 section 3.2.3's example of property sorting.
    obj = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    keys = list(rfc8785.dumps(obj).decode().split('":"'))
    order = ["\\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    assert [k.rsplit('"', 1)[-1] for k in keys[:-1]] == order
    assert entries.canonical({"b": [1, "é"], "a": None}) == '{"a":null,"b":[1,"é"]}'.encode()


@pytest.mark.parametrize("kind", entries.KINDS)
def test_every_kind_makes_a_valid_signed_entry(kind: str) -> None:
    entry = make(kind)
    assert entries.check_entry(entry) == []
    assert set(entry) == set(entries.FIELDS)
    assert entries.verify_signature(entry, public_bytes(KEY))
    assert not entries.verify_signature(entry, public_bytes(OTHER))
    leaf = entries.leaf_bytes(entry)
    assert leaf == rfc8785.dumps(entry)
    assert entries.parse_leaf(leaf) == (entry, [])
    assert entries.entry_leaf_hash(entry) == merkle.leaf_hash(leaf)
    unsigned = {k: v for k, v in entry.items() if k != "signature"}
    assert entries.signing_input(entry) == rfc8785.dumps(unsigned)


def test_signature_covers_every_field() -> None:
    entry = make("letter")
    for name in entries.FIELDS[:-1]:
        changed = copy.deepcopy(entry)
        changed[name] = "x" if changed[name] != "x" else "y"
        assert not entries.verify_signature(changed, public_bytes(KEY)), name
    changed = copy.deepcopy(entry)
    changed["body"]["text"] += "."
    assert not entries.verify_signature(changed, public_bytes(KEY))


def test_verify_signature_refuses_malformed() -> None:
    entry = make()
    assert not entries.verify_signature({**entry, "signature": "AAAA"}, public_bytes(KEY))
    assert not entries.verify_signature({**entry, "signature": 7}, public_bytes(KEY))
    assert not entries.verify_signature(entry, public_bytes(KEY)[:31])
    sig = base64.b64decode(entry["signature"])
    flipped = base64.b64encode(bytes([sig[0] ^ 1]) + sig[1:]).decode()
    assert not entries.verify_signature({**entry, "signature": flipped}, public_bytes(KEY))


def test_reply_ref() -> None:
    entry = make()
    ref = entries.reply_ref(entry)
    assert ref == {
        "log": "panmun.example/south",
        "index": 7,
        "leaf_hash": merkle.leaf_hash(entries.leaf_bytes(entry)).hex(),
    }
    reply = make("reply", in_reply_to=ref, index=8)
    assert entries.check_entry(reply) == []


def test_make_entry_refuses_invalid() -> None:
    with pytest.raises(entries.EntryError) as err:
        make("reply", in_reply_to=None, to_side="south")
    assert codes(err.value.problems) == {
        ("entry_reply_required", "in_reply_to"),
        ("entry_sides_same", "to_side"),
    }
    with pytest.raises(entries.EntryError):
        make(body={"subject": "", "text": "x"})
    with pytest.raises(ValueError):
        make(sent_at=datetime(2026, 3, 1))


# Structural findings --------------------------------------------------------------------------


def mutate(entry: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(entry)
    *parents, last = path.split(".")
    target = changed
    for p in parents:
        target = target[p]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return changed


DELETE = object()


@pytest.mark.parametrize(
    ("kind", "path", "value", "expected"),
    [
        ("notice", "extra", 1, ("entry_field_unknown", "extra")),
        ("notice", "key", DELETE, ("entry_field_missing", "key")),
        ("notice", "signature", DELETE, ("entry_field_missing", "signature")),
        ("notice", "signature", "AAAA", ("entry_field_invalid", "signature")),
        ("notice", "log", "", ("entry_field_invalid", "log")),
        ("notice", "log", "a\nb", ("entry_field_invalid", "log")),
        ("notice", "index", -1, ("entry_field_invalid", "index")),
        ("notice", "index", True, ("entry_field_invalid", "index")),
        ("notice", "index", "7", ("entry_field_invalid", "index")),
        ("notice", "kind", "memo", ("entry_kind_unknown", "kind")),
        ("notice", "kind", 3, ("entry_field_invalid", "kind")),
        ("notice", "sent_at", "2026-03-01", ("entry_time_invalid", "sent_at")),
        ("notice", "from_side", "east", ("entry_field_invalid", "from_side")),
        ("notice", "to_side", "south", ("entry_sides_same", "to_side")),
        ("notice", "key", "south log", ("entry_field_invalid", "key")),
        ("notice", "key", "south+log", ("entry_field_invalid", "key")),
        ("notice", "in_reply_to", "7", ("entry_field_invalid", "in_reply_to")),
        ("notice", "in_reply_to", {**REF, "x": 1}, ("entry_field_unknown", "in_reply_to.x")),
        (
            "notice",
            "in_reply_to",
            {**REF, "leaf_hash": "AB" * 32},
            ("entry_field_invalid", "in_reply_to.leaf_hash"),
        ),
        (
            "notice",
            "in_reply_to",
            {"log": "x", "index": 0},
            ("entry_field_missing", "in_reply_to.leaf_hash"),
        ),
        ("notice", "body", [], ("entry_field_invalid", "body")),
        ("notice", "body.subject", "  ", ("entry_field_invalid", "body.subject")),
        ("notice", "body.text", DELETE, ("entry_field_missing", "body.text")),
        ("notice", "body.text", 1.5, ("entry_number_not_integer", "body.text")),
        ("notice", "body.n", 2**53, ("entry_number_out_of_range", "body.n")),
        ("notice", "body.n", -(2**53), ("entry_number_out_of_range", "body.n")),
        ("notice", "body.text", "a\x00b", ("entry_text_invalid", "body.text")),
        ("notice", "body.text", "a\ud800b", ("entry_text_invalid", "body.text")),
        ("notice", "body.when", AT, ("entry_field_invalid", "body.when")),
        ("letter", "body.signatory", 7, ("entry_field_invalid", "body.signatory")),
        ("letter", "body.addressee", None, ("entry_field_invalid", "body.addressee")),
        ("proposal", "body.meeting", DELETE, ("entry_field_missing", "body.meeting")),
        ("proposal", "body.meeting", "soon", ("entry_field_invalid", "body.meeting")),
        (
            "proposal",
            "body.meeting.starts_at",
            "10 March",
            ("entry_time_invalid", "body.meeting.starts_at"),
        ),
        ("proposal", "body.meeting.place", "", ("entry_field_invalid", "body.meeting.place")),
        (
            "proposal",
            "body.meeting.agenda",
            ["a", 1],
            ("entry_field_invalid", "body.meeting.agenda"),
        ),
        ("counter_proposal", "in_reply_to", None, ("entry_reply_required", "in_reply_to")),
        ("acceptance", "in_reply_to", None, ("entry_reply_required", "in_reply_to")),
        ("acceptance", "body.text", DELETE, ("entry_field_missing", "body.text")),
        ("reply", "in_reply_to", None, ("entry_reply_required", "in_reply_to")),
        ("list", "body.list_kind", "people", ("entry_field_invalid", "body.list_kind")),
        ("list", "body.title", "", ("entry_field_invalid", "body.title")),
        ("list", "body.items", [1], ("entry_field_invalid", "body.items")),
        (
            "list",
            "body.items",
            [{"born": 1938.5}],
            ("entry_number_not_integer", "body.items[0].born"),
        ),
        ("list", "body.source", DELETE, ("entry_field_missing", "body.source")),
        ("list", "body.source", {"app": "x"}, ("entry_field_missing", "body.source.ref")),
        ("agreement_text", "body.text", "", ("entry_field_invalid", "body.text")),
        ("agreement_text", "body.title", DELETE, ("entry_field_missing", "body.title")),
        ("contact_call", "body.call", "noon", ("entry_field_invalid", "body.call")),
        ("contact_call", "body.state", "ringing", ("entry_field_invalid", "body.state")),
        ("contact_call", "body.scheduled_at", "", ("entry_time_invalid", "body.scheduled_at")),
        ("contact_call", "in_reply_to", REF, ("entry_reply_forbidden", "in_reply_to")),
        ("contact_call", "body.state", "answered", ("entry_reply_required", "in_reply_to")),
        (
            "contact_call",
            "body.state",
            "unanswered",
            ("entry_field_missing", "body.waited_seconds"),
        ),
        ("meeting_record", "body.held_at", "x", ("entry_time_invalid", "body.held_at")),
        ("meeting_record", "body.attendees", DELETE, ("entry_field_missing", "body.attendees")),
        (
            "meeting_record",
            "body.attendees",
            {"south": []},
            ("entry_field_missing", "body.attendees.north"),
        ),
        ("meeting_record", "body.outcomes", {}, ("entry_field_invalid", "body.outcomes")),
        (
            "meeting_record",
            "body.outcomes",
            [{"text": "t", "record": {"kind": "minutes", "ref": "r"}}],
            ("entry_field_invalid", "body.outcomes[0].record.kind"),
        ),
        (
            "meeting_record",
            "body.outcomes",
            [{"text": "t"}],
            ("entry_field_missing", "body.outcomes[0].record"),
        ),
        ("meeting_record", "body.minutes", None, ("entry_field_invalid", "body.minutes")),
        ("key_rotation", "body.new_key", DELETE, ("entry_field_missing", "body.new_key")),
        ("key_rotation", "body.new_key", "k", ("entry_field_invalid", "body.new_key")),
        ("key_rotation", "body.new_key.name", "a b", ("entry_field_invalid", "body.new_key.name")),
        (
            "key_rotation",
            "body.new_key.purpose",
            "sign",
            ("entry_field_invalid", "body.new_key.purpose"),
        ),
        (
            "key_rotation",
            "body.new_key.public_key",
            NEW_KEY[:-4],
            ("entry_field_invalid", "body.new_key.public_key"),
        ),
        (
            "key_rotation",
            "body.new_key.valid_from",
            "now",
            ("entry_time_invalid", "body.new_key.valid_from"),
        ),
        ("key_rotation", "body.reason", DELETE, ("entry_field_missing", "body.reason")),
    ],
)
def test_check_entry_findings(kind: str, path: str, value: Any, expected: tuple[str, str]) -> None:
    found = entries.check_entry(mutate(make(kind), path, value), row=4)
    assert expected in codes(found)
    assert all(f.file == "entries.jsonl" and f.row == 4 for f in found)
    assert all(f.en and f.ko for f in found)


def test_unanswered_call_with_waited_seconds() -> None:
    body = {**BODIES["contact_call"][0], "state": "unanswered", "waited_seconds": 600}
    assert entries.check_entry(make("contact_call", body=body, in_reply_to=REF)) == []
    found = entries.check_body("contact_call", {**body, "waited_seconds": -1})
    assert codes(found) == {("entry_field_invalid", "body.waited_seconds")}


def test_letter_addressee_and_signatory_are_optional() -> None:
    assert entries.check_body("letter", {"subject": "서한", "text": ""}) == []


def test_extra_body_fields_are_let_be() -> None:
    body = {**BODIES["notice"][0], "priority": 1, "tags": ["a"]}
    assert entries.check_entry(make(body=body)) == []


def test_check_body() -> None:
    assert entries.check_body("notice", {"subject": "s", "text": ""}) == []
    assert codes(entries.check_body("memo", {})) == {("entry_kind_unknown", "kind")}
    assert codes(entries.check_body("reply", None)) == {("entry_field_invalid", "body")}


def test_check_entry_of_a_non_object() -> None:
    assert codes(entries.check_entry([1, 2])) == {("entry_not_object", "")}


# Leaves ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b'{"a":"\xff"}', "entry_not_utf8"),
        (b"", "entry_not_json"),
        (b"{", "entry_not_json"),
        (b'{"a":NaN}', "entry_not_json"),
        (b"[1]", "entry_not_object"),
        (b'"text"', "entry_not_object"),
        (b'{"b":1,"a":2}', "entry_not_canonical"),
        (b'{"a": 1}', "entry_not_canonical"),
        (b'{"a":1} ', "entry_not_canonical"),
        (b'{"a":1.0}', "entry_not_canonical"),
        (b'{"a":1e2}', "entry_not_canonical"),
        (b'{"a":1,"a":1}', "entry_not_canonical"),
        (b'{"a":"\\u00e9"}', "entry_not_canonical"),
        (b'{"a":"\\ud800"}', "entry_not_canonical"),
        (b'{"a":9007199254740992}', "entry_not_canonical"),
        (b"\xef\xbb\xbf{}", "entry_not_json"),
    ],
)
def test_parse_leaf_refuses(data: bytes, code: str) -> None:
    entry, found = entries.parse_leaf(data, file="leaves", row=3)
    assert entry is None
    assert [(f.code, f.file, f.row) for f in found] == [(code, "leaves", 3)]


def test_parse_leaf_accepts_canonical_non_ascii() -> None:
    data = '{"a":"é한","b":[-1,0,true,null]}'.encode()
    assert entries.parse_leaf(data) == ({"a": "é한", "b": [-1, 0, True, None]}, [])


def _random_value(rng, depth=0):
    import string

    alphabet = string.printable + '가각힣ㄱㅏ\u2028\u2029\x00\x01\x1f\x7f\ue000\uffff😀𝄞"\\/'
    choice = rng.randrange(7 if depth < 3 else 4)
    if choice == 0:
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
    if choice == 1:
        return rng.choice([0, 1, -1, 2**53 - 1, -(2**53 - 1), rng.randrange(-(10**9), 10**9)])
    if choice == 2:
        return rng.choice([True, False, None])
    if choice == 3:
        return "".join(rng.choice("abc😀\ue000") for _ in range(3))
    if choice in (4, 5):
        keys = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(5))) for _ in range(4)]
        return {k: _random_value(rng, depth + 1) for k in keys}
    return [_random_value(rng, depth + 1) for _ in range(rng.randrange(4))]


def test_the_fast_canonical_form_is_rfc8785_byte_for_byte():
    """`canonical` takes the standard library's encoder for plain data: over random data with
    Hangul, control characters, line separators, astral characters in keys and values and
    integers at the limits, its bytes are always the `rfc8785` package's."""
    import random

    rng = random.Random(8785)
    for _ in range(3000):
        value = {"body": _random_value(rng), "k": _random_value(rng)}
        assert entries.canonical(value) == rfc8785.dumps(value)


def test_a_signed_leaf_is_the_canonical_form_of_the_signed_entry():
    key = Ed25519PrivateKey.generate()
    for to_side, body in (
        ("north", {"subject": "통지", "text": 'a,"to_side":"x"}'}),
        ("south", {"subject": "s", "text": "", "nested": {"to_side": "north"}}),
    ):
        data, leaf = entries.make_signed_leaf(
            log="l/south" if to_side == "north" else "l/north",
            index=3,
            kind="notice",
            sent_at=datetime(2026, 11, 23, 9, tzinfo=UTC),
            from_side="south" if to_side == "north" else "north",
            to_side=to_side,
            body=body,
            key="k-1",
            in_reply_to=None,
            private_key=key,
        )
        assert leaf == entries.leaf_bytes(data)


def test_signed_leaves_with_astral_keys_are_still_canonical():
    """Keys beyond the Basic Multilingual Plane sort differently by code point and by UTF-16
    unit: such an entry takes the rfc8785 package's path, and its leaf is still canonical."""
    key = Ed25519PrivateKey.generate()
    items = [{"😀": 1, "\ue000": 2, "가": 3}]
    data, leaf = entries.make_signed_leaf(
        log="l/south",
        index=0,
        kind="list",
        sent_at=datetime(2026, 11, 23, 9, tzinfo=UTC),
        from_side="south",
        to_side="north",
        body={"list_kind": "other", "title": "t", "items": items, "source": None},
        key="k-1",
        in_reply_to=None,
        private_key=key,
    )
    assert leaf == rfc8785.dumps(data)
    assert entries.verify_signature(data, public_bytes(key))
