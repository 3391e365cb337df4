"""The certificate's signed token, which its QR code carries: what the certificate says, signed
by the ministry's certificate key (Ed25519). Pure Python, no Django.

    PV1.<base64url of the payload>.<base64url of the Ed25519 signature>

The payload is canonical JSON (`keyring.canonical`) of the certificate's facts: its number, the
person (Korean and Latin names, sex, birth date, travel document and its number, nationality),
validity (from, to, single or multiple visits), the approvals it covers (kind and application
reference), the signing key's id and the time of issue. The signature covers the ASCII bytes
``PV1.<payload>``, so neither the version nor a byte of the payload can be changed.
Base64url is without padding and must be the one spelling of its bytes; the payload must be
exactly the canonical JSON of its own fields. Revocation is not in the token (it is a fact of
later): the server adds it (`Verdict.revoked`)."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from panmun.common.findings import Finding

from .keyring import CertificateKey, canonical, format_time, parse_time

__all__ = [
    "DOCUMENT_KINDS",
    "MAX_TOKEN_BYTES",
    "PREFIX",
    "CertificateFacts",
    "Verdict",
    "mask_document_number",
    "sign_certificate",
    "verify_token",
]

PREFIX = "PV1"
VERSION = 1
#: A token is well under 2 KB; longer input is refused before it is decoded.
MAX_TOKEN_BYTES = 4096
SEXES = ("M", "F")
DOCUMENT_KINDS = ("passport", "resident_id", "travel_certificate", "alien_registration")
B64URL = re.compile(r"[A-Za-z0-9_-]*")
FIELDS = frozenset(
    {
        "v",
        "number",
        "name_ko",
        "name_latin",
        "sex",
        "birth_date",
        "document_kind",
        "document_number",
        "nationality",
        "valid_from",
        "valid_to",
        "multiple",
        "approvals",
        "key_id",
        "issued_at",
    }
)


@dataclass(frozen=True)
class CertificateFacts:
    """What a certificate says: the signed payload, read."""

    number: str
    name_ko: str
    name_latin: str
    sex: str  # "M" or "F"
    birth_date: date
    document_kind: str
    document_number: str
    nationality: str  # ISO 3166 alpha-2
    valid_from: date
    valid_to: date
    multiple: bool
    approvals: tuple[tuple[str, str], ...]  # (kind, application reference)
    key_id: str
    issued_at: datetime

    def payload(self) -> dict[str, Any]:
        return {
            "v": VERSION,
            "number": self.number,
            "name_ko": self.name_ko,
            "name_latin": self.name_latin,
            "sex": self.sex,
            "birth_date": self.birth_date.isoformat(),
            "document_kind": self.document_kind,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat(),
            "multiple": self.multiple,
            "approvals": [{"kind": k, "reference": r} for k, r in self.approvals],
            "key_id": self.key_id,
            "issued_at": format_time(self.issued_at),
        }

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to

    @property
    def masked_document_number(self) -> str:
        return mask_document_number(self.document_number)


def mask_document_number(number: str) -> str:
    """What a public page shows of a document number: its last three characters."""
    keep = 3 if len(number) > 4 else 1
    return "•" * (len(number) - keep) + number[-keep:]


@dataclass(frozen=True)
class Verdict:
    """What checking a token found. `genuine`: signed by a published key valid when it was
    issued, and unaltered. `valid_now`: genuine and today inside its validity. `revoked`: None
    where not known (offline), else whether the server has withdrawn it. `reasons`: why it is
    refused or not valid now, in Korean and English."""

    genuine: bool
    facts: CertificateFacts | None = None
    valid_now: bool = False
    revoked: bool | None = None
    reasons: tuple[Finding, ...] = field(default=())
    token: str = ""  # the token checked, once found genuine

    @property
    def ok(self) -> bool:
        """Genuine, valid today and not revoked (as far as known)."""
        return self.genuine and self.valid_now and self.revoked is not True

    def with_revocation(self, revoked: bool, reason: Finding | None = None) -> Verdict:
        reasons = self.reasons + ((reason,) if revoked and reason else ())
        return dataclasses.replace(self, revoked=revoked, reasons=reasons)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes | None:
    """The bytes of unpadded base64url, or None unless `text` is their one spelling."""
    if not B64URL.fullmatch(text) or len(text) % 4 == 1:
        return None
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    return data if _b64(data) == text else None


def sign_certificate(facts: CertificateFacts, private_key: Ed25519PrivateKey) -> str:
    """The token of `facts`, signed with `private_key` (whose id is `facts.key_id`)."""
    head = f"{PREFIX}.{_b64(canonical(facts.payload()))}"
    return f"{head}.{_b64(private_key.sign(head.encode('ascii')))}"


def _refused(code: str, ko: str, en: str, facts: CertificateFacts | None = None) -> Verdict:
    return Verdict(genuine=False, facts=facts, reasons=(Finding(code, ko=ko, en=en),))


def _malformed(why_en: str = "") -> Verdict:
    return _refused(
        "certificate_malformed",
        "증명서 코드의 형식이 올바르지 않습니다. 위조되었거나 손상된 것입니다.",
        "The certificate code is malformed: forged or damaged"
        + (f" ({why_en})." if why_en else "."),
    )


def _text(value: Any, limit: int, *, empty: bool = False) -> str:
    if not isinstance(value, str) or len(value) > limit or (not value and not empty):
        raise ValueError
    if any(c < " " or c == "\x7f" for c in value):
        raise ValueError
    return value


def _facts(payload: Mapping[str, Any]) -> CertificateFacts:
    """The facts of a payload; ValueError (or TypeError) if any field is not as written."""
    if set(payload) != FIELDS or payload["v"] != VERSION or isinstance(payload["v"], bool):
        raise ValueError
    if payload["sex"] not in SEXES or payload["document_kind"] not in DOCUMENT_KINDS:
        raise ValueError
    if not isinstance(payload["multiple"], bool) or not isinstance(payload["approvals"], list):
        raise ValueError
    nationality = _text(payload["nationality"], 2)
    if not re.fullmatch(r"[A-Z]{2}", nationality):
        raise ValueError
    approvals = []
    for item in payload["approvals"]:
        if not isinstance(item, dict) or set(item) != {"kind", "reference"}:
            raise ValueError
        approvals.append((_text(item["kind"], 20), _text(item["reference"], 40)))
    if not approvals or len(approvals) > 10:
        raise ValueError
    facts = CertificateFacts(
        number=_text(payload["number"], 40),
        name_ko=_text(payload["name_ko"], 100),
        name_latin=_text(payload["name_latin"], 100, empty=True),
        sex=payload["sex"],
        birth_date=date.fromisoformat(_text(payload["birth_date"], 10)),
        document_kind=payload["document_kind"],
        document_number=_text(payload["document_number"], 40),
        nationality=nationality,
        valid_from=date.fromisoformat(_text(payload["valid_from"], 10)),
        valid_to=date.fromisoformat(_text(payload["valid_to"], 10)),
        multiple=payload["multiple"],
        approvals=tuple(approvals),
        key_id=_text(payload["key_id"], 64),
        issued_at=parse_time(payload["issued_at"]),
    )
    if facts.valid_to < facts.valid_from:
        raise ValueError
    return facts


def verify_token(token: str, keys: Iterable[CertificateKey], today: date) -> Verdict:
    """Check a certificate token against the published `keys`, on `today`. Never raises for
    any input: a token that is not genuine is a refused `Verdict` with its reason."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_BYTES:
        return _refused(
            "certificate_too_long",
            f"증명서 코드가 너무 깁니다({MAX_TOKEN_BYTES:,}자 이내).",
            f"The certificate code is too long (at most {MAX_TOKEN_BYTES:,} characters).",
        )
    parts = token.strip().split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        return _malformed("not PV1.<payload>.<signature>")
    payload_bytes, signature = _unb64(parts[1]), _unb64(parts[2])
    if payload_bytes is None or signature is None or len(signature) != 64:
        return _malformed("not base64url")
    try:
        payload = json.loads(payload_bytes.decode("utf-8"))
        if not isinstance(payload, dict) or canonical(payload) != payload_bytes:
            return _malformed("payload not canonical JSON")
        facts = _facts(payload)
    except (UnicodeDecodeError, ValueError, TypeError, RecursionError):
        return _malformed("payload fields")
    key = next((k for k in keys if k.key_id == facts.key_id), None)
    if key is None:
        return _refused(
            "certificate_unknown_key",
            "증명서에 서명한 키를 알 수 없습니다. 공개된 키로 서명되지 않았습니다.",
            "The certificate was not signed by a published key (unknown key id).",
        )
    try:
        Ed25519PublicKey.from_public_bytes(key.public_key).verify(
            signature, f"{parts[0]}.{parts[1]}".encode("ascii")
        )
    except InvalidSignature:
        return _refused(
            "certificate_bad_signature",
            "서명이 맞지 않습니다. 증명서가 위조되었거나 변경되었습니다.",
            "The signature does not match: the certificate is forged or altered.",
        )
    if not key.valid_at(facts.issued_at):
        return _refused(
            "certificate_key_not_valid",
            "발급 시각에 유효하지 않은 키로 서명되었습니다.",
            "Signed with a key that was not valid at the time of issue.",
        )
    return _validity(facts, today, token.strip())


def _validity(facts: CertificateFacts, today: date, token: str) -> Verdict:
    if today < facts.valid_from:
        reason = Finding(
            "certificate_not_yet_valid",
            ko=f"아직 유효하지 않습니다({facts.valid_from.isoformat()}부터 유효).",
            en=f"Not yet valid (valid from {facts.valid_from.isoformat()}).",
        )
    elif today > facts.valid_to:
        reason = Finding(
            "certificate_expired",
            ko=f"유효기간이 지났습니다({facts.valid_to.isoformat()}까지 유효).",
            en=f"Expired (valid until {facts.valid_to.isoformat()}).",
        )
    else:
        return Verdict(genuine=True, facts=facts, valid_now=True, token=token)
    return Verdict(genuine=True, facts=facts, valid_now=False, reasons=(reason,), token=token)
