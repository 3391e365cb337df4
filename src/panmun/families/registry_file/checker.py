"""The registry file read and checked whole: every problem named, or the applicants it holds.

`read_registry` gives clean Python data or raises `RegistryFileError` with every problem found,
each naming the file, the spreadsheet row (the header is row 1) and the column, in Korean and in
English, so that nothing is written while anything is wrong. `stage_registry` does the same in
memory that does not grow with the file: each row is read (`common.spreadsheets.reading`) and
checked as it comes and kept on disk (a private SQLite file, `_Staging`), then each applicant's
rows are checked together, and the applicants are made again one at a time for whoever writes
them. At most `columns.MAX_ROWS` data rows are read.

No Django, no registry database (the staging store is SQLite of Python's own).
"""

from __future__ import annotations

import itertools
import pickle
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from operator import attrgetter
from typing import Any

from panmun.common.findings import Finding, FindingsError
from panmun.common.spreadsheets.reading import Source, column_letter, rows_of, too_many_rows
from panmun.korean.dates import korea_today

from . import columns
from .columns import (
    APPLICANT_COLUMNS,
    APPLICANT_NAMES,
    APPLICANT_SET,
    HEADERS,
    LIMITS,
    NOTES,
    ORDER,
    PROGRESS_EVERY,
    RELATIVE_COLUMNS,
    RELATIVE_NAMES,
    RELATIVE_SET,
    SHOWN_PROBLEMS,
    ApplicantData,
    RelativeData,
    header_key,
)
from .values import (
    ANY_CONTROL,
    APPLICANT_PARSERS,
    CALENDAR,
    NOTES_CONTROL,
    RELATIVE_PARSERS,
    Bad,
    Value,
    as_text,
    check_registry_no,
    partial_date,
    show,
)


class RegistryFileError(FindingsError):
    """A registry file that cannot be used, with every problem found in it."""

    shown = SHOWN_PROBLEMS


@dataclass(slots=True)
class _Group:
    """The rows of one registry_no, as they are read."""

    registry_no: str
    rows: list[int] = field(default_factory=list)
    values: dict[str, tuple[Value, int, str]] = field(default_factory=dict)  # (value, row, text)
    invalid: set[str] = field(default_factory=set)  # applicant columns refused on some row
    relatives: list[RelativeData] = field(default_factory=list)
    seen: dict[tuple[str, str, str, str], int] = field(default_factory=dict)


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

    def bad(self, row: int, column: str, error: Bad) -> None:
        self.add(row, column, ko=error.ko, en=error.en)

    # -- the header

    def header(self, number: int, cells: Sequence[str]) -> None:
        found: dict[str, int] = {}
        for position, raw in enumerate(cells):
            text = raw.strip()
            if not text:
                self.unnamed[position] = False
                continue
            column = HEADERS.get(header_key(text))
            letter = column_letter(position)
            if column is None:
                self.add(
                    number,
                    text,
                    ko=f"알 수 없는 열 {show(text)} ({letter}열)",
                    en=f"unknown column {show(text)} (column {letter})",
                )
            elif column in found:
                first = column_letter(found[column])
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
        missing_names = not any(name in found for name in APPLICANT_NAMES)
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
        hard = NOTES_CONTROL.search(joined) is not None
        soft = "\n" in joined or "\t" in joined
        for position, column in self.columns:
            if position >= width:
                continue
            text = cells[position]
            if not text:
                continue
            if column in NOTES:
                text = text.replace("\r\n", "\n").replace("\r", "\n")
            text = text.strip()
            if not text:
                continue
            if not text.isascii():
                text = unicodedata.normalize("NFC", text)
            if hard or (soft and column not in NOTES and ("\n" in text or "\t" in text)):
                found = (NOTES_CONTROL if column in NOTES else ANY_CONTROL).search(text)
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
                    letter = column_letter(position)
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
        if (values.keys() | refused) & RELATIVE_SET:
            relative = self.relative(number, values, refused)
        if registry_no is not None and self.staging is not None:
            self.staging.add(
                registry_no,
                number,
                (
                    tuple(applicant.get(column) for column in APPLICANT_COLUMNS),
                    tuple(sorted(invalid & APPLICANT_SET)),
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
            for column, found in zip(APPLICANT_COLUMNS, applicant, strict=True):
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
                        f" {show(earlier[2])}, {number}행에는 {show(text)}이(가) 있습니다",
                        en=f"row {number} has {show(text)} but row {earlier[1]} has"
                        f" {show(earlier[2])} for the same registry_no {group.registry_no}",
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
            return check_registry_no(text)
        except Bad as error:
            self.bad(number, "registry_no", error)
            return None

    def applicant_values(
        self, number: int, values: dict[str, str]
    ) -> tuple[dict[str, tuple[Value, str]], set[str]]:
        found: dict[str, tuple[Value, str]] = {}
        invalid: set[str] = set()
        for column in APPLICANT_COLUMNS:
            text = values.get(column)
            if text is None:
                continue
            try:
                value: Value
                if column == "applicant_birth_date":
                    # Checked again, once the applicant's calendar is known from every row.
                    calendar = CALENDAR.get(values.get("applicant_birth_calendar", "").casefold())
                    value = partial_date(text, calendar or "unknown", self.today)
                else:
                    value = APPLICANT_PARSERS[column](text, self.today)
            except Bad as error:
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
        for column in RELATIVE_COLUMNS:
            text = values.get(column)
            if text is None:
                continue
            try:
                if column in ("relative_birth_date", "relative_death_date", "separated_on"):
                    calendar = ""
                    if column == "relative_birth_date":
                        calendar = CALENDAR.get(
                            values.get("relative_birth_calendar", "").casefold(), ""
                        )
                    parsed[column] = partial_date(text, calendar, self.today)
                else:
                    parsed[column] = RELATIVE_PARSERS.get(column, as_text)(text)
            except Bad as error:
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
        if not any(name in values or name in refused for name in RELATIVE_NAMES):
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
        if not ok or refused & RELATIVE_SET:
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

        if self.has_names and not any(n in values or n in invalid for n in APPLICANT_NAMES):
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
                partial_date(birth[0], calendar or "solar", self.today)
            except Bad as error:
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
                self.problems.sort(key=lambda p: (p.row, ORDER.get(p.field, -1)))
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
            if data_rows > columns.MAX_ROWS:
                self.problems.append(too_many_rows(self.file, columns.MAX_ROWS))
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
# (value, text) or None, in APPLICANT_COLUMNS order; the applicant's columns refused on the row;
# the relative sought (RelativeData's fields in order), or None.
_Staged = tuple[tuple[tuple[Value, str] | None, ...], tuple[str, ...], tuple[Any, ...] | None]
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
    rows, total = rows_of(data, filename, problems)
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
