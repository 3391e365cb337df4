"""The roster file read and checked with no database: headers in either orthography, every bad
row named by file, row and column, and the name keys that find a name in either spelling."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from panmun.common.findings import Finding

from .. import roster
from ..roster import name_key, name_query, read_roster
from .roster_files import BAD, GOOD, csv, xlsx

TODAY = dt.date(2026, 12, 7)


def read(data: bytes, file: str = "명단.xlsx") -> tuple[list[roster.RosterRow], list[Finding]]:
    found: list[Finding] = []
    return read_roster(data, file=file, today=TODAY, found=found), found


def where(found: list[Finding]) -> list[tuple[object, str]]:
    return [(f.row, f.field) for f in found]


def test_a_north_roster_reads_as_written():
    rows, found = read(xlsx(GOOD))
    assert found == []
    assert [r.number for r in rows] == ["1001", "1002", "1003"]
    first = rows[0]
    assert (first.row, first.name, first.sex, first.birth_year, first.job) == (
        2, "리영철", "M", 1975, "재봉공"
    )  # fmt: skip
    assert first.hired_on == dt.date(2010, 3, 2) and first.left_on is None
    assert (rows[1].sex, rows[2].left_on) == ("F", dt.date(2015, 6, 30))


def test_the_souths_header_and_csv_read_the_same():
    header = ("근로자번호", "이름", "성별", "생년", "직무", "입사일", "퇴직일")
    rows, found = read(csv(GOOD, header), "roster.csv")
    assert found == []
    assert [(r.number, r.name, r.hired_on) for r in rows] == [
        (r.number, r.name, r.hired_on) for r in read(xlsx(GOOD))[0]
    ]


def test_a_title_row_above_the_header_is_skipped_and_dates_in_korean_read():
    data = csv(
        [
            ["로동자번호", "성명", "성별", "출생년도", "채용날자", "기본로임"],
            ["7", "류명길", "남자", "1970년", "2008년 4월 1일", "80.5"],
            ["8", "리순녀", "여", "1981-06-02", "2009.5.3.", ""],
        ],
        header=("개성 시험섬유 로동자명단 2015년 7월",),
    )
    rows, found = read(data, "r.csv")
    assert found == []
    assert [(r.row, r.birth_year, r.hired_on, r.base_wage_usd) for r in rows] == [
        (3, 1970, dt.date(2008, 4, 1), Decimal("80.500")),
        (4, 1981, dt.date(2009, 5, 3), None),
    ]


def test_every_bad_row_is_named_by_row_and_field():
    rows, found = read(xlsx(BAD))
    first = roster.RosterRow(
        2, "1001", "리영철", "M", 1975, "재봉공", dt.date(2010, 3, 2), None, None
    )
    assert rows == [first]
    assert where(found) == [(3, "name"), (3, "sex"), (4, "number"), (5, "hired_on")]
    assert all(f.file == "명단.xlsx" for f in found)
    assert found[2].en == "worker number 1001 is also on row 2"
    assert found[2].ko == "2행에도 같은 근로자 번호가 있습니다: 1001"
    assert found[3].en == "hired on: there is no such date: 2015-02-30"
    assert "없는 날짜" in found[3].ko


def test_impossible_and_implausible_facts():
    rows, found = read(
        xlsx(
            [
                ["1", "김영", "남", "1934", "", "1934-13-45", ""],
                ["2", "김영", "남", "1934", "", "2010-01-01", ""],
                ["3", "김영", "남", "2000", "", "2010-01-01", ""],
                ["4", "김영", "남", "1980", "", "2027-01-01", ""],
                ["5", "김영", "남", "1980", "", "2010-01-01", "2009-12-31"],
                ["6", "김영", "남", "1980", "", "2003-12-31", ""],
                ["7", "김영", "남", "1980", "", "2010-01-01", "2027-01-01"],
                ["8", "김영", "남", "엽", "", "어제", ""],
            ]
        )
    )
    assert rows == []
    assert where(found) == [
        (2, "hired_on"),
        (3, "birth_year"),
        (4, "birth_year"),
        (5, "hired_on"),
        (6, "left_on"),
        (7, "hired_on"),
        (8, "left_on"),
        (9, "birth_year"),
        (9, "hired_on"),
    ]
    assert found[0].en == "hired on: there is no such date: 1934-13-45"
    assert found[7].en == "not a birth year (e.g. 1975): '엽'"
    assert (
        found[1].en == "birth year 1934: a worker hired in 2010 is 16 to 65 years old (this one 76)"
    )
    assert found[5].en.startswith("the hiring date is before 2004")


def test_missing_columns_and_bounds():
    rows, found = read(csv([["1", "김영"]], header=("번호", "성명", "직종")), "r.csv")
    assert [(f.row, f.field) for f in found] == [(1, "sex"), (1, "birth_year"), (1, "hired_on")]
    too_big = b"x" * (roster.MAX_FILE_BYTES + 1)
    rows, found = read(too_big, "r.csv")
    assert [f.code for f in found] == ["complex_roster_too_large"]
    many = [
        [str(n), "김영", "남", "1980", "", "2010-01-01", ""] for n in range(roster.MAX_ROWS + 1)
    ]
    rows, found = read(csv(many), "r.csv")
    assert [f.code for f in found] == ["registry_too_many_rows"] and rows == []
    rows, found = read(b"hello", "r.txt")
    assert [f.code for f in found] == ["registry_file_type"]
    rows, found = read(csv([]), "r.csv")
    assert [f.code for f in found] == ["complex_roster_empty"]


def test_name_keys_are_the_same_in_either_orthography():
    assert name_key("리영철") == name_key("이영철") == name_key("Ri Yong Chol") == "I YONGJOL"
    assert name_key("림로동") == name_key("임노동")
    assert name_key("류명길") == name_key("유명길")
    assert name_key("김영") != name_key("박영")
    query = name_query("이영철")
    assert query.whole == (name_key("리영철"),)
    assert name_query("리").surname == ("I",)
    assert name_query("영철").given == ("YONGJOL",)
    assert name_query("").whole == ()


def test_the_export_rows_read_back():
    rows = list(
        roster.export_rows(
            [("1", "리영철", "M", 1975, "재봉공", dt.date(2010, 3, 2), None, Decimal("80.500"))]
        )
    )
    assert rows == [["1", "리영철", "남", "1975", "재봉공", "2010-03-02", "", "80.500"]]
    back, found = read(xlsx(rows, roster.EXPORT_HEADER))
    assert found == [] and back[0].base_wage_usd == Decimal("80.500")
