"""The registry file: read and checked whole, every problem named, written back unchanged."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from panmun.common.findings import Finding
from panmun.common.spreadsheets.reading import SheetReader
from panmun.common.spreadsheets.writing import XLSX_MAX_ROWS, XlsxTooLarge
from panmun.families.registry_file.checker import RegistryFileError, read_registry
from panmun.families.registry_file.columns import (
    COLUMNS,
    KOREAN_HEADERS,
    ApplicantData,
    RelativeData,
)
from panmun.families.registry_file.writer import registry_rows, write_csv, write_xlsx

# ---- helpers ----------------------------------------------------------------------------------


def table(
    rows: list[dict[str, str]], *, korean: bool = True, columns: tuple[str, ...] = COLUMNS
) -> str:
    """A CSV text: the header (Korean or English names), then one line per row dict."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([KOREAN_HEADERS[c] if korean else c for c in columns])
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue()


def read_csv(
    rows: list[dict[str, str]], progress: Callable[[int, int], None] | None = None
) -> list[ApplicantData]:
    return read_registry(table(rows).encode("utf-8"), filename="registry.csv", progress=progress)


def problems_of(data: bytes, filename: str = "registry.csv") -> list[Finding]:
    with pytest.raises(RegistryFileError) as caught:
        read_registry(data, filename=filename)
    return caught.value.problems


def csv_problems(rows: list[dict[str, str]]) -> list[Finding]:
    return problems_of(table(rows).encode("utf-8"))


def where(problems: list[Finding]) -> list[tuple[int, str]]:
    return [(p.row, p.field) for p in problems]


KIM = {
    "registry_no": "A-1",
    "applicant_family_name": "김",
    "applicant_given_name": "철수",
    "applicant_name_latin": "Kim Chul-su",
    "applicant_sex": "남",
    "applicant_birth_date": "1940-03-05",
    "applicant_birth_calendar": "양력",
    "address": "서울특별시 종로구",
    "phone": "010-1234-5678",
    "email": "kim@example.kr",
    "abroad": "아니오",
    "applicant_status": "생존",
    "registered_on": "2020-01-02",
    "consent_share": "예",
    "consent_on": "2020.01.02",
    "applicant_notes": "첫 줄\n둘째 줄",
    "relation": "형제자매",
    "relative_family_name": "김",
    "relative_given_name": "영희",
    "relative_sex": "여",
    "relative_birth_date": "1938",
    "relative_hometown": "평안남도 평양시",
    "relative_father_name": "김아무개",
    "last_known_place": "평양",
    "separated_on": "1950-12",
    "relative_notes": "흥남 철수 때 헤어짐",
}
KIM_FATHER = {
    "registry_no": "A-1",
    "relation": "부모",
    "relative_family_name": "김",
    "relative_given_name": "대성",
    "relative_sex": "M",
    "relative_birth_date": "1910-05",
    "relative_status": "사망",
    "relative_death_date": "1970",
}
LEE = {
    "registry_no": "B-2",
    "applicant_family_name": "이",
    "applicant_given_name": "순자",
    "applicant_sex": "F",
    "applicant_birth_date": "19350405",
    "applicant_birth_calendar": "음력",
    "abroad": "yes",
    "country": "미국",
    "registered_on": "20200101",
    "consent_share": "no",
}
PARK = {
    "registry_no": "C-3",
    "applicant_name_latin": "Park Young-ho",
    "applicant_status": "사망",
    "applicant_death_date": "2019.7.1",
    "relation": "자녀",
    "relative_family_name": "박",
    "relative_given_name": "민수",
    "relative_birth_date": "1949-02-30",
    "relative_birth_calendar": "음력",  # a 30th lunar 2nd month: 1949 had one
}
GOOD = [KIM, KIM_FATHER, LEE, PARK]

