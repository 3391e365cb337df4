"""API shapes of the ministry's review: a queue's page, one approval's review, decisions (one
or a list), assignment, policy exceptions, statistics, and the other side's invitations."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from panmun.common.api_schemas import NO_NUL, BodyIn, Int, OneOf, QueryIn

from .models import ApprovalKind, ApprovalState
from .selectors import ASSIGNED_CHOICES, MAX_PAGE_SIZE, PAGE_SIZE, QUEUE_STATES
from .services.moves import MAX_TEXT
from .services.review import BULK_LIMIT, BULK_MOVES, REVIEW_MOVES

Text = Annotated[str, Field("", max_length=MAX_TEXT, pattern=NO_NUL)]


class QueueQuery(QueryIn):
    state: Annotated[str, OneOf(QUEUE_STATES, blank=True)] = ""
    assigned: Annotated[str, OneOf(ASSIGNED_CHOICES[1:], blank=True)] = ""
    after: str = Field("", max_length=80, description="The cursor of the page before (next)")
    per_page: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class QueueItemOut(Schema):
    id: int
    reference: str
    kind: str
    state: str
    purpose: str
    start_date: dt.date | None
    end_date: dt.date | None
    submitted_at: dt.datetime | None
    assigned_to: str | None
    travellers: int


class QueueOut(Schema):
    kind: str
    items: list[QueueItemOut]
    total: int
    capped: bool = Field(description="True when there are more than `total`")
    next: str = Field(description="The cursor of the next page (`after`); empty on the last")


class EarlierOut(Schema):
    approval_id: int
    reference: str
    kind: str
    state: str
    start_date: dt.date | None
    end_date: dt.date | None
    reasons_ko: str
    reasons_en: str
    conditions_ko: str
    conditions_en: str


class TravellerOut(Schema):
    name_ko: str
    name_latin: str
    sex: str
    birth_date: dt.date
    document_kind: str
    document_number: str
    nationality: str
    earlier: list[EarlierOut]


class VehicleOut(Schema):
    plate_number: str
    vehicle_kind: str
    make_model: str


class GoodsOut(Schema):
    hs_code: str
    hs_description: str
    description: str
    quantity: str
    unit: str
    value: str
    currency: str


class MeasureOut(Schema):
    code: str
    name_ko: str
    name_en: str
    starts_on: dt.date
    ends_on: dt.date | None


class BreachOut(Schema):
    measure: str
    reason_ko: str
    reason_en: str


class ExceptionOut(Schema):
    measure: str
    reason_ko: str
    reason_en: str
    granted_by: str
    granted_at: dt.datetime


class StepOut(Schema):
    at: dt.datetime
    transition: str
    source_state: str | None
    state: str
    by: str | None


class ApprovalOut(Schema):
    """An approval's state and decision, as the answer to a decision or an assignment."""

    id: int
    reference: str
    kind: Annotated[str, OneOf(ApprovalKind.values)]
    state: Annotated[str, OneOf(ApprovalState.values)]
    assigned_to: str | None
    reasons_ko: str
    reasons_en: str
    conditions_ko: str
    conditions_en: str
    questions_ko: str
    questions_en: str
    decided_at: dt.datetime | None


class ReviewOut(Schema):
    approval: ApprovalOut
    application: dict[str, Any]
    other_approvals: list[dict[str, Any]]
    travellers: list[TravellerOut]
    vehicles: list[VehicleOut]
    goods: list[GoodsOut]
    measures_in_force: list[MeasureOut]
    breaches: list[BreachOut]
    exceptions: list[ExceptionOut]
    history: list[StepOut]
    moves: list[str] = Field(description="What the caller may do now")


class MoveIn(BodyIn):
    move: Annotated[str, OneOf(sorted(REVIEW_MOVES))]
    ko: Text = ""
    en: Text = ""


class AssignIn(BodyIn):
    officer_id: Int | None = Field(None, ge=1, description="None: to nobody")


class BulkIn(BodyIn):
    move: Annotated[str, OneOf(BULK_MOVES)]
    approval_ids: list[Int] = Field(..., min_length=1, max_length=BULK_LIMIT)
    ko: Text = ""
    en: Text = ""


class BulkOut(Schema):
    moved: list[ApprovalOut]


class ExceptionIn(BodyIn):
    measure: str = Field(..., min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    reason_ko: Text = ""
    reason_en: Text = ""


class StatisticsQuery(QueryIn):
    year: int | None = Field(None, ge=1989, le=2200)


class MonthOut(Schema):
    month: str
    kind: str
    applications: int
    approvals: int
    refusals: int


class VisitorsOut(Schema):
    year: int
    visitors: int


class StatisticsOut(Schema):
    year: int
    per_month: list[MonthOut]
    visitors_per_year: list[VisitorsOut]
    official_series: None = Field(
        None, description="Panmun's reference notes hold no official series of visitors per year"
    )


class InvitationOut(Schema):
    """What a North organisation sees of a visit it invited: nothing but these."""

    id: int
    state: str
    start_date: dt.date | None
    end_date: dt.date | None
    purpose: str
    names: list[str]
