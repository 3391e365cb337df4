"""The separated-families registry file (이산가족 등록부): read and checked whole, and written back.

One row per (applicant, relative sought). The applicant (신청자) is the person who registered;
the relative (찾는 가족) is the person they seek. Rows sharing a `registry_no` are one applicant
seeking several relatives; an applicant row whose relative columns are all blank is an applicant
who seeks nobody yet. The file is CSV (UTF-8 with or without BOM, or CP949 as Korean Excel saves
it) or Excel xlsx (first sheet). Headers are the English column names of `COLUMNS` or the Korean
ones of `KOREAN_HEADERS`, in any order, case, spacing.

`read_registry` gives clean Python data or raises `RegistryFileError` with every problem found,
each naming the file, the spreadsheet row (the header is row 1) and the column, in Korean and in
English, so that nothing is written while anything is wrong. `stage_registry` does the same in
memory that does not grow with the file: each row is checked as it is read and kept on disk (a
private SQLite file, `_Staging`), then each applicant's rows are checked together, and the
applicants are made again one at a time for whoever writes them. `write_csv` and `write_xlsx`
write the same layout back; reading what they write gives the same data.

No Django, no registry database (the staging store is SQLite of Python's own).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import pickle
import re
import sqlite3
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time
from functools import lru_cache
from operator import attrgetter
from typing import IO, Any
from xml.parsers import expat

import xlsxwriter  # type: ignore[import-untyped]
from defusedxml import DTDForbidden, EntitiesForbidden  # type: ignore[import-untyped]
from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils.datetime import from_excel, from_ISO8601  # type: ignore[import-untyped]

from panmun.common import csvcells
from panmun.common.findings import Finding, FindingsError
from panmun.korean.calendars import Calendar, solar_candidates
from panmun.korean.dates import korea_today
from panmun.linkage.records import InputError, decode

COLUMNS: tuple[str, ...] = (
    "registry_no",
    "applicant_family_name",
    "applicant_given_name",
    "applicant_name_latin",
    "applicant_sex",
    "applicant_birth_date",
    "applicant_birth_calendar",
    "address",
    "phone",
    "email",
    "abroad",
    "country",
    "applicant_status",
    "applicant_death_date",
    "registered_on",
    "consent_share",
    "consent_on",
    "applicant_notes",
    "relation",
    "relative_family_name",
    "relative_given_name",
    "relative_name_latin",
    "relative_sex",
    "relative_birth_date",
    "relative_birth_calendar",
    "relative_hometown",
    "relative_father_name",
    "relative_status",
    "relative_death_date",
    "last_known_place",
    "separated_on",
    "relative_notes",
)

KOREAN_HEADERS: dict[str, str] = {
    "registry_no": "등록번호",
    "applicant_family_name": "신청자 성",
    "applicant_given_name": "신청자 이름",
    "applicant_name_latin": "신청자 영문 이름",
    "applicant_sex": "신청자 성별",
    "applicant_birth_date": "신청자 생년월일",
    "applicant_birth_calendar": "신청자 양음력",
    "address": "주소",
    "phone": "전화",
    "email": "전자우편",
    "abroad": "해외 거주",
    "country": "거주국",
    "applicant_status": "신청자 생존 여부",
    "applicant_death_date": "신청자 사망일",
    "registered_on": "등록일",
    "consent_share": "정보 공유 동의",
    "consent_on": "동의일",
    "applicant_notes": "신청자 비고",
    "relation": "관계",
    "relative_family_name": "가족 성",
    "relative_given_name": "가족 이름",
    "relative_name_latin": "가족 영문 이름",
    "relative_sex": "가족 성별",
    "relative_birth_date": "가족 생년월일",
    "relative_birth_calendar": "가족 양음력",
    "relative_hometown": "가족 고향",
    "relative_father_name": "가족 부 성명",
    "relative_status": "가족 생존 여부",
    "relative_death_date": "가족 사망일",
    "last_known_place": "마지막 소재지",
    "separated_on": "이산 시기",
    "relative_notes": "가족 비고",
}

# The most characters a value may have (the database's limits; free text has a generous one).
# Coded columns (sex, dates, yes/no, …) have none: a long value is not a code, refused as such.
LIMITS: dict[str, int] = {
    "registry_no": 20,
    "applicant_family_name": 100,
    "applicant_given_name": 100,
    "applicant_name_latin": 200,
    "address": 500,
    "phone": 50,
    "email": 200,
    "country": 100,
    "applicant_notes": 5000,
    "relative_family_name": 100,
    "relative_given_name": 100,
    "relative_name_latin": 200,
    "relative_hometown": 200,
    "relative_father_name": 100,
    "last_known_place": 200,
    "relative_notes": 5000,
}
EARLIEST_YEAR = 1880
SHOWN_PROBLEMS = 20
PROGRESS_EVERY = 1000
# The largest file an import takes from a page or a job (the command line reads any size), and
# the most data rows of a file (everywhere): past either the file is refused by its name. A row
# of the registry takes some 60 bytes in CSV at the least, so 50 MB may hold some 800,000.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 1_000_000

_NOTES = frozenset({"applicant_notes", "relative_notes"})
_APPLICANT_NAMES = ("applicant_family_name", "applicant_given_name", "applicant_name_latin")
_RELATIVE_NAMES = ("relative_family_name", "relative_given_name", "relative_name_latin")
# The columns that describe the applicant: every row of one registry_no must agree on them.
_APPLICANT_COLUMNS = COLUMNS[1 : COLUMNS.index("relation")]
# The columns that describe the relative sought; any of them filled means the row has one.
_RELATIVE_COLUMNS = COLUMNS[COLUMNS.index("relation") :]
_RELATIVE_SET = frozenset(_RELATIVE_COLUMNS)
_ORDER = {column: index for index, column in enumerate(COLUMNS)}

_SEX = {
    "m": "M",
    "f": "F",
    "x": "X",
    "남": "M",
    "여": "F",
    "male": "M",
    "female": "F",
    "남자": "M",
    "여자": "F",
    "남성": "M",
    "여성": "F",
}
_CALENDAR = {"solar": "solar", "lunar": "lunar", "양력": "solar", "음력": "lunar"}
_YES_NO = {
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "y": True,
    "n": False,
    "1": True,
    "0": False,
    "예": True,
    "아니오": False,
    "아니요": False,
}
_APPLICANT_STATUS = {"alive": "alive", "deceased": "deceased", "생존": "alive", "사망": "deceased"}
_RELATIVE_STATUS = {"unknown": "unknown", "미상": "unknown", **_APPLICANT_STATUS}
_RELATION = {
    "spouse": "spouse",
    "parent": "parent",
    "child": "child",
    "sibling": "sibling",
    "other": "other",
    "배우자": "spouse",
    "부모": "parent",
    "자녀": "child",
    "형제자매": "sibling",
    "기타": "other",
}

_REGISTRY_NO = re.compile(r"[A-Za-z0-9-]+")
_DATE = re.compile(r"([0-9]{4})(?:([-./])([0-9]{1,2})(?:\2([0-9]{1,2}))?)?\.?")
_COMPACT_DATE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NOTES_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # tab and newline are kept
_HEADER_SPACE = re.compile(r"[\s_\-]+")


# ---- problems ---------------------------------------------------------------------------------


def file_too_large(file: str, size: int) -> Finding:
    """The problem of a file larger than an import takes (MAX_FILE_BYTES)."""
    megabytes = MAX_FILE_BYTES // (1024 * 1024)
    return Finding(
        "registry_file_too_large",
        ko=f"파일이 {size:,}바이트로 너무 큽니다 (최대 {MAX_FILE_BYTES:,}바이트, {megabytes}MB)",
        en=(
            f"the file is {size:,} bytes; "
            f"at most {MAX_FILE_BYTES:,} bytes ({megabytes} MB) are taken"
        ),
        file=file,
        row=0,
    )


def too_many_rows(file: str, limit: int | None = None) -> Finding:
    """The problem of a file with more data rows than an import takes (MAX_ROWS)."""
    limit = MAX_ROWS if limit is None else limit
    return Finding(
        "registry_too_many_rows",
        ko=f"자료 행이 {limit:,}개를 넘습니다 (한 파일에 최대 {limit:,}행): 파일을 나누십시오",
        en=f"the file has more than {limit:,} data rows (at most {limit:,} in one file): split it",
        file=file,
        row=0,
    )


class RegistryFileError(FindingsError):
    """A registry file that cannot be used, with every problem found in it."""

    shown = SHOWN_PROBLEMS


class _Bad(Exception):
    """Why one value is refused, in both languages."""

    def __init__(self, ko: str, en: str) -> None:
        super().__init__(en)
        self.ko = ko
        self.en = en


# ---- the data ---------------------------------------------------------------------------------


@dataclass(slots=True)
class RelativeData:
    """A relative sought, from one row."""

    row: int = 0
    relation: str = ""  # spouse|parent|child|sibling|other
    family_name: str = ""
    given_name: str = ""
    name_latin: str = ""
    sex: str = ""  # "M", "F", "X" or ""
    birth_date: str = ""  # "YYYY", "YYYY-MM", "YYYY-MM-DD" or ""
    birth_year: int | None = None
    birth_calendar: str = ""  # "solar", "lunar" or ""
    hometown: str = ""
    father_name: str = ""
    status: str = "unknown"  # "unknown", "alive" or "deceased"
    death_date: str = ""  # a partial date, only when deceased
    last_known_place: str = ""
    separated_on: str = ""  # a partial date
    notes: str = ""


@dataclass(slots=True)
class ApplicantData:
    """An applicant, from every row of one registry_no, with the relatives they seek."""

    rows: list[int] = field(default_factory=list)
    registry_no: str = ""
    family_name: str = ""
    given_name: str = ""
    name_latin: str = ""
    sex: str = ""
    birth_date: str = ""
    birth_year: int | None = None
    birth_calendar: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    abroad: bool = False
    country: str = ""
    status: str = "alive"  # "alive" or "deceased"
    death_date: str = ""
    registered_on: date | None = None
    consent_share: bool = False
    consent_on: date | None = None
    notes: str = ""
    relatives: list[RelativeData] = field(default_factory=list)


# ---- values -----------------------------------------------------------------------------------


def _show(text: str) -> str:
    """A value as quoted in a message, cut short."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _code(table: dict[str, str], text: str, ko_words: str, en_words: str) -> str:
    try:
        return table[text.casefold()]
    except KeyError:
        raise _Bad(
            f"{_show(text)}은(는) 쓸 수 없는 값입니다 ({ko_words} 중 하나)",
            f"{_show(text)} is not one of {en_words}",
        ) from None


