"""/api/v1/aid/: the ledger's yearly report and the food loans (the ministry's)."""

from __future__ import annotations

from typing import Any

from ninja import Router

from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import RecordId, responds
from panmun.korean.dates import korea_today

from . import selectors
from .access import can_read_loans, can_read_reports, get_loan_for_user, loans_for_user
from .models import Loan
from .schemas_reports import AidLoanDetailOut, AidLoanOut, AidYearOut
from .services.loans import instalment_state, overdue_charge

router = Router(tags=["aid"])


@router.get(
    "/reports/yearly",
    response=responds(list[AidYearOut]),
    summary="Aid per year from 1995, in KRW 100 million: the ministry's figures where it has "
    "the year, else the ledger's (pledges never counted, money passed on counted once)",
    auth=permitted(can_read_reports),
)
def yearly(request: ApiRequest) -> list[selectors.SeriesYear]:
    return selectors.combined_series(today=korea_today())


def _loan(position: selectors.LoanPosition) -> dict[str, Any]:
    loan, balance = position.loan, position.balance
    return {
        "id": loan.pk,
        "reference": loan.reference,
        "name_ko": loan.name_ko,
        "name_en": loan.name_en,
        "currency": loan.currency,
        "principal": loan.principal,
        "annual_rate": loan.annual_rate,
        "grace_years": loan.grace_years,
        "repayment_years": loan.repayment_years,
        "overdue_rate": loan.overdue_rate,
        "disbursed_on": loan.disbursed_on,
        "balance": {
            "on": balance.on,
            "principal": balance.principal,
            "interest": balance.interest,
            "overdue": balance.overdue,
            "overdue_charge": balance.overdue_charge,
            "total": balance.total,
        },
        "missed": position.missed,
    }


@router.get(
    "/loans",
    response=responds(list[AidLoanOut]),
    summary="The food loans, each with its balance today",
    auth=permitted(can_read_loans),
)
def loans(request: ApiRequest) -> list[dict[str, Any]]:
    positions = selectors.loans_outstanding(loans_for_user(request.auth), on=korea_today())
    return [_loan(p) for p in positions]


@router.get(
    "/loans/{loan_id}",
    response=responds(AidLoanDetailOut),
    summary="A food loan: its terms, balance today and schedule (paid, missed with the "
    "overdue charge, or not yet due; a published figure beside the computed one)",
    auth=permitted(can_read_loans),
)
def loan(request: ApiRequest, loan_id: RecordId) -> dict[str, Any]:
    found: Loan = get_loan_for_user(request.auth, loan_id)
    today = korea_today()
    position = selectors.loans_outstanding(Loan.objects.filter(pk=found.pk), on=today)[0]
    instalments = [
        {
            "seq": i.seq,
            "due_on": i.due_on,
            "principal": i.principal,
            "interest": i.interest,
            "amount": i.amount,
            "published_amount": i.published_amount,
            "published_source": i.published_source,
            "state": instalment_state(i, today),
            "overdue_charge": overdue_charge(i, today),
            "paid_on": i.paid_on,
            "paid_amount": i.paid_amount,
            "notices": len(notices := list(i.notices.all())),
            "notices_sent_through_liaison": sum(1 for n in notices if n.entry_id),
        }
        for i in found.instalments.select_related("loan").prefetch_related("notices")
    ]
    return {**_loan(position), "instalments": instalments}
