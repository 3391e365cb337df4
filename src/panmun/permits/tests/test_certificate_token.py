"""The certificate's token (pure): genuine and valid; every altered field, a foreign or unknown
key, a key outside its window, malformed and oversized input refused, each with its reason in
Korean and English; validity by date; keys.json read back and refused when damaged."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from ..certificate.keyring import CertificateKey, keys_json, parse_keys_json
from ..certificate.token import (
    MAX_TOKEN_BYTES,
    mask_document_number,
    sign_certificate,
    verify_token,
)
from .certificate_data import (
    DAY,
    FACTS,
    KEY,
    OTHER,
    OTHER_KEY,
    PRIVATE,
    TOKEN,
    b64,
    payload_of,
    signed,
    with_payload,
)


def code(token: object, keys=(KEY,), day: date = DAY) -> str:
    verdict = verify_token(token, list(keys), day)  # type: ignore[arg-type]
    assert not verdict.genuine and verdict.facts is None and not verdict.ok
    (reason,) = verdict.reasons
    assert reason.ko and reason.en and reason.ko != reason.en
    return reason.code


def test_genuine_and_valid() -> None:
    verdict = verify_token(TOKEN, [OTHER_KEY, KEY], DAY)
    assert verdict.genuine and verdict.valid_now and verdict.ok
    assert verdict.facts == FACTS
    assert verdict.revoked is None  # not known offline
    assert verdict.reasons == ()
    assert verdict.token == TOKEN
    assert TOKEN.startswith("PV1.") and len(TOKEN) < 1024


def test_the_payload_is_canonical_json_of_the_facts() -> None:
    assert payload_of(TOKEN) == FACTS.payload()
    assert payload_of(TOKEN)["name_ko"] == "김철수"
    assert payload_of(TOKEN)["issued_at"] == "2026-11-20T01:02:03Z"


CHANGES = {
    "number": "VC-2026-000124",
    "name_ko": "김철추",  # one character
    "name_latin": "KIM CHEOLSOO",
    "sex": "F",
    "birth_date": "1950-03-02",
    "document_kind": "resident_id",
    "document_number": "M12345679",
    "nationality": "KP",
    "valid_from": "2026-11-01",
    "valid_to": "2027-12-31",
    "multiple": False,
    "approvals": [{"kind": "visit", "reference": "EX-2026-ABCD1235"}],
    "key_id": OTHER_KEY.key_id,
    "issued_at": "2026-11-20T01:02:04Z",
}


def test_every_field_is_covered() -> None:
    assert set(CHANGES) | {"v"} == set(FACTS.payload())


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_an_altered_field_is_refused(name: str) -> None:
    payload = {**payload_of(TOKEN), name: CHANGES[name]}
    assert code(with_payload(TOKEN, payload), keys=(KEY, OTHER_KEY)) == "certificate_bad_signature"


def test_an_altered_version_or_prefix_is_refused() -> None:
    assert code(with_payload(TOKEN, {**payload_of(TOKEN), "v": 2})) == "certificate_malformed"
    assert code("PV2" + TOKEN[3:]) == "certificate_malformed"
    assert code(signed({**payload_of(TOKEN), "v": 2})) == "certificate_malformed"


def test_signed_by_another_key() -> None:
    # Signed by a key nobody published, under the real key's id: the signature fails.
    forged = sign_certificate(FACTS, OTHER)
    assert code(forged) == "certificate_bad_signature"
    # Under its own id, unpublished: refused as unknown.
    own = sign_certificate(dataclasses.replace(FACTS, key_id=OTHER_KEY.key_id), OTHER)
    assert code(own) == "certificate_unknown_key"
    assert verify_token(own, [OTHER_KEY], DAY).genuine  # once published, it verifies
    assert code(TOKEN, keys=()) == "certificate_unknown_key"


def test_key_not_valid_when_issued() -> None:
    late = dataclasses.replace(KEY, valid_from=datetime(2026, 11, 21, tzinfo=UTC))
    assert code(TOKEN, keys=(late,)) == "certificate_key_not_valid"
    ended = dataclasses.replace(KEY, valid_to=datetime(2026, 11, 20, 1, 2, 3, tzinfo=UTC))
    assert code(TOKEN, keys=(ended,)) == "certificate_key_not_valid"
    still = dataclasses.replace(KEY, valid_to=datetime(2026, 11, 20, 1, 2, 4, tzinfo=UTC))
    assert verify_token(TOKEN, [still], DAY).ok  # a retired key still verifies what it signed


@pytest.mark.parametrize(
    ("day", "valid", "reason"),
    [
        (date(2026, 11, 30), False, "certificate_not_yet_valid"),
        (date(2026, 12, 1), True, None),
        (date(2027, 2, 28), True, None),
        (date(2027, 3, 1), False, "certificate_expired"),
    ],
)
def test_validity_by_date(day: date, valid: bool, reason: str | None) -> None:
    verdict = verify_token(TOKEN, [KEY], day)
    assert verdict.genuine and verdict.facts == FACTS
    assert verdict.valid_now is valid and verdict.ok is valid
    assert [r.code for r in verdict.reasons] == ([reason] if reason else [])


MALFORMED = [
    "",
    "PV1",
    "PV1..",
    "PV1.e30.",
    TOKEN + ".x",
    TOKEN.replace(".", ". ", 1),
    TOKEN[:-2],  # a signature too short
    TOKEN + "A",  # not the one spelling of its bytes
    TOKEN.split(".")[0] + "." + TOKEN.split(".")[1] + "=." + TOKEN.split(".")[2],  # padding
    TOKEN.replace("-", "+").replace("_", "/") if ("-" in TOKEN or "_" in TOKEN) else "PV1.+.+",
    "PV1.\x00\x01.abc",
    "PV1.한글.한글",
]


@pytest.mark.parametrize("token", MALFORMED)
def test_malformed_is_refused(token: str) -> None:
    assert code(token) in {"certificate_malformed", "certificate_bad_signature"}


def test_well_signed_nonsense_is_malformed() -> None:
    """Signed with the real key, but not a certificate's payload: refused all the same."""
    payload = payload_of(TOKEN)
    spaced = b'{"v": 1}'
    cases = [
        spaced,  # not canonical
        b"[]",
        b"\xff\xfe",  # not UTF-8
        b"{" * 5000,
        {**payload, "extra": 1},
        {k: v for k, v in payload.items() if k != "sex"},
        {**payload, "sex": "X"},
        {**payload, "birth_date": "1950-02-30"},
        {**payload, "valid_to": "2026-11-30"},  # before valid_from
        {**payload, "name_ko": ""},
        {**payload, "name_ko": "김\n철수"},
        {**payload, "name_ko": "가" * 101},
        {**payload, "nationality": "kr"},
        {**payload, "multiple": 1},
        {**payload, "approvals": []},
        {**payload, "approvals": [{"kind": "visit"}]},
        {**payload, "issued_at": "2026-11-20 01:02:03"},
        {**payload, "v": True},
    ]
    for case in cases:
        assert code(signed(case)) in {"certificate_malformed", "certificate_too_long"}, case
    # The same payload spelled canonically verifies: the refusals above are the payloads'.
    assert verify_token(signed(payload), [KEY], DAY).ok


