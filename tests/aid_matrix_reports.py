"""The permission matrix: the ledger's reports, loans and history. Reports are read by the
ledger's readers (the ministry, viewers included, and the aid organisations' officers); loans
are the government's (the ministry reads them); the history is loaded by the ministry's
officers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .matrix import api, page

REPORT_READERS = {"ministry", "supervisor", "viewer", "admin", "aid"}
LOAN_READERS = {"ministry", "supervisor", "viewer", "admin"}
KEEPERS = {"ministry", "supervisor", "admin"}

PLACEHOLDERS = {"{aid_loan}": "loan_id"}

CASES = [
    page("aid:reports", "/aid/reports/", REPORT_READERS),
    page("aid:report-pdf", "/aid/reports/pdf/?year=2007", REPORT_READERS),
    page("aid:loans", "/aid/loans/", LOAN_READERS),
    page("aid:loan", "/aid/loans/{aid_loan}/", LOAN_READERS),
    # A repayment and a notice of the first instalment: the ministry's officers record them;
    # everyone else is refused (403), the viewer too.
    page(
        "aid:instalment-pay",
        "/aid/loans/{aid_loan}/pay/",
        KEEPERS,
        ok=302,
        method="POST",
        body={"pay-seq": "1", "pay-paid_on": "2012-06-07", "pay-amount": "5834422.90"},
    ),
    page(
        "aid:loan-notice",
        "/aid/loans/{aid_loan}/notice/",
        KEEPERS,
        ok=302,
        method="POST",
        body={
            "notice-seq": "1",
            "notice-sent_on": "2012-05-04",
            "notice-text_ko": "상환 기일 통지",
            "notice-text_en": "Notice of the due date",
        },
    ),
    page("aid:history", "/aid/history/", KEEPERS),
    page("aid:history", "/aid/history/", KEEPERS, ok=302, method="POST", body={"load": "facts"}),
    api("GET", "/aid/reports/yearly", REPORT_READERS),
    api("GET", "/aid/loans", LOAN_READERS),
    api("GET", "/aid/loans/{aid_loan}", LOAN_READERS),
]


def world(personas: dict[str, Any]) -> dict[str, Any]:
    from panmun.aid.models import Loan
    from panmun.aid.services.loans import loan_create

    loan = Loan.objects.filter(reference="MATRIX-LOAN").first() or loan_create(
        actor=personas["ministry"],
        reference="MATRIX-LOAN",
        name_ko="식량차관",
        name_en="Food loan",
        lender="한국수출입은행",
        borrower="조선무역은행",
        signed_on=dt.date(2000, 9, 26),
        disbursed_on=dt.date(2001, 6, 7),
        principal=Decimal("88360000"),
        annual_rate=Decimal("0.01"),
        grace_years=10,
        repayment_years=20,
        overdue_rate=Decimal("0.02"),
    )
    return {"aid_loan": loan.pk}
