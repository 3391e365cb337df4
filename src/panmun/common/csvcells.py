"""CSV files that a spreadsheet opens as data, never as formulas (CSV injection).

A spreadsheet reads a cell that begins with `=`, `+`, `-` or `@` as a formula (`=cmd|' /C
calc'!A0`, `+HYPERLINK(…)`, `-2+3+cmd|…`, `@SUM(…)`), and a tab or carriage return before one
as the same. As OWASP recommends, every CSV Panmun writes puts a single quote before such a
cell: the spreadsheet shows the text as typed, with the quote. Two choices, said once here:

- A plain number (`-12`, `-3.5`) is left as it is: it is no formula, and a figure column of a
  report must stay a number. Anything else that begins so is quoted, phone numbers such as
  `+82 2 123 4567` included.
- A cell that already begins with quotes followed by one of those characters (`'=x`) gets one
  more, so that `restore` (which takes one quote away where `neutral` put one) gives back the
  text exactly as it was: Panmun's own files (the registry export) read back unchanged.

`writer` is `csv.writer` with every cell so neutralised (the package `defusedcsv` does not fit:
it leaves tab and carriage return alone, rewrites `|` as `\\|` and quotes `%`, so its files do
not read back as they were written). Pure Python, no Django.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import Any

# What a spreadsheet takes for the start of a formula.
FORMULA_START = frozenset("=+-@\t\r")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _needs_quote(text: str) -> bool:
    first = text[0]
    if first == "'":
        return text.lstrip("'")[:1] in FORMULA_START
    if first == "-" and _NUMBER.fullmatch(text):
        return False
    return first in FORMULA_START


def neutral(value: Any) -> Any:
    """A cell's value as written: text that a spreadsheet would take for a formula with a quote
    before it; anything else (numbers, None, other text) as it is."""
    if isinstance(value, str) and value and _needs_quote(value):
        return "'" + value
    return value


def neutral_row(row: Sequence[str]) -> Sequence[str]:
    """A row of texts, neutralised; the row itself where no cell needs it (the usual case, and
    the fast one: one test of each cell's first character)."""
    for cell in row:
        if cell and (cell[0] in FORMULA_START or cell[0] == "'"):
            return [neutral(cell) for cell in row]
    return row


def restore(text: str) -> str:
    """A cell of a CSV file as it was before `neutral`: one quote taken away where `neutral`
    puts one (a quote followed, after any further quotes, by a formula's first character)."""
    if text[:1] == "'" and text.lstrip("'")[:1] in FORMULA_START:
        return text[1:]
    return text


def restore_row(row: list[str]) -> list[str]:
    for index, cell in enumerate(row):
        if cell[:1] == "'":
            row[index] = restore(cell)
    return row


class _Writer:
    """`csv.writer`'s writer, every cell neutralised."""

    def __init__(self, base: Any) -> None:
        self._base = base
        self.dialect = base.dialect

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._base.writerow([neutral(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        self._base.writerows([neutral(cell) for cell in row] for row in rows)


def writer(out: Any, dialect: str = "excel", **options: Any) -> Any:
    """`csv.writer(out, …)` that writes no cell a spreadsheet would run as a formula."""
    return _Writer(csv.writer(out, dialect, **options))


def text_writer(out: Any, **options: Any) -> Any:
    """A writer for rows of texts alone (the registry export: hundreds of thousands of rows),
    checking each cell's first character only."""
    base = csv.writer(out, **options)

    class _Texts:
        dialect = base.dialect

        @staticmethod
        def writerow(row: Sequence[str]) -> Any:
            return base.writerow(neutral_row(row))

        @staticmethod
        def writerows(rows: Iterable[Sequence[str]]) -> None:
            base.writerows(map(neutral_row, rows))

    return _Texts()


__all__ = ["FORMULA_START", "neutral", "neutral_row", "restore", "restore_row", "writer"]
