"""Findings and errors: a problem with a stable code, where it is, in English and Korean."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeAlias

from panmun.common.findings import Finding

__all__ = ["Finding", "LotteryError", "Problem", "not_utf8"]


#: A problem of a user's file, as `LotteryError` carries it: the same shape as a finding.
Problem: TypeAlias = Finding


class LotteryError(ValueError):
    """Input refused (a pool, criteria or seed given by a user): every problem found."""

    def __init__(self, problems: Iterable[Finding]) -> None:
        self.problems: tuple[Finding, ...] = tuple(problems)
        shown = "; ".join(p.line() for p in self.problems[:5])
        more = len(self.problems) - 5
        super().__init__(shown + (f"; and {more} more" if more > 0 else ""))


def _problem(
    code: str, en: str, ko: str, file: str, row: int | None = None, fld: str = ""
) -> Finding:
    return Finding(code=code, message_en=en, message_ko=ko, file=file, row=row, field=fld)


def not_utf8(data: bytes, exc: UnicodeDecodeError, filename: str, prefix: str) -> Finding:
    """The finding of a file that is not UTF-8, at the line of its first bad byte."""
    return _problem(
        f"{prefix}_not_utf8",
        f"the file is not valid UTF-8 (byte {exc.start + 1})",
        f"파일이 올바른 UTF-8이 아닙니다({exc.start + 1}번째 바이트)",
        filename,
        data.count(b"\n", 0, exc.start) + 1,
    )
