"""토지사용료 — the land-use fee, as a pure core (no Django): the schedule of a firm's sublease
and the check of a revision of the rules.

**The rules** (domain.md): the land-use fee is charged from the 11th year; agreed in December
2015 at 1.56% of the sale price; revisable every 4 years by at most 20%; due 20 December.

**How the schedule reads them.** The fee year is the calendar year. A sublease's lease years
count from the year its site is first used (`use_from`): that year is the 1st, the next the
2nd, and so on, so a site used from June 2005 pays from 2015, its 11th year. A year's fee is
whole (no share of a year): the rule in force that year (the latest whose `from_year` is on or
before it) times the sale price, in USD rounded half up to the tenth of a cent, due on the
rule's day (20 December). A year is charged when the sublease still runs on its due day (it
ends on or after it, and was not given up before it). A year before the first rule has no fee:
nothing had been agreed. A rule charges from its `charged_from_lease_year` (the 11th).

**A revision** is a rule with a later `from_year`: it comes at least 4 years after the rule it
follows (`REVISION_YEARS`) and moves the rate by at most 20% of that rule's rate
(`REVISION_LIMIT`); a rule inserted between two must keep both distances. `check_rules`
names the rule a table breaks.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

#: The fee is revisable every 4 years, by at most 20%.
REVISION_YEARS = 4
REVISION_LIMIT = Decimal("0.20")
CENTS = Decimal("0.001")


@dataclass(frozen=True)
class Rule:
    """A land-use fee rule: from a calendar year, a share of the sale price, due on a day."""

    from_year: int
    rate: Decimal
    due_month: int = 12
    due_day: int = 20
    charged_from_lease_year: int = 11


@dataclass(frozen=True)
class Site:
    """What the schedule reads of a sublease."""

    use_from: dt.date
    ends_on: dt.date
    sale_price_usd: Decimal
    ended_on: dt.date | None = None


@dataclass(frozen=True)
class FeeYear:
    """One year of a sublease's schedule."""

    year: int
    lease_year: int
    rule_from_year: int
    rate: Decimal
    fee_usd: Decimal
    due_on: dt.date


@dataclass(frozen=True)
class RuleProblem:
    """A rule that breaks the revision limits, named by its year (and the one it follows)."""

    from_year: int
    follows: int
    code: str  # "too_soon" or "too_large"
    ko: str
    en: str


def usd(value: Decimal) -> Decimal:
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


def rule_in_force(rules: Sequence[Rule], year: int) -> Rule | None:
    """The latest rule whose year is on or before `year` (None before the first)."""
    found = None
    for rule in sorted(rules, key=lambda r: r.from_year):
        if rule.from_year <= year:
            found = rule
    return found


def lease_year(site: Site, year: int) -> int:
    """The lease year `year` is for `site`: its first year of use is the 1st."""
    return year - site.use_from.year + 1


def _due_on(rule: Rule, year: int) -> dt.date:
    # A due day past the month's end (30 February) falls on its last day.
    for day in range(rule.due_day, 27, -1):
        try:
            return dt.date(year, rule.due_month, day)
        except ValueError:
            continue
    return dt.date(year, rule.due_month, min(rule.due_day, 28))


def schedule(
    site: Site,
    rules: Iterable[Rule],
    *,
    first_year: int | None = None,
    last_year: int | None = None,
) -> list[FeeYear]:
    """Each year's fee of `site` under `rules`, from `first_year` (its first charged year when
    not given) to `last_year` (the year it ends when not given)."""
    ordered = sorted(rules, key=lambda r: r.from_year)
    if not ordered:
        return []
    end = site.ends_on if site.ended_on is None else min(site.ends_on, site.ended_on)
    start = first_year if first_year is not None else site.use_from.year
    stop = min(last_year if last_year is not None else end.year, end.year)
    years: list[FeeYear] = []
    for year in range(start, stop + 1):
        rule = rule_in_force(ordered, year)
        if rule is None:
            continue
        number = lease_year(site, year)
        if number < rule.charged_from_lease_year:
            continue
        due = _due_on(rule, year)
        if due < site.use_from or due > end:
            continue
        years.append(
            FeeYear(
                year=year,
                lease_year=number,
                rule_from_year=rule.from_year,
                rate=rule.rate,
                fee_usd=usd(site.sale_price_usd * rule.rate),
                due_on=due,
            )
        )
    return years


def check_rules(rules: Iterable[Rule]) -> list[RuleProblem]:
    """Every rule of the table that comes too soon after the one before it, or moves its rate
    by more than the limit."""
    ordered = sorted(rules, key=lambda r: r.from_year)
    problems: list[RuleProblem] = []
    for before, rule in itertools.pairwise(ordered):
        gap = rule.from_year - before.from_year
        if gap < REVISION_YEARS:
            problems.append(
                RuleProblem(
                    rule.from_year,
                    before.from_year,
                    "too_soon",
                    f"{rule.from_year}년 개정은 {before.from_year}년 토지사용료 규칙 뒤 "
                    f"{gap}년입니다: 4년마다 개정할 수 있습니다.",
                    f"The {rule.from_year} revision comes {gap} year(s) after the "
                    f"{before.from_year} land-use fee rule: the fee is revisable every 4 years.",
                )
            )
        change = abs(rule.rate - before.rate) / before.rate
        if change > REVISION_LIMIT:
            percent = (change * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            problems.append(
                RuleProblem(
                    rule.from_year,
                    before.from_year,
                    "too_large",
                    f"{rule.from_year}년 개정은 {before.from_year}년 토지사용료 규칙의 요율을 "
                    f"{percent}% 바꿉니다: 한 번에 20%까지 바꿀 수 있습니다.",
                    f"The {rule.from_year} revision changes the rate of the "
                    f"{before.from_year} land-use fee rule by {percent}%: at most 20% a "
                    "revision.",
                )
            )
    return problems
