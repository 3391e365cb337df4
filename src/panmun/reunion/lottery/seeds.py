"""Seeds and hashes: the 32-byte seed, SHA-256, and the UTC times and JSON bytes of the files."""

from __future__ import annotations

import hashlib
import json
import secrets
import unicodedata
from datetime import UTC, datetime
from typing import Any

from .findings import Finding, LotteryError
from .scheme import _HEX64, _RFC3339, SEED_FILE


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def new_seed() -> bytes:
    """A fresh secret seed of 32 random bytes."""
    return secrets.token_bytes(32)


def seed_from_hex(text: str, *, filename: str = SEED_FILE) -> bytes:
    """The seed written as 64 hex characters (either case; whitespace around is ignored)."""
    value = text.strip().lower()
    if not _HEX64.fullmatch(value):
        raise LotteryError(
            [
                Finding(
                    "seed_invalid",
                    ko=f"시드는 16진수 64자(32바이트)여야 합니다. 지금은 {len(value)}자입니다",
                    en=f"the seed must be 64 hexadecimal characters (32 bytes); found "
                    f"{len(value)} character(s)",
                    file=filename,
                )
            ]
        )
    return bytes.fromhex(value)


def seed_from_public_text(text: str) -> bytes:
    """The seed derived from a public text: SHA-256 of its NFC form, stripped, in UTF-8."""
    normal = unicodedata.normalize("NFC", text).strip()
    if not normal:
        raise LotteryError(
            [
                Finding(
                    "seed_text_empty",
                    ko="시드를 만들 공개 문구가 비어 있습니다",
                    en="the public text for the seed is empty",
                    file="seed",
                )
            ]
        )
    return hashlib.sha256(normal.encode("utf-8")).digest()


def _check_seed(seed: bytes) -> None:
    if not isinstance(seed, bytes) or len(seed) != 32:
        raise LotteryError(
            [
                Finding(
                    "seed_invalid",
                    ko="시드는 정확히 32바이트여야 합니다",
                    en="the seed must be exactly 32 bytes",
                    file="seed",
                )
            ]
        )


def rfc3339(moment: datetime) -> str:
    """`2026-11-23T09:00:00Z`: a timezone-aware moment in UTC (fraction only when present)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is required")
    utc = moment.astimezone(UTC)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        text += f".{utc.microsecond:06d}".rstrip("0")
    return text + "Z"


def _utc_seconds(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is required")
    return moment.astimezone(UTC).replace(microsecond=0)


def _parse_rfc3339(value: str) -> datetime | None:
    match = _RFC3339.fullmatch(value)
    if match is None:
        return None
    y, mo, d, h, mi, s, frac = match.groups()
    try:
        return datetime(
            int(y),
            int(mo),
            int(d),
            int(h),
            int(mi),
            int(s),
            int((frac or "0").ljust(6, "0")),
            tzinfo=UTC,
        )
    except ValueError:
        return None


def _json_bytes(document: Any) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode()
