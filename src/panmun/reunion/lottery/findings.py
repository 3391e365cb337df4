"""Findings and errors: a problem with a stable code, where it is, in Korean and English."""

from __future__ import annotations

from panmun.common.findings import Finding, FindingsError

__all__ = ["Finding", "LotteryError", "not_utf8"]


class LotteryError(FindingsError):
    """Input refused (a pool, criteria or seed given by a user): every problem found."""


def not_utf8(data: bytes, exc: UnicodeDecodeError, filename: str, prefix: str) -> Finding:
    """The finding of a file that is not UTF-8, at the line of its first bad byte."""
    return Finding(
        f"{prefix}_not_utf8",
        ko=f"파일이 올바른 UTF-8이 아닙니다({exc.start + 1}번째 바이트)",
        en=f"the file is not valid UTF-8 (byte {exc.start + 1})",
        file=filename,
        row=data.count(b"\n", 0, exc.start) + 1,
    )
