"""The API's shapes for customs declarations, risk rules, the lanes' draws, quarantine
inspections and the epidemic mode. Amounts travel as decimal strings, never as JSON numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

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
from panmun.permits.models import GoodsDirection

from .models import DeclarationState, InspectionKind, InspectionResult, Lane

Text = Annotated[str, Field(pattern=NO_NUL)]
AMOUNT = r"^[0-9]{1,14}(\.[0-9]{1,3})?$"
Amount = Annotated[
    str, Field(pattern=AMOUNT, max_length=20, description='A decimal string, e.g. "8400.00"')
]
Id = Annotated[Int, Field(ge=1, le=MAX_ID)]
LaneCode = Annotated[str, OneOf(Lane.values)]
Bp = Annotated[Int, Field(ge=0, le=10_000, description="Basis points: 1/10,000")]


class ComplexDeclarationLineIn(BodyIn):
    hs_code: Text = Field(..., max_length=20, description="HS 2022, six digits (1006.30)")
    description: Text = Field(..., max_length=200)
    quantity: Amount
    unit: Text = Field(..., max_length=20)
    value_usd: Amount
    magnification: Amount | None = Field(None, description="Binoculars (HS 9005.10)")
    focal_length_mm: Amount | None = Field(None, description="Cameras and lenses")
    harmful: bool = Field(False, description="Marked harmful by the customs officer")


class ComplexDeclarationIn(BodyIn):
    firm: Id | None = Field(None, description="Empty: the firm the officer signs in as")
    direction: Annotated[str, OneOf(GoodsDirection.values)]
    declared_on: IsoDate
    approval: Id | None = Field(
        None, description="A goods approval in force; none: the firm's project approval"
    )
    lines: list[ComplexDeclarationLineIn] = Field(..., min_length=1, max_length=200)


class ComplexDeclarationAmendIn(BodyIn):
    lines: list[ComplexDeclarationLineIn] = Field(..., min_length=1, max_length=200)
    reason: Text = Field("", max_length=2000)


class ComplexReasonIn(BodyIn):
    reason: Text = Field(..., max_length=2000)


class ComplexAssessIn(BodyIn):
    note: Text = Field("", max_length=2000)


class ComplexRerouteIn(BodyIn):
    lane: LaneCode
    reason: Text = Field(..., max_length=2000)


class ComplexDeclarationLineOut(Schema):
    row: int
    hs_code: str
    description: str
    quantity: Decimal
    unit: str
    value_usd: Decimal
    magnification: Decimal | None
    focal_length_mm: Decimal | None
    harmful: bool


class ComplexDeclarationEventOut(Schema):
    kind: str
    officer: str = Field(..., alias="officer.username")
    at: dt.datetime
    state_from: str
    state_to: str
    details: dict[str, Any]


class ComplexDeclarationOut(Schema):
    id: int
    number: str
    firm_id: int
    direction: str
    declared_on: dt.date
    approval_id: int
    state: str
    value_usd: Decimal
    lane: str
    drawn_lane: str
    rule_lane: str
    good_record: bool
    rerouted: bool
    quarantine_required: bool
    stop_rule: str
    stop_reason: str


class ComplexDeclarationDetailOut(ComplexDeclarationOut):
    lines: list[ComplexDeclarationLineOut]
    events: list[ComplexDeclarationEventOut]


class ComplexDeclarationsQuery(QueryIn):
    state: Annotated[str, OneOf(DeclarationState.values, blank=True)] = ""
    lane: Annotated[str, OneOf(Lane.values, blank=True)] = ""
    firm: Int | None = Field(None, ge=1, le=MAX_ID)
    offset: int = offset_field()
    limit: int = Field(100, ge=1, le=1000)


class ComplexRiskRuleIn(BodyIn):
    name: Text = Field(..., max_length=200)
    lane: LaneCode
    hs_prefix: Text = Field("", max_length=6)
    direction: Annotated[str, OneOf(GoodsDirection.values, blank=True)] = ""
    firm: Id | None = None
    min_value_usd: Amount | None = None


class ComplexRiskRuleOut(Schema):
    id: int
    name: str
    lane: str
    hs_prefix: str
    direction: str
    firm_id: int | None
    min_value_usd: Decimal | None
    active: bool


class ComplexLaneDrawIn(BodyIn):
    starts_on: IsoDate
    ends_on: IsoDate
    red_bp: Bp
    yellow_bp: Bp
    blue_bp: Bp


class ComplexLaneDrawOut(Schema):
    """A draw's commitment; the seed only once revealed."""

    id: int
    scheme: str
    starts_on: dt.date
    ends_on: dt.date
    red_bp: int
    yellow_bp: int
    blue_bp: int
    seed_sha256: str
    commitment_sha256: str
    commitment: str
    committed_at: dt.datetime
    revealed_at: dt.datetime | None
    seed_hex: str | None


class ComplexDrawDifferenceOut(Schema):
    code: str
    number: str
    en: str
    ko: str


class ComplexDrawVerifyOut(Schema):
    ok: bool
    checked: int
    differences: list[ComplexDrawDifferenceOut]


class ComplexStandingIn(BodyIn):
    good_record: bool
    since: IsoDate | None = None
    note: Text = Field("", max_length=500)


class ComplexStandingOut(Schema):
    firm_id: int
    good_record: bool
    since: dt.date | None
    note: str


class ComplexInspectionIn(BodyIn):
    kind: Annotated[str, OneOf(InspectionKind.values)]
    result: Annotated[str, OneOf(InspectionResult.values)]
    note: Text = Field("", max_length=2000)


class ComplexInspectionOut(Schema):
    id: int
    declaration_id: int
    kind: str
    result: str
    note: str
    officer: str = Field(..., alias="officer.username")
    at: dt.datetime


class ComplexEpidemicIn(BodyIn):
    reason: Text = Field(..., max_length=500)
    starts_at: IsoDateTime | None = None


class ComplexEpidemicOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    reason: str


class ComplexEpidemicStateOut(Schema):
    on: bool
    periods: list[ComplexEpidemicOut]
