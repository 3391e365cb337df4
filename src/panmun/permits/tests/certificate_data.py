"""A certificate's facts, keys and tokens for the tests of the pure certificate modules."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from panmun.common.keyfiles import key_fingerprint, public_bytes

from ..certificate.keyring import CertificateKey, canonical
from ..certificate.token import CertificateFacts, sign_certificate

PRIVATE = Ed25519PrivateKey.from_private_bytes(b"\x11" * 32)
OTHER = Ed25519PrivateKey.from_private_bytes(b"\x22" * 32)
KEY = CertificateKey(
    key_fingerprint(public_bytes(PRIVATE)), public_bytes(PRIVATE), datetime(2026, 1, 1, tzinfo=UTC)
)
OTHER_KEY = CertificateKey(
    key_fingerprint(public_bytes(OTHER)), public_bytes(OTHER), datetime(2026, 1, 1, tzinfo=UTC)
)
FACTS = CertificateFacts(
    number="VC-2026-000123",
    name_ko="김철수",
    name_latin="KIM CHEOLSU",
    sex="M",
    birth_date=date(1950, 3, 1),
    document_kind="passport",
    document_number="M12345678",
    nationality="KR",
    valid_from=date(2026, 12, 1),
    valid_to=date(2027, 2, 28),
    multiple=True,
    approvals=(("visit", "EX-2026-ABCD1234"), ("vehicle", "EX-2026-ABCD1234")),
    key_id=KEY.key_id,
    issued_at=datetime(2026, 11, 20, 1, 2, 3, tzinfo=UTC),
)
TOKEN = sign_certificate(FACTS, PRIVATE)
DAY = date(2026, 12, 10)  # inside the validity


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def payload_of(token: str) -> dict:
    return json.loads(unb64(token.split(".")[1]))


def with_payload(token: str, payload: dict, raw: bytes | None = None) -> str:
    """The token with another payload but its own signature (an altered certificate)."""
    prefix, _, signature = token.split(".")
    return f"{prefix}.{b64(raw if raw is not None else canonical(payload))}.{signature}"


def signed(payload: dict | bytes, private: Ed25519PrivateKey = PRIVATE) -> str:
    """A token of any payload, properly signed (a well-signed but malformed certificate)."""
    raw = payload if isinstance(payload, bytes) else canonical(payload)
    head = f"PV1.{b64(raw)}"
    return f"{head}.{b64(private.sign(head.encode()))}"