EXPECTED = [
    ApplicantData(
        rows=[2, 3],
        registry_no="A-1",
        family_name="김",
        given_name="철수",
        name_latin="Kim Chul-su",
        sex="M",
        birth_date="1940-03-05",
        birth_year=1940,
        birth_calendar="solar",
        address="서울특별시 종로구",
        phone="010-1234-5678",
        email="kim@example.kr",
        abroad=False,
        country="",
        status="alive",
        death_date="",
        registered_on=date(2020, 1, 2),
        consent_share=True,
        consent_on=date(2020, 1, 2),
        notes="첫 줄\n둘째 줄",
        relatives=[
            RelativeData(
                row=2,
                relation="sibling",
                family_name="김",
                given_name="영희",
                name_latin="",
                sex="F",
                birth_date="1938",
                birth_year=1938,
                birth_calendar="",
                hometown="평안남도 평양시",
                father_name="김아무개",
                status="unknown",
                death_date="",
                last_known_place="평양",
                separated_on="1950-12",
                notes="흥남 철수 때 헤어짐",
            ),
            RelativeData(
                row=3,
                relation="parent",
                family_name="김",
                given_name="대성",
                name_latin="",
                sex="M",
                birth_date="1910-05",
                birth_year=1910,
                birth_calendar="",
                hometown="",
                father_name="",
                status="deceased",
                death_date="1970",
                last_known_place="",
                separated_on="",
                notes="",
            ),
        ],
    ),
    ApplicantData(
        rows=[4],
        registry_no="B-2",
        family_name="이",
        given_name="순자",
        name_latin="",
        sex="F",
        birth_date="1935-04-05",
        birth_year=1935,
        birth_calendar="lunar",
        address="",
        phone="",
        email="",
        abroad=True,
        country="미국",
        status="alive",
        death_date="",
        registered_on=date(2020, 1, 1),
        consent_share=False,
        consent_on=None,
        notes="",
        relatives=[],
    ),
    ApplicantData(
        rows=[5],
        registry_no="C-3",
        family_name="",
        given_name="",
        name_latin="Park Young-ho",
        sex="",
        birth_date="",
        birth_year=None,
        birth_calendar="",
        address="",
        phone="",
        email="",
        abroad=False,
        country="",
        status="deceased",
        death_date="2019-07-01",
        registered_on=None,
        consent_share=False,
        consent_on=None,
        notes="",
        relatives=[
            RelativeData(
                row=5,
                relation="child",
                family_name="박",
                given_name="민수",
                name_latin="",
                sex="",
                birth_date="1949-02-30",
                birth_year=1949,
                birth_calendar="lunar",
                hometown="",
                father_name="",
                status="unknown",
                death_date="",
                last_known_place="",
                separated_on="",
                notes="",
            )
        ],
    ),
]


# ---- good files -------------------------------------------------------------------------------


def test_a_good_csv_in_utf8_with_korean_headers() -> None:
    assert read_csv(GOOD) == EXPECTED


def test_utf8_with_bom_and_english_headers_in_any_case_spacing_and_order() -> None:
    columns = tuple(reversed(COLUMNS))
    text = table(GOOD, korean=False, columns=columns)
    header, rest = text.split("\r\n", 1)
    header = header.replace("registry_no", " Registry No ").replace("relation", "RELATION")
    data = ("\ufeff" + header + "\r\n" + rest).encode("utf-8")
    assert read_registry(data, filename="REGISTRY.CSV") == EXPECTED


def test_the_same_file_in_cp949_as_korean_excel_saves_it() -> None:
    data = table(GOOD).encode("cp949")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert read_registry(data, filename="registry.csv") == EXPECTED


