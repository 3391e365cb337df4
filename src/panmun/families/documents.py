"""The documents of a tracing round (생사확인): the request list and the blank reply form.

The request list (생사확인 의뢰 명단) names the people the South asks the North to trace, one row
per person sought, in Korean: as an Excel workbook (`request_list_xlsx`) and as an A4 landscape
PDF (`request_list_pdf`). With ``north=True`` each line is first put in the North's orthography
(`north_line`): surnames such as 이 become 리 where the surname table allows only one reading,
and hometowns and last known places get today's North place names in brackets
("함경남도 혜산 (량강도 혜산시)").

The reply form (`reply_template_xlsx`) is the workbook the other side fills in: one row per
request id, under the English column names of `REPLY_COLUMNS` that the reply import reads, with
a sheet "안내" explaining each column in Korean and English.

Pure Python: no Django, no database; the callers hand in plain data. The PDF is a
`panmun.common.pdf.KoreanPDF` (Noto Sans KR embedded); `FONT_FAMILY`, `FONT_PACKAGE` and
`font_path` are that module's, named here as before.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from panmun.common.pdf import FONT_FAMILY, FONT_PACKAGE, KoreanPDF, clean_text, font_path
from panmun.korean import gazetteer, surnames
from panmun.korean.dates import korean_date
from panmun.korean.hangul import nfc

__all__ = [
    "FONT_FAMILY",
    "FONT_PACKAGE",
    "REPLY_COLUMNS",
    "REQUEST_HEADERS",
    "RequestLine",
    "RoundHeader",
    "font_path",
    "north_line",
    "reply_template_xlsx",
    "request_list_pdf",
    "request_list_xlsx",
]


@dataclass(frozen=True)
class RequestLine:
    """One person sought on a round's request list, as plain text."""

    request_id: str  # e.g. "T001-0001"
    family_name: str
    given_name: str
    sex: str  # "M" / "F" / ""
    birth_date: str  # "YYYY", "YYYY-MM", "YYYY-MM-DD" or ""
    birth_calendar: str  # "solar" | "lunar" | ""
    hometown: str  # as the applicant remembers it, e.g. "함경남도 혜산"
    father_name: str
    relation: str  # spouse|parent|child|sibling|other: the person sought, to the applicant
    applicant_name: str  # the applicant's (the seeker's) full name, or a neutral wording
    separated_on: str
    last_known_place: str
    # Whether the line names who seeks (`families.access.may_see_seeker`): if not, the relation
    # is empty and `applicant_name` is a neutral wording ("남측의 가족"), not a name.
    seeker_named: bool = True
    applicant_id: int | None = None  # the applicant's record, for the South's own pages
    sought_name: str = ""  # the person sought's name as the pages show it (any script)


@dataclass(frozen=True)
class RoundHeader:
    """What the documents say about the round itself."""

    name: str
    target_size: int
    created_on: date
    reply_due: date | None


# --- the North's orthography -----------------------------------------------------------------


@cache
def _north_surname_map() -> dict[str, str]:
    """South form → North form, for the surnames whose South form has one North reading only:
    이 → 리, 나 → 라, 노 → 로; not 유 (柳/劉 are 류, 兪 is 유), 임 (林 림, 任 임) or 양 (梁 량,
    楊 양), which without the hanja could be either."""
    readings: dict[str, set[str]] = {}
    for s in surnames.all_surnames():
        readings.setdefault(s.south, set()).add(s.north)
    return {south: next(iter(norths)) for south, norths in readings.items() if len(norths) == 1}


def _north_surname(family_name: str) -> str:
    name = nfc(family_name).strip()
    return _north_surname_map().get(name, family_name)


def _north_full_name(full_name: str) -> str:
    """A full name (surname first) with its surname in the North's form; the given name, and any
    text that is not a Hangul name, as written."""
    text = nfc(full_name).strip()
    if not text:
        return full_name
    try:
        family, given = surnames.split_full_name(text)
    except ValueError:
        return full_name
    north = _north_surname(family)
    if north == family:
        return full_name
    separator = " " if len(text.split()) > 1 else ""
    return f"{north}{separator}{given}"


_UNIT_SUFFIX = {"city": "시", "county": "군"}