def _sex(text: str) -> str:
    return _code(_SEX, text, "M, F, X, 남, 여", "M, F, X, 남, 여")


def _calendar(text: str) -> str:
    return _code(_CALENDAR, text, "solar, lunar, 양력, 음력", "solar, lunar, 양력, 음력")


def _relation(text: str) -> str:
    return _code(
        _RELATION,
        text,
        "spouse, parent, child, sibling, other, 배우자, 부모, 자녀, 형제자매, 기타",
        "spouse, parent, child, sibling, other, 배우자, 부모, 자녀, 형제자매, 기타",
    )


def _applicant_status(text: str) -> str:
    return _code(
        _APPLICANT_STATUS, text, "alive, deceased, 생존, 사망", "alive, deceased, 생존, 사망"
    )


def _relative_status(text: str) -> str:
    return _code(
        _RELATIVE_STATUS,
        text,
        "unknown, alive, deceased, 미상, 생존, 사망",
        "unknown, alive, deceased, 미상, 생존, 사망",
    )


def _yes_no(text: str) -> bool:
    try:
        return _YES_NO[text.casefold()]
    except KeyError:
        raise _Bad(
            f"{_show(text)}은(는) 예/아니오 값이 아닙니다 (yes, no, 예, 아니오, 1, 0 등)",
            f"{_show(text)} is not yes or no (yes/no, true/false, y/n, 1/0, 예/아니오)",
        ) from None


def _registry_no(text: str) -> str:
    if not _REGISTRY_NO.fullmatch(text):
        raise _Bad(
            f"등록번호 {_show(text)}에는 영문자, 숫자, '-'만 쓸 수 있습니다",
            f"registry number {_show(text)} may hold only letters A–Z, digits and '-'",
        )
    return text


def _not_a_date(text: str, full: bool) -> _Bad:
    if full:
        return _Bad(
            f"{_show(text)}은(는) 날짜가 아닙니다 (YYYY-MM-DD, YYYY.MM.DD 또는 YYYYMMDD)",
            f"{_show(text)} is not a date (YYYY-MM-DD, YYYY.MM.DD or YYYYMMDD)",
        )
    return _Bad(
        f"{_show(text)}은(는) 날짜가 아닙니다"
        " (YYYY, YYYY-MM, YYYY-MM-DD, YYYY.MM.DD 또는 YYYYMMDD)",
        f"{_show(text)} is not a date (YYYY, YYYY-MM, YYYY-MM-DD, YYYY.MM.DD or YYYYMMDD)",
    )


def _date_parts(text: str, full: bool) -> tuple[int, int | None, int | None]:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)  # full-width digits
    match = _DATE.fullmatch(text)
    if match is not None:
        parts = match.group(1, 3, 4)
    else:
        match = _COMPACT_DATE.fullmatch(text)
        if match is None:
            raise _not_a_date(text, full)
        parts = match.group(1, 2, 3)
    year = int(parts[0])
    month = None if parts[1] is None else int(parts[1])
    day = None if parts[2] is None else int(parts[2])
    if full and day is None:
        raise _not_a_date(text, full)
    return year, month, day


def _future(text: str) -> _Bad:
    return _Bad(f"{_show(text)}은(는) 미래의 날짜입니다", f"{_show(text)} is in the future")


def _check_year(text: str, year: int, today: date) -> None:
    if year < EARLIEST_YEAR:
        raise _Bad(
            f"{_show(text)}: {EARLIEST_YEAR}년 이전의 연도입니다",
            f"{_show(text)}: the year is before {EARLIEST_YEAR}",
        )
    if year > today.year:
        raise _future(text)


@lru_cache(maxsize=1 << 16)
def _partial_date(text: str, calendar: str, today: date) -> str:
    """A recorded date as "YYYY", "YYYY-MM" or "YYYY-MM-DD"; `calendar` says which calendar a
    full date must exist in: "solar" (also for ""), "lunar", or "unknown" (either will do)."""
    year, month, day = _date_parts(text, full=False)
    _check_year(text, year, today)
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise _Bad(
            f"{_show(text)}: {month}월은 없습니다",
            f"{_show(text)}: there is no month {month}",
        )
    if day is None:
        if (year, month) > (today.year, today.month):
            raise _future(text)
        return f"{year:04d}-{month:02d}"
    kind = {"lunar": Calendar.LUNAR, "unknown": Calendar.UNKNOWN}.get(calendar, Calendar.SOLAR)
    try:
        candidates = solar_candidates(year, month, day, kind)
    except ValueError:
        ko_calendar = {"lunar": "음력에 ", "unknown": "양력에도 음력에도 "}.get(calendar, "")
        en_calendar = {"lunar": "lunar ", "unknown": "solar or lunar "}.get(calendar, "")
        raise _Bad(
            f"{_show(text)}은(는) {ko_calendar}없는 날짜입니다",
            f"{_show(text)} is not a real {en_calendar}date",
        ) from None
    if candidates[0] > today:
        raise _future(text)
    return f"{year:04d}-{month:02d}-{day:02d}"