def test_an_xlsx_with_a_date_cell_and_number_cells() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append([KOREAN_HEADERS[c] for c in COLUMNS])
    values: list[object] = [KIM.get(c, "") or None for c in COLUMNS]
    values[COLUMNS.index("applicant_birth_date")] = datetime(1940, 3, 5)  # an Excel date cell
    values[COLUMNS.index("registered_on")] = date(2020, 1, 2)
    values[COLUMNS.index("relative_birth_date")] = 1938  # an integer year
    values[COLUMNS.index("separated_on")] = "1950-12"
    sheet.append(values)
    father: list[object] = [KIM_FATHER.get(c, "") or None for c in COLUMNS]
    father[COLUMNS.index("relative_death_date")] = 1970.0  # a float year
    sheet.append(father)
    for _ in range(3):
        sheet.append([None, "", "  "])  # empty trailing rows
    out = io.BytesIO()
    book.save(out)
    applicants = read_registry(out.getvalue(), filename="registry.xlsx")
    assert applicants == [EXPECTED[0]]
    assert applicants[0].relatives[1].death_date == "1970"


def test_rows_of_one_registry_no_make_one_applicant() -> None:
    second_sibling = {
        "registry_no": "A-1",
        "applicant_family_name": "김",  # the same again: allowed
        "relation": "sibling",
        "relative_family_name": "김",
        "relative_given_name": "영수",
    }
    rows = [KIM, LEE, KIM_FATHER, second_sibling, {"registry_no": "A-1"}]
    applicants = read_csv(rows)
    assert [a.registry_no for a in applicants] == ["A-1", "B-2"]
    kim = applicants[0]
    assert kim.rows == [2, 4, 5, 6]
    assert [(r.row, r.given_name, r.relation) for r in kim.relatives] == [
        (2, "영희", "sibling"),
        (4, "대성", "parent"),
        (5, "영수", "sibling"),
    ]
    assert applicants[1].rows == [3]
    assert applicants[1].relatives == []


def test_whitespace_is_stripped_and_blank_lines_are_skipped() -> None:
    text = table([{**LEE, "applicant_given_name": "  순자 \t"}])
    lines = text.split("\r\n")
    data = "\r\n".join([lines[0], "", ",,,", *lines[1:]]).encode("utf-8")
    [lee] = read_registry(data, filename="registry.csv")
    assert lee.given_name == "순자"
    assert lee.rows == [4]


def test_other_spellings_of_codes() -> None:
    [applicant] = read_csv(
        [
            {
                "registry_no": "x-9",
                "applicant_given_name": "Ann",
                "applicant_sex": "f",
                "abroad": "TRUE",
                "consent_share": "1",
                "applicant_status": "Alive",
                "relation": "Spouse",
                "relative_given_name": "Bob",
                "relative_status": "미상",
                "relative_birth_calendar": "Solar",
                "relative_birth_date": "1930.1",
            }
        ]
    )
    assert (applicant.sex, applicant.abroad, applicant.consent_share) == ("F", True, True)
    assert applicant.relatives[0].relation == "spouse"
    assert applicant.relatives[0].birth_date == "1930-01"
    assert applicant.relatives[0].birth_calendar == "solar"


def test_progress_is_reported_every_thousand_rows() -> None:
    rows = [{"registry_no": f"N-{i}", "applicant_family_name": "최"} for i in range(2500)]
    calls: list[tuple[int, int]] = []
    applicants = read_csv(rows, progress=lambda done, total: calls.append((done, total)))
    assert len(applicants) == 2500
    assert calls == [(1000, 2500), (2000, 2500), (2500, 2500)]


# ---- bad values: each one named by row and column ---------------------------------------------


