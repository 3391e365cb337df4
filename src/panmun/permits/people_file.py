"""A people list (명단) read whole for an application: an Excel .xlsx or a CSV file (UTF-8, UTF-8
with BOM, or CP949 as Korean Excel saves it), one person a row, checked by `people.check_person`.

All or nothing: `read_people` gives every row's person, or raises `PeopleFileError` with every
problem found, each naming the file, the spreadsheet row (the header is row 1) and the field.
Headers in Korean or English (`HEADERS`), in any order, case or spacing; a file larger than
`MAX_FILE_BYTES` or with more than `MAX_ROWS` people is refused by its name. No Django models.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from panmun.common.findings import Finding, FindingsError
from panmun.common.spreadsheets.reading import (
    Source,
    column_letter,
    rows_of,
    too_many_rows,
    whole_file,
)

from .people import PersonData, check_person

MAX_ROWS = 5_000
MAX_FILE_BYTES = 5 * 1024 * 1024
SHOWN_PROBLEMS = 50

COLUMNS: tuple[str, ...] = (
    "name_ko",
    "name_latin",
    "sex",
    "birth_date",
    "document_kind",
    "document_number",
    "nationality",
    "phone",
    "email",
)
REQUIRED: tuple[str, ...] = ("name_ko", "sex", "birth_date", "document_kind", "document_number")
KOREAN_HEADERS: dict[str, tuple[str, ...]] = {
    "name_ko": ("이름", "성명"),
    "name_latin": ("영문 이름", "영문 성명"),
    "sex": ("성별",),
    "birth_date": ("생년월일",),
    "document_kind": ("신분증 종류",),
    "document_number": ("신분증 번호",),
    "nationality": ("국적",),
    "phone": ("전화", "전화번호"),
    "email": ("전자우편", "이메일"),
}

_HEADER_SPACE = re.compile(r"[\s_\-]+")


def header_key(text: str) -> str:
    """A header as compared: NFC, without spaces, "_", "-" and a BOM, case-folded."""
    return _HEADER_SPACE.sub(
        "", unicodedata.normalize("NFC", text).replace("\ufeff", "")
    ).casefold()


HEADERS: dict[str, str] = {
    **{header_key(column): column for column in COLUMNS},
    **{header_key(word): column for column, words in KOREAN_HEADERS.items() for word in words},
}


class PeopleFileError(FindingsError):
    """A people list that cannot be used, with every problem found in it."""

    shown = SHOWN_PROBLEMS


@dataclass(frozen=True)
class PersonRow:
    """A person of the list, with the spreadsheet row they were read from."""

    row: int
    person: PersonData


def _finding(file: str, row: int, field: str, ko: str, en: str) -> Finding:
    return Finding("permits_people_invalid", ko=ko, en=en, file=file, row=row, field=field)


def _header(file: str, cells: Sequence[str], problems: list[Finding]) -> dict[str, int]:
    """The column of each field (its position in a row); problems for unknown, repeated and
    missing columns."""
    found: dict[str, int] = {}
    for position, raw in enumerate(cells):
        text = raw.strip()
        if not text:
            continue
        column = HEADERS.get(header_key(text))
        letter = column_letter(position)
        if column is None:
            problems.append(
                _finding(
                    file,
                    1,
                    text[:40],
                    f"알 수 없는 열 {text[:40]!r} ({letter}열)",
                    f"unknown column {text[:40]!r} (column {letter})",
                )
            )
        elif column in found:
            first = column_letter(found[column])
            problems.append(
                _finding(
                    file,
                    1,
                    column,
                    f"{column} 열이 두 번 있습니다 ({first}열과 {letter}열)",
                    f"column {column} appears twice (columns {first} and {letter})",
                )
            )
        else:
            found[column] = position
    for column in REQUIRED:
        if column not in found:
            korean = KOREAN_HEADERS[column][0]
            problems.append(
                _finding(
                    file,
                    1,
                    column,
                    f"{korean}({column}) 열이 없습니다",
                    f"the file has no {column} ({korean}) column",
                )
            )
    return found


def read_people(data: Source, *, file_name: str, today: date) -> list[PersonRow]:
    """Every person of a people list, checked, in the file's order; `PeopleFileError` with every
    problem (the file's, each bad row's field by field, document numbers given twice — both rows
    named) where there is any. `today` bounds the birth dates."""
    problems: list[Finding] = []
    size = len(data) if isinstance(data, bytes | bytearray) else _size(data)
    if size > MAX_FILE_BYTES:
        megabytes = MAX_FILE_BYTES // (1024 * 1024)
        raise PeopleFileError(
            [
                whole_file(
                    "permits_people_file_too_large",
                    file_name,
                    ko=f"파일이 {size:,}바이트로 너무 큽니다 (최대 {megabytes}MB)",
                    en=f"the file is {size:,} bytes; at most {megabytes} MB are taken",
                )
            ]
        )
    rows, _total = rows_of(data, file_name, problems)
    columns: dict[str, int] | None = None
    people: list[PersonRow] = []
    first_row: dict[tuple[str, str], int] = {}
    read = 0
    for number, cells in enumerate(rows, 1):
        if columns is None:
            columns = _header(file_name, cells, problems)
            if problems:
                break
            continue
        if not any(cell.strip() for cell in cells):
            continue  # an empty row between people
        read += 1
        if read > MAX_ROWS:
            problems.append(too_many_rows(file_name, MAX_ROWS))
            break
        values = {column: cells[i] if i < len(cells) else "" for column, i in columns.items()}
        person, bad = check_person(values, today=today)
        for field, ko, en in bad:
            problems.append(_finding(file_name, number, field, ko, en))
        if person is None:
            continue
        key = (person.document_kind, person.document_number)
        if key in first_row:
            earlier = first_row[key]
            for row, other in ((earlier, number), (number, earlier)):
                problems.append(
                    Finding(
                        "permits_people_duplicate",
                        ko=f"신분증 번호가 {other}행과 같습니다",
                        en=f"the same document number as row {other}",
                        file=file_name,
                        row=row,
                        field="document_number",
                    )
                )
            continue
        first_row[key] = number
        people.append(PersonRow(row=number, person=person))
    if columns is None and not problems:
        problems.append(
            whole_file(
                "permits_people_no_header",
                file_name,
                ko="머리글 행이 없습니다",
                en="the file has no header row",
            )
        )
    elif not problems and not people:
        problems.append(
            whole_file(
                "permits_people_none",
                file_name,
                ko="명단에 사람이 없습니다",
                en="the list names nobody",
            )
        )
    if problems:
        raise PeopleFileError(problems)
    return people


def _size(source: Source) -> int:
    assert not isinstance(source, bytes | bytearray)
    here = source.tell()
    source.seek(0, 2)
    size = source.tell()
    source.seek(here)
    return size


__all__ = ["MAX_FILE_BYTES", "MAX_ROWS", "PeopleFileError", "PersonRow", "read_people"]
