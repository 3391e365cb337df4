"""The wage rules' arithmetic, with no Django: the history of the minimum wage, the 5% cap on a
year's raise, the working days of a month, and one worker's month of pay.

The rules of a month are those of the latest rule that started on or before its first day.

One worker's month (`line_amounts`), in USD, every figure quantized to 0.001 ROUND_HALF_UP:

- the monthly wage is the worker's agreed wage (never below the minimum in force: refused) or the
  minimum;
- full attendance is the month's working days: every day but Sundays (the labour rules' 48-hour
  week of six 8-hour days). The base wage is the monthly wage × days worked ÷ working days;
  more days than the month's working days are refused (work on a Sunday is overtime);
- the hourly wage is the monthly wage ÷ the rule's hours of a month's work (48 h × 52 weeks ÷ 12
  = 208); overtime hours are paid at the hourly wage × (1 + the overtime premium, 50%), night
  hours (worked at night past the shift) at the hourly wage × (1 + the night premium, 50%);
- social insurance is 15% of the wages: base and overtime, and from August 2015 the allowances;
- the total is the wages (base, overtime, allowances) and the insurance: what is remitted.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol, TypeVar


class _Dated(Protocol):
    effective_from: Any


R = TypeVar("R", bound=_Dated)

MIL = Decimal("0.001")
ZERO = Decimal(0)
#: The labour rules' week: 48 hours, six days of eight.
WEEK_HOURS = 48
MONTHLY_HOURS = 208  # 48 × 52 ÷ 12
INSURANCE = Decimal("0.15")
PREMIUM = Decimal("0.50")
CAP = Decimal("0.05")


def usd(value: Decimal) -> Decimal:
    """An amount in USD to three decimals, half up."""
    return value.quantize(MIL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RuleFacts:
    """The rules in force from a day (a `WageRule` row's fields)."""

    effective_from: dt.date
    minimum_wage_usd: Decimal
    insurance_rate: Decimal = INSURANCE
    allowances_insured: bool = False
    overtime_premium: Decimal = PREMIUM
    night_premium: Decimal = PREMIUM
    monthly_hours: int = MONTHLY_HOURS
    raise_cap: Decimal | None = CAP
    agreed_on: dt.date | None = None
    basis: str = ""


#: The minimum wage's history (domain.md, "Gaeseong Industrial Complex"; the Ministry of
#: Unification's Gaeseong white papers; press of 17 August 2015 for the 2015 agreement).
#: Premiums: the Gaeseong Industrial Complex labour rules (2003), art. 30: +50% for overtime and
#: night work. Hours: the same rules' 48-hour week. The sources give the month each raise took
#: effect (the year only for 2007, 2008 and 2011: August is assumed, as in the years around them)
#: and not the day the sides agreed it, so `agreed_on` stays empty but for 2003 and 2015.
WAGE_HISTORY: tuple[RuleFacts, ...] = (
    RuleFacts(
        dt.date(2003, 9, 18),
        Decimal("50.000"),
        raise_cap=CAP,
        agreed_on=dt.date(2003, 9, 18),
        basis="개성공업지구 노동규정(2003): 최저임금 50달러, 연 인상 5% 이내",
    ),
    RuleFacts(
        dt.date(2007, 8, 1),
        Decimal("52.500"),
        basis="2007년 인상 5%",
    ),
    RuleFacts(
        dt.date(2008, 8, 1),
        Decimal("55.125"),
        basis="2008년 인상 5%",
    ),
    RuleFacts(
        dt.date(2009, 8, 1),
        Decimal("57.881"),
        basis="2009년 인상 5%",
    ),
    RuleFacts(
        dt.date(2010, 8, 1),
        Decimal("60.775"),
        basis="2010년 인상 5%",
    ),
    RuleFacts(
        dt.date(2011, 8, 1),
        Decimal("63.814"),
        basis="2011년 인상 5%",
    ),
    RuleFacts(
        dt.date(2012, 8, 1),
        Decimal("67.005"),
        basis="2012년 인상 5% (2013년 인상 없음: 가동 중단)",
    ),
    RuleFacts(
        dt.date(2014, 5, 1),
        Decimal("70.350"),
        basis="2014년 인상 4.99%",
    ),
    RuleFacts(
        dt.date(2014, 11, 20),
        Decimal("70.350"),
        raise_cap=None,
        basis="북측, 노동규정 개정으로 연 5% 인상 상한 삭제 (남측 미동의)",
    ),
    RuleFacts(
        dt.date(2015, 3, 1),
        Decimal("73.870"),
        raise_cap=None,
        agreed_on=dt.date(2015, 8, 17),
        basis="2015.8.17 합의 73.87달러, 3월로 소급 (북측 요구 74달러)",
    ),
    RuleFacts(
        dt.date(2015, 8, 1),
        Decimal("73.870"),
        allowances_insured=True,
        raise_cap=None,
        agreed_on=dt.date(2015, 8, 17),
        basis="2015.8.17 합의: 사회보험료 산정에 가급금 포함",
    ),
)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    """The last day of `month`'s month."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def working_days(month: dt.date) -> int:
    """The days of `month` that are not Sundays: full attendance."""
    days = calendar.monthrange(month.year, month.month)[1]
    return sum(1 for d in range(1, days + 1) if dt.date(month.year, month.month, d).weekday() != 6)


def rule_for(rules: Sequence[R], day: dt.date) -> R | None:
    """The rule in force on `day` (the latest that started on or before it), of `rules`."""
    found = None
    for rule in sorted(rules, key=lambda r: r.effective_from):
        if rule.effective_from <= day:
            found = rule
    return found


def raise_over_cap(previous: Decimal, proposed: Decimal, cap: Decimal | None) -> Decimal | None:
    """The largest minimum wage the cap allows over `previous`, when `proposed` is above it."""
    if cap is None:
        return None
    largest = usd(previous * (1 + cap))
    return largest if proposed > largest else None


@dataclass(frozen=True)
class LineInput:
    """What the firm enters for one worker's month (defaults: full attendance, nothing more)."""

    days_worked: Decimal | None = None
    overtime_hours: Decimal = ZERO
    night_hours: Decimal = ZERO
    allowances_usd: Decimal = ZERO


@dataclass(frozen=True)
class LineAmounts:
    days_worked: Decimal
    overtime_hours: Decimal
    night_hours: Decimal
    allowances_usd: Decimal
    base_usd: Decimal
    overtime_usd: Decimal
    insurance_usd: Decimal
    total_usd: Decimal


@dataclass(frozen=True)
class Problem:
    """A broken rule: the field, and why in Korean and English."""

    field: str
    ko: str
    en: str


#: The days the rules may speak of: the complex's lifetime and well beyond it.
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)
#: The largest allowances of a worker's month the rules take (USD).
MAX_ALLOWANCES = Decimal(100_000)
TENTH = Decimal("0.1")