@lru_cache(maxsize=1 << 12)
def _full_date(text: str, today: date) -> date:
    year, month, day = _date_parts(text, full=True)
    assert month is not None and day is not None
    _check_year(text, year, today)
    try:
        value = date(year, month, day)
    except ValueError:
        raise _Bad(
            f"{_show(text)}은(는) 없는 날짜입니다", f"{_show(text)} is not a real date"
        ) from None
    if value > today:
        raise _future(text)
    return value


def _cell_text(value: object) -> str:
    """An xlsx cell as text: an Excel date as YYYY-MM-DD, 1950 or 1950.0 as "1950"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


# ---- checking ---------------------------------------------------------------------------------


Value = str | bool | date


@dataclass(slots=True)
class _Group:
    """The rows of one registry_no, as they are read."""

    registry_no: str
    rows: list[int] = field(default_factory=list)
    values: dict[str, tuple[Value, int, str]] = field(default_factory=dict)  # (value, row, text)
    invalid: set[str] = field(default_factory=set)  # applicant columns refused on some row
    relatives: list[RelativeData] = field(default_factory=list)
    seen: dict[tuple[str, str, str, str], int] = field(default_factory=dict)


def _header_key(text: str) -> str:
    return _HEADER_SPACE.sub(
        "", unicodedata.normalize("NFC", text).replace("\ufeff", "")
    ).casefold()


_HEADERS: dict[str, str] = {
    **{_header_key(column): column for column in COLUMNS},
    **{_header_key(korean): column for column, korean in KOREAN_HEADERS.items()},
}


def _column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Checker:
    def __init__(self, file: str, today: date) -> None:
        self.file = file
        self.today = today
        self.problems: list[Finding] = []
        self.columns: list[tuple[int, str]] = []  # (position in the row, column)
        self.unnamed: dict[int, bool] = {}  # positions without a header: reported yet?
        self.width = 0
        self.staging: _Staging | None = None
        self.has_registry_no = False
        self.has_names = False

    def add(
        self, row: int, column: str, *, ko: str, en: str, code: str = "registry_value_invalid"
    ) -> None:
        self.problems.append(Finding(code, ko=ko, en=en, file=self.file, row=row, field=column))

    def bad(self, row: int, column: str, error: _Bad) -> None:
        self.add(row, column, ko=error.ko, en=error.en)

    # -- the header

    def header(self, number: int, cells: Sequence[str]) -> None:
        found: dict[str, int] = {}
        for position, raw in enumerate(cells):
            text = raw.strip()
            if not text:
                self.unnamed[position] = False
                continue
            column = _HEADERS.get(_header_key(text))
            letter = _column_letter(position)
            if column is None:
                self.add(
                    number,
                    text,
                    ko=f"알 수 없는 열 {_show(text)} ({letter}열)",
                    en=f"unknown column {_show(text)} (column {letter})",
                )
            elif column in found:
                first = _column_letter(found[column])
                self.add(
                    number,
                    column,
                    ko=f"{column} 열이 두 번 있습니다 ({first}열과 {letter}열)",
                    en=f"column {column} appears twice (columns {first} and {letter})",
                )
            else:
                found[column] = position
                self.columns.append((position, column))
        self.width = len(cells)
        if "registry_no" not in found:
            self.add(
                number,
                "registry_no",
                ko="등록번호(registry_no) 열이 없습니다",
                en="the file has no registry_no (등록번호) column",
            )
        missing_names = not any(name in found for name in _APPLICANT_NAMES)
        if missing_names:
            self.add(
                number,
                "applicant_family_name",
                ko="신청자 이름 열(신청자 성, 신청자 이름, 신청자 영문 이름)이 하나도 없습니다",
                en="the file has none of the columns applicant_family_name, applicant_given_name,"
                " applicant_name_latin",
            )
        self.has_registry_no = "registry_no" in found
        self.has_names = not missing_names

    # -- one row

    def clean(self, number: int, cells: Sequence[str]) -> tuple[dict[str, str], set[str]]:
        """The row's non-blank values by column, trimmed and NFC, and the columns refused here."""
        values: dict[str, str] = {}
        refused: set[str] = set()
        width = len(cells)
        joined = "".join(cells)
        # Control characters are rare: look for them cell by cell only when the row has some.
        # Tab and newline are allowed in notes, so they are looked for apart.
        hard = _NOTES_CONTROL.search(joined) is not None
        soft = "\n" in joined or "\t" in joined
        for position, column in self.columns:
            if position >= width:
                continue
            text = cells[position]
            if not text:
                continue
            if column in _NOTES:
                text = text.replace("\r\n", "\n").replace("\r", "\n")
            text = text.strip()
            if not text:
                continue
            if not text.isascii():
                text = unicodedata.normalize("NFC", text)
            if hard or (soft and column not in _NOTES and ("\n" in text or "\t" in text)):
                found = (_NOTES_CONTROL if column in _NOTES else _ANY_CONTROL).search(text)
                if found is not None:
                    code = f"U+{ord(found.group()):04X}"
                    what = "NUL" if code == "U+0000" else "control"
                    self.add(
                        number,
                        column,
                        ko=f"제어 문자({code})가 들어 있습니다",
                        en=f"contains a {what} character ({code})",
                    )
                    refused.add(column)
                    continue
            limit = LIMITS.get(column)
            if limit is not None and len(text) > limit:
                self.add(
                    number,
                    column,
                    ko=f"{len(text)}자로 너무 깁니다 (최대 {limit}자)",
                    en=f"is {len(text)} characters long; at most {limit} are allowed",
                )
                refused.add(column)
                continue
            values[column] = text
        if width > self.width or self.unnamed:
            for position in range(width):
                if (
                    (position >= self.width or position in self.unnamed)
                    and not self.unnamed.get(position)
                    and cells[position].strip()
                ):
                    self.unnamed[position] = True  # reported once per column
                    letter = _column_letter(position)
                    self.add(
                        number,
                        "",
                        ko=f"{letter}열에 값이 있지만 그 열에는 머리글이 없습니다",
                        en=f"column {letter} has a value but no header",
                    )
        return values, refused

    def row(self, number: int, cells: Sequence[str]) -> None:
        """Check one row on its own, and keep what its applicant's other rows are checked
        against (see `settle`) in the staging store."""
        values, refused = self.clean(number, cells)
        registry_no = self.registry_no(number, values, refused)
        applicant, invalid = self.applicant_values(number, values)
        invalid |= refused
        relative = None
        if (values.keys() | refused) & _RELATIVE_SET:
            relative = self.relative(number, values, refused)
        if registry_no is not None and self.staging is not None:
            self.staging.add(
                registry_no,
                number,
                (
                    tuple(applicant.get(column) for column in _APPLICANT_COLUMNS),
                    tuple(sorted(invalid & _APPLICANT_SET)),
                    None if relative is None else _relative_tuple(relative),
                ),
            )

    def settle(self, registry_no: str, staged: Iterable[tuple[int, _Staged]]) -> ApplicantData:
        """The checks across the rows of one registry_no (the same applicant on each, no
        relative twice), from what `row` kept of them, in the file's order; its record."""
        group = _Group(registry_no)
        for number, (applicant, invalid, relative) in staged:
            group.rows.append(number)
            group.invalid.update(invalid)
            for column, found in zip(_APPLICANT_COLUMNS, applicant, strict=True):
                if found is None:
                    continue
                value, text = found
                earlier = group.values.get(column)
                if earlier is None:
                    group.values[column] = (value, number, text)
                elif earlier[0] != value:
                    self.add(
                        number,
                        column,
                        ko=f"같은 등록번호 {group.registry_no}의 {earlier[1]}행에는"
                        f" {_show(earlier[2])}, {number}행에는 {_show(text)}이(가) 있습니다",
                        en=f"row {number} has {_show(text)} but row {earlier[1]} has"
                        f" {_show(earlier[2])} for the same registry_no {group.registry_no}",
                    )
            if relative is not None:
                self.add_relative(group, RelativeData(*relative))
        return self.applicant(group)

    def registry_no(self, number: int, values: dict[str, str], refused: set[str]) -> str | None:
        if not self.has_registry_no or "registry_no" in refused:
            return None
        text = values.get("registry_no", "")
        if not text:
            self.add(
                number, "registry_no", ko="등록번호가 없습니다", en="the registry_no is missing"
            )
            return None
        try:
            return _registry_no(text)
        except _Bad as error:
            self.bad(number, "registry_no", error)
            return None

    def applicant_values(
        self, number: int, values: dict[str, str]
    ) -> tuple[dict[str, tuple[Value, str]], set[str]]:
        found: dict[str, tuple[Value, str]] = {}
        invalid: set[str] = set()
        for column in _APPLICANT_COLUMNS:
            text = values.get(column)
            if text is None:
                continue
            try:
                value: Value
                if column == "applicant_birth_date":
                    # Checked again, once the applicant's calendar is known from every row.
                    calendar = _CALENDAR.get(values.get("applicant_birth_calendar", "").casefold())
                    value = _partial_date(text, calendar or "unknown", self.today)
                else:
                    value = _APPLICANT_PARSERS[column](text, self.today)
            except _Bad as error:
                self.bad(number, column, error)
                invalid.add(column)
                continue
            found[column] = (value, text)
        return found, invalid

    def relative(
        self, number: int, values: dict[str, str], refused: set[str]
    ) -> RelativeData | None:
        ok = True
        parsed: dict[str, str] = {}
        invalid = set(refused)
        for column in _RELATIVE_COLUMNS:
            text = values.get(column)
            if text is None:
                continue
            try:
                if column in ("relative_birth_date", "relative_death_date", "separated_on"):
                    calendar = ""
                    if column == "relative_birth_date":
                        calendar = _CALENDAR.get(
                            values.get("relative_birth_calendar", "").casefold(), ""
                        )
                    parsed[column] = _partial_date(text, calendar, self.today)
                else:
                    parsed[column] = _RELATIVE_PARSERS.get(column, _text)(text)
            except _Bad as error:
                self.bad(number, column, error)
                invalid.add(column)
                ok = False
        if "relation" not in values and "relation" not in refused:
            self.add(
                number,
                "relation",
                ko="찾는 가족이 있는 행에는 관계가 있어야 합니다",
                en="the row names a relative sought but not the relation",
            )
            ok = False
        if not any(name in values or name in refused for name in _RELATIVE_NAMES):
            self.add(
                number,
                "relative_family_name",
                ko="찾는 가족의 성, 이름, 영문 이름 중 하나는 있어야 합니다",
                en="the relative sought needs a family name, a given name or a Latin name",
            )
            ok = False
        status = parsed.get("relative_status", "unknown")
        if (
            "relative_death_date" in parsed
            and status != "deceased"
            and "relative_status" not in invalid
        ):
            self.add(
                number,
                "relative_death_date",
                ko="사망일은 생존 여부가 '사망'일 때만 적을 수 있습니다",
                en="a death date is allowed only when the status is deceased",
            )
            ok = False
        if not ok or refused & _RELATIVE_SET:
            return None
        birth = parsed.get("relative_birth_date", "")
        return RelativeData(
            row=number,
            relation=parsed["relation"],
            family_name=parsed.get("relative_family_name", ""),
            given_name=parsed.get("relative_given_name", ""),
            name_latin=parsed.get("relative_name_latin", ""),
            sex=parsed.get("relative_sex", ""),
            birth_date=birth,
            birth_year=int(birth[:4]) if birth else None,
            birth_calendar=parsed.get("relative_birth_calendar", ""),
            hometown=parsed.get("relative_hometown", ""),
            father_name=parsed.get("relative_father_name", ""),
            status=status,
            death_date=parsed.get("relative_death_date", ""),
            last_known_place=parsed.get("last_known_place", ""),
            separated_on=parsed.get("separated_on", ""),
            notes=parsed.get("relative_notes", ""),
        )

    def add_relative(self, group: _Group, relative: RelativeData) -> None:
        korean = relative.family_name or relative.given_name
        key = (
            relative.family_name,
            relative.given_name,
            "" if korean else relative.name_latin.casefold(),
            relative.birth_date,
        )
        earlier = group.seen.get(key)
        if earlier is not None:
            self.add(
                relative.row,
                "relative_family_name",
                ko=(
                    f"같은 신청자({group.registry_no})가 같은 가족을 {earlier}행과 "
                    f"{relative.row}행에 두 번 찾습니다 (같은 성, 이름, 생년월일)"
                ),
                en=(
                    f"rows {earlier} and {relative.row} are the same relative (same family name, "
                    f"given name and birth date) for the same registry_no {group.registry_no}"
                ),
            )
            return
        group.seen[key] = relative.row
        group.relatives.append(relative)

    # -- every row of an applicant

    def applicant(self, group: _Group) -> ApplicantData:
        values = group.values
        invalid = group.invalid
        first = group.rows[0]

        def text(column: str) -> str:
            value = values.get(column, ("",))[0]
            assert isinstance(value, str)
            return value

        def flag(column: str) -> bool:
            value = values.get(column, (False,))[0]
            assert isinstance(value, bool)
            return value

        def day(column: str) -> date | None:
            found = values.get(column)
            if found is None:
                return None
            assert isinstance(found[0], date)
            return found[0]

        if self.has_names and not any(n in values or n in invalid for n in _APPLICANT_NAMES):
            self.add(
                first,
                "applicant_family_name",
                ko="신청자의 성, 이름, 영문 이름 중 하나는 있어야 합니다",
                en="the applicant needs a family name, a given name or a Latin name",
            )
        status = text("applicant_status") or "alive"
        death = values.get("applicant_death_date")
        if death is not None and status != "deceased" and "applicant_status" not in invalid:
            self.add(
                death[1],
                "applicant_death_date",
                ko="사망일은 생존 여부가 '사망'일 때만 적을 수 있습니다",
                en="a death date is allowed only when the status is deceased",
            )
        birth = values.get("applicant_birth_date")
        calendar = text("applicant_birth_calendar")
        if birth is not None and "applicant_birth_calendar" not in invalid:
            assert isinstance(birth[0], str)
            try:
                _partial_date(birth[0], calendar or "solar", self.today)
            except _Bad as error:
                self.bad(birth[1], "applicant_birth_date", error)
        birth_date = text("applicant_birth_date")
        return ApplicantData(
            rows=group.rows,
            registry_no=group.registry_no,
            family_name=text("applicant_family_name"),
            given_name=text("applicant_given_name"),
            name_latin=text("applicant_name_latin"),
            sex=text("applicant_sex"),
            birth_date=birth_date,
            birth_year=int(birth_date[:4]) if birth_date else None,
            birth_calendar=calendar,
            address=text("address"),
            phone=text("phone"),
            email=text("email"),
            abroad=flag("abroad"),
            country=text("country"),
            status=status,
            death_date=text("applicant_death_date"),
            registered_on=day("registered_on"),
            consent_share=flag("consent_share"),
            consent_on=day("consent_on"),
            notes=text("applicant_notes"),
            relatives=group.relatives,
        )

    # -- the file

    def run(
        self,
        rows: Iterable[Sequence[str]],
        total: int,
        progress: Callable[[int, int], None] | None,
    ) -> StagedRegistry:
        """Read and check every row, then every applicant's rows together: the file as staged,
        or RegistryFileError with every problem found (the staging store then closed)."""
        staging = self.staging = _Staging()
        try:
            self.read(rows, total, progress)
            staging.finish()
            applicants = relatives = 0
            for registry_no, staged in staging.groups():
                applicant = self.settle(registry_no, staged)
                applicants += 1
                relatives += len(applicant.relatives)
            if self.problems:
                self.problems.sort(key=lambda p: (p.row, _ORDER.get(p.field, -1)))
                raise RegistryFileError(self.problems)
        except BaseException:
            staging.close()
            raise
        return StagedRegistry(self, staging, applicants, relatives)

    def read(
        self,
        rows: Iterable[Sequence[str]],
        total: int,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        header_seen = False
        done = 0
        data_rows = 0
        for number, cells in enumerate(rows, 1):
            if not header_seen:
                if any(cell.strip() for cell in cells):
                    self.header(number, cells)
                    header_seen = True
                continue
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, max(total, done))
            if not "".join(cells).strip():
                continue
            data_rows += 1
            if data_rows > MAX_ROWS:
                self.problems.append(too_many_rows(self.file))
                close = getattr(rows, "close", None)
                if close is not None:
                    close()  # a generator reading a file: done with it now
                break
            self.row(number, cells)
        if progress is not None:
            progress(done, done)
        if not header_seen:
            if not self.problems:  # a file that could not be read says so already
                self.add(0, "", ko="파일이 비어 있습니다", en="the file is empty")
        elif data_rows == 0:
            self.add(
                0,
                "",
                ko="머리글 행만 있고 자료 행이 없습니다",
                en="the file has a header row but no data",
            )


