"""A people list read whole: xlsx or CSV (UTF-8, UTF-8 with BOM, CP949), headers in Korean or
English, every bad row named by file, row and field, nothing given back while any is wrong."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook

from ..people_file import PeopleFileError, read_people

TODAY = date(2026, 12, 6)
ENGLISH = ["name_ko", "name_latin", "sex", "birth_date", "document_kind", "document_number",
           "nationality", "phone", "email"]  # fmt: skip
KOREAN = ["이름", "영문 이름", "성별", "생년월일", "신분증 종류", "신분증 번호", "국적", "전화",
          "전자우편"]  # fmt: skip
KIM = ["김철수", "Kim Cheol-su", "남", "1950.3.1", "여권", "M12345678", "대한민국",
       "010-1234-5678", "kim@example.org"]  # fmt: skip
LEE = ["이영희", "", "여", "1962-07-15", "주민등록번호", "620715-2345678", "KR", "", ""]
PARK = ["박민수", "", "M", "1978-11-30", "passport", "M123A4567", "KOR", "", ""]


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    text = io.StringIO(newline="")
    csv.writer(text).writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _refused(data: bytes, name: str = "people.csv") -> list[tuple[object, str, str]]:
    with pytest.raises(PeopleFileError) as caught:
        read_people(data, file_name=name, today=TODAY)
    assert all(p.file == name for p in caught.value.problems)
    return [(p.row, p.field, p.code) for p in caught.value.problems]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_csv_in_each_encoding_with_korean_headers(encoding):
    people = read_people(
        csv_bytes([KOREAN, KIM, LEE, PARK], encoding), file_name="명단.csv", today=TODAY
    )
    assert [(p.row, p.person.name_ko) for p in people] == [
        (2, "김철수"),
        (3, "이영희"),
        (4, "박민수"),
    ]
    kim = people[0].person
    assert (kim.sex, kim.birth_date, kim.document_kind, kim.nationality, kim.phone) == (
        "M",
        date(1950, 3, 1),
        "passport",
        "KR",
        "01012345678",
    )
    assert people[1].person.document_number == "6207152345678"


def test_xlsx_with_english_headers_and_date_cells():
    rows: list[list[object]] = [
        ENGLISH,
        [*KIM[:3], date(1950, 3, 1), *KIM[4:]],
        [],  # an empty row between people is passed over
        PARK,
    ]
    people = read_people(xlsx_bytes(rows), file_name="people.xlsx", today=TODAY)
    assert [(p.row, p.person.birth_date) for p in people] == [
        (2, date(1950, 3, 1)),
        (4, date(1978, 11, 30)),
    ]


def test_columns_in_any_order_and_spelling():
    header = ["Document Number", "NAME-KO", "성별", "생년월일", "신분증종류"]
    people = read_people(
        csv_bytes([header, ["M12345678", "김철수", "M", "1950-03-01", "passport"]]),
        file_name="a.csv",
        today=TODAY,
    )
    assert people[0].person.nationality == "KR"  # the column may be left out


def test_one_bad_row_among_good_ones_names_it_and_gives_nothing():
    bad = [*LEE[:3], "1962-07-16", *LEE[4:]]  # the RRN disagrees with the birth date
    assert _refused(csv_bytes([KOREAN, KIM, bad, PARK])) == [
        (3, "document_number", "permits_people_invalid")
    ]


def test_every_bad_row_and_field_is_named():
    rows = [
        KOREAN,
        KIM,
        ["", "", "X", "", "여권", "A1", "KR", "", ""],
        [*PARK[:5], "M1234", *PARK[6:]],
    ]
    assert _refused(csv_bytes(rows)) == [
        (3, "name_ko", "permits_people_invalid"),
        (3, "sex", "permits_people_invalid"),
        (3, "birth_date", "permits_people_invalid"),
        (3, "document_number", "permits_people_invalid"),
        (4, "document_number", "permits_people_invalid"),
    ]


def test_a_document_number_twice_names_both_rows():
    again = ["김철호", "", "M", "1951-01-01", "passport", "m1234-5678", "KR", "", ""]
    assert _refused(csv_bytes([KOREAN, KIM, LEE, again])) == [
        (2, "document_number", "permits_people_duplicate"),
        (4, "document_number", "permits_people_duplicate"),
    ]


def test_missing_unknown_and_repeated_columns():
    rows = [["이름", "name_ko", "비고", "sex"], ["김철수", "김철수", "", "M"]]
    problems = _refused(csv_bytes(rows))
    assert problems == [
        (1, "name_ko", "permits_people_invalid"),  # twice
        (1, "비고", "permits_people_invalid"),  # unknown
        (1, "birth_date", "permits_people_invalid"),
        (1, "document_kind", "permits_people_invalid"),
        (1, "document_number", "permits_people_invalid"),
    ]


def test_a_header_alone_names_nobody():
    assert _refused(csv_bytes([KOREAN])) == [(0, "", "permits_people_none")]


def test_not_a_spreadsheet():
    assert _refused(b"name_ko\n", "people.txt") == [(0, "", "registry_file_type")]
    assert _refused(b"\xff\xfe\x00garbage\xff\n") == [(1, "", "registry_bad_encoding")]


def _many(count: int) -> list[list[str]]:
    return [
        ["김철수", "", "M", "1950-03-01", "travel_certificate", f"TC{n:06d}", "KR", "", ""]
        for n in range(count)
    ]


def test_at_most_5000_people():
    assert len(read_people(csv_bytes([KOREAN, *_many(5_000)]), file_name="a.csv", today=TODAY)) == (
        5_000
    )
    assert _refused(csv_bytes([KOREAN, *_many(5_001)])) == [(0, "", "registry_too_many_rows")]


def test_at_most_5_megabytes():
    data = csv_bytes([KOREAN, KIM])
    padded = data + b"\n" * (5 * 1024 * 1024 + 1 - len(data))
    assert _refused(padded) == [(0, "", "permits_people_file_too_large")]
    assert len(read_people(padded[:-1], file_name="people.csv", today=TODAY)) == 1