@pytest.mark.parametrize(
    ("change", "row", "field"),
    [
        ({"applicant_birth_date": "1950-02-30"}, 2, "applicant_birth_date"),
        ({"relative_birth_date": "1950-02-30"}, 2, "relative_birth_date"),
        ({"relative_birth_date": "1950-13"}, 2, "relative_birth_date"),
        ({"relative_birth_date": "1870"}, 2, "relative_birth_date"),
        ({"relative_birth_date": "about 1950"}, 2, "relative_birth_date"),
        ({"registered_on": "2020-05"}, 2, "registered_on"),
        ({"registered_on": "2999-01-01"}, 2, "registered_on"),
        ({"relation": "cousin"}, 2, "relation"),
        ({"applicant_sex": "Q"}, 2, "applicant_sex"),
        ({"abroad": "maybe"}, 2, "abroad"),
        ({"applicant_birth_calendar": "julian"}, 2, "applicant_birth_calendar"),
        ({"applicant_status": "unknown"}, 2, "applicant_status"),
        ({"applicant_death_date": "2001"}, 2, "applicant_death_date"),  # while alive
        ({"relative_death_date": "1990"}, 2, "relative_death_date"),  # status blank = unknown
        ({"relative_status": "생존", "relative_death_date": "1990"}, 2, "relative_death_date"),
        ({"registry_no": ""}, 2, "registry_no"),
        ({"registry_no": "A 1"}, 2, "registry_no"),
        ({"registry_no": "A-" + "1" * 19}, 2, "registry_no"),
        ({"relation": ""}, 2, "relation"),
        (
            {"relative_family_name": "", "relative_given_name": "", "relative_name_latin": ""},
            2,
            "relative_family_name",
        ),
        (
            {"applicant_family_name": "", "applicant_given_name": "", "applicant_name_latin": ""},
            2,
            "applicant_family_name",
        ),
        ({"applicant_given_name": "철\x00수"}, 2, "applicant_given_name"),
        ({"relative_hometown": "평양\x07"}, 2, "relative_hometown"),
        ({"phone": "010\t1234"}, 2, "phone"),
        ({"applicant_family_name": "김" * 101}, 2, "applicant_family_name"),
        ({"relative_notes": "가" * 5001}, 2, "relative_notes"),
    ],
)
def test_a_bad_value_is_named_by_row_and_field(
    change: dict[str, str], row: int, field: str
) -> None:
    problems = csv_problems([{**KIM, **change}, LEE])
    assert where(problems) == [(row, field)]
    assert problems[0].file == "registry.csv"
    assert problems[0].ko
    assert problems[0].en


def test_a_nul_character_is_named() -> None:
    [problem] = csv_problems([{**KIM, "address": "서울\x00"}])
    assert (problem.row, problem.field) == (2, "address")
    assert "NUL" in problem.en


def test_a_too_long_value_says_the_limit() -> None:
    [problem] = csv_problems([{**KIM, "applicant_name_latin": "x" * 201}])
    assert (problem.row, problem.field) == (2, "applicant_name_latin")
    assert "201" in problem.en and "200" in problem.en
    assert "최대 200자" in problem.ko


def test_tab_and_newline_are_allowed_in_notes_only() -> None:
    [applicant] = read_csv([{**KIM, "applicant_notes": "a\tb\r\nc"}])
    assert applicant.notes == "a\tb\nc"


def test_a_lunar_30th_that_solar_lacks_needs_the_lunar_calendar() -> None:
    assert csv_problems([{**PARK, "relative_birth_calendar": ""}])[0].field == "relative_birth_date"
    # The applicant's calendar may be on another row than the birth date.
    rows = [
        {**LEE, "applicant_birth_date": "1949-02-30", "applicant_birth_calendar": ""},
        {"registry_no": "B-2", "applicant_birth_calendar": "lunar"},
    ]
    assert read_csv(rows)[0].birth_date == "1949-02-30"
    rows[1] = {"registry_no": "B-2"}
    assert where(csv_problems(rows)) == [(2, "applicant_birth_date")]


def test_a_death_date_on_a_row_with_the_status_on_another_is_fine() -> None:
    rows = [
        {**LEE, "applicant_status": "deceased"},
        {"registry_no": "B-2", "applicant_death_date": "2021-03"},
    ]
    assert read_csv(rows)[0].death_date == "2021-03"


