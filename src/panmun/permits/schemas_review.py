"""API shapes of the ministry's review: a queue's page, one approval's review, decisions (one
or a list), assignment, policy exceptions, statistics, and the other side's invitations."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from panmun.common.api_schemas import MAX_ID, NO_NUL, BodyIn, Int, OneOf, QueryIn

from .models import ApprovalKind, ApprovalState
from .selectors import ASSIGNED_CHOICES, MAX_PAGE_SIZE, PAGE_SIZE, QUEUE_STATES
from .services.moves import MAX_TEXT
from .services.review import BULK_LIMIT, BULK_MOVES, REVIEW_MOVES

Text = Annotated[str, Field("", max_length=MAX_TEXT, pattern=NO_NUL)]


class ReviewQueueQuery(QueryIn):
    state: Annotated[str, OneOf(QUEUE_STATES, blank=True)] = ""
    assigned: Annotated[str, OneOf(ASSIGNED_CHOICES[1:], blank=True)] = ""
    after: str = Field("", max_length=80, description="The cursor of the page before (next)")
    per_page: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class ReviewQueueItemOut(Schema):
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


class ReviewQueueOut(Schema):
    kind: str
    items: list[ReviewQueueItemOut]
    total: int
    capped: bool = Field(description="True when there are more than `total`")
    next: str = Field(description="The cursor of the next page (`after`); empty on the last")


class ReviewEarlierOut(Schema):
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


class ReviewTravellerOut(Schema):
    name_ko: str
    name_latin: str
    sex: str
    birth_date: dt.date
    document_kind: str
    document_number: str
    nationality: str
    earlier: list[ReviewEarlierOut]


class ReviewVehicleOut(Schema):
    plate_number: str
    vehicle_kind: str
    make_model: str


class ReviewGoodsOut(Schema):
    hs_code: str
    hs_description: str
    description: str
    quantity: str
    unit: str
    value: str
    currency: str


class ReviewMeasureOut(Schema):
    code: str
    name_ko: str
    name_en: str
    starts_on: dt.date
    ends_on: dt.date | None


class ReviewBreachOut(Schema):
    measure: str
    reason_ko: str
    reason_en: str


class ReviewExceptionOut(Schema):
    measure: str
    reason_ko: str
    reason_en: str
    granted_by: str
    granted_at: dt.datetime


class ReviewStepOut(Schema):
    at: dt.datetime
    transition: str
    source_state: str | None
    state: str
    by: str | None


class ReviewApprovalOut(Schema):
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


class ReviewDataOut(Schema):
    approval: ReviewApprovalOut
    application: dict[str, Any]
    other_approvals: list[dict[str, Any]]
    travellers: list[ReviewTravellerOut]
    vehicles: list[ReviewVehicleOut]
    goods: list[ReviewGoodsOut]
    measures_in_force: list[ReviewMeasureOut]
    breaches: list[ReviewBreachOut]
    exceptions: list[ReviewExceptionOut]
    history: list[ReviewStepOut]
    moves: list[str] = Field(description="What the caller may do now")


class ReviewMoveIn(BodyIn):
    move: Annotated[str, OneOf(sorted(REVIEW_MOVES))]
    ko: Text = ""
    en: Text = ""


class ReviewAssignIn(BodyIn):
    officer_id: Int | None = Field(None, ge=1, le=MAX_ID, description="None: to nobody")


class ReviewBulkIn(BodyIn):
    move: Annotated[str, OneOf(BULK_MOVES)]
    approval_ids: list[Annotated[Int, Field(ge=1, le=MAX_ID)]] = Field(
        ..., min_length=1, max_length=BULK_LIMIT
    )
    ko: Text = ""
    en: Text = ""


class ReviewBulkOut(Schema):
    moved: list[ReviewApprovalOut]


class ReviewExceptionIn(BodyIn):
    measure: str = Field(..., min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    reason_ko: Text = ""
    reason_en: Text = ""


class ReviewStatisticsQuery(QueryIn):
    year: int | None = Field(None, ge=1989, le=2200)


class ReviewMonthOut(Schema):
    month: str
    kind: str
    applications: int
    approvals: int
    refusals: int


class ReviewVisitorsOut(Schema):
    year: int
    visitors: int


class ReviewStatisticsOut(Schema):
    year: int
    per_month: list[ReviewMonthOut]
    visitors_per_year: list[ReviewVisitorsOut]
    official_series: None = Field(
        None, description="Panmun's reference notes hold no official series of visitors per year"
    )


class ReviewInvitationOut(Schema):
    """What a North organisation sees of a visit it invited: nothing but these."""

    id: int
    state: str
    start_date: dt.date | None
    end_date: dt.date | None
    purpose: str
    names: list[str]
