"""The loans' schedule from their terms (pure), and the services that keep them: the 2000
loan's schedule, its first instalment missed with the overdue charge (acceptance 5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from panmun.accounts.audit import AuditEntry
from panmun.common.errors import DomainError

from .. import loans as loan_math
from ..models import Loan, LoanInstalment, LoanNotice
from ..services.loans import (
    instalment_pay,
    instalment_state,
    instalments_mark_missed,
    loan_create,
    loan_notice_send,
    loan_schedule,
    overdue_charge,
)

TERMS_2000 = loan_math.LoanTerms(
    principal=Decimal("88360000"),
    annual_rate=Decimal("0.01"),
    grace_years=10,
    repayment_years=20,
    overdue_rate=Decimal("0.02"),
    disbursed_on=dt.date(2001, 6, 7),
)


def test_the_2000_loans_schedule_from_its_terms():
    schedule = loan_math.schedule(TERMS_2000)
    assert len(schedule) == 20
    assert loan_math.capitalised_principal(TERMS_2000) == Decimal("97196000.00")
    first, second = schedule[0], schedule[1]
    assert (first.due_on, first.principal, first.interest) == (
        dt.date(2012, 6, 7), Decimal("4859800.00"), Decimal("974622.90")  # 366 days
    )  # fmt: skip
    assert first.amount == Decimal("5834422.90")
    assert (second.due_on, second.amount) == (dt.date(2013, 6, 7), Decimal("5783162.00"))
    # The published figures (5,834,372 and 5,783,111) are 50.90 and 51.00 below.
    assert first.amount - Decimal(5_834_372) == Decimal("50.90")
    assert second.amount - Decimal(5_783_111) == Decimal("51.00")
    assert schedule[-1].due_on == dt.date(2031, 6, 7) and schedule[-1].balance_after == 0
    assert sum(i.principal for i in schedule) == Decimal("97196000.00")


def test_the_balance_at_a_date():
    grace = loan_math.balance(TERMS_2000, dt.date(2006, 6, 7))
    assert (grace.principal, grace.interest) == (Decimal("88360000"), Decimal("4420420.82"))
    # 1 January 2013: the first instalment missed since 7 June 2012 (208 days at 2%).
    owed = loan_math.balance(TERMS_2000, dt.date(2013, 1, 1))
    assert owed.principal == Decimal("92336200.00")
    assert owed.interest == Decimal("526189.85")  # 208 days on 92,336,200 at 1%
    assert owed.overdue == Decimal("5834422.90")
    assert owed.overdue_charge == Decimal("66496.44")
    paid = loan_math.balance(TERMS_2000, dt.date(2013, 1, 1), {1})
    assert (paid.overdue, paid.overdue_charge) == (0, 0)
    assert loan_math.balance(TERMS_2000, dt.date(2000, 1, 1)).total == 0


def test_terms_that_cannot_be_are_refused():
    with pytest.raises(ValueError):
        loan_math.LoanTerms(Decimal(0), Decimal("0.01"), 1, 1, Decimal(0), dt.date(2000, 1, 1))
    with pytest.raises(ValueError):
        loan_math.LoanTerms(Decimal(1), Decimal("0.01"), 1, 0, Decimal(0), dt.date(2000, 1, 1))


def _loan_2000(actor) -> Loan:
    return loan_create(
        actor=actor,
        reference="EXIM-2000-FOOD",
        name_ko="2000년 식량차관",
        name_en="2000 food loan",
        lender="한국수출입은행 / Korea Eximbank",
        borrower="조선무역은행 / Chosun Trade Bank",
        signed_on=dt.date(2000, 9, 26),
        disbursed_on=dt.date(2001, 6, 7),
        principal=Decimal("88360000"),
        annual_rate=Decimal("0.01"),
        grace_years=10,
        repayment_years=20,
        overdue_rate=Decimal("0.02"),
        goods="쌀 30만 t, 옥수수 20만 t / rice 300,000 t, corn 200,000 t",
    )


def test_the_2012_instalment_shows_as_missed_with_the_overdue_charge(personas):
    ministry = personas["ministry"]
    loan = _loan_2000(ministry)
    instalments = list(loan.instalments.order_by("seq"))
    assert len(instalments) == 20
    first = instalments[0]
    assert (first.due_on, first.amount) == (dt.date(2012, 6, 7), Decimal("5834422.90"))
    today = dt.date(2013, 1, 1)
    missed = instalments_mark_missed(actor=ministry, today=today)
    assert [i.seq for i in missed] == [1]
    assert instalment_state(first, today) == "missed"
    assert instalment_state(instalments[1], today) == "due"
    assert overdue_charge(first, today) == Decimal("66496.44")  # 2% for 208 days
    entry = AuditEntry.objects.get(action="aid.loan.missed")
    assert entry.changes["overdue_charge"] == "66496.44"
    # The next day: still missed, recorded once; the second instalment not yet due.
    assert [i.seq for i in instalments_mark_missed(actor=ministry, today=today)] == [1]
    assert AuditEntry.objects.filter(action="aid.loan.missed").count() == 1
    # Paid, it is no longer missed.
    instalment_pay(actor=ministry, instalment=first, paid_on=today, amount=Decimal("5900919.34"))
    first.refresh_from_db()
    assert instalment_state(first, today) == "paid" and overdue_charge(first, today) == 0
    with pytest.raises(DomainError) as info:
        instalment_pay(actor=ministry, instalment=first, paid_on=today, amount=Decimal(1))
    assert info.value.code == "invalid_transition"


def test_a_repayment_dated_in_the_future_is_refused_and_nothing_is_written(personas):
    from panmun.korean.dates import korea_today

    ministry = personas["ministry"]
    first = _loan_2000(ministry).instalments.get(seq=1)
    with pytest.raises(DomainError) as info:
        instalment_pay(
            actor=ministry,
            instalment=first,
            paid_on=korea_today() + dt.timedelta(days=1),
            amount=Decimal("5900919.34"),
        )
    assert info.value.code == "invalid_input" and info.value.details == {"field": "paid_on"}
    first.refresh_from_db()
    assert first.paid_on is None and first.paid_amount is None
    assert not AuditEntry.objects.filter(action="aid.loan.payment").exists()


def test_a_notice_is_recorded_unsent_unless_the_actor_writes_for_the_liaison_office(personas):
    ministry = personas["ministry"]
    loan = _loan_2000(ministry)
    first = loan.instalments.get(seq=1)
    notice = loan_notice_send(
        actor=ministry,
        instalment=first,
        sent_on=dt.date(2012, 6, 8),
        text_ko="1회차 원리금이 상환되지 않았습니다.",
        text_en="The first instalment was not repaid.",
    )
    assert notice.entry is None and notice.instalment == first
    with pytest.raises(DomainError) as info:  # the notice is not recomputed away
        loan_schedule(actor=ministry, loan=loan)
    assert info.value.code == "invalid_transition"
    with pytest.raises(DomainError):
        loan_notice_send(
            actor=ministry, instalment=first, sent_on=dt.date(2012, 6, 8), text_ko="", text_en="x"
        )
    assert LoanNotice.objects.count() == 1


@pytest.mark.parametrize("who", ["viewer", "aid", "firm"])
def test_only_the_ministrys_officers_keep_loans(personas, who):
    with pytest.raises(DomainError) as info:
        _loan_2000(personas[who])
    assert info.value.code == "permission_denied"
    assert not Loan.objects.exists() and not LoanInstalment.objects.exists()


def test_terms_are_checked_first(personas):
    with pytest.raises(DomainError) as info:
        loan_create(
            actor=personas["ministry"], reference="X", name_ko="x", name_en="x", lender="a",
            borrower="b", signed_on=dt.date(2001, 1, 1), disbursed_on=dt.date(2000, 1, 1),
            principal=Decimal(0), annual_rate=Decimal("0.01"), grace_years=1,
            repayment_years=0, overdue_rate=Decimal("0.02"),
        )  # fmt: skip
    fields = {e["field"] for e in info.value.details["errors"]}
    assert fields == {"principal", "repayment_years", "disbursed_on"}
    assert not Loan.objects.exists()
