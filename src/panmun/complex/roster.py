"""로동자명단 — a firm's roster as the North's labour agency sends it: a .xlsx (or .csv) file in
Korean, read and checked row by row, with no Django.

**Columns.** The header may be written the North's way or the South's; each column is known by
any of its names (`COLUMNS`): 로동자번호/노동자번호/근로자번호/번호 (worker number), 성명/이름
(name), 성별 (sex: 남, 녀 as the North writes it, 여), 출생년도/출생연도/생년/난해 (birth year,
or a birth date), 직종/직무 (job), 채용날자/채용일/입사일 (hired on; the North writes 날자 where
the South writes 날짜), 퇴직날자/퇴직일 (left on), 기본로임/기본임금 (a base wage above the
minimum, USD). Number, name, sex, birth year and hiring date are required; other columns are
ignored. The header is the first row that names at least three columns (a title row above it
is skipped).

**Rows.** Every problem is named by file, row and column, in Korean and English: an empty
name, an unknown sex, a date that does not exist (1934-13-45, 2015-02-30), a birth year no
worker has (younger than `MIN_AGE` or older than `MAX_AGE` when hired), a hiring date before
the complex took its first workers or in the future, a leaving date before the hiring date or
in the future, a worker number written twice in the file (the row that has it first is named).

Names are kept as written; `name_key` is the key that finds a name in either orthography
(리영철 and 이영철 have the same key; Ri Yong Chol and Lee Young-chul find it too).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from panmun.common.errors import object_particle
from panmun.common.findings import Finding
from panmun.common.spreadsheets.reading import rows_of, too_many_rows, whole_file
from panmun.korean.hangul import is_syllable, nfc
from panmun.korean.names import latin_name_keys
from panmun.korean.orthography import south_form
from panmun.korean.romanization import hangul_key, latin_key
from panmun.korean.surnames import by_hangul, split_full_name

#: A roster file: at most this many bytes and data rows.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
#: The first workers came to the complex in 2004: no one was hired there before.
FIRST_HIRING = dt.date(2004, 1, 1)
#: A worker's age when hired, at least and at most (the North's labour age; its retirement).
MIN_AGE = 16
MAX_AGE = 65
NUMBER_LENGTH = 20
NAME_LENGTH = 60
JOB_LENGTH = 100
NAME_KEY_LENGTH = 101
MAX_WAGE = Decimal("100000")
USD = Decimal("0.001")

#: Each column and the names it may have in the header (compared without spaces, case folded).
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("로동자번호", "노동자번호", "근로자번호", "종업원번호", "번호", "number"),
    "name": ("성명", "이름", "로동자이름", "근로자이름", "name"),
    "sex": ("성별", "sex"),
    "birth_year": ("출생년도", "출생연도", "생년", "난해", "생년월일", "출생일", "birth_year"),
    "job": ("직종", "직무", "직업", "job"),
    "hired_on": (
        "채용날자",
        "채용날짜",
        "채용일",
        "채용일자",
        "입사일",
        "입사날자",
        "입사일자",
        "hired_on",
    ),
    "left_on": (
        "퇴직날자",
        "퇴직날짜",
        "퇴직일",
        "퇴직일자",
        "퇴사일",
        "퇴사날자",
        "left_on",
    ),
    "base_wage_usd": ("기본로임", "기본임금", "기본급", "base_wage_usd"),
}
REQUIRED = ("number", "name", "sex", "birth_year", "hired_on")
#: Each column in words (Korean, English), for the problems.
COLUMN_WORDS: dict[str, tuple[str, str]] = {
    "number": ("근로자 번호", "worker number"),
    "name": ("성명", "name"),
    "sex": ("성별", "sex"),
    "birth_year": ("출생연도", "birth year"),
    "job": ("직종", "job"),
    "hired_on": ("채용일", "hired on"),
    "left_on": ("퇴직일", "left on"),
    "base_wage_usd": ("기본임금", "base wage (USD)"),
}
#: The export's header, in Korean (the South's words; the import reads them back).
EXPORT_HEADER = (
    "근로자번호",
    "성명",
    "성별",
    "출생년도",
    "직종",
    "채용일",
    "퇴직일",
    "기본임금(USD)",
)

_NAMES = {
    alias: column
    for column, aliases in COLUMNS.items()
    for alias in (a.casefold() for a in aliases)
}
MALE, FEMALE = "M", "F"
_SEX = {
    "남": MALE,
    "남자": MALE,
    "남성": MALE,
    "m": MALE,
    "male": MALE,
    "녀": FEMALE,
    "녀자": FEMALE,
    "녀성": FEMALE,
    "여": FEMALE,
    "여자": FEMALE,
    "여성": FEMALE,
    "f": FEMALE,
    "female": FEMALE,
}
SEX_WORDS = {MALE: "남", FEMALE: "여"}
_NUMBER = re.compile(r"[0-9A-Za-z][0-9A-Za-z\-/]*")
_DATE = re.compile(r"([0-9]{4})\s*[-./년]\s*([0-9]{1,2})\s*[-./월]\s*([0-9]{1,2})\s*[.일]?")
_COMPACT_DATE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_MIDNIGHT = re.compile(r"\s+00:00(:00)?$")
_YEAR = re.compile(r"([0-9]{4})(\.0)?\s*년?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class RosterRow:
    """A row of a roster, checked: `row` is its row in the file."""

    row: int
    number: str
    name: str
    sex: str
    birth_year: int
    job: str
    hired_on: dt.date
    left_on: dt.date | None
    base_wage_usd: Decimal | None


@dataclass(frozen=True)
class Problem:
    """A field's problem: the column, and why (Korean, English)."""

    field: str
    ko: str
    en: str


