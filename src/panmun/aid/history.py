"""The ministry's table of humanitarian aid to the North by year (통일부, "Total Amount of
Humanitarian Assistance to North Korea", 1995–2018, in KRW 100 million — 억원), read and checked
before it is loaded as the ledger's history: every year's parts add up to its totals, and every
column adds up to the table's published total row, each within the table's rounding (±2).

The file is the officer's to hand over (`../shared/data/aid/` holds the ministry's), never
copied into the repository. A CSV (UTF-8, with or without BOM, or CP949) or xlsx file of the
columns below, read by `common.spreadsheets.read_table`, with the published total row last
(its year cell `total`, `합계` or `계`). Empty cells are 0,
as the published page leaves them out. Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from panmun.common.findings import Finding, FindingsError
from panmun.common.spreadsheets.reading import SpreadsheetError, read_table

#: The columns, in KRW 100 million.
AMOUNTS = (
    "gov_by_government",
    "gov_via_ngos",
    "gov_via_intl_orgs",
    "gov_free_total",
    "gov_food_loans",
    "gov_total",
    "ngo_total",
    "grand_total",
)
#: Each year's totals and their parts.
SUMS = (
    ("gov_free_total", ("gov_by_government", "gov_via_ngos", "gov_via_intl_orgs")),
    ("gov_total", ("gov_free_total", "gov_food_loans")),
    ("grand_total", ("gov_total", "ngo_total")),
)
#: The published table's rounding: its parts and totals may differ by this much.
ROUNDING = Decimal(2)
TOTAL_ROW = {"total", "합계", "계"}
MAX_BYTES = 1024 * 1024
MAX_ROWS = 500


class HistoryTableError(FindingsError):
    """The table refused, with every problem named by file, row and column."""


@dataclass(frozen=True)
class YearRow:
    year: int
    amounts: dict[str, Decimal]  # by column, KRW 100 million
    note: str = ""


@dataclass(frozen=True)
class HistoryTable:
    years: list[YearRow]
    published: dict[str, Decimal]  # the total row as published

    def total(self, column: str = "grand_total") -> Decimal:
        return sum((row.amounts[column] for row in self.years), Decimal(0))

    def peak(self, column: str = "grand_total") -> YearRow:
        return max(self.years, key=lambda row: row.amounts[column])


def read_history_table(data: bytes, *, file: str) -> HistoryTable:
    """The table in `data` (named `file` in what is refused), checked; refused whole, with
    every problem, or none."""

    def problem(code: str, ko: str, en: str, row: int | None = None, field: str = "") -> None:
        found.append(Finding(code, ko=ko, en=en, file=file, row=row, field=field))

    found: list[Finding] = []
    if len(data) > MAX_BYTES:
        problem("aid_history_too_large", "파일이 너무 큽니다.", "The file is too large.")
        raise HistoryTableError(found)
    try:
        rows = read_table(data, filename=file, max_rows=MAX_ROWS)
    except SpreadsheetError as exc:  # the file itself: not CSV or xlsx, its encoding, its size
        for p in exc.problems:
            code = "aid_history_encoding" if "encoding" in p.code else "aid_history_unreadable"
            problem(code, p.ko, p.en, row=p.row if isinstance(p.row, int) else None)
        raise HistoryTableError(found) from exc
    header = [cell.strip() for cell in rows[0]] if rows else []
    missing = [c for c in ("year", *AMOUNTS) if c not in header]
    if missing:
        problem(
            "aid_history_columns",
            "없는 열: " + ", ".join(missing),
            "Missing columns: " + ", ".join(missing),
            row=1,
        )
        raise HistoryTableError(found)
    records = (dict(zip(header, row, strict=False)) for row in rows[1:])
    years: list[YearRow] = []
    published: dict[str, Decimal] | None = None
    for number, record in enumerate(records, start=2):
        amounts: dict[str, Decimal] = {}
        for column in AMOUNTS:
            cell = (record.get(column) or "").strip().replace(",", "")
            try:
                value = Decimal(cell) if cell else Decimal(0)
            except InvalidOperation:
                problem(
                    "aid_history_amount",
                    f"금액이 아닙니다: {cell[:20]!r}",
                    f"Not an amount: {cell[:20]!r}",
                    row=number,
                    field=column,
                )
                continue
            if not value.is_finite() or value < 0:
                problem(
                    "aid_history_amount",
                    "0 이상의 금액이어야 합니다.",
                    "An amount of 0 or more.",
                    row=number,
                    field=column,
                )
                continue
            amounts[column] = value
        year_cell = (record.get("year") or "").strip()
        if year_cell.casefold() in TOTAL_ROW:
            published = amounts
            continue
        if published is not None:
            problem(
                "aid_history_after_total",
                "합계 줄 다음에 연도가 있습니다.",
                "A year after the total row.",
                row=number,
                field="year",
            )
        if not (year_cell.isdigit() and 1945 <= int(year_cell) <= 2200):
            problem(
                "aid_history_year",
                f"연도가 아닙니다: {year_cell[:10]!r}",
                f"Not a year: {year_cell[:10]!r}",
                row=number,
                field="year",
            )
            continue
        if any(row.year == int(year_cell) for row in years):
            problem(
                "aid_history_year_twice",
                f"{year_cell}년이 두 번 있습니다.",
                f"The year {year_cell} is there twice.",
                row=number,
                field="year",
            )
        if len(amounts) == len(AMOUNTS):
            for total, parts in SUMS:
                summed = sum((amounts[p] for p in parts), Decimal(0))
                if abs(summed - amounts[total]) > ROUNDING:
                    problem(
                        "aid_history_row_sum",
                        f"{total}({amounts[total]})가 {'+'.join(parts)}({summed})와 맞지 않습니다.",
                        f"{total} ({amounts[total]}) is not {' + '.join(parts)} ({summed}).",
                        row=number,
                        field=total,
                    )
        years.append(YearRow(int(year_cell), amounts, (record.get("note") or "").strip()))
    if published is None:
        problem(
            "aid_history_no_total",
            "발표된 합계 줄(total)이 없습니다.",
            "No published total row (year 'total').",
        )
    elif not found:
        table = HistoryTable(years, published)
        for column in AMOUNTS:
            if abs(table.total(column) - published[column]) > ROUNDING:
                problem(
                    "aid_history_column_sum",
                    f"연도별 합({table.total(column)})이 발표된 합계({published[column]})와 "
                    "맞지 않습니다.",
                    f"The years add up to {table.total(column)}, not the published "
                    f"{published[column]}.",
                    field=column,
                )
    if found:
        raise HistoryTableError(found)
    assert published is not None
    return HistoryTable(years, published)