def test_oversized_and_wrong_types_are_refused() -> None:
    assert code("PV1." + "A" * MAX_TOKEN_BYTES) == "certificate_too_long"
    assert code(None) == "certificate_too_long"
    assert code(b"PV1.x.y") == "certificate_too_long"
    assert code(TOKEN + " " * MAX_TOKEN_BYTES) == "certificate_too_long"


def test_surrounding_space_is_forgiven() -> None:
    assert verify_token(f"  {TOKEN}\n", [KEY], DAY).ok


def test_messages_in_both_languages() -> None:
    verdict = verify_token(
        with_payload(TOKEN, {**payload_of(TOKEN), "name_ko": "김철추"}), [KEY], DAY
    )
    (reason,) = verdict.reasons
    assert "위조" in reason.ko and "forged" in reason.en


def test_masked_document_number() -> None:
    assert mask_document_number("M12345678") == "••••••678"
    assert mask_document_number("1234") == "•••4"
    assert FACTS.masked_document_number.endswith("678")
    assert "M12345" not in FACTS.masked_document_number


# keys.json ---------------------------------------------------------------------------------


def test_keys_json_round_trip() -> None:
    retired = dataclasses.replace(OTHER_KEY, valid_to=datetime(2026, 6, 1, tzinfo=UTC))
    data = keys_json([KEY, retired])
    assert data.startswith(b'{"keys":[{"key_id":"')
    assert parse_keys_json(data) == ([KEY, retired], [])


def test_keys_json_refusals() -> None:
    def codes(data: bytes) -> list[tuple[str, str]]:
        keys, found = parse_keys_json(data)
        assert keys == [] and all(f.ko and f.en for f in found)
        return [(f.code, f.field) for f in found]

    good = KEY.to_json()
    assert codes(b"\xff") == [("keys_unreadable", "")]
    assert codes(b"[]") == [("keys_unreadable", "")]
    assert codes(b" " * 300_000) == [("keys_unreadable", "")]
    mismatched = keys_json([CertificateKey(OTHER_KEY.key_id, KEY.public_key, KEY.valid_from)])
    assert codes(mismatched) == [("key_field_invalid", "keys[0].key_id")]
    short = {**good, "public_key": b64(b"x" * 31)}
    assert codes(keys_json([]).replace(b"[]", f"[{_json(short)}]".encode())) == [
        ("key_field_invalid", "keys[0].public_key")
    ]
    backwards = {**good, "valid_to": "2025-01-01T00:00:00Z"}
    assert codes(f'{{"keys":[{_json(backwards)}]}}'.encode()) == [
        ("key_field_invalid", "keys[0].valid_to")
    ]
    assert codes(f'{{"keys":[{_json({**good, "x": 1})}]}}'.encode()) == [
        ("key_field_invalid", "keys[0]")
    ]


def _json(obj: dict) -> str:
    import json

    return json.dumps(obj)


def test_the_private_key_signs_what_the_published_key_checks() -> None:
    assert verify_token(sign_certificate(FACTS, PRIVATE), [KEY], DAY).ok
