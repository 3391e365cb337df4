"""The input of `panmun link` and `panmun dedupe`: a CSV of people, checked whole.

Columns (header row; only `record_id` is required, every other column may be absent or blank):
record_id, family_name, given_name, name_latin, sex, birth_date, birth_calendar, birthplace,
father_name. The file is UTF-8 (with or without BOM) or CP949/EUC-KR, as Korean Excel saves it.
Every problem is reported with its file, row and column; a file with any problem yields nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from panmun.common.findings import Finding, FindingsError
from panmun.common.spreadsheets.charsets import ENCODINGS, unreadable_line
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


class InputError(FindingsError):
    """A file that cannot be used, with every problem found in it (a problem's row: 1 is the
    header row, 0 the file as a whole; its field: the column)."""

    shown = MAX_PROBLEMS


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
    problems: list[Finding] = field(default_factory=list)

    def add(self, row: int, column: str, *, ko: str, en: str, code: str) -> None:
        self.problems.append(Finding(code, ko=ko, en=en, file=self.file, row=row, field=column))


def missing_column(file: str, column: str) -> Finding:
    """The problem of a required column the header does not name."""
    return Finding(
        "linkage_column_missing",
        ko="필수 열이 없습니다",
        en="the required column is missing",
        file=file,
        row=1,
        field=column,
    )


def unreadable(path: Path, exc: OSError) -> Finding:
    """The problem of a file that cannot be read at all."""
    return Finding(
        "linkage_unreadable",
        ko=f"파일을 읽을 수 없습니다({exc.strerror})",
        en=f"cannot be read ({exc.strerror})",
        file=str(path),
        row=0,
    )


def decode(data: bytes, file: str) -> tuple[str, str]:
    """The text of a file and the encoding it was in: UTF-8 first, then CP949."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    # Neither: name the first line that neither encoding reads.
    number = unreadable_line(data)
    if number:
        raise InputError(
            [
                Finding(
                    "linkage_bad_encoding",
                    ko="UTF-8도 CP949(EUC-KR)도 아닌 바이트가 있습니다",
                    en="bytes that are neither UTF-8 nor CP949 (EUC-KR)",
                    file=file,
                    row=number,
                )
            ]
        )
    raise InputError(
        [
            Finding(
                "linkage_bad_encoding",
                ko="파일이 UTF-8도 CP949(EUC-KR)도 아닙니다",
                en="the file is neither UTF-8 nor CP949 (EUC-KR)",
                file=file,
                row=0,
            )
        ]
    )


@lru_cache(maxsize=1 << 16)
def _calendar(text: str) -> Calendar | None:
    try:
        return parse_calendar(text or None)
    except ValueError:
        return None


@lru_cache(maxsize=1 << 18)
def _birth(text: str, calendar: Calendar) -> PartialDate | Finding | None:
    """The birth date, None when blank, or the finding (not yet placed) of why it is not one
    (birthdays repeat: kept)."""
    if not text:
        return None
    parts = text.split("-")
    if len(parts) > 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        return Finding(
            "linkage_birth_invalid",
            ko=f"{text!r}은(는) YYYY-MM-DD, YYYY-MM, YYYY 형식이 아닙니다",
            en=f"{text!r} is not YYYY-MM-DD, YYYY-MM or YYYY",
        )
    numbers = [int(p) for p in parts]
    try:
        birth = PartialDate(numbers[0], *(numbers[1:]))
    except ValueError as exc:
        return Finding(
            "linkage_birth_invalid",
            ko=f"{text!r}은(는) 날짜가 아닙니다: {exc}",
            en=f"{text!r} is not a date: {exc}",
        )
    if birth.day is not None and birth.month is not None:
        try:
            solar_candidates(birth.year, birth.month, birth.day, calendar)
        except ValueError as exc:
            label = "" if calendar == Calendar.UNKNOWN else f" {calendar.value}"
            return Finding(
                "linkage_birth_invalid",
                ko=f"{text!r}은(는) 올바른{label} 날짜가 아닙니다: {exc}",
                en=f"{text!r} is not a{label} date: {exc}",
            )
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
        raise InputError(
            [
                Finding(
                    "linkage_file_empty",
                    ko="파일이 비어 있습니다(머리글 행이 없습니다)",
                    en="the file is empty (no header row)",
                    file=file,
                    row=0,
                )
            ]
        )
    names = [nfc(h).lower() for h in header]
    if "record_id" not in names:
        raise InputError([missing_column(file, "record_id")])
    for name in {n for n in names if names.count(n) > 1 and n in COLUMNS}:
        reader.add(
            1,
            name,
            ko="같은 열이 두 번 이상 있습니다",
            en="the column appears more than once",
            code="linkage_column_twice",
        )
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
            reader.add(
                row_number,
                "record_id",
                ko="비어 있습니다",
                en="is blank",
                code="linkage_id_missing",
            )
            continue
        if record_id in seen:
            reader.add(
                row_number,
                "record_id",
                ko=f"{record_id!r}이(가) 다시 나옵니다(처음은 {seen[record_id]}행)",
                en=f"{record_id!r} is used again (first at row {seen[record_id]})",
                code="linkage_id_twice",
            )
            continue
        seen[record_id] = row_number
        sex = sex.upper()
        if sex not in ("", "M", "F"):
            reader.add(
                row_number,
                "sex",
                ko=f"{got[4]!r}은(는) M, F, 빈칸 가운데 하나가 아닙니다",
                en=f"{got[4]!r} is not M, F or blank",
                code="linkage_value_invalid",
            )
        calendar = _calendar(calendar_text)
        if calendar is None:
            reader.add(
                row_number,
                "birth_calendar",
                ko=f"{calendar_text!r}은(는) solar, lunar, 빈칸 가운데 하나가 아닙니다",
                en=f"{calendar_text!r} is not solar, lunar or blank",
                code="linkage_value_invalid",
            )
            calendar = Calendar.UNKNOWN
        birth = _birth(birth_text, calendar)
        if isinstance(birth, Finding):
            reader.problems.append(replace(birth, file=file, row=row_number, field="birth_date"))
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
        raise InputError([unreadable(path, exc)]) from exc
    text, encoding = decode(data, path.name)
    return parse(text, path.name), encoding