def _current_name(place: gazetteer.Place) -> str:
    """A current place as the North names it today: 량강도 혜산시, 함경북도 김책시, 량강도."""
    if place.kind not in _UNIT_SUFFIX:  # provinces keep 도; 평양, 라선, 남포 stand alone
        return place.name_north
    name = place.name_north + _UNIT_SUFFIX[place.kind]
    return f"{place.province_now} {name}" if place.province_now else name


def _squashed(text: str) -> str:
    return "".join(nfc(text).split())


def _with_current_place(text: str) -> str:
    """A remembered place with today's North name in brackets where the gazetteer knows it:
    "함경남도 혜산" → "함경남도 혜산 (량강도 혜산시)"; "황해도" → "황해도 (황해남도, 황해북도)".
    Unknown places, and places already written as today's name, come back as they are."""
    if not text.strip():
        return text
    current = ", ".join(dict.fromkeys(_current_name(p) for p in gazetteer.current_places(text)))
    if not current or _squashed(current) == _squashed(text):
        return text
    return f"{text.rstrip()} ({current})"


def north_line(line: RequestLine) -> RequestLine:
    """The line as the North writes it.

    - The surname of the person sought, of the father and of the applicant: the North's form
      where the surname table gives that South form exactly one North form (이 → 리, 노 → 로,
      나 → 라); kept where the hanja would decide (유: 柳 류 or 兪 유; 임, 양 likewise).
    - Given names are left as written: without the hanja one cannot tell 영 (英) from 령 (玲).
    - The hometown and the last known place get today's North place names in brackets, where the
      gazetteer knows the place (함경남도 혜산 → "함경남도 혜산 (량강도 혜산시)").
    """
    return replace(
        line,
        family_name=_north_surname(line.family_name),
        father_name=_north_full_name(line.father_name),
        applicant_name=_north_full_name(line.applicant_name)
        if line.seeker_named
        else line.applicant_name,
        hometown=_with_current_place(line.hometown),
        last_known_place=_with_current_place(line.last_known_place),
    )


# --- the request list ------------------------------------------------------------------------