# --- the name's key ----------------------------------------------------------------------------


def _hangul(text: str) -> bool:
    return any(is_syllable(c) for c in text)


def _hangul_parts_key(family: str, given: str) -> str:
    return f"{hangul_key(south_form(family))} {hangul_key(south_form(given))}".strip()


@lru_cache(maxsize=1 << 16)  # names repeat: each is keyed once
def name_key(name: str) -> str:
    """The key stored for a worker's name: surname and given name, each in the South's spelling
    reduced to the romanization-neutral key (리영철 and 이영철 → "I YONGCHOL"); a name in Latin
    letters by its most likely reading."""
    text = re.sub(r"\s+", " ", nfc(name)).strip()
    if not text:
        return ""
    if _hangul(text):
        try:
            family, given = split_full_name(text)
        except ValueError:
            return hangul_key(south_form(text))[:NAME_KEY_LENGTH]
        return _hangul_parts_key(family, given)[:NAME_KEY_LENGTH]
    readings = latin_name_keys(text)
    if readings:
        family, given = readings[0]
        return f"{family} {given}".strip()[:NAME_KEY_LENGTH]
    return latin_key(text)[:NAME_KEY_LENGTH]


@dataclass(frozen=True)
class NameQuery:
    """What a search for a name looks for: whole keys (surname and given name), surname keys,
    given-name keys (any one matching finds the worker)."""

    whole: tuple[str, ...]
    surname: tuple[str, ...]
    given: tuple[str, ...]


def name_query(text: str) -> NameQuery:
    """The keys a search box's text looks for, in either orthography: a whole name (리영철,
    이영철, Ri Yong Chol), a surname alone (리, 이), or a given name alone (영철)."""
    text = re.sub(r"\s+", " ", nfc(text)).strip()
    whole: list[str] = []
    surname: list[str] = []
    given: list[str] = []
    if not text:
        return NameQuery((), (), ())
    if _hangul(text):
        compact = text.replace(" ", "")
        if len(compact) == 1:
            if by_hangul(compact):
                surname.append(hangul_key(south_form(compact)))
            given.append(hangul_key(south_form(compact)))
        else:
            whole.append(name_key(text))
            if len(compact) <= 3 and " " not in text:
                given.append(hangul_key(south_form(compact)))
    else:
        whole.extend(f"{f} {g}".strip() for f, g in latin_name_keys(text))
        if " " not in text:
            key = latin_key(text)
            surname.append(key)
            given.append(key)
    return NameQuery(
        tuple(dict.fromkeys(k for k in whole if k)),
        tuple(dict.fromkeys(k for k in surname if k)),
        tuple(dict.fromkeys(k for k in given if k)),
    )


# --- one field at a time -------------------------------------------------------------------------


def _words(column: str) -> tuple[str, str]:
    return COLUMN_WORDS.get(column, (column, column))


