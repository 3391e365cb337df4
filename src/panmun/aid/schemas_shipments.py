"""API shapes of shipments, the North's receipts, policy exceptions and monitoring visits."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from panmun.common.api_schemas import MAX_ID, NO_NUL, BodyIn, IsoDate, OneOf

from .models import Commodity, MonitoringOutcome, Route, TargetGroup, Unit
from .services.shipments import MOVES

Decimal3 = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{1,13}(\.[0-9]{1,3})?$",
        description="A decimal number as text, at most 3 decimals",
    ),
]
Short = Annotated[str, Field("", max_length=300, pattern=NO_NUL)]
Reason = Annotated[str, Field(max_length=4000, pattern=NO_NUL)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class AidShipmentIn(BodyIn):
    commodity: Annotated[str, OneOf(Commodity.values)]
    quantity: Decimal3
    unit: Annotated[str, OneOf(Unit.values)]
    route: Annotated[str, OneOf(Route.values)]
    planned_on: IsoDate
    target_groups: list[Annotated[str, OneOf(TargetGroup.values)]] = Field(
        ..., min_length=1, max_length=5
    )
    recipient_organisation: Id | None = None
    description: Short = ""
    packaging: Short = ""
    markings: Short = ""
    port_of_loading: Short = ""
    port_of_discharge: Short = ""
    vessel: Short = ""


class AidReceiptOut(Schema):
    side: str
    index: int
    state: str = Field(description="signed, or cosigned once the other side's checkpoint covers it")
    cosigned_at: dt.datetime | None


class AidShipmentOut(Schema):
    id: int
    reference: str
    activity: str
    commodity: str
    quantity: str
    unit: str
    route: str
    target_groups: list[str]
    planned_on: dt.date
    sent_on: dt.date | None
    received_on: dt.date | None
    received_quantity: str | None
    difference_reason: str
    state: str
    recipient_organisation: int | None
    approval: str | None = Field(description="The carry-out approval's application reference")
    approval_state: str | None
    receipt: AidReceiptOut | None
    monitored: str = Field(description="done, refused, planned or none")


class AidShipmentListOut(Schema):
    items: list[AidShipmentOut]
    total: int


class AidMoveIn(BodyIn):
    move: Annotated[str, OneOf(MOVES)]
    sent_on: IsoDate | None = None
    vessel: Short = ""


class AidAcknowledgeIn(BodyIn):
    received_quantity: Decimal3
    received_on: IsoDate
    difference_reason: Annotated[str, Field("", max_length=4000, pattern=NO_NUL)] = ""


class AidExceptionIn(BodyIn):
    measure: Annotated[str, Field(max_length=40, pattern=NO_NUL)]
    shipment: Id | None = Field(None, description="One shipment; none: any new shipment")
    reason_ko: Reason
    reason_en: Reason


class AidExceptionOut(Schema):
    id: int
    activity: str
    measure: str
    what: str
    what_id: int | None
    reason_ko: str
    reason_en: str
    granted_by: str
    granted_at: dt.datetime


class AidPhotoIn(BodyIn):
    file_ref: Annotated[str, Field(max_length=500, pattern=NO_NUL)]
    sha256: Annotated[str, Field(max_length=64, pattern=NO_NUL)]
    caption: Short = ""


class AidMonitoringIn(BodyIn):
    place: Annotated[str, Field(max_length=200, pattern=NO_NUL)]
    planned_on: IsoDate
    outcome: Annotated[str, OneOf(MonitoringOutcome.values)]
    visited_on: IsoDate | None = None
    seen_ko: Annotated[str, Field("", max_length=4000, pattern=NO_NUL)] = ""
    seen_en: Annotated[str, Field("", max_length=4000, pattern=NO_NUL)] = ""
    photos: list[AidPhotoIn] = Field([], max_length=100)


class AidPhotoOut(Schema):
    file_ref: str
    sha256: str
    caption: str


class AidMonitoringOut(Schema):
    id: int
    shipment: str | None
    place: str
    planned_on: dt.date
    visited_on: dt.date | None
    outcome: str
    seen_ko: str
    seen_en: str
    photos: list[AidPhotoOut]