REQUEST_HEADERS: tuple[str, ...] = (
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

_SEX_KO = {"M": "남", "F": "여", "X": "기타"}
_CALENDAR_KO = {"solar": "양력", "lunar": "음력"}
_RELATION_KO = {
    "spouse": "배우자",
    "parent": "부모",
    "child": "자녀",
    "sibling": "형제자매",
    "other": "기타",
}

TITLE = "생사확인 의뢰 명단"


def _cells(line: RequestLine) -> list[str]:
    """The row of a line, in the order of REQUEST_HEADERS, with Korean words for the codes."""
    return [
        line.request_id,
        line.family_name,
        line.given_name,
        _SEX_KO.get(line.sex, line.sex),
        line.birth_date,
        _CALENDAR_KO.get(line.birth_calendar, line.birth_calendar),
        line.hometown,
        line.father_name,
        _RELATION_KO.get(line.relation, line.relation),
        line.applicant_name,
        line.separated_on,
        line.last_known_place,
    ]


def _rows(lines: Sequence[RequestLine], north: bool) -> list[list[str]]:
    return [_cells(north_line(line) if north else line) for line in lines]


def _facts(header: RoundHeader, count: int, north: bool) -> list[str]:
    facts = [
        f"회차 규모 {header.target_size:,}명",
        f"명단 {count:,}명",
        f"작성일 {korean_date(header.created_on)}",
        f"회신 기한 {korean_date(header.reply_due) if header.reply_due else '정하지 않음'}",
    ]
    if north:
        facts.append("북측 표기 (괄호 안은 오늘의 북측 지명)")
    return facts


def _display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: wide (Hangul, hanja) characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADING_FILL = PatternFill("solid", fgColor="E0E0E0")


def _text_cell(cell: Any, text: str) -> None:
    """Put text in a cell as text: "=…" stays a string, not a formula."""
    cell.value = text or None
    if text:
        cell.data_type = "s"
    cell.number_format = "@"


def _size_columns(sheet: Any, rows: Sequence[Sequence[str]], *, cap: int = 60) -> None:
    widths: dict[int, int] = {}
    for row in rows:
        for i, text in enumerate(row):
            widths[i] = max(widths.get(i, 0), _display_width(text))
    for i, width in widths.items():
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(max(width + 2, 6), cap)


def _workbook_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def request_list_xlsx(
    header: RoundHeader, lines: Sequence[RequestLine], *, north: bool = False
) -> bytes:
    """The request list as an xlsx workbook: one sheet "의뢰명단", a title row (round, size,
    dates), the Korean header row (frozen, with a filter) and one row per person sought."""
    rows = _rows(lines, north)
    book = Workbook()
    sheet = book.active
    sheet.title = "의뢰명단"
    book.properties.title = f"{TITLE} — {header.name}"
    book.properties.creator = "panmun"
    book.properties.language = "ko-KR"
    last_column = get_column_letter(len(REQUEST_HEADERS))

    title = sheet.cell(row=1, column=1)
    _text_cell(title, f"{TITLE} — {header.name} ({' · '.join(_facts(header, len(rows), north))})")
    title.number_format = "General"
    title.font = Font(bold=True, size=13)
    title.alignment = Alignment(vertical="center")
    sheet.merge_cells(f"A1:{last_column}1")
    sheet.row_dimensions[1].height = 24

    for column, text in enumerate(REQUEST_HEADERS, 1):
        cell = sheet.cell(row=2, column=column, value=text)
        cell.font = Font(bold=True)
        cell.fill = _HEADING_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, cells in enumerate(rows, 3):
        for column, text in enumerate(cells, 1):
            cell = sheet.cell(row=r, column=column)
            _text_cell(cell, text)
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top")

    _size_columns(sheet, [list(REQUEST_HEADERS), *rows])
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:{last_column}{len(rows) + 2}"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return _workbook_bytes(book)


# --- the PDF ---------------------------------------------------------------------------------

# Column widths in mm on A4 landscape with 10 mm margins (277 mm in all), in REQUEST_HEADERS'
# order; the places are widest, as they carry today's names in brackets.
_PDF_WIDTHS = (22, 10, 16, 17, 19, 15, 54, 18, 15, 18, 17, 56)
_PDF_MARGIN = 10
_PDF_FONT_SIZE = 8
_PDF_LINE_HEIGHT = 5


def request_list_pdf(
    header: RoundHeader, lines: Sequence[RequestLine], *, north: bool = False
) -> bytes:
    """The request list as an A4 landscape PDF with Noto Sans KR embedded: the title, the round's
    facts, and a table whose header row is repeated on every page, numbered "n / N"."""
    rows = _rows(lines, north)
    title = f"{TITLE} — {clean_text(header.name)}"
    pdf = KoreanPDF(title, landscape=True, margin=_PDF_MARGIN)
    pdf.add_page()
    pdf.heading(title, _facts(header, len(rows), north))
    pdf.set_font(FONT_FAMILY, size=_PDF_FONT_SIZE)
    pdf.grid(
        _PDF_WIDTHS,
        REQUEST_HEADERS,
        ([clean_text(text) for text in cells] for cells in rows),
        line_height=_PDF_LINE_HEIGHT,
        padding=(0.5, 1),
    )
    return pdf.document()


# --- the reply form --------------------------------------------------------------------------

REPLY_COLUMNS: tuple[str, ...] = (
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

# (column, Korean, English, values allowed) for the sheet "안내".
_REPLY_GUIDE: tuple[tuple[str, str, str, str], ...] = (
    (
        "request_id",
        "의뢰번호. 미리 적혀 있으니 바꾸지 마십시오.",
        "The request id, filled in already: leave it as it is.",
        "",
    ),
    (
        "result",
        "확인 결과: 찾았으면 found, 찾지 못했으면 not_found.",
        "The result: found, or not_found.",
        "found | not_found",
    ),
    (
        "vital_status",
        "생사: 생존 alive, 사망 deceased, 모름 unknown. 찾지 못한 경우 비우거나 unknown.",
        "Alive or deceased: alive, deceased or unknown; blank or unknown when not found.",
        "alive | deceased | unknown",
    ),
    (
        "death_date",
        "사망일 (사망한 경우에만): YYYY, YYYY-MM 또는 YYYY-MM-DD.",
        "Date of death, only for a deceased person: YYYY, YYYY-MM or YYYY-MM-DD.",
        "YYYY | YYYY-MM | YYYY-MM-DD",
    ),
    ("family_name", "찾은 사람의 성 (한글).", "Family name of the person found, in Hangul.", ""),
    ("given_name", "찾은 사람의 이름 (한글).", "Given name of the person found, in Hangul.", ""),
    (
        "name_latin",
        "로마자 이름 (있으면).",
        "The name in Latin letters, where there is one.",
        "",
    ),
    ("sex", "성별: 남 M, 여 F.", "Sex: M or F.", "M | F"),
    (
        "birth_date",
        "생년월일: YYYY, YYYY-MM 또는 YYYY-MM-DD.",
        "Date of birth: YYYY, YYYY-MM or YYYY-MM-DD.",
        "YYYY | YYYY-MM | YYYY-MM-DD",
    ),
    (
        "birth_calendar",
        "생년월일의 달력: 양력 solar, 음력 lunar.",
        "The calendar of the date of birth: solar or lunar.",
        "solar | lunar",
    ),
    ("birthplace", "출생지 (본적·고향).", "Place of birth (hometown).", ""),
    ("father_name", "아버지의 성명.", "Father's full name.", ""),
    ("address", "현재 주소 또는 마지막 주소.", "Present or last address.", ""),
    (
        "relatives",
        "함께 확인된 가족 (관계와 성명, 생사).",
        "Relatives also traced: relation, name, alive or deceased.",
        "",
    ),
)

_REPLY_CHOICES = {
    "result": ("found", "not_found"),
    "vital_status": ("alive", "deceased", "unknown"),
    "sex": ("M", "F"),
    "birth_calendar": ("solar", "lunar"),
}


def reply_template_xlsx(header: RoundHeader, lines: Sequence[RequestLine]) -> bytes:
    """The blank reply form: a first sheet "reply" with the English column names of
    REPLY_COLUMNS as its header row and one row per request id, pre-filled; a second sheet "안내"
    explaining each column in Korean and English."""
    book = Workbook()
    sheet = book.active
    sheet.title = "reply"
    book.properties.title = f"생사확인 회신 — {header.name}"
    book.properties.creator = "panmun"

    for column, name in enumerate(REPLY_COLUMNS, 1):
        cell = sheet.cell(row=1, column=column, value=name)
        cell.font = Font(bold=True)
        cell.fill = _HEADING_FILL
    last = len(lines) + 1
    for r, line in enumerate(lines, 2):
        for column in range(1, len(REPLY_COLUMNS) + 1):
            # Text cells: Excel must not turn 1935-03-02 into a date or 1935 into a number.
            sheet.cell(row=r, column=column).number_format = "@"
        _text_cell(sheet.cell(row=r, column=1), line.request_id)

    if lines:
        for name, choices in _REPLY_CHOICES.items():
            letter = get_column_letter(REPLY_COLUMNS.index(name) + 1)
            validation = DataValidation(
                type="list", formula1=f'"{",".join(choices)}"', allow_blank=True
            )
            validation.error = " | ".join(choices)
            validation.errorTitle = name
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{last}")

    widths = {"request_id": 14, "relatives": 40, "address": 30, "birthplace": 24}
    for column, name in enumerate(REPLY_COLUMNS, 1):
        width = widths.get(name, max(len(name) + 2, 12))
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "B2"

    guide = book.create_sheet("안내")
    intro = [
        f"생사확인 회신 양식 — {header.name}",
        f"Tracing reply form — {header.name}",
        f"의뢰 {len(lines):,}명 / {len(lines):,} requests · 작성일 created "
        f"{header.created_on.isoformat()}"
        + (f" · 회신 기한 reply due {header.reply_due.isoformat()}" if header.reply_due else ""),
        "첫 시트(reply)의 첫 행(열 이름)은 바꾸지 마십시오. 의뢰번호 하나에 한 행씩 적습니다.",
        "Do not change the first row (the column names) of the first sheet (reply). "
        "One row per request id.",
    ]
    for r, text in enumerate(intro, 1):
        _text_cell(guide.cell(row=r, column=1), text)
        guide.cell(row=r, column=1).number_format = "General"
    guide.cell(row=1, column=1).font = Font(bold=True, size=13)
    top = len(intro) + 2
    for column, text in enumerate(("열 column", "설명", "description", "값 values"), 1):
        cell = guide.cell(row=top, column=column, value=text)
        cell.font = Font(bold=True)
        cell.fill = _HEADING_FILL
    for r, entry in enumerate(_REPLY_GUIDE, top + 1):
        for column, text in enumerate(entry, 1):
            cell = guide.cell(row=r, column=column, value=text or None)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for letter, width in zip("ABCD", (16, 60, 60, 28), strict=True):
        guide.column_dimensions[letter].width = width
    return _workbook_bytes(book)
