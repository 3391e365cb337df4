"""Acceptance 2: one firm's month computed by hand (base, overtime and night work, allowances,
15% insurance) and by the service, to the cent; the rules a payroll may break, each named; the
flow from draft to approval; a dispute's two figures and its arrears; a timesheet file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError, ErrorCode

from ..models import PayrollLine, PayrollMonth, PayrollState
from ..services.payroll import (
    complex_month_compute,
    payroll_approve,
    payroll_arrears,
    payroll_compute,
    payroll_send_back,
    payroll_submit,
    timesheet_read,
)
from ..services.wages import wage_demand_record, wage_dispute_settle
from ..wages import LineInput
from .factories import make_firm, persona_firm
from .payroll_world import add_workers

D = Decimal
SEPTEMBER = dt.date(2015, 9, 1)  # 30 days, 4 Sundays: 26 working days; $73.87, allowances insured


@pytest.fixture
def firm(personas):
    firm = persona_firm(personas)
    add_workers(firm, 1, start=1)  # W00001 at the minimum
    add_workers(firm, 1, start=2, base_wage_usd=D("80.000"))  # W00002 agreed at $80
    add_workers(firm, 1, start=3)  # W00003
    return firm


INPUTS = {
    "W00001": LineInput(overtime_hours=D("10"), night_hours=D("4"), allowances_usd=D("5")),
    "W00002": LineInput(days_worked=D("20")),
    "W00003": LineInput(overtime_hours=D("8"), allowances_usd=D("10")),
}


@pytest.mark.django_db
def test_a_month_computed_by_hand_matches_the_service(personas, firm) -> None:
    payroll = payroll_compute(actor=personas["firm"], firm=firm, month=SEPTEMBER, inputs=INPUTS)
    # By hand. The hourly wage is 73.87 / 208 (48 h a week); overtime and night work +50%.
    # W00001: base 73.870; overtime 73.87 × 1.5 × (10 + 4) / 208 = 7.45802… → 7.458;
    #   allowances 5.000; insurance 15% × (73.870 + 7.458 + 5.000) = 12.9492 → 12.949;
    #   total 99.277.
    # W00002: base 80 × 20 / 26 = 61.53846… → 61.538; insurance 9.2307 → 9.231; total 70.769.
    # W00003: base 73.870; overtime 73.87 × 1.5 × 8 / 208 = 4.26173… → 4.262; allowances
    #   10.000; insurance 15% × 88.132 = 13.2198 → 13.220; total 101.352.
    lines = {
        line.worker.number: line
        for line in PayrollLine.objects.filter(payroll=payroll).select_related("worker")
    }
    expected = {
        "W00001": ("26", "73.870", "7.458", "5.000", "12.949", "99.277"),
        "W00002": ("20", "61.538", "0.000", "0.000", "9.231", "70.769"),
        "W00003": ("26", "73.870", "4.262", "10.000", "13.220", "101.352"),
    }
    for number, (days, base, overtime, allowances, insurance, total) in expected.items():
        line = lines[number]
        assert (
            line.days_worked,
            line.base_usd,
            line.overtime_usd,
            line.allowances_usd,
            line.insurance_usd,
            line.total_usd,
        ) == (D(days), D(base), D(overtime), D(allowances), D(insurance), D(total))
    assert payroll.state == PayrollState.DRAFT
    assert payroll.workers == 3
    assert payroll.base_usd == D("209.278")
    assert payroll.overtime_usd == D("11.720")
    assert payroll.allowances_usd == D("15.000")
    assert payroll.wages_usd == D("235.998")
    assert payroll.insurance_usd == D("35.400")
    assert payroll.total_usd == D("271.398")
    assert payroll.rule.minimum_wage_usd == D("73.870")
    assert payroll.dispute is None and payroll.disputed_total_usd is None
    assert AuditEntry.objects.filter(action="complex.payroll.compute").count() == 1


@pytest.mark.django_db
def test_before_august_2015_allowances_are_not_insured(personas, firm) -> None:
    payroll = payroll_compute(
        actor=personas["firm"], firm=firm, month=dt.date(2015, 7, 1), inputs=INPUTS
    )
    line = payroll.lines.get(worker__number="W00001")
    # 15% × (73.870 + 7.458) = 12.1992 → 12.199; the allowances of 5.000 are left out.
    assert (line.insurance_usd, line.total_usd) == (D("12.199"), D("98.527"))


@pytest.mark.parametrize(
    ("inputs", "field", "words"),
    [
        ({"W00001": LineInput(days_worked=D("27"))}, "days_worked", "26 working days"),
        ({"W00001": LineInput(overtime_hours=D("-1"))}, "overtime_hours", "negative"),
        ({"W00001": LineInput(night_hours=D("-0.5"))}, "night_hours", "negative"),
        ({"W00001": LineInput(allowances_usd=D("-1"))}, "allowances_usd", "negative"),
        ({"W99999": LineInput()}, "number", "not on the roster"),
    ],
)
@pytest.mark.django_db
def test_a_payroll_that_breaks_a_rule_is_refused_naming_it(
    personas, firm, inputs, field, words
) -> None:
    with pytest.raises(DomainError) as refused:
        payroll_compute(actor=personas["firm"], firm=firm, month=SEPTEMBER, inputs=inputs)
    assert refused.value.code == ErrorCode.INVALID_INPUT
    errors = refused.value.details["errors"]
    assert [e["field"] for e in errors] == [field]
    assert words in errors[0]["reason_en"]
    assert not PayrollMonth.objects.exists() and not PayrollLine.objects.exists()


@pytest.mark.django_db
def test_a_base_wage_below_the_minimum_is_refused(personas, firm) -> None:
    add_workers(firm, 1, start=4, base_wage_usd=D("71.000"))
    with pytest.raises(DomainError) as refused:
        payroll_compute(actor=personas["firm"], firm=firm, month=SEPTEMBER)
    (error,) = refused.value.details["errors"]
    assert error["field"] == "base_wage_usd"
    assert "71.000 is below the minimum wage 73.870" in error["reason_en"]
    assert "최저임금" in refused.value.message_ko
    assert not PayrollMonth.objects.exists()
    # From May 2014 to February 2015 the minimum was 70.35: the same wage is lawful.
    assert (
        payroll_compute(actor=personas["firm"], firm=firm, month=dt.date(2014, 9, 1)).workers == 4
    )


@pytest.mark.django_db
def test_the_roster_of_the_month_only(personas, firm) -> None:
    add_workers(firm, 1, start=4, hired_on=dt.date(2015, 10, 1))
    assert payroll_compute(actor=personas["firm"], firm=firm, month=SEPTEMBER).workers == 3


@pytest.mark.django_db
def test_the_flow_and_who_may_take_each_step(personas, firm) -> None:
    other = make_firm("남의기업(주)")
    add_workers(other, 2)
    with pytest.raises(DomainError) as refused:
        payroll_compute(actor=personas["firm"], firm=other, month=SEPTEMBER)
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    for name in ("bureau", "ministry"):
        with pytest.raises(DomainError):
            payroll_compute(actor=personas[name], firm=firm, month=SEPTEMBER)
    payroll = payroll_compute(actor=personas["firm"], firm=firm, month=SEPTEMBER)
    with pytest.raises(DomainError) as early:
        payroll_approve(actor=personas["gic"], payroll=payroll)
    assert early.value.code == ErrorCode.INVALID_TRANSITION
    payroll = payroll_submit(actor=personas["firm"], payroll=payroll)
    with pytest.raises(DomainError) as firm_approves:
        payroll_approve(actor=personas["firm"], payroll=payroll)
    assert firm_approves.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(DomainError) as no_reason:
        payroll_send_back(actor=personas["gic"], payroll=payroll, reason="  ")
    assert no_reason.value.details["field"] == "reason"
    payroll = payroll_send_back(actor=personas["gic"], payroll=payroll, reason="야간 시간 확인")
    assert (payroll.state, payroll.returned_reason) == (PayrollState.DRAFT, "야간 시간 확인")
    payroll = payroll_compute(actor=personas["firm"], firm=firm, month=SEPTEMBER, inputs=INPUTS)
    payroll = payroll_submit(actor=personas["firm"], payroll=payroll)
    payroll = payroll_approve(actor=personas["gic"], payroll=payroll)
    assert payroll.state == PayrollState.APPROVED and payroll.decided_by == personas["gic"]
    with pytest.raises(DomainError) as again:
        payroll_compute(actor=personas["firm"], firm=firm, month=SEPTEMBER)
    assert again.value.code == ErrorCode.INVALID_TRANSITION
    assert PayrollMonth.objects.get().total_usd == D("271.398")


@pytest.mark.django_db
def test_an_open_dispute_shows_both_figures_and_settling_it_the_arrears(personas) -> None:
    gic = personas["gic"]
    firm = persona_firm(personas)
    add_workers(firm, 1)
    january, february = dt.date(2016, 1, 1), dt.date(2016, 2, 1)
    wage_demand_record(
        actor=gic,
        demanded_on=dt.date(2015, 12, 20),
        effective_from=january,
        demanded_wage_usd=D("80.000"),
    )
    jan = payroll_compute(actor=personas["firm"], firm=firm, month=january)
    # 73.870 + 15% (11.0805 → 11.081) = 84.951; at the demanded 80: 80 + 12 = 92.000.
    assert (jan.total_usd, jan.disputed_total_usd) == (D("84.951"), D("92.000"))
    assert jan.dispute is not None
    payroll_approve(actor=gic, payroll=payroll_submit(actor=personas["firm"], payroll=jan))
    feb = payroll_compute(actor=personas["firm"], firm=firm, month=february)
    assert feb.disputed_total_usd == D("92.000")
    wage_dispute_settle(
        actor=gic,
        dispute=jan.dispute,
        agreed_wage_usd=D("77.563"),
        settled_on=dt.date(2016, 2, 10),
    )
    feb = PayrollMonth.objects.get(pk=feb.pk)
    jan = PayrollMonth.objects.get(pk=jan.pk)
    # 77.563 + 15% (11.63445 → 11.634) = 89.197, the draft computed again, one figure left.
    assert (feb.total_usd, feb.disputed_total_usd) == (D("89.197"), None)
    assert feb.rule.minimum_wage_usd == D("77.563")
    assert jan.total_usd == D("84.951")  # approved: kept as approved ...
    assert payroll_arrears(jan) == D("4.246")  # ... with what the settlement owes on top
    assert payroll_arrears(feb) is None


@pytest.mark.django_db
def test_the_whole_complex_month(personas, firm) -> None:
    other = make_firm("둘째기업(주)")
    add_workers(other, 5)
    make_firm("빈기업(주)")
    summary = complex_month_compute(actor=personas["gic"], month=SEPTEMBER)
    assert (summary.computed, summary.workers) == (2, 8)
    # Full attendance, no extras: 7 × (73.870 + 11.081) and W00002's 80 + 12.
    assert summary.total_usd == D("84.951") * 7 + D("92.000")
    mine = complex_month_compute(actor=personas["firm"], month=SEPTEMBER)
    assert (mine.computed, mine.workers) == (1, 3)


@pytest.mark.django_db
def test_a_firm_refused_in_the_whole_month_is_named_and_the_others_computed(personas, firm) -> None:
    """One firm's roster breaks a rule (a wage agreed below the minimum): its payroll is
    refused and named, nothing of it written; the other firms' payrolls are computed."""
    below = make_firm("최저임금미달(주)")
    add_workers(below, 2, start=500, base_wage_usd=D("60.000"))
    summary = complex_month_compute(actor=personas["gic"], month=SEPTEMBER)
    assert (summary.computed, summary.workers) == (1, 3)
    ((firm_id, name, ko, en),) = summary.refused
    assert (firm_id, name) == (below.pk, "최저임금미달(주)")
    assert "minimum" in en and ko
    assert not PayrollMonth.objects.filter(firm=below).exists()
    assert PayrollMonth.objects.filter(firm=firm, month=SEPTEMBER).exists()


