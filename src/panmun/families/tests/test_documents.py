"""The request list (xlsx, PDF) and the reply form of a tracing round: no database."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from datetime import date

import pytest
from openpyxl import load_workbook

from panmun.families import documents
from panmun.families.documents import (
    REPLY_COLUMNS,
    RequestLine,
    RoundHeader,
    north_line,
    reply_template_xlsx,
    request_list_pdf,
    request_list_xlsx,
)

HEADER = RoundHeader(
    name="제3차 생사확인", target_size=500, created_on=date(2025, 3, 1), reply_due=date(2025, 4, 1)
)

KOREAN_HEADERS = (
    "의뢰번호",
    "성",
    "이름",
    "성별(남/여)",
    "생년월일",
    "양력/음력",
    "본적·고향",
    "부 성명",
    "관계",
    "신청자",
    "이산 시기",
    "마지막 소재지",
)


def _line(request_id: str = "T003-0001", **changes: str) -> RequestLine:
    values = {
        "request_id": request_id,
        "family_name": "이",
        "given_name": "영수",
        "sex": "M",
        "birth_date": "1935-03-02",
        "birth_calendar": "lunar",
        "hometown": "함경남도 혜산",
        "father_name": "이철호",
        "relation": "sibling",
        "applicant_name": "이순자",
        "separated_on": "1950",
        "last_known_place": "성진",
    }
    values.update(changes)
    return RequestLine(**values)


LINES = [
    _line(),
    _line(
        "T003-0002",
        family_name="유",
        given_name="정희",
        sex="F",
        birth_date="1940",
        birth_calendar="solar",
        hometown="서울",
        father_name="유만식",
        relation="parent",
        applicant_name="김명수",
        separated_on="",
        last_known_place="",
    ),
]


def _rows(data: bytes, sheet: str | None = None) -> list[tuple[object, ...]]:
    book = load_workbook(io.BytesIO(data))
    ws = book[sheet] if sheet else book.worksheets[0]
    return list(ws.iter_rows(values_only=True))


def _page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


# --- north_line ------------------------------------------------------------------------------


def test_north_line_converts_unambiguous_surnames_and_adds_todays_places() -> None:
    north = north_line(_line())
    assert north.family_name == "리"
    assert north.given_name == "영수"
    assert north.father_name == "리철호"
    assert north.applicant_name == "리순자"
    assert north.hometown == "함경남도 혜산 (량강도 혜산시)"
    assert north.last_known_place == "성진 (함경북도 김책시)"
    assert north.request_id == "T003-0001"
    assert north.birth_date == "1935-03-02"


@pytest.mark.parametrize(
    ("south", "north"),
    [
        ("이", "리"),
        ("노", "로"),
        ("나", "라"),
        ("김", "김"),
        ("유", "유"),
        ("임", "임"),
        ("양", "양"),
    ],
)
def test_north_surname_only_where_the_table_allows_one_reading(south: str, north: str) -> None:
    # 유 is 柳/劉 (류) or 兪 (유), 임 林 (림) or 任 (임), 양 梁 (량) or 楊 (양): left as written.
    assert north_line(_line(family_name=south)).family_name == north


def test_north_line_keeps_given_names_and_what_it_cannot_read() -> None:
    north = north_line(
        _line(
            given_name="이순",
            father_name="이 철호",
            applicant_name="Kim Chul-soo",
            hometown="서울",
            last_known_place="",
        )
    )
    assert north.given_name == "이순"  # no hanja: 이 may not have been 리
    assert north.father_name == "리 철호"
    assert north.applicant_name == "Kim Chul-soo"
    assert north.hometown == "서울"  # not in the North's gazetteer
    assert north.last_known_place == ""


def test_north_line_lists_every_successor_and_skips_todays_own_name() -> None:
    assert north_line(_line(hometown="황해도")).hometown == "황해도 (황해남도, 황해북도)"
    assert north_line(_line(hometown="평북 영변")).hometown == "평북 영변 (평안북도 녕변군)"
    assert north_line(_line(hometown="평양")).hometown == "평양"
    assert north_line(_line(hometown="량강도 혜산시")).hometown == "량강도 혜산시"


# --- the request list as xlsx ----------------------------------------------------------------


def test_request_list_xlsx_header_and_values() -> None:
    data = request_list_xlsx(HEADER, LINES)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["의뢰명단"]
    sheet = book["의뢰명단"]
    assert sheet.freeze_panes == "A3"
    rows = list(sheet.iter_rows(values_only=True))
    title = str(rows[0][0])
    assert "제3차 생사확인" in title and "500명" in title and "2025년 4월 1일" in title
    assert rows[1] == KOREAN_HEADERS
    assert rows[2] == (
        "T003-0001",
        "이",
        "영수",
        "남",
        "1935-03-02",
        "음력",
        "함경남도 혜산",
        "이철호",
        "형제자매",
        "이순자",
        "1950",
        "성진",
    )
    assert rows[3][:6] == ("T003-0002", "유", "정희", "여", "1940", "양력")
    assert rows[3][8] == "부모"
    assert rows[3][10] is None
    assert len(rows) == 4
    assert all(sheet.column_dimensions[c].width >= 6 for c in "ABCDEFGHIJKL")


def test_request_list_xlsx_in_the_norths_orthography() -> None:
    rows = _rows(request_list_xlsx(HEADER, LINES, north=True))
    column = {name: i for i, name in enumerate(KOREAN_HEADERS)}
    first, second = rows[2], rows[3]
    assert first[column["성"]] == "리"
    assert first[column["이름"]] == "영수"
    assert first[column["부 성명"]] == "리철호"
    assert first[column["본적·고향"]] == "함경남도 혜산 (량강도 혜산시)"
    assert "김책시" in str(first[column["마지막 소재지"]])
    assert second[column["성"]] == "유"  # ambiguous: kept
    assert second[column["부 성명"]] == "유만식"
    assert second[column["본적·고향"]] == "서울"
    assert "북측 표기" in str(rows[0][0])


def test_request_list_xlsx_keeps_formulas_as_text() -> None:
    data = request_list_xlsx(HEADER, [_line(applicant_name="=HYPERLINK(1)")])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet["J3"].value == "=HYPERLINK(1)"
    assert sheet["J3"].data_type == "s"


def test_request_list_xlsx_with_no_lines() -> None:
    rows = _rows(request_list_xlsx(HEADER, []))
    assert rows[1] == KOREAN_HEADERS
    assert len(rows) == 2


# --- the request list as PDF -----------------------------------------------------------------


def test_request_list_pdf_embeds_the_hangul_font() -> None:
    pdf = request_list_pdf(HEADER, LINES, north=True)
    assert pdf.startswith(b"%PDF")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert documents.FONT_FAMILY.encode() in pdf
    assert b"/FontFile3" in pdf  # the CFF outlines are in the file, not referred to
    assert _page_count(pdf) == 1


def test_request_list_pdf_of_500_lines() -> None:
    lines = [_line(f"T003-{i:04d}") for i in range(1, 501)]
    pdf = request_list_pdf(HEADER, lines, north=True)
    assert pdf.startswith(b"%PDF")
    # One text line per row: 26 rows under the title on page 1, then 29 a page under the
    # repeated header row; 26 + 16 × 29 = 490 < 500 ≤ 26 + 17 × 29, so 18 pages.
    assert _page_count(pdf) == 18  # its time is measured in benchmarks/, not asserted here


def test_request_list_pdf_with_no_lines() -> None:
    pdf = request_list_pdf(HEADER, [])
    assert pdf.startswith(b"%PDF")
    assert _page_count(pdf) == 1


def test_the_font_is_bundled_in_a_package() -> None:
    path = documents.font_path()
    assert path.is_file()
    assert "site-packages" in path.parts or "pylopdf_fonts_ko" in path.parts


# --- the reply form --------------------------------------------------------------------------


def test_reply_columns() -> None:
    assert REPLY_COLUMNS == (
        "request_id",
        "result",
        "vital_status",
        "death_date",
        "family_name",
        "given_name",
        "name_latin",
        "sex",
        "birth_date",
        "birth_calendar",
        "birthplace",
        "father_name",
        "address",
        "relatives",
    )


def test_reply_template_header_ids_and_guide() -> None:
    data = reply_template_xlsx(HEADER, LINES)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames[1] == "안내"
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == REPLY_COLUMNS
    assert [r[0] for r in rows[1:]] == ["T003-0001", "T003-0002"]
    assert all(v is None for r in rows[1:] for v in r[1:])
    guide = list(book["안내"].iter_rows(values_only=True))
    explained = [r[0] for r in guide if r[0] in REPLY_COLUMNS]
    assert explained == list(REPLY_COLUMNS)
    assert all(r[1] and r[2] for r in guide if r[0] in REPLY_COLUMNS)  # Korean and English
    assert any("제3차 생사확인" in str(r[0]) for r in guide)


def test_reply_template_matches_the_reply_import() -> None:
    from panmun.families.services import tracing

    assert tuple(tracing.REPLY_COLUMNS) == REPLY_COLUMNS


def test_documents_import_no_django() -> None:
    code = (
        "import sys, panmun.families.documents; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
