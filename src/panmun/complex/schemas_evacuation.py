"""The API's shapes for orders to leave, the evacuation board, the manifest and the assets
left behind. Amounts travel as decimal strings, never as JSON numbers."""

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
    IsoDateTime,
    OneOf,
    QueryIn,
    offset_field,
)

from .models import AssetCategory, EvacuationOrder, Subject

Text = Annotated[str, Field(pattern=NO_NUL)]
Id = Annotated[Int, Field(ge=1, le=MAX_ID)]
QUANTITY = r"^[0-9]{1,12}(\.[0-9]{1,3})?$"
WON = r"^[0-9]{1,15}$"


class ComplexEvacuationStayIn(BodyIn):
    subject: Annotated[str, OneOf(Subject.values)] = "person"
    key: Text = Field(..., min_length=1, max_length=40, description="Document number or plate")
    name: Text = Field("", max_length=200)


class ComplexEvacuationStayOut(Schema):
    subject: str
    key: str
    name: str
    firm_id: int | None


class ComplexEvacuationOrderIn(BodyIn):
    issued_at: IsoDateTime
    deadline: IsoDateTime
    issued_by_ko: Text = Field(..., max_length=300)
    issued_by_en: Text = Field("", max_length=300)
    terms: Text = Field("", max_length=4000)
    may_take: Text = Field("", max_length=4000)
    allowed_to_stay: list[ComplexEvacuationStayIn] = Field(default_factory=list, max_length=1000)


class ComplexEvacuationOrderOut(Schema):
    id: int
    issued_at: dt.datetime
    deadline: dt.datetime
    issued_by_ko: str
    issued_by_en: str
    terms: str
    may_take: str
    state: str
    closed_at: dt.datetime | None
    manifest_entry_id: int | None
    allowed_to_stay: list[ComplexEvacuationStayOut]

    @staticmethod
    def resolve_allowed_to_stay(obj: EvacuationOrder) -> list[Any]:
        return list(obj.stays.all())


class ComplexEvacuationCloseIn(BodyIn):
    closed_at: IsoDateTime | None = Field(None, description="Empty: now")


class ComplexManifestIn(BodyIn):
    at: IsoDateTime | None = Field(None, description="The moment of the manifest; empty: now")


class ComplexManifestOut(Schema):
    order_id: int
    entry: str = Field(..., description='The liaison entry, as "side/index"')
    leaf_hash: str
    items: int


class ComplexBoardQuery(QueryIn):
    at: IsoDateTime | None = Field(None, description="A past moment to replay; empty: now")
    order: int | None = Field(None, ge=1, le=MAX_ID)


class ComplexBoardRowOut(Schema):
    subject: str
    key: str
    name: str
    firm_id: int | None
    firm_name: str
    since: dt.datetime
    vehicle_key: str
    resident: bool
    staying: bool


class ComplexBoardFirmOut(Schema):
    firm_id: int | None
    firm_name: str
    people: list[ComplexBoardRowOut]
    vehicles: list[ComplexBoardRowOut]


class ComplexPlanRowOut(Schema):
    subject: str
    key: str
    name: str
    firm_name: str


class ComplexPlanSlotOut(Schema):
    plan_id: int
    opens_at: dt.time | None
    closes_at: dt.time | None
    state: str
    lines: list[ComplexPlanRowOut]


class ComplexBoardOut(Schema):
    at: dt.datetime
    live: bool
    order_id: int | None
    deadline: dt.datetime | None
    seconds_left: int | None
    totals: dict[str, int]
    firms: list[ComplexBoardFirmOut]
    staying: list[ComplexBoardRowOut]
    crossed: list[ComplexBoardRowOut]
    plan: list[ComplexPlanSlotOut]
    truncated: bool


class ComplexAssetIn(BodyIn):
    order_id: Id | None = None
    category: Annotated[str, OneOf(AssetCategory.values)]
    description: Text = Field(..., min_length=1, max_length=500)
    quantity: Annotated[str, Field(pattern=QUANTITY, max_length=20)]
    unit: Text = Field("", max_length=20)
    value_krw: Annotated[str, Field(pattern=WON, max_length=15, description="Whole won")]


class ComplexAssetOut(Schema):
    id: int
    firm_id: int
    order_id: int | None
    category: str
    description: str
    quantity: Decimal
    unit: str
    value_krw: Decimal
    recorded_at: dt.datetime


class ComplexAssetsQuery(QueryIn):
    firm: int | None = Field(None, ge=1, le=MAX_ID)
    offset: int = offset_field()
    limit: int = Field(100, ge=1, le=1000)


class ComplexAssetTotalOut(Schema):
    firm_id: int
    firm_name: str = Field(..., alias="firm__name_ko")
    category: str
    records: int
    value_krw: Decimal