# What `_Checker.row` keeps of a row for the checks across rows: the applicant's values as
# (value, text) or None, in _APPLICANT_COLUMNS order; the applicant's columns refused on the row;
# the relative sought (RelativeData's fields in order), or None.
_Staged = tuple[tuple[tuple[Value, str] | None, ...], tuple[str, ...], tuple[Any, ...] | None]
_APPLICANT_SET = frozenset(_APPLICANT_COLUMNS)
_relative_tuple = attrgetter(*(f.name for f in fields(RelativeData)))


class _Staging:
    """The rows of a file as `_Checker.row` keeps them, until the file is checked and written:
    in a private SQLite database of its own on disk, not in memory, so that a file of a million
    rows takes no more memory than one of a thousand (rows of one registry_no may be anywhere
    in the file, and nothing is written until all of it is checked).

    Not the registry's database: a staging table there would hold SQLite's write lock through
    the whole check (or be committed, and be left behind by a killed job), and it would need a
    migration. SQLite makes the file in the temporary folder (TMPDIR) and deletes it as soon as
    it is made, so it is gone when the connection closes or the process dies; its page cache
    is bounded (CACHE_KIB), and past it pages go to that file. The rows are kept pickled: the
    pickles are written and read by this process only (nobody else can open a deleted file)."""

    BATCH = 1000
    CACHE_KIB = 16 * 1024

    def __init__(self) -> None:
        self.db = sqlite3.connect("", isolation_level=None)
        for pragma in (
            "journal_mode = OFF",
            "synchronous = OFF",
            "temp_store = FILE",
            f"cache_size = -{self.CACHE_KIB}",
        ):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.execute("CREATE TABLE staged (registry_no TEXT, row INTEGER, data BLOB)")
        self.pending: list[tuple[str, int, bytes]] = []

    def add(self, registry_no: str, row: int, data: _Staged) -> None:
        self.pending.append((registry_no, row, pickle.dumps(data, pickle.HIGHEST_PROTOCOL)))
        if len(self.pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.db.execute("BEGIN")
            self.db.executemany("INSERT INTO staged VALUES (?, ?, ?)", self.pending)
            self.db.execute("COMMIT")
            self.pending.clear()

    def finish(self) -> None:
        """Every row in: index them by registry_no, and list the registry_nos in the order of
        their first rows (the order the applicants were written in when read into a list)."""
        self.flush()
        self.db.execute("CREATE INDEX staged_rows ON staged (registry_no, row)")
        self.db.execute(
            "CREATE TABLE applicant AS SELECT registry_no, min(row) AS first FROM staged"
            " GROUP BY registry_no ORDER BY first"
        )

    def groups(self) -> Iterator[tuple[str, Iterator[tuple[int, _Staged]]]]:
        """Each registry_no with its rows, in the file's order, one at a time."""
        found = self.db.execute(
            "SELECT staged.registry_no, staged.row, staged.data FROM applicant"
            " JOIN staged ON staged.registry_no = applicant.registry_no"
            " ORDER BY applicant.rowid, staged.row"
        )
        for registry_no, rows in itertools.groupby(found, key=lambda found: found[0]):
            yield (
                registry_no,
                (
                    (row, pickle.loads(data))  # noqa: S301 - written by this process, see above
                    for _no, row, data in rows
                ),
            )

    def close(self) -> None:
        self.db.close()


class StagedRegistry:
    """A registry file read and checked, with no problem found: the number of applicants and of
    relatives sought, and the applicants one at a time (`for applicant in staged`), each made
    again from the staging store as it is reached. Close it (or use `with`) when done."""

    def __init__(
        self, checker: _Checker, staging: _Staging, applicants: int, relatives: int
    ) -> None:
        self.checker = checker
        self.staging = staging
        self.applicants = applicants
        self.relatives = relatives

    def __iter__(self) -> Iterator[ApplicantData]:
        for registry_no, staged in self.staging.groups():
            yield self.checker.settle(registry_no, staged)

    def close(self) -> None:
        self.staging.close()

    def __enter__(self) -> StagedRegistry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _text(text: str, today: date | None = None) -> str:
    return text


_APPLICANT_PARSERS: dict[str, Callable[[str, date], Value]] = {
    "applicant_family_name": _text,
    "applicant_given_name": _text,
    "applicant_name_latin": _text,
    "applicant_sex": lambda text, today: _sex(text),
    "applicant_birth_calendar": lambda text, today: _calendar(text),
    "address": _text,
    "phone": _text,
    "email": _text,
    "abroad": lambda text, today: _yes_no(text),
    "country": _text,
    "applicant_status": lambda text, today: _applicant_status(text),
    "applicant_death_date": lambda text, today: _partial_date(text, "", today),
    "registered_on": _full_date,
    "consent_share": lambda text, today: _yes_no(text),
    "consent_on": _full_date,
    "applicant_notes": _text,
}
_RELATIVE_PARSERS: dict[str, Callable[[str], str]] = {
    "relation": _relation,
    "relative_sex": _sex,
    "relative_birth_calendar": _calendar,
    "relative_status": _relative_status,
}


# ---- reading ----------------------------------------------------------------------------------


CHUNK = 1 << 20  # bytes read at a time from a file


def _encoding_of(source: IO[bytes]) -> tuple[str | None, int]:
    """The encoding a CSV file reads in, UTF-8 first, then CP949 (None: neither), and its
    number of lines; read a chunk at a time."""
    for encoding in ("utf-8-sig", "cp949"):
        source.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        try:
            while chunk := source.read(CHUNK):
                decoder.decode(chunk)
                lines += chunk.count(b"\n")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines
    return None, 0


def _encoding_problems(data: bytes, file: str, problems: list[Finding]) -> None:
    """Where a file neither UTF-8 nor CP949 reads goes wrong (the file is read whole: it is
    refused anyway)."""
    try:
        decode(data, file)
    except InputError as error:
        for found in error.problems:
            line = int(found.row or 0)
            ko, en = "", ""
            if line:
                ko, en = f" ({line}번째 줄)", f" (line {line} of the file)"
            problems.append(
                Finding(
                    "registry_bad_encoding",
                    ko="UTF-8도 CP949(EUC-KR)도 아닌 바이트가 있습니다" + ko,
                    en=found.en + en,
                    file=file,
                    row=_record_of_line(data, line),
                )
            )
        return
    problems.append(  # not reached: what the chunks could not read, the whole cannot either
        Finding(
            "registry_bad_encoding",
            ko="UTF-8도 CP949(EUC-KR)도 아닙니다",
            en="neither UTF-8 nor CP949",
            file=file,
            row=0,
        )
    )


def _csv_rows(
    source: IO[bytes], file: str, problems: list[Finding]
) -> tuple[Iterator[list[str]], int]:
    """The rows of a CSV file as they are read (memory stays flat, whatever the file's size),
    and about how many there are (its lines)."""
    source.seek(0)
    if source.read(4) == b"PK\x03\x04":
        problems.append(
            Finding(
                "registry_xlsx_as_csv",
                ko="CSV가 아니라 xlsx(엑셀) 파일로 보입니다: 확장자를 .xlsx로 하십시오",
                en="this looks like an xlsx (Excel) file, not CSV: name it .xlsx",
                file=file,
                row=0,
            )
        )
        return iter(()), 0
    encoding, lines = _encoding_of(source)
    if encoding is None:
        source.seek(0)
        _encoding_problems(source.read(), file, problems)
        return iter(()), 0
    source.seek(0)

    def rows() -> Iterator[list[str]]:
        text = io.TextIOWrapper(source, encoding=encoding, newline="")
        read = 0
        try:
            reader = csv.reader(text)
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    problems.append(
                        Finding(
                            "registry_csv_malformed",
                            ko=f"CSV 형식이 잘못되었습니다: {error}",
                            en=f"the CSV is malformed: {error}",
                            file=file,
                            row=read + 1,
                        )
                    )
                    return
                read += 1
                yield csvcells.restore_row(row)
        finally:
            if not source.closed:
                text.detach()  # the file stays open: it is the caller's

    return rows(), lines


@lru_cache(maxsize=1 << 10)
def _column_of_letters(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _column_number(reference: str) -> int:
    """The 1-based column of a cell reference: "A7" → 1, "AB12" → 28."""
    return _column_of_letters(reference.rstrip("0123456789"))


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Za-z]*[0-9]*:?[A-Za-z]*([0-9]+)\"")


