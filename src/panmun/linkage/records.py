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


def _birth(reader: _Reader, row: int, text: str, calendar: Calendar) -> PartialDate | None:
    parts = text.split("-")
    if not text:
        return None
    if len(parts) > 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        reader.add(row, "birth_date", f"{text!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
        return None
    numbers = [int(p) for p in parts]
    try:
        birth = PartialDate(numbers[0], *(numbers[1:]))
    except ValueError as exc:
        reader.add(row, "birth_date", f"{text!r} is not a date: {exc}")
        return None
    if birth.day is not None and birth.month is not None:
        try:
            solar_candidates(birth.year, birth.month, birth.day, calendar)
        except ValueError as exc:
            label = "" if calendar == Calendar.UNKNOWN else f" {calendar.value}"
            reader.add(row, "birth_date", f"{text!r} is not a{label} date: {exc}")
            return None
    return birth


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
    position = {name: names.index(name) for name in COLUMNS if name in names}
    records: list[PersonRecord] = []
    seen: dict[str, int] = {}
    for row_number, values in enumerate(rows, 2):
        if not any(v.strip() for v in values):
            continue  # a blank line

        def get(column: str, values: list[str] = values) -> str:
            index = position.get(column)
            return nfc(values[index]) if index is not None and index < len(values) else ""

        record_id = get("record_id")
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
        sex = get("sex").upper()
        if sex not in ("", "M", "F"):
            reader.add(row_number, "sex", f"{get('sex')!r} is not M, F or blank")
        try:
            calendar = parse_calendar(get("birth_calendar") or None)
        except ValueError:
            reader.add(
                row_number,
                "birth_calendar",
                f"{get('birth_calendar')!r} is not solar, lunar or blank",
            )
            calendar = Calendar.UNKNOWN
        birth = _birth(reader, row_number, get("birth_date"), calendar)
        records.append(
            PersonRecord(
                record_id=record_id,
                family_name=get("family_name"),
                given_name=get("given_name"),
                name_latin=get("name_latin"),
                sex=sex,
                birth=birth,
                birth_calendar=calendar,
                birthplace=get("birthplace"),
                father_name=get("father_name"),
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