def test_conflicting_applicant_fields_name_both_rows() -> None:
    rows = [KIM, LEE, {**KIM_FATHER, "applicant_given_name": "철호", "abroad": "yes"}]
    problems = csv_problems(rows)
    assert where(problems) == [(4, "applicant_given_name"), (4, "abroad")]
    for problem in problems:
        assert "row 4" in problem.en and "row 2" in problem.en
        assert "2행" in problem.ko and "4행" in problem.ko
    assert "철호" in problems[0].en and "철수" in problems[0].en


def test_the_same_spelling_of_a_code_is_no_conflict() -> None:
    rows = [KIM, {**KIM_FATHER, "applicant_sex": "M", "consent_on": "20200102"}]
    assert read_csv(rows)[0].sex == "M"


def test_the_same_relative_twice_is_refused() -> None:
    twice = {"registry_no": "A-1", **{k: v for k, v in KIM.items() if k.startswith("relat")}}
    problems = csv_problems([KIM, twice])
    assert where(problems) == [(3, "relative_family_name")]
    assert "rows 2 and 3" in problems[0].en


def test_unknown_and_duplicate_headers_are_named() -> None:
    text = table([KIM])
    header, rest = text.split("\r\n", 1)
    header += ",nickname,Registry_No"
    problems = problems_of((header + "\r\n" + rest).encode("utf-8"))
    assert where(problems) == [(1, "nickname"), (1, "registry_no")]
    assert "nickname" in problems[0].en and "AG" in problems[0].en
    assert "twice" in problems[1].en


def test_a_missing_registry_no_column() -> None:
    columns = tuple(c for c in COLUMNS if c != "registry_no")
    problems = problems_of(table([KIM], columns=columns).encode("utf-8"))
    assert where(problems) == [(1, "registry_no")]


def test_a_value_in_a_column_without_header() -> None:
    text = table([KIM, LEE]).replace("\r\n", ",\r\n")
    lines = text.split("\r\n")
    lines[2] += "extra"
    problems = problems_of("\r\n".join(lines).encode("utf-8"))
    assert [(p.row, p.field) for p in problems] == [(3, "")]
    assert "AG" in problems[0].en


def test_bytes_neither_utf8_nor_cp949() -> None:
    data = table([KIM]).encode("utf-8") + b"B-2,\x80\xff\xfe,x\r\n"
    [problem] = problems_of(data)
    assert problem.row == 3  # KIM's notes span two lines: line 4 of the file, row 3
    assert "line 4" in problem.en
    assert "CP949" in problem.en and "CP949" in problem.ko


def test_bad_bytes_inside_a_value_that_spans_lines() -> None:
    data = table([{**KIM, "applicant_notes": "첫 줄\nBAD"}, LEE]).encode("utf-8")
    [problem] = problems_of(data.replace(b"BAD", b"\xff"))
    assert problem.row == 2
    assert "line 3" in problem.en


def test_a_broken_xlsx() -> None:
    [problem] = problems_of(b"PK\x03\x04 this is no zip at all", "registry.xlsx")
    assert (problem.row, problem.field) == (0, "")
    assert "xlsx" in problem.en
    good = write_xlsx(EXPECTED)
    [problem] = problems_of(good[: len(good) // 2], "registry.xlsx")
    assert "xlsx" in problem.en


def test_an_xlsx_named_csv() -> None:
    [problem] = problems_of(write_xlsx(EXPECTED), "registry.csv")
    assert ".xlsx" in problem.en


def test_another_extension() -> None:
    [problem] = problems_of(table([KIM]).encode("utf-8"), "registry.txt")
    assert (problem.file, problem.row, problem.field) == ("registry.txt", 0, "")
    assert ".csv" in problem.en and ".xlsx" in problem.ko


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b" "])
def test_an_empty_file(data: bytes) -> None:
    [problem] = problems_of(data)
    assert (problem.row, problem.en) == (0, "the file is empty")


def test_an_empty_xlsx() -> None:
    out = io.BytesIO()
    Workbook().save(out)
    [problem] = problems_of(out.getvalue(), "registry.xlsx")
    assert problem.en == "the file is empty"


