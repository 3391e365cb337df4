"""The registry written as its file: one row per (applicant, relative sought), in `COLUMNS`
order, as CSV or xlsx (`common.spreadsheets.writing`); reading what is written gives the same
data (`checker.read_registry`)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from operator import attrgetter
from typing import IO, Any

from panmun.common.spreadsheets import writing

from .columns import (
    APPLICANT_ATTRIBUTES,
    COLUMNS,
    NO_RELATIVE,
    RELATIVE_ATTRIBUTES,
    ApplicantData,
)

SHEET_NAME = "registry"


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
    writing.write_csv_to(out, COLUMNS, rows)


def write_csv(applicants: Iterable[ApplicantData]) -> bytes:
    """The registry as CSV, UTF-8 with a BOM (so that Korean Excel reads it as UTF-8)."""
    out = io.BytesIO()
    write_csv_to(out, registry_rows(applicants))
    return out.getvalue()


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
    when the sheet is compressed into the file, in MiB. `writing.XlsxTooLarge` past Excel's
    last row."""
    return writing.write_xlsx_to(
        out,
        COLUMNS,
        rows,
        sheet_name=SHEET_NAME,
        compressing=compressing,
        compressed=compressed,
    )


def write_xlsx(applicants: Iterable[ApplicantData]) -> bytes:
    """The registry as an xlsx workbook of one sheet, every cell text."""
    out = io.BytesIO()
    write_xlsx_to(out, registry_rows(applicants))
    return out.getvalue()
