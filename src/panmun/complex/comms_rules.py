"""The complex's telephone lines (KT, from 28 December 2005), as pure functions and dated data,
without Django.

The facts (docs/domain.md, "Gaeseong Industrial Complex: communications"): USD 0.40 a minute to
the South, USD 100 installation, USD 10 a month; dial 089 + number to the South, 001-8585 +
number from the South. Numbers are kept as the digits of their dial strings, not as E.164: the
lines belong to neither country's plan.

Readings this module makes where the source is silent (assumptions, not facts):

- a line's number in the complex is 4 to 8 digits; a number in the South is dialled as it is
  dialled in the South, with its leading 0 (02-1234-5678: 9 to 11 digits);
- a call is billed by the minute begun: 61 seconds are 2 minutes; a call of 0 seconds is free;
- a call is billed at the tariff in force on the day it started (Korea's date);
- a line pays the whole monthly fee for every month it is in service on any day (no share of a
  month), and its installation in the month it is installed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

TO_SOUTH_PREFIX = "089"
FROM_SOUTH_PREFIX = "001-8585"
LINE_DIGITS = (4, 8)
SOUTH_DIGITS = (9, 11)
SEPARATORS = re.compile(r"[\s\-.()]")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Tariff:
    """The line fees in USD in force from `effective_from` until the next tariff's day."""

    effective_from: dt.date
    installation_usd: Decimal
    monthly_usd: Decimal
    per_minute_usd: Decimal
    source: str


#: The tariffs, oldest first; add a row for a later one.
TARIFFS: tuple[Tariff, ...] = (
    Tariff(
        dt.date(2005, 12, 28),
        Decimal("100"),
        Decimal("10"),
        Decimal("0.40"),
        "KT service from 28 December 2005 (docs/domain.md, Gaeseong: communications)",
    ),
)


def tariff(on: dt.date, tariffs: tuple[Tariff, ...] = TARIFFS) -> Tariff | None:
    """The tariff in force on `on`; None before the first (no line before it)."""
    found = None
    for rule in sorted(tariffs, key=lambda t: t.effective_from):
        if rule.effective_from <= on:
            found = rule
    return found


def digits(raw: str) -> str | None:
    """The digits of a typed number (spaces, hyphens, dots and brackets dropped); None when
    anything else is in it."""
    text = SEPARATORS.sub("", raw or "")
    return text if text.isascii() and text.isdigit() else None


def line_number_problem(raw: str) -> tuple[str, str] | None:
    """Why `raw` is not a line number of the complex (Korean, English), or None."""
    found = digits(raw)
    low, high = LINE_DIGITS
    if found is None or not low <= len(found) <= high:
        return (
            f"회선 번호는 숫자 {low}–{high}자리입니다.",
            f"A line number is {low} to {high} digits.",
        )
    return None


def south_number_problem(raw: str) -> tuple[str, str] | None:
    """Why `raw` is not a number in the South as dialled there (0 first), or None."""
    found = digits(raw)
    low, high = SOUTH_DIGITS
    if found is None or not low <= len(found) <= high or not found.startswith("0"):
        return (
            f"남측 번호는 0으로 시작하는 숫자 {low}–{high}자리입니다 (예: 02-1234-5678).",
            f"A number in the South is {low} to {high} digits starting with 0 (e.g. 02-1234-5678).",
        )
    return None


def dial_from_south(line_number: str) -> str:
    """What a caller in the South dials to reach a line of the complex."""
    return f"{FROM_SOUTH_PREFIX}-{line_number}"


def dial_to_south(south_number: str) -> str:
    """What a line of the complex dials to reach `south_number` in the South."""
    return f"{TO_SOUTH_PREFIX}-{south_number}"


def billed_minutes(seconds: int) -> int:
    """Minutes billed for a call: every minute begun counts (0 seconds: 0)."""
    return -(-seconds // 60)


def call_charge(seconds: int, on: dt.date, tariffs: tuple[Tariff, ...] = TARIFFS) -> Decimal:
    rule = tariff(on, tariffs)
    if rule is None:
        return Decimal("0.00")
    return (rule.per_minute_usd * billed_minutes(seconds)).quantize(CENT)


def month_end(month: dt.date) -> dt.date:
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def in_service(installed_on: dt.date, removed_on: dt.date | None, month: dt.date) -> bool:
    """Whether a line is in service on any day of `month` (its first day given)."""
    return installed_on <= month_end(month) and (removed_on is None or removed_on >= month)