def test_a_header_without_rows() -> None:
    [problem] = problems_of(table([]).encode("utf-8"))
    assert problem.row == 0
    assert "no data" in problem.en
    [problem] = problems_of(write_xlsx([]), "registry.xlsx")
    assert "no data" in problem.en


def test_every_problem_is_reported_at_once() -> None:
    rows = [
        {**KIM, "applicant_birth_date": "1950-02-30", "relation": "cousin"},
        {**KIM_FATHER, "applicant_given_name": "철호"},
        {**LEE, "registry_no": ""},
        {**PARK, "relative_given_name": "민\x00수", "relation": ""},
        *({**LEE, "registry_no": f"D-{i}", "applicant_sex": "?"} for i in range(30)),
    ]
    with pytest.raises(RegistryFileError) as caught:
        read_csv(rows)
    problems = caught.value.problems
    assert where(problems)[:6] == [
        (2, "applicant_birth_date"),
        (2, "relation"),
        (3, "applicant_given_name"),
        (4, "registry_no"),
        (5, "relation"),
        (5, "relative_given_name"),
    ]
    assert where(problems)[6:] == [(row, "applicant_sex") for row in range(6, 36)]
    message = str(caught.value)
    assert message.count("\n") == 20
    assert message.endswith("… and 16 more problems / 문제 16개 더")
    assert message.startswith("registry.csv row 2 applicant_birth_date: ")


def test_a_problem_as_a_dict() -> None:
    problem = Finding(
        "registry_value_invalid", ko="관계", en="relation", file="f.csv", row=3, field="relation"
    )
    assert problem.as_detail() == {
        "file": "f.csv",
        "row": 3,
        "field": "relation",
        "reason_ko": "관계",
        "reason_en": "relation",
    }


# ---- writing ----------------------------------------------------------------------------------


def test_registry_rows() -> None:
    rows = list(registry_rows(EXPECTED))
    assert len(rows) == 4
    assert all(len(row) == len(COLUMNS) for row in rows)
    lee = dict(zip(COLUMNS, rows[2], strict=True))
    assert lee["abroad"] == "yes" and lee["consent_share"] == "no"
    assert lee["registered_on"] == "2020-01-01"
    assert lee["applicant_status"] == "alive"
    assert all(lee[c] == "" for c in COLUMNS[COLUMNS.index("relation") :])
    father = dict(zip(COLUMNS, rows[1], strict=True))
    assert (father["registry_no"], father["applicant_given_name"]) == ("A-1", "철수")
    assert (father["relation"], father["relative_death_date"]) == ("parent", "1970")


def test_write_csv_is_utf8_with_bom_and_english_header() -> None:
    data = write_csv(EXPECTED)
    assert data.startswith(b"\xef\xbb\xbf" + ",".join(COLUMNS).encode() + b"\r\n")
    assert read_registry(data, filename="out.csv") == EXPECTED


def test_write_xlsx_is_all_text_and_reads_back() -> None:
    data = write_xlsx(EXPECTED)
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert rows[1][COLUMNS.index("relative_birth_date")] == "1938"
    assert rows[1][COLUMNS.index("registered_on")] == "2020-01-02"
    assert sheet.max_row == 5  # the <dimension> is written
    assert read_registry(data, filename="out.xlsx") == EXPECTED


def test_text_that_looks_like_a_formula_stays_text() -> None:
    odd = [{**LEE, "applicant_notes": "=1+1", "address": "#N/A", "phone": "+82 10"}]
    applicants = read_csv(odd)
    assert applicants[0].notes == "=1+1"
    data = write_xlsx(applicants)
    assert read_registry(data, filename="out.xlsx") == applicants
    assert read_registry(write_csv(applicants), filename="out.csv") == applicants


