"""The demo's payrolls: the calendar year 2015 for every firm with workers, computed by the same
arithmetic as the service (`panmun.complex.wages`) under the rules of each month (70.35 to
February, 73.87 from March as agreed on 17 August 2015, allowances insured from August), with
the 2015 wage dispute recorded as settled. January to September are remitted and confirmed by
the bureau; October is remitted and waits for the bureau; November is approved and waits for
the firm's remittance; December is submitted and waits for the committee.

Written in bulk (a firm-month's lines share their amounts wherever the inputs are the same);
idempotent: a firm's month already there is left as it is."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from panmun.accounts.models import Side, User
from panmun.common.apps import DemoRun
from panmun.common.bulk import Insert

from . import wages as core
from .models import (
    DisputeState,
    Firm,
    PayrollLine,
    PayrollMonth,
    PayrollState,
    Remittance,
    RemittanceState,
    WageDispute,
    WageRule,
    Worker,
)
from .services.payroll import LINE_COLUMNS, facts_of, line_cells

YEAR = 2015
MONTHS = [dt.date(YEAR, m, 1) for m in range(1, 13)]
BANK = "우리은행 개성공단지점"
D = Decimal

#: The inputs a worker's month may have in the demo, picked by the worker's id: most work
#: every working day with no extras; some overtime, night work, allowances, a few absences.
VARIANTS: tuple[core.LineInput, ...] = (
    core.LineInput(),
    core.LineInput(),
    core.LineInput(overtime_hours=D("12")),
    core.LineInput(overtime_hours=D("20"), night_hours=D("8"), allowances_usd=D("5")),
    core.LineInput(allowances_usd=D("3")),
    core.LineInput(days_worked=D("20")),
)


def _state(month: dt.date) -> str:
    if month.month <= 9:
        return PayrollState.CONFIRMED
    return {
        10: PayrollState.REMITTED,
        11: PayrollState.APPROVED,
        12: PayrollState.SUBMITTED,
    }[month.month]


def _dispute(gic: User | None) -> None:
    rule = WageRule.objects.filter(effective_from=dt.date(2015, 3, 1)).first()
    if rule is None or WageDispute.objects.filter(effective_from=dt.date(2015, 3, 1)).exists():
        return
    WageDispute.objects.create(
        demanded_by=Side.objects.get(code="north"),
        demanded_on=dt.date(2015, 2, 24),
        effective_from=dt.date(2015, 3, 1),
        demanded_wage_usd=D("74.000"),
        state=DisputeState.SETTLED,
        settled_on=dt.date(2015, 8, 17),
        settled_rule=rule,
        note="북측: 노동규정 개정(2014.11.20)에 따라 3월부터 최저임금 74달러 (시연 자료)",
        recorded_by=gic,
    )


def load(run: DemoRun) -> None:
    gic = User.objects.filter(username="gic").first()
    bureau = User.objects.filter(username="bureau").first()
    actor = gic or User.objects.filter(is_superuser=True).order_by("pk").first()
    if actor is None:
        return
    with transaction.atomic():
        # The history of migration 0003, where a database was emptied since (a flush).
        core.history_load(WageRule)
        _dispute(gic)
    rules = list(WageRule.objects.order_by("effective_from"))
    in_force = {m: core.rule_for(rules, m) for m in MONTHS}
    if any(rule is None for rule in in_force.values()):
        run.say("Gaeseong complex: no wage rule in force for the demo's months; no payrolls.")
        return
    facts_by_month = {m: facts_of(rule) for m, rule in in_force.items() if rule is not None}
    rule_ids = {m: rule.pk for m, rule in in_force.items() if rule is not None}
    done = set(PayrollMonth.objects.filter(month__in=MONTHS).values_list("firm_id", "month"))
    firms = list(
        Firm.objects.filter(workers__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    progress = run.progress(len(firms), "complex payroll 2015")
    now = timezone.now()
    written = 0
    for firm_id in firms:
        people: list[tuple[int, dt.date, dt.date | None, Decimal | None]] = list(
            Worker.objects.filter(firm_id=firm_id).values_list(
                "pk", "hired_on", "left_on", "base_wage_usd"
            )
        )
        with transaction.atomic():
            for month in MONTHS:
                if (firm_id, month) in done:
                    continue
                written += _firm_month(
                    firm_id,
                    month,
                    people,
                    facts_by_month[month],
                    rule_ids[month],
                    actor,
                    bureau,
                    now,
                )
        progress.advance()
    run.say(f"complex payroll: {written:,} payroll lines for {YEAR}")


def _firm_month(
    firm_id: int,
    month: dt.date,
    people: list[tuple[int, dt.date, dt.date | None, Decimal | None]],
    facts: core.RuleFacts,
    rule_id: int,
    actor: User,
    bureau: User | None,
    now: Any,
) -> int:
    last = core.month_end(month)
    cache: dict[tuple[Decimal | None, int], tuple[core.LineAmounts, tuple[str, ...]]] = {}
    lines: list[tuple[int, tuple[str, ...]]] = []
    sums = dict.fromkeys(("base_usd", "overtime_usd", "allowances_usd", "insurance_usd"), D(0))
    total = D(0)
    for pk, hired_on, left_on, wage in people:
        if hired_on > last or (left_on is not None and left_on < month):
            continue
        if wage is not None and wage < facts.minimum_wage_usd:
            wage = None  # a demo wage under this month's minimum: the minimum
        variant = pk % len(VARIANTS)
        known = cache.get((wage, variant))
        if known is None:
            amounts = core.line_amounts(facts, month, wage, VARIANTS[variant])
            known = cache[(wage, variant)] = (amounts, line_cells(amounts))
        amounts, cells = known
        for name in sums:
            sums[name] += getattr(amounts, name)
        total += amounts.total_usd
        lines.append((pk, cells))
    if not lines:
        return 0
    state = _state(month)
    remittance = None
    if state in (PayrollState.REMITTED, PayrollState.CONFIRMED):
        confirmed = state == PayrollState.CONFIRMED and bureau is not None
        remittance = Remittance.objects.create(
            firm_id=firm_id,
            amount_usd=total,
            bank=BANK,
            bank_reference=f"GIC-{month:%Y%m}-{firm_id:05d}",
            remitted_on=last + dt.timedelta(days=10),
            state=RemittanceState.CONFIRMED if confirmed else RemittanceState.SENT,
            recorded_by=actor,
            confirmed_by=bureau if confirmed else None,
            confirmed_at=now if confirmed else None,
            received_usd=total if confirmed else None,
        )
    payroll = PayrollMonth.objects.create(
        firm_id=firm_id,
        month=month,
        rule_id=rule_id,
        state=state if state != PayrollState.CONFIRMED or bureau else PayrollState.REMITTED,
        workers=len(lines),
        wages_usd=sums["base_usd"] + sums["overtime_usd"] + sums["allowances_usd"],
        total_usd=total,
        remittance=remittance,
        computed_at=now,
        submitted_at=now,
        decided_by=actor if state != PayrollState.SUBMITTED else None,
        decided_at=now if state != PayrollState.SUBMITTED else None,
        **sums,
    )
    insert = Insert(PayrollLine, LINE_COLUMNS)
    rows = [(payroll.pk, worker, *cells) for worker, cells in lines]
    for start in range(0, len(rows), 5000):
        insert.write(rows[start : start + 5000])
    return len(lines)