def day_problem(field: str, day: dt.date) -> Problem | None:
    """A day outside the years the rules may speak of (2000–2099)."""
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return Problem(field, "날짜는 2000–2099년이어야 합니다", "the date must be in 2000–2099")


def line_problems(
    rule: RuleFacts, month: dt.date, agreed_wage: Decimal | None, given: LineInput
) -> list[Problem]:
    """What in one worker's month breaks the rules in force (empty: none)."""
    problems = []
    if agreed_wage is not None and agreed_wage < rule.minimum_wage_usd:
        problems.append(
            Problem(
                "base_wage_usd",
                f"기본임금 {agreed_wage}달러가 최저임금 {rule.minimum_wage_usd}달러"
                f"({rule.effective_from} 시행)보다 적습니다",
                f"the base wage {agreed_wage} is below the minimum wage {rule.minimum_wage_usd} "
                f"in force from {rule.effective_from}",
            )
        )
    full = working_days(month)
    if given.days_worked is not None:
        if given.days_worked < 0:
            problems.append(
                Problem(
                    "days_worked", "근무일은 음수일 수 없습니다", "days worked cannot be negative"
                )
            )
        elif given.days_worked > full:
            problems.append(
                Problem(
                    "days_worked",
                    f"근무일 {given.days_worked}일이 이 달의 근무일 {full}일보다 많습니다",
                    f"{given.days_worked} days worked: the month has {full} working days",
                )
            )
    if given.days_worked is not None and given.days_worked != given.days_worked.quantize(TENTH):
        problems.append(
            Problem("days_worked", "근무일은 0.1일 단위입니다", "days worked in tenths at most")
        )
    for name, ko, en in (
        ("overtime_hours", "연장 근무 시간", "overtime hours"),
        ("night_hours", "야간 근무 시간", "night hours"),
    ):
        hours = getattr(given, name)
        if hours < 0:
            problems.append(Problem(name, f"{ko}은 음수일 수 없습니다", f"{en} cannot be negative"))
        elif hours > 24 * 31:
            problems.append(
                Problem(name, f"{ko}이 한 달의 시간보다 많습니다", f"{en}: more than a month has")
            )
        elif hours != hours.quantize(TENTH):
            problems.append(Problem(name, f"{ko}은 0.1시간 단위입니다", f"{en} in tenths at most"))
    if given.allowances_usd < 0:
        problems.append(
            Problem(
                "allowances_usd", "가급금은 음수일 수 없습니다", "allowances cannot be negative"
            )
        )
    elif given.allowances_usd > MAX_ALLOWANCES:
        problems.append(
            Problem(
                "allowances_usd",
                "가급금이 너무 큽니다(100,000달러까지)",
                "allowances are at most 100,000 USD",
            )
        )
    elif given.allowances_usd != usd(given.allowances_usd):
        problems.append(
            Problem("allowances_usd", "가급금은 0.001달러 단위입니다", "allowances to 0.001 USD")
        )
    return problems