def clean_number(text: str) -> tuple[str, Problem | None]:
    number = unicodedata.normalize("NFKC", text).strip()
    if number.endswith(".0") and number[:-2].isdigit():  # 1234 read from a number cell
        number = number[:-2]
    if not number:
        return "", Problem("number", "근로자 번호가 비어 있습니다", "the worker number is empty")
    if len(number) > NUMBER_LENGTH or not _NUMBER.fullmatch(number):
        return "", Problem(
            "number",
            f"근로자 번호는 숫자·영문자·'-'·'/'로 {NUMBER_LENGTH}자까지입니다: {number[:30]!r}",
            f"a worker number is up to {NUMBER_LENGTH} digits, letters, '-' or '/': "
            f"{number[:30]!r}",
        )
    return number, None


def clean_name(text: str) -> tuple[str, Problem | None]:
    name = re.sub(r"\s+", " ", nfc(text)).strip()
    if not name:
        return "", Problem("name", "성명이 비어 있습니다", "the name is empty")
    if _CONTROL.search(name):
        return "", Problem(
            "name", "성명에 제어 문자가 있습니다", "the name holds control characters"
        )
    if len(name) > NAME_LENGTH:
        return "", Problem(
            "name",
            f"성명이 {NAME_LENGTH}자를 넘습니다",
            f"the name is longer than {NAME_LENGTH} characters",
        )
    return name, None


def clean_sex(text: str) -> tuple[str, Problem | None]:
    value = _SEX.get(nfc(text).strip().casefold())
    if value is None:
        shown = text.strip()[:20]
        return "", Problem(
            "sex",
            f"성별은 남 또는 녀(여)입니다: {shown!r}",
            f"the sex is 남 (male) or 녀/여 (female): {shown!r}",
        )
    return value, None


def parse_date(text: str, column: str) -> tuple[dt.date | None, Problem | None]:
    """A date as rosters write it: 2015-03-02, 2015.3.2., 2015/03/02, 2015년 3월 2일, 20150302
    (an Excel date cell reads as 2015-03-02). Empty: None, no problem."""
    value = _MIDNIGHT.sub("", unicodedata.normalize("NFKC", text).strip())
    if not value:
        return None, None
    ko, en = _words(column)
    found = _DATE.fullmatch(value) or _COMPACT_DATE.fullmatch(value)
    if found is None:
        return None, Problem(
            column,
            f"{ko}{object_particle(ko)} 읽을 수 없습니다 (예: 2015-03-02): {value[:30]!r}",
            f"{en}: not a date (e.g. 2015-03-02): {value[:30]!r}",
        )
    year, month, day = (int(part) for part in found.groups())
    try:
        return dt.date(year, month, day), None
    except ValueError:
        return None, Problem(
            column,
            f"{ko}: 없는 날짜입니다: {value[:30]}",
            f"{en}: there is no such date: {value[:30]}",
        )


def parse_birth_year(text: str) -> tuple[int | None, Problem | None]:
    """A birth year (1975, 1975년), or the year of a birth date."""
    value = unicodedata.normalize("NFKC", text).strip()
    if not value:
        return None, Problem("birth_year", "출생연도가 비어 있습니다", "the birth year is empty")
    found = _YEAR.fullmatch(value)
    if found:
        return int(found.group(1)), None
    day, problem = parse_date(value, "birth_year")
    if day is not None:
        return day.year, None
    if problem is not None and "년" not in value and not _DATE.fullmatch(value):
        problem = Problem(
            "birth_year",
            f"출생연도를 읽을 수 없습니다 (예: 1975): {value[:30]!r}",
            f"not a birth year (e.g. 1975): {value[:30]!r}",
        )
    return None, problem


def parse_wage(text: str) -> tuple[Decimal | None, Problem | None]:
    value = unicodedata.normalize("NFKC", text).strip().replace(",", "").removeprefix("$")
    if not value:
        return None, None
    try:
        wage = Decimal(value)
    except InvalidOperation:
        wage = None
    if wage is None or not wage.is_finite() or wage <= 0 or wage >= MAX_WAGE:
        return None, Problem(
            "base_wage_usd",
            f"기본임금은 0보다 크고 {MAX_WAGE:,} 미만인 달러 금액입니다: {value[:30]!r}",
            f"the base wage is an amount in USD above 0 and below {MAX_WAGE:,}: {value[:30]!r}",
        )
    return wage.quantize(USD, rounding=ROUND_HALF_UP), None


