"""Writes of the complex's output: a firm's month (production, shipments to the South, exports
abroad, in USD with three decimals), recorded by the firm itself or by the committee, and the
complex's figures by year (`complex.history`).

A month is recorded once per firm: recording it again replaces the figures (audited with both).
It is refused, with the rule named, for a firm that does not operate — its cooperation-project
approval (Art. 17) is not in force (`services.firms.operates`) — for a month before production
began in the complex (December 2004) or before the firm's own start, after it closed, or still
to come."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common.errors import invalid_fields

from ..access import firms_for_edit
from ..history import FIGURES
from ..models import Firm, OutputMonth, YearFigures
from ..wages import month_start
from .firms import operates

Problem = tuple[str, str, str]
#: Production began in the complex in December 2004.
FIRST_MONTH = dt.date(2004, 12, 1)
MAX_USD = Decimal("9999999999999")
REFUSED_KO = "월 생산 실적을 저장하지 않았습니다."
REFUSED_EN = "The month's output was not saved."
AMOUNTS = ("production_usd", "shipped_south_usd", "exported_usd")


def _amount(name: str, value: Decimal) -> Problem | None:
    if not value.is_finite() or value < 0 or value > MAX_USD:
        return (name, "0 이상의 금액(USD)을 적어 주십시오.", "An amount in USD of 0 or more.")
    if value != round(value, 3):
        return (name, "소수 셋째 자리까지 적어 주십시오.", "At most 3 decimal places.")
    return None


def check_output(firm: Firm, month: dt.date, amounts: dict[str, Decimal]) -> list[Problem]:
    problems = [p for name in AMOUNTS for p in [_amount(name, amounts[name])] if p]
    this_month = month_start(timezone.localdate())
    if month < FIRST_MONTH:
        problems.append(
            (
                "month",
                "개성공단 생산은 2004년 12월에 시작했습니다.",
                "Production in the complex began in December 2004.",
            )
        )
    elif month > this_month:
        problems.append(("month", "아직 오지 않은 달입니다.", "That month has not come yet."))
    if firm.started_on and month < month_start(firm.started_on):
        problems.append(
            (
                "month",
                f"이 기업의 생산 시작({firm.started_on:%Y-%m}) 전의 달입니다.",
                f"Before the firm began production ({firm.started_on:%Y-%m}).",
            )
        )
    if firm.closed_on and month > month_start(firm.closed_on):
        problems.append(
            (
                "month",
                f"이 기업이 철수한 달({firm.closed_on:%Y-%m}) 뒤입니다.",
                f"After the firm closed ({firm.closed_on:%Y-%m}).",
            )
        )
    if not operates(firm):
        problems.append(
            (
                "firm",
                "협력사업 승인(남북교류협력법 제17조)이 유효하지 않은 기업은 생산 실적을 "
                "기록하지 않습니다.",
                "A firm without a cooperation-project approval in force (Inter-Korean Exchange "
                "and Cooperation Act, Art. 17) does not operate: no output is recorded.",
            )
        )
    return problems


@transaction.atomic
def output_record(
    *,
    actor: User,
    firm: Firm,
    month: dt.date,
    production_usd: Decimal,
    shipped_south_usd: Decimal = Decimal(0),
    exported_usd: Decimal = Decimal(0),
) -> OutputMonth:
    """Record (or correct) a firm's month: the firm's officers or the committee."""
    require(firms_for_edit(actor).filter(pk=firm.pk).exists())
    month = month_start(month)
    amounts = {
        "production_usd": production_usd,
        "shipped_south_usd": shipped_south_usd,
        "exported_usd": exported_usd,
    }
    firm = Firm.objects.select_related("project_approval").get(pk=firm.pk)
    problems = check_output(firm, month, amounts)
    if problems:
        raise invalid_fields(REFUSED_KO, REFUSED_EN, problems)
    row = OutputMonth.objects.select_for_update().filter(firm=firm, month=month).first()
    before = {name: str(getattr(row, name)) for name in AMOUNTS} if row else None
    row = row or OutputMonth(firm=firm, month=month)
    for name, value in amounts.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    row.refresh_from_db()
    audit.record(
        actor=actor,
        action="complex.output.record",
        obj=row,
        changes={"before": before, "after": {k: str(v) for k, v in amounts.items()}},
    )
    return row


def year_figures_load() -> int:
    """Write the published figures (`complex.history.FIGURES`) into `YearFigures`, replacing
    the rows of those years: what migration 0002 wrote, again. Returns how many."""
    for facts in FIGURES:
        YearFigures.objects.update_or_create(
            year=facts.year,
            defaults={
                "firms": facts.firms,
                "workers": facts.workers,
                "output_usd": facts.output_usd,
                "as_of": facts.as_of,
                "note": facts.note,
                "source": facts.source,
            },
        )
    return len(FIGURES)
