"""Exchange rates as the officer hands them over (a CSV; nothing is fetched from the internet),
read and checked before the ledger converts an amount in its original currency to KRW and USD.

Columns: `date` (ISO, the rate's value date), `currency` (ISO 4217), `krw` (won for one unit),
`usd` (dollars for one unit), `source` (who published the rate: the Bank of Korea, Korea
Eximbank, the IMF, …). CSV (UTF-8, with or without BOM, or CP949) or xlsx, read by
`common.spreadsheets.read_table`. A rate is an exact decimal, above
0; one rate per currency and date. KRW's own row, if given, must be 1 won. All or nothing:
every problem is named by file, row and column. Pure: no Django.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from panmun.common.findings import Finding, FindingsError
from panmun.common.spreadsheets.reading import SpreadsheetError, read_table

COLUMNS = ("date", "currency", "krw", "usd", "source")
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
#: At most this many digits after the point (central banks publish 4 to 6).
MAX_PLACES = 10


class RatesError(FindingsError):
    """The rates file refused, every problem named."""


@dataclass(frozen=True)
class Rate:
    day: dt.date
    currency: str
    krw: Decimal  # won for one unit
    usd: Decimal  # dollars for one unit
    source: str


@dataclass
class RateTable:
    """The rates by currency, each sorted by date."""

    by_currency: dict[str, list[Rate]] = field(default_factory=dict)

    def on(self, currency: str, day: dt.date) -> Rate | None:
        """The rate of `currency` in force on `day`: the latest dated on or before it."""
        rates = self.by_currency.get(currency, [])
        at = bisect.bisect_right([r.day for r in rates], day)
        return rates[at - 1] if at else None

    def __len__(self) -> int:
        return sum(len(r) for r in self.by_currency.values())


def _amount(cell: str) -> Decimal | None:
    try:
        value = Decimal(cell.replace(",", ""))
    except InvalidOperation:
        return None
    if not value.is_finite() or value <= 0:
        return None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_PLACES:
        return None
    return value


def read_rates(data: bytes, *, file: str, currencies: set[str]) -> RateTable:
    """The rates in `data` (named `file` in what is refused), each currency one of
    `currencies` (the IATI Currency codelist's active codes, or pycountry's)."""
    found: list[Finding] = []

    def problem(code: str, ko: str, en: str, row: int | None = None, column: str = "") -> None:
        found.append(Finding(code, ko=ko, en=en, file=file, row=row, field=column))

    if len(data) > MAX_BYTES:
        problem("rates_too_large", "파일이 너무 큽니다.", "The file is too large.")
        raise RatesError(found)
    try:
        rows = read_table(data, filename=file, max_rows=MAX_ROWS)
    except SpreadsheetError as exc:  # the file itself: not CSV or xlsx, its encoding, its size
        for p in exc.problems:
            code = "rates_encoding" if "encoding" in p.code else "rates_unreadable"
            problem(code, p.ko, p.en, row=p.row if isinstance(p.row, int) else None)
        raise RatesError(found) from exc
    header = [cell.strip() for cell in rows[0]] if rows else []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        problem(
            "rates_columns",
            "없는 열: " + ", ".join(missing),
            "Missing columns: " + ", ".join(missing),
            row=1,
        )
        raise RatesError(found)
    records = (dict(zip(header, row, strict=False)) for row in rows[1:])
    table = RateTable()
    seen: dict[tuple[str, dt.date], int] = {}
    for number, record in enumerate(records, start=2):
        cells = {c: (record.get(c) or "").strip() for c in COLUMNS}
        ok = True
        try:
            day = dt.date.fromisoformat(cells["date"])
        except ValueError:
            problem(
                "rates_date",
                f"날짜가 아닙니다 (예: 2010-05-24): {cells['date'][:20]!r}",
                f"Not a date (e.g. 2010-05-24): {cells['date'][:20]!r}",
                number,
                "date",
            )
            ok = False
        currency = cells["currency"].upper()
        if currency not in currencies:
            problem(
                "rates_currency",
                f"ISO 4217 통화 코드가 아닙니다: {cells['currency'][:10]!r}",
                f"Not an ISO 4217 currency code: {cells['currency'][:10]!r}",
                number,
                "currency",
            )
            ok = False
        amounts = {}
        for column in ("krw", "usd"):
            value = _amount(cells[column])
            if value is None:
                problem(
                    "rates_amount",
                    f"0보다 큰 수(소수점 아래 {MAX_PLACES}자리까지)가 아닙니다: "
                    f"{cells[column][:20]!r}",
                    f"Not a number above 0 (at most {MAX_PLACES} decimals): {cells[column][:20]!r}",
                    number,
                    column,
                )
                ok = False
            amounts[column] = value
        if not cells["source"]:
            problem(
                "rates_source",
                "환율의 출처를 적어 주십시오.",
                "Name the rate's source.",
                number,
                "source",
            )
            ok = False
        if currency == "KRW" and amounts["krw"] is not None and amounts["krw"] != 1:
            problem("rates_krw", "원화의 원 환율은 1입니다.", "One won is 1 won.", number, "krw")
            ok = False
        if not ok:
            continue
        key = (currency, day)
        if key in seen:
            problem(
                "rates_twice",
                f"{currency} {day}의 환율이 {seen[key]}행에도 있습니다.",
                f"The {currency} rate of {day} is also on row {seen[key]}.",
                number,
                "date",
            )
            continue
        seen[key] = number
        krw, usd = amounts["krw"], amounts["usd"]
        assert krw is not None and usd is not None
        table.by_currency.setdefault(currency, []).append(
            Rate(day, currency, krw, usd, cells["source"][:200])
        )
    if found:
        raise RatesError(found)
    for rates in table.by_currency.values():
        rates.sort(key=lambda r: r.day)
    return table