def check_worker(
    *,
    birth_year: int | None,
    hired_on: dt.date | None,
    left_on: dt.date | None,
    job: str,
    today: dt.date,
) -> list[Problem]:
    """What the rules refuse in a worker's facts once each field reads: the birth year for the
    hiring date, the hiring and leaving dates, the job's length."""
    problems: list[Problem] = []
    if hired_on is not None:
        if hired_on > today:
            problems.append(
                Problem(
                    "hired_on",
                    f"채용일이 미래입니다: {hired_on}",
                    f"the hiring date is in the future: {hired_on}",
                )
            )
        elif hired_on < FIRST_HIRING:
            problems.append(
                Problem(
                    "hired_on",
                    f"채용일이 공업지구가 처음 근로자를 받은 {FIRST_HIRING.year}년보다 "
                    f"이릅니다: {hired_on}",
                    f"the hiring date is before {FIRST_HIRING.year}, when the complex took its "
                    f"first workers: {hired_on}",
                ),
            )
    if birth_year is not None and hired_on is None:
        if not today.year - 100 <= birth_year <= today.year - MIN_AGE:
            problems.append(
                Problem(
                    "birth_year",
                    f"근로자의 출생연도가 될 수 없습니다: {birth_year}",
                    f"not a birth year a worker can have: {birth_year}",
                )
            )
    elif birth_year is not None and hired_on is not None:
        at = hired_on.year
        age = at - birth_year
        if not MIN_AGE <= age <= MAX_AGE:
            problems.append(
                Problem(
                    "birth_year",
                    f"출생연도 {birth_year}년: {at}년에 채용된 근로자는 {MIN_AGE}–{MAX_AGE}세"
                    f"입니다 ({age}세)",
                    f"birth year {birth_year}: a worker hired in {at} is {MIN_AGE} to {MAX_AGE} "
                    f"years old (this one {age})",
                )
            )
    if left_on is not None:
        if hired_on is not None and left_on < hired_on:
            problems.append(
                Problem(
                    "left_on",
                    f"퇴직일({left_on})이 채용일({hired_on})보다 이릅니다",
                    f"the leaving date ({left_on}) is before the hiring date ({hired_on})",
                )
            )
        elif left_on > today:
            problems.append(
                Problem(
                    "left_on",
                    f"퇴직일이 미래입니다: {left_on}",
                    f"the leaving date is in the future: {left_on}",
                )
            )
    if len(job) > JOB_LENGTH:
        problems.append(
            Problem(
                "job",
                f"직종이 {JOB_LENGTH}자를 넘습니다",
                f"the job is longer than {JOB_LENGTH} characters",
            )
        )
    return problems


# --- the file --------------------------------------------------------------------------------


def _column_of(cell: str) -> str | None:
    name = re.sub(r"\s+", "", nfc(cell).replace("\ufeff", "")).casefold()
    name = re.sub(r"\(.*\)$", "", name)  # 기본임금(USD)
    return _NAMES.get(name)


