"""Findings: a problem with a stable code, where it is, and messages in English and Korean.

Shared by the modules that check files a user or the other side hands over (the reunion
lottery's bundles, the liaison log's bundles), so that every checker reports alike.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Finding"]


@dataclass(frozen=True)
class Finding:
    """One problem: a stable `code`, messages in both languages, and where it is."""

    code: str
    message_en: str
    message_ko: str
    file: str = ""
    row: int | None = None
    field: str = ""

    def where(self) -> str:
        """`file row N field`, the parts that are known."""
        parts = [self.file] if self.file else []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(self.field)
        return " ".join(parts)

    def line(self) -> str:
        """One line for a terminal: where, then the English and the Korean message."""
        where = self.where()
        return f"{where + ': ' if where else ''}{self.message_en} / {self.message_ko}"
