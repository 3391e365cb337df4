"""The check sheet of a reunion round as a file (의사·건강 확인표): each drawn candidate's
willingness and health, typed into a spreadsheet and read back whole.

One row per candidate, named by the draw id or the registration number (either, or both if they
agree). The file is CSV (UTF-8 with or without BOM, or CP949 as Korean Excel saves it) or xlsx,
read by `common.spreadsheets.reading.read_table`. Headers and values may be in Korean or
English, in any order, case and spacing; the columns of the template that only inform (name,
stratum, rank, age) are read and left alone. A blank willingness or health is "not yet
asked/checked".

`read_checks` returns the rows or raises `ChecksFileError` with every problem found, each naming
the file, the spreadsheet row (the header is row 1) and the column as the file heads it, in
Korean and in English, so that nothing is written while anything is wrong.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from panmun.common import csvcells
from panmun.common.bilingual import tr
from panmun.common.findings import Finding, FindingsError
from panmun.common.spreadsheets.reading import SpreadsheetError, read_table
from panmun.common.text import CONTROL_BUT_TAB_AND_NEWLINE

# The columns: what each is called in a file (the first name is the template's, Korean then
# English). Header text is compared without spaces, "_" and "-", case-folded.
COLUMNS: dict[str, tuple[str, ...]] = {
    "draw_id": ("추첨 번호", "draw_id", "추첨번호", "draw id", "draw"),
    "registry_no": ("등록번호", "registry_no", "등록 번호", "registration number", "registry"),
    "willingness": ("참가 의사", "willingness", "상봉 의사", "의사", "willing"),
    "health": ("건강", "health", "건강 상태", "건강상태"),
    "note": ("비고", "note", "메모", "notes"),
}
INFORMING: dict[str, tuple[str, ...]] = {
    "name": ("이름", "name", "성명", "신청자"),
    "stratum": ("층", "stratum", "추첨 층"),
    "rank": ("순위", "rank", "추첨 순위"),
    "age": ("나이", "age"),
}
TEMPLATE_COLUMNS = ("draw_id", "registry_no", "name", "stratum", "rank", "willingness", "health")
TEMPLATE_HEADERS = {
    "ko": ("추첨 번호", "등록번호", "이름", "층", "순위", "참가 의사", "건강", "비고"),
    "en": ("draw_id", "registry_no", "name", "stratum", "rank", "willingness", "health", "note"),
}

# The values, by code: the words of the pages (ko, en), the short words officers type.
WILLINGNESS: dict[str, tuple[str, ...]] = {
    "willing": ("있음", "willing", "상봉 희망", "희망", "의사 있음", "예", "yes", "y", "o"),
    "declined": (
        "없음",
        "declined",
        "상봉 포기",
        "포기",
        "의사 없음",
        "거절",
        "불참",
        "아니오",
        "아니요",
        "no",
        "n",
        "x",
    ),
    "pending": ("미확인", "pending", "not yet asked", "확인 전", "-", "—"),
}
HEALTH: dict[str, tuple[str, ...]] = {
    "fit": (
        "양호",
        "fit",
        "건강 양호",
        "fit to travel",
        "가능",
        "이동 가능",
        "적합",
        "예",
        "yes",
        "o",
    ),
    "unfit": (
        "불가",
        "unfit",
        "건강상 불가",
        "not fit",
        "not fit to travel",
        "이동 불가",
        "부적합",
        "아니오",
        "아니요",
        "no",
        "x",
    ),
    "pending": ("미확인", "pending", "not yet checked", "확인 전", "-", "—"),
}
# What the template writes for each code, by language.
VALUE_WORDS = {
    "ko": {
        "willingness": {code: words[0] for code, words in WILLINGNESS.items()},
        "health": {code: words[0] for code, words in HEALTH.items()},
    },
    "en": {
        "willingness": {code: code for code in WILLINGNESS},
        "health": {code: code for code in HEALTH},
    },
}
NOTE_LIMIT = 300
_SPACE = re.compile(r"[\s_\-]+")


def _key(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFC", text).replace("\ufeff", "")).casefold()


_HEADERS = {
    _key(name): column for column, names in {**COLUMNS, **INFORMING}.items() for name in names
}
_WILLINGNESS = {_key(word): code for code, words in WILLINGNESS.items() for word in words}
_HEALTH = {_key(word): code for code, words in HEALTH.items() for word in words}


@dataclass(frozen=True)
class CheckLine:
    """One row of the file: `row` is the spreadsheet row (the header is 1)."""

    row: int
    draw_id: str
    registry_no: str
    willingness: str
    health: str
    note: str


@dataclass(frozen=True)
class ChecksFile:
    """The rows read, each column's header as the file writes it (for the problems), and the
    problems of the rows' values: the rows are kept even so, so that whoever matches them to
    the candidates names the rows' other problems in the same pass."""

    filename: str
    lines: list[CheckLine]
    headers: dict[str, str]
    problems: list[Finding]