def _header(file: str, number: int, cells: Sequence[str], found: list[Finding]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, cell in enumerate(cells):
        column = _column_of(cell)
        if column is None:
            continue
        if column in columns:
            ko, en = _words(column)
            found.append(
                Finding(
                    "complex_roster_column",
                    ko=f"{ko} 열이 두 번 있습니다: {cell.strip()[:30]!r}",
                    en=f"the {en} column appears twice: {cell.strip()[:30]!r}",
                    file=file,
                    row=number,
                    field=cell.strip()[:40],
                )
            )
            continue
        columns[column] = position
    for column in REQUIRED:
        if column not in columns:
            ko, en = _words(column)
            names = "/".join(COLUMNS[column][:3])
            found.append(
                Finding(
                    "complex_roster_column",
                    ko=f"{ko} 열이 없습니다 ({names})",
                    en=f"the file has no {en} column ({names})",
                    file=file,
                    row=number,
                    field=column,
                )
            )
    return columns


#: How far down the header is looked for.
HEADER_SEARCH_ROWS = 10


def read_roster(data: bytes, *, file: str, today: dt.date, found: list[Finding]) -> list[RosterRow]:
    """The rows of a roster file, each checked; every problem goes to `found` (nothing is
    returned that a caller should write when `found` is not empty)."""
    if len(data) > MAX_FILE_BYTES:
        found.append(
            whole_file(
                "complex_roster_too_large",
                file,
                ko=f"파일이 너무 큽니다 (최대 {MAX_FILE_BYTES // (1024 * 1024)}MB)",
                en=f"the file is too large (at most {MAX_FILE_BYTES // (1024 * 1024)} MB)",
            )
        )
        return []
    rows, _total = rows_of(data, file, found)
    if found:
        return []
    columns: dict[str, int] | None = None
    read: list[RosterRow] = []
    first_row: dict[str, int] = {}
    count = 0

    def problem(row: int, bad: Problem) -> None:
        found.append(
            Finding(
                "complex_roster_invalid", ko=bad.ko, en=bad.en, file=file, row=row, field=bad.field
            )
        )

    for number, cells in enumerate(rows, 1):
        if columns is None:
            known = sum(1 for cell in cells if _column_of(cell) is not None)
            if known >= 3:
                columns = _header(file, number, cells, found)
                if found:
                    return []
            elif number >= HEADER_SEARCH_ROWS:
                break
            continue
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            found.append(too_many_rows(file, MAX_ROWS))
            return []
        values = {c: (cells[i] if i < len(cells) else "") for c, i in columns.items()}
        row = _read_row(number, values, today)
        worker_number, _bad = clean_number(values.get("number", ""))
        first = first_row.setdefault(worker_number, number) if worker_number else number
        if first != number:
            problem(
                number,
                Problem(
                    "number",
                    f"{first}행에도 같은 근로자 번호가 있습니다: {worker_number}",
                    f"worker number {worker_number} is also on row {first}",
                ),
            )
        if isinstance(row, list):
            for bad in row:
                problem(number, bad)
        elif first == number:
            read.append(row)
    if columns is None:
        found.append(
            whole_file(
                "complex_roster_no_header",
                file,
                ko="머리글 행을 찾지 못했습니다 (근로자 번호, 성명, 성별, 출생연도, 채용일 열)",
                en="no header row was found (worker number, name, sex, birth year, hired on)",
            )
        )
    elif not found and not read:
        found.append(
            whole_file(
                "complex_roster_empty",
                file,
                ko="파일에 근로자가 없습니다",
                en="the file lists no worker",
            )
        )
    return read


def _read_row(number: int, values: dict[str, str], today: dt.date) -> RosterRow | list[Problem]:
    problems: list[Problem] = []

    def take(result: tuple[object, Problem | None]) -> object:
        value, bad = result
        if bad is not None:
            problems.append(bad)
        return value

    worker_number = str(take(clean_number(values.get("number", ""))))
    name = str(take(clean_name(values.get("name", ""))))
    sex = str(take(clean_sex(values.get("sex", ""))))
    birth_year, bad_year = parse_birth_year(values.get("birth_year", ""))
    hired_on, bad_hired = parse_date(values.get("hired_on", ""), "hired_on")
    if hired_on is None and bad_hired is None:
        bad_hired = Problem("hired_on", "채용일이 비어 있습니다", "the hiring date is empty")
    left_on, bad_left = parse_date(values.get("left_on", ""), "left_on")
    wage, bad_wage = parse_wage(values.get("base_wage_usd", ""))
    job = re.sub(r"\s+", " ", nfc(values.get("job", ""))).strip()
    problems.extend(p for p in (bad_year, bad_hired, bad_left, bad_wage) if p is not None)
    problems.extend(
        check_worker(
            birth_year=birth_year if bad_year is None else None,
            hired_on=hired_on,
            left_on=left_on,
            job=job,
            today=today,
        )
    )
    if problems:
        return problems
    assert birth_year is not None and hired_on is not None
    return RosterRow(number, worker_number, name, sex, birth_year, job, hired_on, left_on, wage)


def export_rows(workers: Iterable[Sequence[object]]) -> Iterable[list[str]]:
    """Rows of the export (`EXPORT_HEADER`) from (number, name, sex, birth year, job, hired
    on, left on, base wage) tuples."""
    for number, name, sex, birth_year, job, hired_on, left_on, wage in workers:
        yield [
            str(number),
            str(name),
            SEX_WORDS.get(str(sex), str(sex)),
            str(birth_year),
            str(job or ""),
            hired_on.isoformat() if isinstance(hired_on, dt.date) else "",
            left_on.isoformat() if isinstance(left_on, dt.date) else "",
            "" if wage is None else str(wage),
        ]