def test_round_trip_of_a_larger_registry() -> None:
    rows = []
    for i in range(300):
        rows.append({**KIM, "registry_no": f"R-{i}", "relative_given_name": f"영희{i}"})
        rows.append({**KIM_FATHER, "registry_no": f"R-{i}"})
        rows.append({**LEE, "registry_no": f"S-{i}"})
    applicants = read_csv(rows)
    assert len(applicants) == 600
    assert read_registry(write_csv(applicants), filename="a.csv") == applicants
    assert read_registry(write_xlsx(applicants), filename="a.xlsx") == applicants


# Texts a writer must take care of: XML's special characters, white space at either end (also
# the ideographic space), control characters, text like OOXML's escapes, a formula, rich-text
# markup, characters outside the BMP, a text longer than a cell holds.
AWKWARD = [
    'a & b < c > d "e"',
    " 앞 빈칸",
    "뒤 빈칸 ",
    "\u3000전각 빈칸",
    "줄\n바꿈",
    "탭\t",
    "\r\n",
    "제어\x01문자\x1f",
    "_x0041_ 그대로",
    "_x005F_x0041_",
    "=SUM(A1)",
    "#N/A",
    "<r>굵게</r>",
    "비문자\ufffe\uffff",
    "🙂 이모지",
    "가" * 40_000,
    "🙂" * 20_000,
]


def _sheet_xml(data: bytes) -> bytes:
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")


def test_the_xlsx_sheet_is_what_xlsxwriter_writes_cell_for_cell() -> None:
    import xlsxwriter

    from panmun.families.registry_file.writer import write_xlsx_to

    rows = [
        [text, "", *([f"{n}-{i}" for i in range(len(COLUMNS) - 2)])]
        for n, text in enumerate(AWKWARD)
    ]
    rows.insert(3, [""] * len(COLUMNS))  # a blank row is left out, numbered all the same
    ours = io.BytesIO()
    write_xlsx_to(ours, rows)
    theirs = io.BytesIO()
    book = xlsxwriter.Workbook(theirs, {"constant_memory": True})
    sheet = book.add_worksheet("registry")
    for number, cells in enumerate([list(COLUMNS), *rows]):
        for column, text in enumerate(cells):
            if text:
                sheet.write_string(number, column, text)
    book.close()
    mine, xlsxwriters = _sheet_xml(ours.getvalue()), _sheet_xml(theirs.getvalue())
    # Two cells differ on purpose, where xlsxwriter's would not read back as they were: it
    # writes "<r>…</r>" unescaped (as rich text), and escapes only the first of two escape-like
    # strings that overlap.
    cell = '<c r="A{}" t="inlineStr"><is>{}</is></c>'
    differ = {
        "<r>굵게</r>": ("<r>굵게</r>", "<t>&lt;r&gt;굵게&lt;/r&gt;</t>"),
        "_x005F_x0041_": ("<t>_x005F_x005F_x0041_</t>", "<t>_x005F_x005F_x005F_x0041_</t>"),
    }
    for text, (theirs_cell, ours_cell) in differ.items():
        row = AWKWARD.index(text) + 3
        assert cell.format(row, theirs_cell).encode() in xlsxwriters
        xlsxwriters = xlsxwriters.replace(
            cell.format(row, theirs_cell).encode(), cell.format(row, ours_cell).encode()
        )
    assert mine == xlsxwriters
    names = zipfile_names(ours.getvalue())
    assert names == zipfile_names(theirs.getvalue())


def zipfile_names(data: bytes) -> list[str]:
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_awkward_texts_come_back_from_xlsx_as_they_went() -> None:
    from panmun.families.registry_file.writer import write_xlsx_to

    rows = [[text, *([""] * (len(COLUMNS) - 1))] for text in AWKWARD]
    out = io.BytesIO()
    assert write_xlsx_to(out, rows) == len(rows)
    sheet = load_workbook(io.BytesIO(out.getvalue()), read_only=True).worksheets[0]
    fast = SheetReader(sheet)
    read = [row[0] for row in list(fast.rows())[1:]]
    expected = [t if len(t) < 20_000 else t[: 32_767 if t[0] == "가" else 16_383] for t in AWKWARD]
    assert read == expected


