"""The remittance: the sum of a firm's approved payrolls, to the bureau, which confirms it; the
remittance total equals the sum of the firms' payrolls (acceptance 2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from panmun.common.errors import DomainError, ErrorCode

from ..models import PayrollMonth, PayrollState, Remittance, RemittanceState
from ..services.payroll import payroll_approve, payroll_compute, payroll_submit
from ..services.remittances import remittance_confirm, remittance_record
from .factories import persona_firm
from .payroll_world import add_workers

D = Decimal


def approved(personas, firm, month):
    payroll = payroll_compute(actor=personas["firm"], firm=firm, month=month)
    payroll = payroll_submit(actor=personas["firm"], payroll=payroll)
    return payroll_approve(actor=personas["gic"], payroll=payroll)


@pytest.mark.django_db
def test_the_remittance_is_the_sum_of_the_payrolls_and_the_bureau_confirms(personas) -> None:
    firm = persona_firm(personas)
    add_workers(firm, 4)
    add_workers(firm, 2, start=5, base_wage_usd=D("90.000"))
    sept = approved(personas, firm, dt.date(2015, 9, 1))
    octo = approved(personas, firm, dt.date(2015, 10, 1))
    due = sept.total_usd + octo.total_usd
    # 4 × (73.870 + 11.081) + 2 × (90 + 13.5) = 339.804 + 207 = 546.804 a month.
    assert sept.total_usd == D("546.804")
    with pytest.raises(DomainError) as short:
        remittance_record(
            actor=personas["firm"],
            firm=firm,
            payrolls=[sept, octo],
            amount_usd=due - D("0.001"),
            bank="우리은행 개성지점",
            bank_reference="GIC-2015-10-01",
            remitted_on=dt.date(2015, 11, 10),
        )
    assert short.value.details["field"] == "amount_usd"
    assert short.value.details["due"] == "1093.608"
    remittance = remittance_record(
        actor=personas["firm"],
        firm=firm,
        payrolls=[sept, octo],
        amount_usd=due,
        bank="우리은행 개성지점",
        bank_reference="GIC-2015-10-01",
        remitted_on=dt.date(2015, 11, 10),
    )
    assert (
        remittance.amount_usd
        == D("1093.608")
        == sum(p.total_usd for p in PayrollMonth.objects.filter(remittance=remittance))
    )
    assert set(PayrollMonth.objects.values_list("state", flat=True)) == {PayrollState.REMITTED}
    with pytest.raises(DomainError) as firm_confirms:
        remittance_confirm(actor=personas["firm"], remittance=remittance)
    assert firm_confirms.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(DomainError) as no_note:
        remittance_confirm(actor=personas["bureau"], remittance=remittance, received_usd=D("1000"))
    assert no_note.value.details["field"] == "note"
    done = remittance_confirm(actor=personas["bureau"], remittance=remittance)
    assert (done.state, done.received_usd) == (RemittanceState.CONFIRMED, D("1093.608"))
    assert set(PayrollMonth.objects.values_list("state", flat=True)) == {PayrollState.CONFIRMED}
    with pytest.raises(DomainError) as twice:
        remittance_confirm(actor=personas["bureau"], remittance=remittance)
    assert twice.value.code == ErrorCode.INVALID_TRANSITION


@pytest.mark.django_db
def test_only_approved_payrolls_are_remitted(personas) -> None:
    firm = persona_firm(personas)
    add_workers(firm, 1)
    draft = payroll_compute(actor=personas["firm"], firm=firm, month=dt.date(2015, 9, 1))
    with pytest.raises(DomainError) as refused:
        remittance_record(
            actor=personas["firm"],
            firm=firm,
            payrolls=[draft],
            amount_usd=draft.total_usd,
            bank="B",
            bank_reference="R1",
            remitted_on=dt.date(2015, 10, 5),
        )
    assert refused.value.code == ErrorCode.INVALID_TRANSITION
    with pytest.raises(DomainError) as bureau:
        remittance_record(
            actor=personas["bureau"],
            firm=firm,
            payrolls=[draft],
            amount_usd=draft.total_usd,
            bank="B",
            bank_reference="R1",
            remitted_on=dt.date(2015, 10, 5),
        )
    assert bureau.value.code == ErrorCode.PERMISSION_DENIED
    assert not Remittance.objects.exists()


@pytest.mark.django_db
def test_the_bureau_records_a_different_amount_with_a_note(personas) -> None:
    firm = persona_firm(personas)
    add_workers(firm, 1)
    payroll = approved(personas, firm, dt.date(2015, 9, 1))
    remittance = remittance_record(
        actor=personas["gic"],
        firm=firm,
        payrolls=[payroll],
        amount_usd=D("84.951"),
        bank="B",
        bank_reference="R2",
        remitted_on=dt.date(2015, 10, 5),
    )
    done = remittance_confirm(
        actor=personas["bureau"],
        remittance=remittance,
        received_usd=D("84.000"),
        note="현금 부족분 0.951달러",
    )
    assert (done.received_usd, done.bureau_note) == (D("84.000"), "현금 부족분 0.951달러")


@pytest.mark.django_db
def test_the_months_remittances_add_up_to_the_firms_payrolls(personas, client_for) -> None:
    """Two firms' September: each remits its own payroll; the month's remitted total is the sum
    of the firms' payrolls, and the bureau reads it so on its page."""
    from .factories import make_firm

    september = dt.date(2015, 9, 1)
    hanbit = persona_firm(personas)
    add_workers(hanbit, 4)
    other = make_firm("다른섬유(주)")
    add_workers(other, 3, start=100, base_wage_usd=D("80.000"))
    payrolls = []
    for firm, reference in ((hanbit, "GIC-2015-09-01"), (other, "GIC-2015-09-02")):
        payroll = payroll_compute(actor=personas["gic"], firm=firm, month=september)
        payroll = payroll_submit(actor=personas["gic"], payroll=payroll)
        payroll = payroll_approve(actor=personas["gic"], payroll=payroll)
        remittance_record(
            actor=personas["gic"],
            firm=firm,
            payrolls=[payroll],
            amount_usd=payroll.total_usd,
            bank="우리은행 개성지점",
            bank_reference=reference,
            remitted_on=dt.date(2015, 10, 10),
        )
        payrolls.append(payroll)
    firms_total = sum(p.total_usd for p in payrolls)
    # 4 × (73.870 + 11.081) + 3 × (80 + 12) = 339.804 + 276 = 615.804
    assert firms_total == D("615.804")
    assert sum(r.amount_usd for r in Remittance.objects.all()) == firms_total
    from ..selectors_payroll import month_totals

    (row,) = month_totals(PayrollMonth.objects.all())
    assert (row.month, row.firms, row.approved_usd, row.remitted_usd, row.confirmed_usd) == (
        september,
        2,
        firms_total,
        firms_total,
        D(0),
    )
    page = client_for("bureau").get("/complex/remittances/").content.decode()
    month_row = page.split('data-month="2015-09"')[1].split("</tr>")[0]
    assert month_row.count("615.804") == 2  # approved and remitted, not yet confirmed
    # Another firm's officer sees its own month only.
    mine = client_for("firm").get("/complex/remittances/").content.decode()
    assert "615.804" not in mine and "339.804" in mine