class _SheetReader:
    """The values of a worksheet's cells, row by row, as openpyxl's read-only `iter_rows(
    values_only=True)` gives them (the same types, shared strings, date styles and epoch, taken
    from openpyxl's workbook), but parsed with expat's callbacks: openpyxl builds an element per
    XML node with defusedxml's pure-Python parser, some 20 µs a cell, minutes for a registry.
    As defusedxml does, a sheet with a DTD (where entity bombs live) is refused."""

    CHUNK = 1 << 20

    def __init__(self, sheet: Any) -> None:
        book = sheet.parent
        self.open_source: Callable[[], Any] = lambda: book._archive.open(sheet._worksheet_path)
        self.strings: Sequence[object] = sheet._shared_strings
        self.date_styles: set[int] = set(book._date_formats)
        self.timedelta_styles: set[int] = set(book._timedelta_formats)
        self.epoch: datetime = book.epoch
        self.done: list[list[object]] = []
        self.row_number = 0
        self.cells: dict[int, object] = {}
        self.column = 0
        self.cell_type = "n"
        self.style = 0
        self.parts: list[str] = []
        self.collect = False
        self.in_inline = False
        self.in_phonetic = False

    @classmethod
    def of(cls, sheet: Any) -> _SheetReader | None:
        """A reader for an openpyxl read-only sheet, or None where openpyxl's insides are not
        as expected (another version): its own reading is then used."""
        try:
            return cls(sheet)
        except (AttributeError, TypeError):
            return None

    def last_row(self) -> int:
        """The last row as the sheet's <dimension> says (0 if it does not), read from its start:
        openpyxl's `max_row` parses the whole sheet to find it where it comes late or not at all."""
        with self.open_source() as source:
            found = _DIMENSION.search(source.read(1 << 16))
        return int(found.group(1)) if found else 0

    def rows(self) -> Iterator[list[object]]:
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.StartDoctypeDeclHandler = self.refuse_dtd
        parser.EntityDeclHandler = self.refuse_dtd
        with self.open_source() as source:
            while chunk := source.read(self.CHUNK):
                parser.Parse(chunk, False)
                yield from self.done
                self.done.clear()
        parser.Parse(b"", True)
        yield from self.done
        self.done.clear()

    def refuse_dtd(self, *args: object) -> None:
        raise _DtdRefused("the worksheet has a DTD, which xlsx files never need")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "c":
            reference = attrs.get("r")
            self.column = _column_number(reference) if reference else self.column + 1
            self.cell_type = attrs.get("t", "n")
            style = attrs.get("s")
            self.style = int(style) if style else 0
            self.parts = []
        elif local == "v":
            self.collect = not self.in_inline
        elif local == "t":
            self.collect = self.in_inline and not self.in_phonetic
        elif local == "is":
            self.in_inline = True
        elif local == "rPh":
            self.in_phonetic = True
        elif local == "row":
            number = attrs.get("r")
            row = int(number) if number else self.row_number + 1
            while self.row_number + 1 < row:  # rows with nothing in them are left out
                self.done.append([])
                self.row_number += 1
            self.row_number = row
            self.cells = {}
            self.column = 0

    def end(self, name: str) -> None:
        local = name.rpartition(":")[2]
        if local in ("v", "t"):
            self.collect = False
        elif local == "c":
            value = self.value()
            if value is not None:
                self.cells[self.column] = value
        elif local == "is":
            self.in_inline = False
        elif local == "rPh":
            self.in_phonetic = False
        elif local == "row":
            row: list[object] = [None] * max(self.cells, default=0)
            for column, value in self.cells.items():
                row[column - 1] = value
            self.done.append(row)

    def text(self, data: str) -> None:
        if self.collect:
            self.parts.append(data)

    def value(self) -> object:
        text = "".join(self.parts)
        kind = self.cell_type
        if kind == "inlineStr":
            return _ooxml_text(text)
        if not text:
            return None
        if kind == "n":
            number = float(text) if "." in text or "E" in text or "e" in text else int(text)
            if self.style in self.date_styles:
                try:
                    return from_excel(
                        number, self.epoch, timedelta=self.style in self.timedelta_styles
                    )
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return self.strings[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # "str" (a formula's text) and "e" (an error such as #N/A)


def _record_of_line(data: bytes, line: int) -> int:
    """The spreadsheet row that holds a line of a CSV file (a quoted value may span lines)."""
    if line <= 1:
        return line
    before = b"\n".join(data.split(b"\n", line - 1)[: line - 1]) + b"\n"
    text = before.decode("utf-8", "replace")
    records = sum(1 for _ in csv.reader(io.StringIO(text, newline="")))
    inside_quotes = text.count('"') % 2 == 1  # the line goes on a value begun before it
    return records if inside_quotes else records + 1


class _DtdRefused(ValueError):
    """A part of an xlsx file with a DTD, which Excel never writes (entity bombs live there)."""


def _has_dtd(error: BaseException | None) -> bool:
    """Whether an error, or one it was raised from (openpyxl wraps defusedxml's), is a DTD
    refused."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, _DtdRefused | DTDForbidden | EntitiesForbidden):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _not_xlsx(file: str, error: BaseException) -> Finding:
    if _has_dtd(error):
        return Finding(
            "registry_xlsx_dtd",
            ko="xlsx(엑셀) 파일 안에 DTD(문서 형식 선언)가 있어 읽지 않았습니다:"
            " 엑셀로 저장한 파일에는 DTD가 없습니다. 엑셀에서 다시 저장하십시오",
            en="the xlsx (Excel) file holds a DTD (a document type declaration), which files"
            " saved by Excel never have, and was not read: save it again from Excel",
            file=file,
            row=0,
        )
    return Finding(
        "registry_xlsx_invalid",
        ko=f"올바른 xlsx(엑셀) 파일이 아닙니다: {error}",
        en=f"not a valid xlsx (Excel) file: {error}",
        file=file,
        row=0,
    )


def _xlsx_rows(
    source: IO[bytes], file: str, problems: list[Finding]
) -> tuple[Iterator[list[str]], int]:
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # a damaged file fails in many ways: zip, XML, openpyxl's own
        problems.append(_not_xlsx(file, error))
        return iter(()), 0
    if not book.worksheets:
        book.close()
        problems.append(
            Finding(
                "registry_xlsx_no_sheet",
                ko="통합 문서에 워크시트가 없습니다",
                en="the workbook has no worksheet",
                file=file,
                row=0,
            )
        )
        return iter(()), 0
    sheet = book.worksheets[0]
    fast = _SheetReader.of(sheet)
    try:
        last = sheet.max_row if fast is None else fast.last_row()
    except Exception as error:  # the sheet is missing or damaged
        book.close()
        problems.append(_not_xlsx(file, error))
        return iter(()), 0
    total = max((last or 1) - 1, 0)
    sheet.reset_dimensions()  # some writers record wrong dimensions: read every row there is

    def rows() -> Iterator[list[str]]:
        try:
            values: Iterable[Sequence[object]] = (
                sheet.iter_rows(values_only=True) if fast is None else fast.rows()
            )
            for row in values:
                yield [_cell_text(value) for value in row]
        except Exception as error:  # a damaged sheet inside a sound zip
            problems.append(_not_xlsx(file, error))
        finally:
            book.close()

    return rows(), total


def _blank(source: IO[bytes]) -> bool:
    """Whether a file holds nothing but white space (and a BOM)."""
    source.seek(0)
    first = True
    while chunk := source.read(CHUNK):
        if first and chunk.startswith(codecs.BOM_UTF8):
            chunk = chunk[len(codecs.BOM_UTF8) :]
        first = False
        if chunk.strip():
            return False
    return True


Source = bytes | IO[bytes]


def _opened(source: Source) -> IO[bytes]:
    return io.BytesIO(source) if isinstance(source, bytes | bytearray) else source


def _table(
    source: IO[bytes], filename: str, problems: list[Finding]
) -> tuple[Iterable[Sequence[str]], int]:
    """The cells of a .csv or .xlsx file (a binary file that can seek), row by row as they are
    read, and about how many data rows there are. File-level problems (extension, empty,
    encoding, a damaged workbook) go to `problems`."""
    extension = filename.rsplit(".", 1)[-1].casefold() if "." in filename else ""
    if extension not in ("csv", "xlsx"):
        problems.append(
            Finding(
                "registry_file_type",
                ko="파일은 .csv 또는 .xlsx 파일이어야 합니다",
                en="the file must be a .csv or .xlsx file",
                file=filename,
                row=0,
            )
        )
        return [], 0
    if _blank(source):
        problems.append(
            Finding(
                "registry_file_empty",
                ko="파일이 비어 있습니다",
                en="the file is empty",
                file=filename,
                row=0,
            )
        )
        return [], 0
    if extension == "csv":
        rows, lines = _csv_rows(source, filename, problems)
        return rows, max(lines - 1, 0)
    source.seek(0)
    return _xlsx_rows(source, filename, problems)


def read_table(data: Source, *, filename: str, max_rows: int | None = None) -> list[list[str]]:
    """Every row of a .csv (UTF-8 or CP949) or .xlsx file (bytes, or a binary file) as cell
    texts, the header first; RegistryFileError names what makes the file unreadable, or a file
    of more than `max_rows` rows after the header. Other lists (a tracing round's reply, a
    reunion's check sheet) read their files with this, and check their own columns."""
    problems: list[Finding] = []
    rows, _total = _table(_opened(data), filename, problems)
    table: list[list[str]] = []
    for row in rows:
        if max_rows is not None and len(table) > max_rows:
            problems.append(too_many_rows(filename, max_rows))
            break
        table.append(list(row))
    if problems:
        raise RegistryFileError(problems)
    return table


def stage_registry(
    data: Source,
    *,
    filename: str,
    progress: Callable[[int, int], None] | None = None,
) -> StagedRegistry:
    """A registry file, .csv or .xlsx by the file name's extension (bytes, or a binary file
    that can seek), read row by row (at most MAX_ROWS data rows) and checked, its rows kept on
    disk, not in memory (see `_Staging`): memory does not grow with the file.

    Raises RegistryFileError with every problem found; nothing is returned unless all is well.
    `progress(done, total)` is called every 1000 rows (total is an estimate) and at the end."""
    problems: list[Finding] = []
    rows, total = _table(_opened(data), filename, problems)
    if problems:
        raise RegistryFileError(problems)
    checker = _Checker(filename, korea_today())
    checker.problems = problems
    return checker.run(rows, total, progress)


def read_registry(
    data: Source,
    *,
    filename: str,
    progress: Callable[[int, int], None] | None = None,
) -> list[ApplicantData]:
    """The applicants of a registry file, as a list, in the order of their first rows (see
    `stage_registry`, which imports use, so as not to hold them all)."""
    with stage_registry(data, filename=filename, progress=progress) as staged:
        return list(staged)


# ---- writing ----------------------------------------------------------------------------------

# The applicant's columns (COLUMNS up to "relation") as ApplicantData's attributes, in order, and
# the relative's (from "relation" on) as RelativeData's: the one definition of the layout, used
# by `registry_rows` and by the registry's export, which reads the database straight into rows.
APPLICANT_ATTRIBUTES: tuple[str, ...] = (
    "registry_no", "family_name", "given_name", "name_latin", "sex", "birth_date",
    "birth_calendar", "address", "phone", "email", "abroad", "country", "status", "death_date",
    "registered_on", "consent_share", "consent_on", "notes",
)  # fmt: skip
RELATIVE_ATTRIBUTES: tuple[str, ...] = (
    "relation", "family_name", "given_name", "name_latin", "sex", "birth_date", "birth_calendar",
    "hometown", "father_name", "status", "death_date", "last_known_place", "separated_on",
    "notes",
)  # fmt: skip
NO_RELATIVE: tuple[str, ...] = ("",) * len(_RELATIVE_COLUMNS)
# Excel's limits: rows in a sheet, and UTF-16 units in a cell (xlsxwriter cuts longer text).
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_TEXT = 32_767


def _day(value: date | str | None) -> str:
    return value if isinstance(value, str) else value.isoformat() if value else ""


def applicant_cells(values: Sequence[Any]) -> tuple[str, ...]:
    """An applicant's cells, from its values in APPLICANT_ATTRIBUTES order: texts, the two
    flags (booleans, or 0 and 1), the two dates (dates, ISO texts, or None)."""
    (
        registry_no, family_name, given_name, name_latin, sex, birth_date, birth_calendar,
        address, phone, email, abroad, country, status, death_date, registered_on,
        consent_share, consent_on, notes,
    ) = values  # fmt: skip
    return (
        registry_no,
        family_name,
        given_name,
        name_latin,
        sex,
        birth_date,
        birth_calendar,
        address,
        phone,
        email,
        "yes" if abroad else "no",
        country,
        status,
        death_date,
        _day(registered_on),
        "yes" if consent_share else "no",
        _day(consent_on),
        notes,
    )


_applicant_values = attrgetter(*APPLICANT_ATTRIBUTES)
_relative_values = attrgetter(*RELATIVE_ATTRIBUTES)


def registry_rows(applicants: Iterable[ApplicantData]) -> Iterator[tuple[str, ...]]:
    """The cells of each row, in COLUMNS order: one row per relative sought, or one row with
    blank relative columns for an applicant who seeks nobody."""
    for applicant in applicants:
        head = applicant_cells(_applicant_values(applicant))
        if not applicant.relatives:
            yield head + NO_RELATIVE
        for relative in applicant.relatives:
            yield head + _relative_values(relative)


def write_csv_to(out: IO[bytes], rows: Iterable[Sequence[str]]) -> None:
    """The registry as CSV, UTF-8 with a BOM (so that Korean Excel reads it as UTF-8), written
    to `out` row by row: the header, then `rows` (see `registry_rows`). A cell a spreadsheet
    would run as a formula gets a quote before it (`csvcells`), which reading takes away."""
    out.write(codecs.BOM_UTF8)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        writer = csvcells.text_writer(text)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        text.flush()
    finally:
        text.detach()  # `out` stays open: it is the caller's


def write_csv(applicants: Iterable[ApplicantData]) -> bytes:
    """The registry as CSV, UTF-8 with a BOM (so that Korean Excel reads it as UTF-8)."""
    out = io.BytesIO()
    write_csv_to(out, registry_rows(applicants))
    return out.getvalue()


# The xlsx file is the one xlsxwriter writes in its constant-memory mode (every cell an inline
# string), but the rows of the sheet are made here: through xlsxwriter's own `write_string` they
# cost some 16 µs a cell, over a minute for the demo's registry (4.6 million cells), where this
# takes a few seconds. xlsxwriter makes the rest of the package (content types, relationships,
# workbook, styles, theme, properties) and the header row; the rows are written to a temporary
# file first, as xlsxwriter does, since the sheet's <dimension> (its last row, which readers use
# to size it) comes before them. A test holds the rows to what xlsxwriter writes, cell for cell.
_XLSX_SHEET = "xl/worksheets/sheet1.xml"
_XLSX_LETTERS = tuple(_column_letter(index) for index in range(len(COLUMNS)))
# What makes a text need more than the plain <c><is><t>text</t></is></c>: XML's special
# characters, control characters and Unicode's two non-characters (OOXML writes both as _xHHHH_),
# text like those escapes ("_x" found, the rest is for `_xlsx_cell`), white space at either end.
_XLSX_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]")
_XLSX_ESCAPED = re.compile(r"_(?=x[0-9a-fA-F]{4}_)")
_XLSX_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_XLSX_UNESCAPE = re.compile(r"_x([0-9a-fA-F]{4})_")
_XLSX_COMPRESSION = 6  # zlib's default, as xlsxwriter's: level 1 saves a third of the time,
# but the file is a quarter larger


def _utf16_cut(text: str, limit: int) -> str:
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text


def _xlsx_cell(reference: str, text: str) -> str:
    """A text cell as xlsxwriter's constant-memory mode writes it, save two things, where
    xlsxwriter's output does not read back as the text it was given: text such as "<r>…</r>" is
    escaped like any other (xlsxwriter writes it unescaped, as rich text), and in escape-like
    strings that overlap ("_x005F_x0041_") each one is escaped (xlsxwriter skips the second)."""
    if len(text) > XLSX_MAX_TEXT // 2:
        text = _utf16_cut(text, XLSX_MAX_TEXT)
    text = _XLSX_ESCAPED.sub("_x005F_", text)
    text = _XLSX_CONTROL.sub(lambda found: f"_x{ord(found.group()):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{reference}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _xlsx_row(number: int, cells: Sequence[str]) -> str:
    row = str(number)
    parts = [f'<row r="{row}">']
    special = _XLSX_SPECIAL.search
    for letter, text in zip(_XLSX_LETTERS, cells, strict=False):
        if not text:
            continue
        if (
            special(text)
            or "_x" in text
            or text[0].isspace()
            or text[-1].isspace()
            or len(text) > XLSX_MAX_TEXT // 2
        ):
            parts.append(_xlsx_cell(letter + row, text))
        else:
            parts.append(f'<c r="{letter}{row}" t="inlineStr"><is><t>{text}</t></is></c>')
    if len(parts) == 1:
        return ""  # a row with nothing in it is left out, as xlsxwriter does
    parts.append("</row>")
    return "".join(parts)


def _xlsx_package() -> bytes:
    """The workbook xlsxwriter writes with the header row alone (every part but the rows)."""

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet("registry")
    for column, name in enumerate(COLUMNS):
        sheet.write_string(0, column, name)
    book.close()
    return out.getvalue()


class XlsxTooLarge(ValueError):
    """More rows than an Excel sheet holds."""


def write_xlsx_to(
    out: IO[bytes],
    rows: Iterable[Sequence[str]],
    *,
    compressing: Callable[[int], None] | None = None,
    compressed: Callable[[int], None] | None = None,
) -> int:
    """The registry as an xlsx workbook of one sheet, every cell text, written to `out` (a
    seekable binary file): the header, then `rows` (see `registry_rows`). Returns the number of
    rows after the header. `compressing(total)` and `compressed(done)` follow the last step,
    when the sheet is compressed into the file, in MiB. XlsxTooLarge past Excel's last row."""
    last = 1
    with tempfile.TemporaryFile() as sheet_rows:
        pending: list[str] = []
        for number, cells in enumerate(rows, 2):
            if number > XLSX_MAX_ROWS:
                raise XlsxTooLarge(f"an Excel sheet holds at most {XLSX_MAX_ROWS:,} rows")
            row = _xlsx_row(number, cells)
            if row:
                pending.append(row)
                last = number
            if len(pending) >= 1000:
                sheet_rows.write("".join(pending).encode("utf-8"))
                pending.clear()
        sheet_rows.write("".join(pending).encode("utf-8"))
        size = sheet_rows.tell()
        sheet_rows.seek(0)
        reference = f"A1:{_XLSX_LETTERS[-1]}{last}"
        with (
            zipfile.ZipFile(io.BytesIO(_xlsx_package())) as package,
            zipfile.ZipFile(
                out, "w", zipfile.ZIP_DEFLATED, compresslevel=_XLSX_COMPRESSION
            ) as target,
        ):
            for info in package.infolist():
                data = package.read(info)
                if info.filename != _XLSX_SHEET:
                    target.writestr(info, data)
                    continue
                head, end, tail = data.partition(b"</sheetData>")
                head = re.sub(
                    rb'<dimension ref="[^"]*"/>',
                    f'<dimension ref="{reference}"/>'.encode(),
                    head,
                    count=1,
                )
                entry = zipfile.ZipInfo(info.filename, info.date_time)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.file_size = len(head) + size + len(end) + len(tail)  # zip64 if it must
                if compressing:
                    compressing(-(-size // (1 << 20)))
                with target.open(entry, "w") as sheet:
                    sheet.write(head)
                    while chunk := sheet_rows.read(1 << 20):
                        sheet.write(chunk)
                        if compressed:
                            compressed(1)
                    sheet.write(end + tail)
    return last - 1


def write_xlsx(applicants: Iterable[ApplicantData]) -> bytes:
    """The registry as an xlsx workbook of one sheet, every cell text."""
    out = io.BytesIO()
    write_xlsx_to(out, registry_rows(applicants))
    return out.getvalue()


def _ooxml_text(text: str) -> str:
    """A string of an xlsx file with its _xHHHH_ escapes undone (how OOXML writes control
    characters, and "_x005F_" for a literal "_" before one), as Excel reads it."""
    if "_x" not in text:
        return text
    return _XLSX_UNESCAPE.sub(lambda found: chr(int(found.group(1), 16)), text)


__all__ = [
    "COLUMNS",
    "KOREAN_HEADERS",
    "LIMITS",
    "ApplicantData",
    "RegistryFileError",
    "RelativeData",
    "StagedRegistry",
    "read_registry",
    "registry_rows",
    "stage_registry",
    "write_csv",
    "write_csv_to",
    "write_xlsx",
    "write_xlsx_to",
]
