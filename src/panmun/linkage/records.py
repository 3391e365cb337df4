"""The input of `panmun link` and `panmun dedupe`: a CSV of people, checked whole.

Columns (header row; only `record_id` is required, every other column may be absent or blank):
record_id, family_name, given_name, name_latin, sex, birth_date, birth_calendar, birthplace,
father_name. The file is UTF-8 (with or without BOM) or CP949/EUC-KR, as Korean Excel saves it.
Every problem is reported with its file, row and column; a file with any problem yields nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from panmun.korean.calendars import Calendar, PartialDate, parse_calendar, solar_candidates
from panmun.korean.hangul import nfc

COLUMNS = (
    "record_id",
    "family_name",
    "given_name",
    "name_latin",
    "sex",
    "birth_date",
    "birth_calendar",
    "birthplace",
    "father_name",
)
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    file: str
    row: int  # 1 is the header row; 0 is the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row else self.file
        return (
            f"{where}, column {self.column}: {self.message}"
            if self.column
            else f"{where}: {self.message}"
        )


class InputError(ValueError):
    """A file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:MAX_PROBLEMS])
        more = len(problems) - MAX_PROBLEMS
        super().__init__(shown + (f"\n… and {more} more problems" if more > 0 else ""))


@dataclass(frozen=True)
class PersonRecord:
    record_id: str
    family_name: str = ""
    given_name: str = ""
    name_latin: str = ""
    sex: str = ""  # "M", "F" or ""
    birth: PartialDate | None = None
    birth_calendar: Calendar = Calendar.UNKNOWN
    birthplace: str = ""
    father_name: str = ""
    row: int = 0


@dataclass
class _Reader:
    file: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(self.file, row, column, message))


def decode(data: bytes, file: str) -> tuple[str, str]:
    """The text of a file and the encoding it was in: UTF-8 first, then CP949."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    # Neither: name the first line that neither encoding reads.
    for number, line in enumerate(data.split(b"\n"), 1):
        for encoding in ("utf-8", "cp949"):
            try:
                line.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InputError(
                [Problem(file, number, "", "bytes that are neither UTF-8 nor CP949 (EUC-KR)")]
            )
    raise InputError([Problem(file, 0, "", "the file is neither UTF-8 nor CP949 (EUC-KR)")])


@lru_cache(maxsize=1 << 16)
def _calendar(text: str) -> Calendar | None:
    try:
        return parse_calendar(text or None)
    except ValueError:
        return None


@lru_cache(maxsize=1 << 18)
def _birth(text: str, calendar: Calendar) -> PartialDate | str | None:
    """The birth date, None when blank, or why it is not one (birthdays repeat: kept)."""
    if not text:
        return None
    parts = text.split("-")
    if len(parts) > 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        return f"{text!r} is not YYYY-MM-DD, YYYY-MM or YYYY"
    numbers = [int(p) for p in parts]
    try:
        birth = PartialDate(numbers[0], *(numbers[1:]))
    except ValueError as exc:
        return f"{text!r} is not a date: {exc}"
    if birth.day is not None and birth.month is not None:
        try:
            solar_candidates(birth.year, birth.month, birth.day, calendar)
        except ValueError as exc:
            label = "" if calendar == Calendar.UNKNOWN else f" {calendar.value}"
            return f"{text!r} is not a{label} date: {exc}"
    return birth


def _clean(value: str) -> str:
    """NFC and trimmed; ASCII needs no normalising."""
    return value.strip() if value.isascii() else nfc(value)


def parse(text: str, file: str) -> list[PersonRecord]:
    """Check a whole CSV text; return its records or raise InputError listing every problem."""
    reader = _Reader(file)
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    if header is None:
        raise InputError([Problem(file, 0, "", "the file is empty (no header row)")])
    names = [nfc(h).lower() for h in header]
    if "record_id" not in names:
        raise InputError([Problem(file, 1, "record_id", "the required column is missing")])
    for name in {n for n in names if names.count(n) > 1 and n in COLUMNS}:
        reader.add(1, name, "the column appears more than once")
    # Where each contract column is in the file (-1: absent, read as blank).
    where = [names.index(c) if c in names else -1 for c in COLUMNS]
    width = max(where) + 1
    records: list[PersonRecord] = []
    seen: dict[str, int] = {}
    for row_number, values in enumerate(rows, 2):
        if len(values) < width:
            values = values + [""] * (width - len(values))
        got = [_clean(values[i]) if i >= 0 else "" for i in where]
        if not any(got) and not any(v.strip() for v in values):
            continue  # a blank line
        record_id, family, given, latin, sex, birth_text, calendar_text, place, father = got
        if not record_id:
            reader.add(row_number, "record_id", "is blank")
            continue
        if record_id in seen:
            reader.add(
                row_number,
                "record_id",
                f"{record_id!r} is used again (first at row {seen[record_id]})",
            )
            continue
        seen[record_id] = row_number
        sex = sex.upper()
        if sex not in ("", "M", "F"):
            reader.add(row_number, "sex", f"{got[4]!r} is not M, F or blank")
        calendar = _calendar(calendar_text)
        if calendar is None:
            reader.add(
                row_number, "birth_calendar", f"{calendar_text!r} is not solar, lunar or blank"
            )
            calendar = Calendar.UNKNOWN
        birth = _birth(birth_text, calendar)
        if isinstance(birth, str):
            reader.add(row_number, "birth_date", birth)
            birth = None
        records.append(
            PersonRecord(
                record_id=record_id,
                family_name=family,
                given_name=given,
                name_latin=latin,
                sex=sex,
                birth=birth,
                birth_calendar=calendar,
                birthplace=place,
                father_name=father,
                row=row_number,
            )
        )
    if reader.problems:
        raise InputError(reader.problems)
    return records


def read(path: Path) -> tuple[list[PersonRecord], str]:
    """The records of a CSV file and the encoding it was in."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(str(path), 0, "", f"cannot be read ({exc.strerror})")]) from exc
    text, encoding = decode(data, path.name)
    return parse(text, path.name), encoding