class ChecksFileError(FindingsError):
    """A check sheet that cannot be used, with every problem found in it."""


def _accepted(table: dict[str, tuple[str, ...]]) -> tuple[str, str]:
    korean = ", ".join(words[0] for words in table.values())
    english = ", ".join(table)
    return korean, english


def read_checks(data: bytes, *, filename: str) -> ChecksFile:
    """The rows of a check sheet (.csv or .xlsx by the file name), with the problems of their
    values (file, row, column); ChecksFileError when the file cannot be read as a check sheet
    (its encoding, its workbook, its columns)."""
    try:
        table = read_table(data, filename=filename)
    except SpreadsheetError as err:
        raise ChecksFileError(err.problems) from err
    problems: list[Finding] = []
    if not table:
        raise ChecksFileError(
            [
                Finding(
                    "checks_file_empty",
                    ko="파일이 비어 있습니다",
                    en="the file is empty",
                    file=filename,
                    row=0,
                )
            ]
        )
    header = table[0]
    columns: dict[int, str] = {}
    headers: dict[str, str] = {}
    for index, text in enumerate(header):
        if not text.strip():
            continue
        column = _HEADERS.get(_key(text))
        if column is None:
            known = ", ".join(names[0] for names in COLUMNS.values())
            problems.append(
                Finding(
                    "checks_column_unknown",
                    ko=f"알 수 없는 열입니다 (쓸 수 있는 열: {known})",
                    en="unknown column (the columns are: "
                    + ", ".join(names[1] for names in COLUMNS.values())
                    + ")",
                    file=filename,
                    row=1,
                    field=text.strip(),
                )
            )
            continue
        if column in headers:
            problems.append(
                Finding(
                    "checks_column_twice",
                    ko="같은 열이 두 번 있습니다",
                    en="a column given twice",
                    file=filename,
                    row=1,
                    field=text.strip(),
                )
            )
            continue
        columns[index] = column
        headers[column] = text.strip()
    if "draw_id" not in headers and "registry_no" not in headers:
        problems.append(
            Finding(
                "checks_id_column_missing",
                ko="추첨 번호 또는 등록번호 열이 있어야 합니다",
                en="the file needs a draw_id or a registry_no column",
                file=filename,
                row=1,
            )
        )
    for column, names in (("willingness", COLUMNS["willingness"]), ("health", COLUMNS["health"])):
        if column not in headers:
            problems.append(
                Finding(
                    "checks_column_missing",
                    ko=f"'{names[0]}' 열이 있어야 합니다",
                    en=f"the file needs a '{names[1]}' column",
                    file=filename,
                    row=1,
                )
            )
    if problems:
        raise ChecksFileError(problems)
    lines = []
    for number, cells in enumerate(table[1:], 2):
        values = {
            column: (cells[index] if index < len(cells) else "").strip()
            for index, column in columns.items()
        }
        wanted = {k: v for k, v in values.items() if k in COLUMNS}
        if not any(wanted.values()):
            continue  # a blank row
        line = _line(filename, number, values, headers, problems)
        if line is not None:
            lines.append(line)
    if not lines and not problems:
        raise ChecksFileError(
            [
                Finding(
                    "checks_no_rows",
                    ko="확인 결과가 있는 행이 없습니다",
                    en="the file has no rows",
                    file=filename,
                    row=0,
                )
            ]
        )
    return ChecksFile(filename=filename, lines=lines, headers=headers, problems=problems)


