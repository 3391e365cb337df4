"""The API's shapes for wage rules, disputes, payrolls and remittances. Amounts travel as
decimal strings ("73.870"), never as JSON numbers, so that no amount passes through a float."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from panmun.common.api_schemas import (
    MAX_ID,
    NO_NUL,
    BodyIn,
    Int,
    IsoDate,
    OneOf,
    QueryIn,
    offset_field,
)

from .models import PayrollState

Text = Annotated[str, Field(pattern=NO_NUL)]
AMOUNT = r"^-?[0-9]{1,9}(\.[0-9]{1,6})?$"
Amount = Annotated[
    str, Field(pattern=AMOUNT, max_length=20, description='A decimal string, e.g. "73.870"')
]
Id = Annotated[Int, Field(ge=1, le=MAX_ID)]
Month = Annotated[
    str, Field(pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])$", description="YYYY-MM, 2000 to 2099")
]


class ComplexWageRuleOut(Schema):
    id: int
    effective_from: dt.date
    minimum_wage_usd: Decimal
    insurance_rate: Decimal
    allowances_insured: bool
    overtime_premium: Decimal
    night_premium: Decimal
    monthly_hours: int
    raise_cap: Decimal | None
    agreed_on: dt.date | None
    basis: str


class ComplexWageRuleIn(BodyIn):
    effective_from: IsoDate
    minimum_wage_usd: Amount
    agreed_on: IsoDate
    basis: Text = Field("", max_length=300)
    allowances_insured: bool | None = None


class ComplexWageDisputeOut(Schema):
    id: int
    demanded_by: str = Field(..., alias="demanded_by.code")
    demanded_on: dt.date
    effective_from: dt.date
    effective_to: dt.date | None
    demanded_wage_usd: Decimal
    state: str
    settled_on: dt.date | None
    settled_rule_id: int | None
    note: str


class ComplexWageDemandIn(BodyIn):
    demanded_on: IsoDate
    effective_from: IsoDate = Field(..., description="The first month it affects")
    effective_to: IsoDate | None = Field(None, description="The last month, when named")
    demanded_wage_usd: Amount
    side: Annotated[str, OneOf(["north", "south"])] = "north"
    note: Text = Field("", max_length=4000)


class ComplexWageSettleIn(BodyIn):
    agreed_wage_usd: Amount
    settled_on: IsoDate
    basis: Text = Field("", max_length=300)


class ComplexWageWithdrawIn(BodyIn):
    withdrawn_on: IsoDate
    note: Text = Field("", max_length=4000)


class ComplexPayrollOut(Schema):
    """A payroll's totals: what the bureau sees as well."""

    id: int
    firm_id: int
    month: dt.date
    state: str
    rule_id: int
    minimum_wage_usd: Decimal = Field(..., alias="rule.minimum_wage_usd")
    workers: int
    base_usd: Decimal
    overtime_usd: Decimal
    allowances_usd: Decimal
    wages_usd: Decimal
    insurance_usd: Decimal
    total_usd: Decimal
    dispute_id: int | None
    disputed_total_usd: Decimal | None
    remittance_id: int | None
    returned_reason: str


class ComplexPayrollLineOut(Schema):
    worker_id: int
    number: str = Field(..., alias="worker.number")
    name: str = Field(..., alias="worker.name")
    days_worked: Decimal
    overtime_hours: Decimal
    night_hours: Decimal
    allowances_usd: Decimal
    base_usd: Decimal
    overtime_usd: Decimal
    insurance_usd: Decimal
    total_usd: Decimal


class ComplexPayrollsQuery(QueryIn):
    month: Month | None = None
    # A query string's value is text: `Int` (a JSON number only) would refuse `?firm=3`.
    firm: int | None = Field(None, ge=1, le=MAX_ID)
    state: Annotated[str, OneOf(PayrollState.values, blank=True)] = ""
    offset: int = offset_field()
    limit: int = Field(100, ge=1, le=1000)


class ComplexPayrollLineIn(BodyIn):
    number: Text = Field(..., min_length=1, max_length=20)
    days_worked: Amount | None = Field(None, description="Empty: full attendance")
    overtime_hours: Amount = "0"
    night_hours: Amount = "0"
    allowances_usd: Amount = "0"


class ComplexPayrollComputeIn(BodyIn):
    month: Month
    lines: list[ComplexPayrollLineIn] = Field(
        default_factory=list,
        max_length=3_000,
        description="Inputs by worker number, at most 3,000 (a request is at most 1 MB); workers "
        "not named: full attendance, nothing more (the payrolls page also reads a timesheet file)",
    )


class ComplexPayrollSendBackIn(BodyIn):
    reason: Text = Field(..., max_length=2000)


class ComplexRemittanceOut(Schema):
    id: int
    firm_id: int
    amount_usd: Decimal
    bank: str
    bank_reference: str
    remitted_on: dt.date
    state: str
    received_usd: Decimal | None
    bureau_note: str
    confirmed_at: dt.datetime | None


class ComplexRemittanceIn(BodyIn):
    firm: Int = Field(..., ge=1, le=MAX_ID)
    payrolls: list[Id] = Field(..., min_length=1, max_length=120)
    amount_usd: Amount
    bank: Text = Field(..., max_length=200)
    bank_reference: Text = Field(..., max_length=100)
    remitted_on: IsoDate


class ComplexRemittanceConfirmIn(BodyIn):
    received_usd: Amount | None = Field(None, description="Empty: the amount sent")
    note: Text = Field("", max_length=4000)


class ComplexMonthRunOut(Schema):
    month: dt.date
    computed: int
    skipped: int
    workers: int
    total_usd: Decimal
