"""Findings: a problem with a stable code, where it is, and messages in Korean and English.

The one vocabulary for a problem in a file or a request: every checker of a file a user or the
other side hands over (registry files, PFIF, linkage records, the dialogue record, the reunion
lottery's and the liaison log's bundles) reports `Finding`s, and refuses with a `FindingsError`.
Pure Python, no Django: the Django-free modules (linkage, the liaison log's checkers) use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import KW_ONLY, dataclass
from typing import Any

__all__ = ["Finding", "FindingsError"]


@dataclass(frozen=True)
class Finding:
    """One problem: a stable `code`, then (by keyword only, so the languages cannot be swapped)
    its message in Korean and English and where it is: the file, the row (a number, or a
    "line N" of a document), the field."""

    code: str
    _: KW_ONLY
    ko: str
    en: str
    file: str = ""
    row: int | str | None = None
    field: str = ""

    def where(self) -> str:
        """`file row N field`, the parts that are known."""
        parts = [self.file] if self.file else []
        if isinstance(self.row, str):
            parts.append(self.row)
        elif self.row:  # rows count from 1; 0 is the file as a whole
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(self.field)
        return " ".join(parts)

    def line(self) -> str:
        """One line for a terminal: where, then the English and the Korean message."""
        where = self.where()
        return f"{where + ': ' if where else ''}{self.en} / {self.ko}"

    def as_detail(self) -> dict[str, Any]:
        """The problem as a refusal's body lists it under ``details.errors``: the file and the
        row where known, the field, and the reason in both languages (the keys pages and
        clients read)."""
        detail: dict[str, Any] = {"file": self.file} if self.file else {}
        if self.row is not None:
            detail["row"] = self.row
        detail |= {"field": self.field, "reason_ko": self.ko, "reason_en": self.en}
        return detail


class FindingsError(ValueError):
    """Input refused with every problem found in it; the message lists the first `shown`."""

    shown = 20

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.problems: list[Finding] = list(findings)
        lines = [problem.line() for problem in self.problems[: self.shown]]
        more = len(self.problems) - self.shown
        if more > 0:
            lines.append(f"… and {more} more problems / 문제 {more}개 더")
        super().__init__("\n".join(lines))