# --- the fast path: a whole file as columns ---------------------------------------------------
#
# A list of a million people cannot go through Python row by row in the time an officer waits.
# `read_table` reads the CSV with Arrow, normalises whole columns, and checks each distinct
# value once (birthdays, calendars and sexes repeat). Anything it does not expect — a problem
# in the data, a ragged row, an odd header — sends the file through `parse`, the reference
# reader, which reports every problem by row and column; so the two cannot disagree on what
# is wrong, and a test checks they agree on what is right.

RAW_COLUMNS = (*COLUMNS[:5], "birth_year", "birth_month", "birth_day", *COLUMNS[6:])


class _Unexpected(Exception):
    """Something the fast path leaves to the reference reader."""


def _distinct(values: pa.ChunkedArray | pa.Array) -> tuple[list[Any], pa.Array]:
    """The distinct values of a column and, for each row, the index of its value."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    encoded = pc.dictionary_encode(values)
    return encoded.dictionary.to_pylist(), encoded.indices


def _fast(data: bytes) -> pa.Table:
    text, _ = decode(data, "")
    first, _, _ = text.partition("\n")
    header = next(csv.reader([first]), [])
    names = [nfc(h).lower() for h in header]
    if "record_id" not in names or len(set(names)) != len(names) or '"' in first:
        raise _Unexpected
    table = pacsv.read_csv(
        io.BytesIO(text.encode("utf-8")),
        read_options=pacsv.ReadOptions(
            skip_rows=1, column_names=[f"c{i}" for i in range(len(names))]
        ),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={f"c{i}": pa.string() for i in range(len(names))},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    columns: dict[str, pa.Array] = {}
    blank = pa.array([""] * table.num_rows, pa.string())
    for name in COLUMNS:
        if name in names:
            raw = table.column(f"c{names.index(name)}").combine_chunks()
            columns[name] = pc.utf8_normalize(pc.utf8_trim_whitespace(raw), form="NFC")
        else:
            columns[name] = blank
    everything = pc.binary_join_element_wise(*[columns[c] for c in COLUMNS], "")
    keep = pc.not_equal(everything, "")
    columns = {name: pc.filter(column, keep) for name, column in columns.items()}
    ids = columns["record_id"]
    if pc.any(pc.equal(ids, "")).as_py() or pc.count_distinct(ids).as_py() != len(ids):
        raise _Unexpected
    sex = pc.utf8_upper(columns["sex"])
    if not set(pc.unique(sex).to_pylist()) <= {"", "M", "F"}:
        raise _Unexpected
    for word in pc.unique(columns["birth_calendar"]).to_pylist():
        if _calendar(word) is None:
            raise _Unexpected
    dates, index = _distinct(
        pc.binary_join_element_wise(columns["birth_date"], columns["birth_calendar"], "\x1f")
    )
    parts: list[tuple[int | None, int | None, int | None, str]] = []
    for value in dates:
        birth_text, _, calendar_text = value.partition("\x1f")
        calendar = _calendar(calendar_text)
        assert calendar is not None
        birth = _birth(birth_text, calendar)
        if isinstance(birth, Finding):
            raise _Unexpected
        if birth is None:
            parts.append((None, None, None, calendar.value))
        else:
            parts.append((birth.year, birth.month, birth.day, calendar.value))
    out = {name: columns[name] for name in COLUMNS[:4]}
    out["sex"] = sex
    for position, name in enumerate(("birth_year", "birth_month", "birth_day")):
        out[name] = pc.take(pa.array([p[position] for p in parts], pa.int32()), index)
    out["birth_calendar"] = pc.take(pa.array([p[3] for p in parts], pa.string()), index)
    for name in COLUMNS[7:]:
        out[name] = columns[name]
    return pa.table([out[name] for name in RAW_COLUMNS], names=list(RAW_COLUMNS))


def raw_table(records: list[PersonRecord]) -> pa.Table:
    """Records as the columns `read_table` gives (RAW_COLUMNS)."""

    def birth(part: str) -> list[int | None]:
        return [getattr(r.birth, part) if r.birth else None for r in records]

    return pa.table(
        {
            "record_id": [r.record_id for r in records],
            "family_name": [r.family_name for r in records],
            "given_name": [r.given_name for r in records],
            "name_latin": [r.name_latin for r in records],
            "sex": [r.sex for r in records],
            "birth_year": pa.array(birth("year"), pa.int32()),
            "birth_month": pa.array(birth("month"), pa.int32()),
            "birth_day": pa.array(birth("day"), pa.int32()),
            "birth_calendar": [r.birth_calendar.value for r in records],
            "birthplace": [r.birthplace for r in records],
            "father_name": [r.father_name for r in records],
        }
    )


def read_table(path: Path) -> pa.Table:
    """The records of a CSV file as columns (RAW_COLUMNS): the same records `read` gives, and
    the same InputError, with every problem by row and column, for a file that has any."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([unreadable(path, exc)]) from exc
    try:
        return _fast(data)
    except (_Unexpected, InputError, pa.ArrowException):
        text, _ = decode(data, path.name)
        return raw_table(parse(text, path.name))