@pytest.mark.django_db
def test_a_timesheet_file_read_all_or_nothing(personas, firm) -> None:
    good = (
        "근로자번호,근무일,연장근무시간,야간근무시간,가급금\n"
        "W00001,,10,4,5\nW00002,20,,,\nW00003,,8,,10\n"
    ).encode()
    inputs, rows = timesheet_read(good, "9월.csv")
    assert rows == {"W00001": 2, "W00002": 3, "W00003": 4}
    payroll = payroll_compute(
        actor=personas["firm"], firm=firm, month=SEPTEMBER, inputs=inputs, source="9월.csv"
    )
    assert payroll.total_usd == D("271.398")
    bad = (
        b"number,days worked,overtime hours,night hours,allowances\n"
        b"W00001,x,,,\nW00001,,,,\n,3,,,\nW00002,,-2,,\nW00003,,,,1.0005\n"
    )
    with pytest.raises(DomainError) as refused:
        timesheet_read(bad, "bad.csv")
    where = [(e["file"], e["row"], e["field"]) for e in refused.value.details["errors"]]
    assert where == [
        ("bad.csv", 2, "days_worked"),
        ("bad.csv", 3, "number"),
        ("bad.csv", 4, "number"),
        ("bad.csv", 5, "overtime_hours"),
        ("bad.csv", 6, "allowances_usd"),
    ]
    inputs, rows = timesheet_read(b"number,days worked\nW00001,28\nW77777,1\n", "t.csv")
    with pytest.raises(DomainError) as broken:
        payroll_compute(
            actor=personas["firm"],
            firm=firm,
            month=dt.date(2015, 10, 1),
            inputs=inputs,
            source="t.csv",
            rows=rows,
        )
    where = [(e["file"], e["row"], e["field"]) for e in broken.value.details["errors"]]
    assert where == [("t.csv", 3, "number"), ("t.csv", 2, "days_worked")]
    assert PayrollMonth.objects.count() == 1
