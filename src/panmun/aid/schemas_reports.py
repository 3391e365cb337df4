"""API shapes of the ledger's reports and loans (names prefixed `Aid`: Ninja's schema names are
unique across the project)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema


class AidYearOut(Schema):
    """One year from 1995, in KRW 100 million (억원): the ministry's figures where it has the
    year (`source` "history", `source_name` its table or summary), else the ledger's counted
    disbursements and expenditures (`source` "ledger", with `usd`)."""

    year: int
    source: str
    source_name: str
    free: Decimal | None
    loans: Decimal | None
    ngo: Decimal | None
    total: Decimal
    usd: Decimal | None


class AidBalanceOut(Schema):
    on: dt.date
    principal: Decimal
    interest: Decimal
    overdue: Decimal
    overdue_charge: Decimal
    total: Decimal


class AidInstalmentOut(Schema):
    seq: int
    due_on: dt.date
    principal: Decimal
    interest: Decimal
    amount: Decimal
    published_amount: Decimal | None
    published_source: str
    state: str  # "paid", "missed" or "due"
    overdue_charge: Decimal
    paid_on: dt.date | None
    paid_amount: Decimal | None
    notices: int
    notices_sent_through_liaison: int


class AidLoanOut(Schema):
    id: int
    reference: str
    name_ko: str
    name_en: str
    currency: str
    principal: Decimal
    annual_rate: Decimal
    grace_years: int
    repayment_years: int
    overdue_rate: Decimal
    disbursed_on: dt.date
    balance: AidBalanceOut
    missed: int


class AidLoanDetailOut(AidLoanOut):
    instalments: list[AidInstalmentOut]