def line_amounts(
    rule: RuleFacts,
    month: dt.date,
    agreed_wage: Decimal | None,
    given: LineInput,
    *,
    minimum: Decimal | None = None,
) -> LineAmounts:
    """One worker's month under `rule` (checked first by `line_problems`). `minimum` replaces
    the rule's minimum wage (the figure a dispute demands)."""
    floor = rule.minimum_wage_usd if minimum is None else minimum
    wage = floor if agreed_wage is None else max(agreed_wage, floor)
    full = working_days(month)
    days = Decimal(full) if given.days_worked is None else given.days_worked
    base = usd(wage * days / full)
    hours = Decimal(rule.monthly_hours)
    overtime = usd(
        wage * (1 + rule.overtime_premium) * given.overtime_hours / hours
        + wage * (1 + rule.night_premium) * given.night_hours / hours
    )
    allowances = usd(given.allowances_usd)
    insured = base + overtime + (allowances if rule.allowances_insured else ZERO)
    insurance = usd(insured * rule.insurance_rate)
    return LineAmounts(
        days_worked=days,
        overtime_hours=given.overtime_hours,
        night_hours=given.night_hours,
        allowances_usd=allowances,
        base_usd=base,
        overtime_usd=overtime,
        insurance_usd=insurance,
        total_usd=base + overtime + allowances + insurance,
    )


def history_rows() -> list[dict[str, Any]]:
    """The history as the fields of `WageRule` rows (the data migration's, and the tests')."""
    return [
        {
            "effective_from": r.effective_from,
            "minimum_wage_usd": r.minimum_wage_usd,
            "insurance_rate": r.insurance_rate,
            "allowances_insured": r.allowances_insured,
            "overtime_premium": r.overtime_premium,
            "night_premium": r.night_premium,
            "monthly_hours": r.monthly_hours,
            "raise_cap": r.raise_cap,
            "agreed_on": r.agreed_on,
            "basis": r.basis,
        }
        for r in WAGE_HISTORY
    ]


def history_load(model: Any) -> int:
    """Write the history into `model` (WageRule, or the migration's historical model) where a
    row of that day is missing; a row already there is left as it is. Returns rows added."""
    added = 0
    for fields in history_rows():
        if not model.objects.filter(effective_from=fields["effective_from"]).exists():
            model.objects.create(**fields)
            added += 1
    return added


def parse_month(text: str) -> dt.date | None:
    """`YYYY-MM` as the month's first day; None for anything else."""
    parts = text.strip().split("-")
    if len(parts) != 2 or len(parts[0]) != 4 or len(parts[1]) != 2:
        return None
    if not (parts[0].isdigit() and parts[1].isdigit()) or not 1 <= int(parts[1]) <= 12:
        return None
    if int(parts[0]) < 1:
        return None
    return dt.date(int(parts[0]), int(parts[1]), 1)
