"""Cells a spreadsheet would run as formulas are written as text (OWASP's CSV injection)."""

from __future__ import annotations

import csv
import io

import pytest

from panmun.common import csvcells

HOSTILE = [
    "=cmd|' /C calc'!A0",
    '+HYPERLINK("http://x","y")',
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "+82 2 123 4567",
    "-",
    "'=already quoted",
    "''@twice",
]
HARMLESS = ["", "김순자", "1950", "-12", "-3.5", "0", "a=b", " =not first", "'quoted text", "#N/A"]


def _written(rows: list[list[object]]) -> list[list[str]]:
    out = io.StringIO(newline="")
    csvcells.writer(out).writerows(rows)
    return list(csv.reader(io.StringIO(out.getvalue(), newline="")))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_formula_gets_a_quote_before_it_and_comes_back(text: str) -> None:
    [[cell]] = _written([[text]])
    assert cell == "'" + text
    assert csvcells.restore(cell) == text


@pytest.mark.parametrize("text", HARMLESS)
def test_other_cells_are_written_as_they_are(text: str) -> None:
    [[cell]] = _written([[text]])
    assert cell == text
    assert csvcells.restore(cell) == text


def test_numbers_stay_numbers_and_writerow_is_neutral_too() -> None:
    out = io.StringIO(newline="")
    writer = csvcells.writer(out, lineterminator="\n")
    writer.writerow(["=1", -5, 2.5, None])
    assert out.getvalue() == "'=1,-5,2.5,\n"


def test_the_text_writer_neutralises_rows_of_texts() -> None:
    out = io.StringIO(newline="")
    writer = csvcells.text_writer(out, lineterminator="\n")
    writer.writerow(("a", "=b"))
    writer.writerows([("c", "d"), ("@e", "-1")])
    assert out.getvalue() == "a,'=b\nc,d\n'@e,-1\n"
