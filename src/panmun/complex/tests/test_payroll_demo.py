"""The demo's year of payrolls: every firm with workers, the states that leave each persona work,
remittances equal to the payrolls they cover, and a second run that adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from panmun.common.apps import DemoRun
from panmun.jobs.progress import Progress

from ..demo_payroll import load
from ..models import PayrollLine, PayrollMonth, PayrollState, Remittance, WageDispute
from ..services.payroll import payroll_compute
from ..wages import LineInput
from .factories import make_firm, persona_firm
from .payroll_world import add_workers


def run() -> tuple[DemoRun, list[str]]:
    said: list[str] = []
    return DemoRun(0, None, lambda total, label: Progress(), said.append, 10), said


@pytest.mark.django_db
def test_a_year_of_payrolls(personas) -> None:
    mine = persona_firm(personas)
    add_workers(mine, 6)
    other = make_firm("둘째기업(주)")
    add_workers(other, 4, hired_on=dt.date(2015, 6, 15))
    make_firm("빈기업(주)")
    demo, said = run()
    load(demo)
    assert PayrollMonth.objects.filter(firm=mine).count() == 12
    assert PayrollMonth.objects.filter(firm=other).count() == 7  # hired in June
    assert PayrollLine.objects.count() == 6 * 12 + 4 * 7
    states = dict(PayrollMonth.objects.filter(firm=mine).values_list("month__month", "state"))
    assert states[1] == states[9] == PayrollState.CONFIRMED
    assert (states[10], states[11], states[12]) == (
        PayrollState.REMITTED,
        PayrollState.APPROVED,
        PayrollState.SUBMITTED,
    )
    for remittance in Remittance.objects.all():
        covered = remittance.payrolls.aggregate(s=Sum("total_usd"))["s"]
        assert remittance.amount_usd == covered
    for payroll in PayrollMonth.objects.all():
        lines = payroll.lines.aggregate(s=Sum("total_usd"), n=Sum("base_usd"))
        assert (payroll.total_usd, payroll.base_usd) == (lines["s"], lines["n"])
    assert WageDispute.objects.get().demanded_wage_usd == Decimal("74.000")
    assert said == ["complex payroll: 100 payroll lines for 2015"]
    load(run()[0])
    assert PayrollLine.objects.count() == 100


@pytest.mark.django_db
def test_the_demo_figures_are_the_services(personas) -> None:
    """A demo month and the service's computation of the same inputs agree to the cent."""
    mine = persona_firm(personas)
    add_workers(mine, 6)
    load(run()[0])
    december = PayrollMonth.objects.get(firm=mine, month=dt.date(2015, 12, 1))
    inputs = {
        line.worker.number: LineInput(
            line.days_worked, line.overtime_hours, line.night_hours, line.allowances_usd
        )
        for line in december.lines.select_related("worker")
    }
    figures = (december.base_usd, december.overtime_usd, december.insurance_usd, december.total_usd)
    twin = make_firm("쌍둥이(주)", organisation=None)
    add_workers(twin, 6)
    # The twin's workers have other ids; the same inputs by number give the same figures.
    computed = payroll_compute(
        actor=personas["gic"], firm=twin, month=dt.date(2015, 12, 1), inputs=inputs
    )
    assert (
        computed.base_usd,
        computed.overtime_usd,
        computed.insurance_usd,
        computed.total_usd,
    ) == figures