def test_an_xlsx_with_more_rows_than_excel_holds_is_refused() -> None:
    from panmun.families.registry_file.writer import write_xlsx_to

    rows = ([str(n), *([""] * (len(COLUMNS) - 1))] for n in range(XLSX_MAX_ROWS))
    with pytest.raises(XlsxTooLarge):
        write_xlsx_to(io.BytesIO(), rows)


def test_csv_is_written_as_the_rows_come() -> None:
    from panmun.families.registry_file.writer import write_csv_to

    class Sink(io.BytesIO):
        closed_by_writer = False

    out = Sink()
    write_csv_to(out, iter([["R-1", *([""] * (len(COLUMNS) - 1))]]))
    assert not out.closed  # the caller's file stays open
    assert (
        out.getvalue()
        == b"\xef\xbb\xbf"
        + ",".join(COLUMNS).encode()
        + b"\r\nR-1"
        + b"," * (len(COLUMNS) - 1)
        + b"\r\n"
    )


# ---- the xlsx reader agrees with openpyxl's ---------------------------------------------------


def test_the_fast_sheet_reader_gives_what_openpyxl_gives() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["text", 1950, 1950.0, 1.5, True, datetime(1950, 6, 25), date(2020, 1, 2)])
    sheet.append([])
    sheet.append([])
    sheet.append([None, None, "gap", None, "=1+1"])
    sheet["H7"] = "far"
    sheet["A8"] = "줄\n바꿈"
    out = io.BytesIO()
    book.save(out)
    read = load_workbook(io.BytesIO(out.getvalue()), read_only=True, data_only=True)
    ours = read.worksheets[0]
    ours.reset_dimensions()
    reader = SheetReader.of(ours)
    assert reader is not None
    fast = [list(row) for row in reader.rows()]
    theirs = [list(row) for row in ours.iter_rows(values_only=True)]

    def trimmed(rows: list[list[object]]) -> list[list[object]]:
        result = []
        for row in rows:
            while row and row[-1] is None:
                row = row[:-1]
            result.append(row)
        return result

    assert trimmed(fast) == trimmed(theirs)
    assert fast[0] == ["text", 1950, 1950.0, 1.5, True, datetime(1950, 6, 25), datetime(2020, 1, 2)]
    assert len(fast) == 8


# ---- an xlsx with a DTD: refused in Panmun's words ---------------------------------------------


def _with_dtd(part: str) -> bytes:
    import re
    import zipfile

    data = write_xlsx(EXPECTED)
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == part:
                content = re.sub(
                    rb"^(<\?xml[^>]*\?>)?",
                    lambda m: (m.group(0) or b"") + b'<!DOCTYPE x [<!ENTITY a "aaaa">]>',
                    content,
                    count=1,
                )
            target.writestr(info, content)
    return out.getvalue()


DTD_KO = (
    "xlsx(엑셀) 파일 안에 DTD(문서 형식 선언)가 있어 읽지 않았습니다:"
    " 엑셀로 저장한 파일에는 DTD가 없습니다. 엑셀에서 다시 저장하십시오"
)
DTD_EN = (
    "the xlsx (Excel) file holds a DTD (a document type declaration), which files saved by"
    " Excel never have, and was not read: save it again from Excel"
)


@pytest.mark.parametrize(
    "part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "[Content_Types].xml"]
)
def test_an_xlsx_with_a_dtd_is_refused_in_panmuns_words(part: str) -> None:
    [problem] = problems_of(_with_dtd(part), "dtd.xlsx")
    assert (problem.file, problem.row, problem.ko, problem.en) == (
        "dtd.xlsx",
        0,
        DTD_KO,
        DTD_EN,
    )
