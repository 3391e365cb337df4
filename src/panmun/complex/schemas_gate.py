"""The API's shapes for the gate: one check-out or check-in, a batch from an offline gate, the
events of a day, who is inside now and the headcount, the flags."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from ninja import Field, Schema

from panmun.common.api_schemas import (
    MAX_ID,
    NO_NUL,
    BodyIn,
    Bool,
    Int,
    IsoDate,
    IsoDateTime,
    OneOf,
    QueryIn,
    offset_field,
)

from .models.crossings import CrossingDirection, EventOutcome, FlagSource, Subject
from .services.gate import CODES, MAX_BATCH

#: The events one request merges (under a second on PostgreSQL); more go through the job.
MAX_API_BATCH = 250

Text = Annotated[str, Field(pattern=NO_NUL)]
SubjectCode = Annotated[str, OneOf(Subject.values)]
DirectionCode = Annotated[str, OneOf(CrossingDirection.values)]
Key = Annotated[
    str,
    Field(
        pattern=NO_NUL,
        min_length=1,
        max_length=60,
        description="A document number or a plate as scanned or typed (spaces and a document "
        "number's hyphens are dropped, letters upper-cased)",
    ),
]


class ComplexGateEventIn(BodyIn):
    subject: SubjectCode = "person"
    key: Key
    direction: DirectionCode
    source: Annotated[str, OneOf(["scan", "typed", "paper"])] = "typed"
    occurred_at: IsoDateTime | None = Field(
        None,
        description="Only for an event typed in afterwards from the paper list (source paper): "
        "its real time, with its zone. Scanned or typed events happen now.",
    )
    vehicle_key: Text = Field("", max_length=60, description="The plate of a person's vehicle")
    terminal: Text = Field("", max_length=60)
    uid: uuid.UUID | None = Field(None, description="Made by the terminal; stored once")
    inspected: Bool = Field(
        False,
        description="The person's quarantine inspection was seen: required while the epidemic "
        "mode is on",
    )


class ComplexGateEventOut(Schema):
    id: int
    uid: uuid.UUID
    subject: str
    key: str
    name: str
    direction: str
    outcome: str
    refusal_code: str
    refusal_detail: str
    occurred_at: dt.datetime
    recorded_at: dt.datetime
    day: dt.date
    plan_id: int | None
    line_id: int | None
    firm_id: int | None
    vehicle_key: str
    officer: str = Field(..., alias="officer.username")
    source: str
    terminal: str


class ComplexGateFlagOut(Schema):
    id: int
    subject: str
    key: str
    name: str
    source: str
    reason: str
    instructions: str
    raised_at: dt.datetime
    lifted_at: dt.datetime | None
    lifted_note: str


class ComplexGateAnswerOut(Schema):
    """The gate's answer: let through, or refused with the reason and every flag's
    instructions for the staff."""

    passed: bool
    code: str = Field(..., description="Empty when let through; else a stable refusal code")
    message: str
    message_ko: str
    message_en: str
    flags: list[ComplexGateFlagOut]
    event: ComplexGateEventOut


class ComplexGateOfflineIn(BodyIn):
    uid: uuid.UUID
    subject: SubjectCode = "person"
    key: Key
    direction: DirectionCode
    occurred_at: IsoDateTime
    vehicle_key: Text = Field("", max_length=60)
    terminal: Text = Field("", max_length=60)
    outcome: Annotated[str, OneOf(EventOutcome.values)] = "passed"
    refusal_code: Annotated[str, OneOf(sorted(CODES), blank=True)] = ""
    officer: Text = Field("", max_length=150, description="Who recorded it; empty: the caller")


class ComplexGateBatchIn(BodyIn):
    events: list[ComplexGateOfflineIn] = Field(
        ...,
        min_length=1,
        max_length=MAX_API_BATCH,
        description=f"At most {MAX_API_BATCH:,} events a request, merged in it. A terminal's "
        f"larger file (up to {MAX_BATCH:,} events) is merged as a job with its progress: POST "
        "/api/v1/jobs with kind complex.gate_merge and params {document: the file's JSON text, "
        "filename}",
    )


class ComplexGateReviewOut(Schema):
    uid: str
    key: str
    code: str
    message_ko: str
    message_en: str


class ComplexGateMergeOut(Schema):
    stored: int
    stored_uids: list[str]
    known: list[str]
    review: list[ComplexGateReviewOut]
    keys: int


class ComplexGateEventsQuery(QueryIn):
    day: IsoDate
    outcome: Annotated[str, OneOf(EventOutcome.values, blank=True)] = ""
    direction: Annotated[str, OneOf(CrossingDirection.values, blank=True)] = ""
    key: Text = Field("", max_length=60)
    offset: int = offset_field()
    limit: int = Field(1000, ge=1, le=5000)


class ComplexHeadcountFirmOut(Schema):
    firm_id: int | None
    name_ko: str
    name_en: str
    people: int
    residents: int
    short_stays: int
    vehicles: int


class ComplexHeadcountOut(Schema):
    at: dt.datetime
    people: int
    residents: int
    short_stays: int
    vehicles: int
    firms: list[ComplexHeadcountFirmOut]


class ComplexPresenceOut(Schema):
    subject: str
    key: str
    name: str
    firm_id: int | None
    since: dt.datetime
    resident: bool
    vehicle_key: str


class ComplexInsideQuery(QueryIn):
    subject: Annotated[str, OneOf(Subject.values, blank=True)] = ""
    firm: Int | None = Field(None, ge=1, le=MAX_ID)
    offset: int = offset_field()
    limit: int = Field(1000, ge=1, le=5000)


class ComplexFlagsQuery(QueryIn):
    all: bool = Field(False, description="Lifted flags too")


class ComplexGateFlagIn(BodyIn):
    subject: SubjectCode = "person"
    key: Key
    name: Text = Field("", max_length=200)
    reason: Text = Field(..., max_length=500)
    instructions: Text = Field("", max_length=4000)
    source: Annotated[str, OneOf(FlagSource.values)] = "manual"


class ComplexGateFlagLiftIn(BodyIn):
    note: Text = Field("", max_length=500)
