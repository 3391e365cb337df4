"""Spreadsheets: any header and rows written as CSV or xlsx read back as the same texts."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from panmun.common.spreadsheets.charsets import unreadable_line
from panmun.common.spreadsheets.reading import SpreadsheetError, read_table, rows_of
from panmun.common.spreadsheets.writing import write_csv_to, write_xlsx_to

HEADER = ("번호", "이름", "메모")
ROWS = [
    ("1", "김철수", "=1+2"),
    ("2", "", "  앞뒤 공백  "),
    ("3", "a_x0041_b", "줄\n바꿈\x01"),
]


def test_an_xlsx_of_any_header_reads_back_as_written() -> None:
    out = io.BytesIO()
    assert write_xlsx_to(out, HEADER, ROWS, sheet_name="확인표") == len(ROWS)
    book = load_workbook(io.BytesIO(out.getvalue()), read_only=True)
    assert book.sheetnames == ["확인표"]
    assert read_table(out.getvalue(), filename="t.xlsx") == [list(HEADER), *map(list, ROWS)]


def test_a_csv_of_any_header_reads_back_as_written_formulas_quoted() -> None:
    out = io.BytesIO()
    write_csv_to(out, HEADER, ROWS)
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"'=1+2" in data  # a spreadsheet would run it: quoted, and the quote read away
    assert read_table(data, filename="t.csv") == [list(HEADER), *map(list, ROWS)]


def test_a_cp949_csv_is_read_and_an_unreadable_one_named_by_its_line() -> None:
    text = "번호,이름\r\n1,김철수\r\n"
    assert read_table(text.encode("cp949"), filename="t.csv") == [["번호", "이름"], ["1", "김철수"]]
    with pytest.raises(SpreadsheetError) as refused:
        read_table(b"a,b\n1,2\n\xff\xfe\xff,3\n", filename="t.csv")
    [problem] = refused.value.problems
    assert (problem.code, problem.row) == ("registry_bad_encoding", 3)
    assert problem.en.endswith("(line 3 of the file)")
    assert unreadable_line(b"ok\n\xff\xff\xff") == 2
    assert unreadable_line("가".encode() + b"\n" + "나".encode("cp949")) == 0


def test_rows_past_the_bound_and_other_files_are_refused_by_name() -> None:
    data = b"h\n1\n2\n3\n"
    assert len(read_table(data, filename="t.csv", max_rows=3)) == 4
    with pytest.raises(SpreadsheetError) as refused:
        read_table(data, filename="t.csv", max_rows=2)
    assert [p.code for p in refused.value.problems] == ["registry_too_many_rows"]
    problems: list = []
    rows, total = rows_of(data, "t.txt", problems)
    assert (list(rows), total) == ([], 0)
    assert [p.code for p in problems] == ["registry_file_type"]
