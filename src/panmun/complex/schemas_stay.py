"""The API's shapes for stays (their registrations, fees, deadlines and gate flags) and for the
telephone lines, calls and monthly bills. Amounts travel as decimal strings, never as floats."""

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
    IsoDateTime,
    OneOf,
    QueryIn,
    offset_field,
)

from .models import StayStep

Text = Annotated[str, Field(pattern=NO_NUL)]
Id = Annotated[Int, Field(ge=1, le=MAX_ID)]
Month = Annotated[
    str, Field(pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])$", description="YYYY-MM, 2000 to 2099")
]


class ComplexStayDeadlineOut(Schema):
    kind: str = Field(..., description="registration, extension, expiry or residence")
    due_on: dt.date
    due_at: dt.datetime | None
    state: str = Field(..., description="due or overdue")
    rule: str


class ComplexStayRegistrationOut(Schema):
    id: int
    step: str
    stay_class: str
    requested_on: dt.date
    valid_until: dt.date
    fee_usd: Decimal | None
    fee_paid_on: dt.date | None
    fee_receipt: str


class ComplexStayOut(Schema):
    id: int
    key: str
    name: str
    firm_id: int | None
    traveller_id: int | None
    approval_id: int | None
    arrived_at: dt.datetime
    planned_departure: dt.date | None
    departed_at: dt.datetime | None
    stay_class: str
    expires_on: dt.date | None
    deadlines: list[ComplexStayDeadlineOut] = []
    registrations: list[ComplexStayRegistrationOut] = []


class ComplexStaysQuery(QueryIn):
    open: bool = Field(True, description="Only stays not ended (true by default)")
    # Plain int: a query is text, "3" is its whole number (Int refuses text).
    firm: int | None = Field(None, ge=1, le=MAX_ID)
    offset: int = offset_field()
    limit: int = Field(100, ge=1, le=500)


class ComplexStayIn(BodyIn):
    document_number: Text = Field(..., min_length=1, max_length=60)
    name: Text = Field(..., min_length=1, max_length=200)
    arrived_at: IsoDateTime = Field(..., description="Without a zone: Korea's time")
    firm_id: Id | None = None
    planned_departure: IsoDate | None = None


class ComplexStayRegisterIn(BodyIn):
    step: Annotated[str, OneOf(StayStep.values)] = Field(
        ..., description="registration, extension or residence"
    )
    valid_until: IsoDate = Field(..., description="The last day of the stay")
    requested_on: IsoDate | None = Field(None, description="Empty: today")


class ComplexStayDepartIn(BodyIn):
    departed_at: IsoDateTime


class ComplexStayFeeIn(BodyIn):
    paid_on: IsoDate
    receipt: Text = Field(..., min_length=1, max_length=100)


class ComplexStayFlagOut(Schema):
    id: int
    key: str
    name: str
    reason: str
    instructions: str
    raised_at: dt.datetime


class ComplexPhoneLineOut(Schema):
    id: int
    firm_id: int
    number: str
    dial_from_south: str = Field(..., description="What a caller in the South dials")
    dial_to_south: str = Field(..., description="What this line dials before a South number")
    installed_on: dt.date
    removed_on: dt.date | None
    note: str


class ComplexPhoneLineIn(BodyIn):
    firm_id: Id
    number: Text = Field(..., min_length=1, max_length=20, description="4 to 8 digits")
    installed_on: IsoDate
    note: Text = Field("", max_length=300)


class ComplexPhoneLineRemoveIn(BodyIn):
    removed_on: IsoDate


class ComplexPhoneCallOut(Schema):
    id: int
    line_id: int
    dialled: str
    dial_string: str
    started_at: dt.datetime
    duration_seconds: int
    billed_minutes: int = Field(..., description="Every minute begun is billed")
    charge_usd: Decimal


class ComplexPhoneCallIn(BodyIn):
    line: Text = Field(..., min_length=1, max_length=20)
    dialled: Text = Field(..., min_length=1, max_length=20)
    started_at: IsoDateTime = Field(..., description="Without a zone: Korea's time")
    duration_seconds: Int = Field(..., ge=0, le=86_400)


class ComplexPhoneCallsQuery(QueryIn):
    month: Month | None = None
    line: int | None = Field(None, ge=1, le=MAX_ID)
    offset: int = offset_field()
    limit: int = Field(200, ge=1, le=1000)


class ComplexPhoneCallsImportedOut(Schema):
    file: str
    calls: int


class ComplexPhoneBillOut(Schema):
    id: int
    firm_id: int
    month: str
    lines: int
    installation_usd: Decimal
    monthly_usd: Decimal
    calls: int
    minutes: int
    calls_usd: Decimal
    total_usd: Decimal
    computed_at: dt.datetime

    @staticmethod
    def resolve_month(obj: object) -> str:
        return f"{obj.month:%Y-%m}"  # type: ignore[attr-defined]


class ComplexPhoneBillsQuery(QueryIn):
    month: Month | None = None
    offset: int = offset_field()
    limit: int = Field(100, ge=1, le=1000)


class ComplexPhoneBillIn(BodyIn):
    firm_id: Id
    month: Month