def _line(
    filename: str,
    number: int,
    values: dict[str, str],
    headers: dict[str, str],
    problems: list[Finding],
) -> CheckLine | None:
    draw_id, registry_no = values.get("draw_id", ""), values.get("registry_no", "")
    if not draw_id and not registry_no:
        problems.append(
            Finding(
                "checks_id_missing",
                ko="추첨 번호나 등록번호가 없습니다",
                en="no draw id or registration number",
                file=filename,
                row=number,
                field=headers.get("draw_id") or headers["registry_no"],
            )
        )
    codes = {}
    for column, table in (("willingness", _WILLINGNESS), ("health", _HEALTH)):
        text = values.get(column, "")
        code = table.get(_key(text)) if text else "pending"
        if code is None:
            words = WILLINGNESS if column == "willingness" else HEALTH
            korean, english = _accepted(words)
            problems.append(
                Finding(
                    "checks_value_invalid",
                    ko=f"'{text[:40]}'은(는) 쓸 수 없는 값입니다 ({korean} 중 하나)",
                    en=f"'{text[:40]}' is not a value of this column (one of {english})",
                    file=filename,
                    row=number,
                    field=headers[column],
                )
            )
        codes[column] = code or ""
    note = values.get("note", "")
    if len(note) > NOTE_LIMIT:
        problems.append(
            Finding(
                "checks_note_too_long",
                ko=f"비고는 {NOTE_LIMIT}자까지입니다",
                en=f"the note is at most {NOTE_LIMIT} characters",
                file=filename,
                row=number,
                field=headers["note"],
            )
        )
    elif CONTROL_BUT_TAB_AND_NEWLINE.search(note):
        problems.append(
            Finding(
                "checks_note_control",
                ko="비고에 제어 문자가 있습니다",
                en="the note holds control characters",
                file=filename,
                row=number,
                field=headers["note"],
            )
        )
    if not draw_id and not registry_no:
        return None
    return CheckLine(
        row=number,
        draw_id=draw_id,
        registry_no=registry_no,
        willingness=codes["willingness"],
        health=codes["health"],
        note=note,
    )


def template_rows(
    rows: Sequence[tuple[str, str, str, str, int | None, str, str, str]], language: str
) -> list[list[str]]:
    """The template's rows: (draw id, registration number, name, stratum, rank, willingness,
    health, note) with the codes in the language's words, the header first."""
    words = VALUE_WORDS["en" if language == "en" else "ko"]
    out = [list(TEMPLATE_HEADERS["en" if language == "en" else "ko"])]
    for draw_id, registry_no, name, stratum, rank, willingness, health, note in rows:
        out.append(
            [
                draw_id,
                registry_no,
                name,
                stratum,
                "" if rank is None else str(rank),
                words["willingness"].get(willingness, willingness),
                words["health"].get(health, health),
                note,
            ]
        )
    return out


def template_csv(rows: list[list[str]]) -> bytes:
    """The template as CSV, UTF-8 with a BOM (so that Korean Excel reads it as UTF-8)."""
    out = io.StringIO(newline="")
    csvcells.writer(out).writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def template_xlsx(rows: list[list[str]], language: str) -> bytes:
    """The template as an xlsx workbook: every cell text (a draw id such as 0012e3 stays as it
    is), the willingness and health columns with a list of their values."""

    book = Workbook()
    sheet = book.active
    sheet.title = tr("확인표", "checks", language)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.number_format = "@"
    widths = (18, 12, 14, 12, 6, 12, 12, 40)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(65 + index)].width = width
    words = VALUE_WORDS["en" if language == "en" else "ko"]
    last = max(len(rows), 2)
    for letter, column in (("F", "willingness"), ("G", "health")):
        choices = ",".join(words[column].values())
        validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
