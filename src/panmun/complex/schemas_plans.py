"""The API's shapes for the crossing timetables and the day plans."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from panmun.common.api_schemas import NO_NUL, BodyIn, IsoDate, OneOf, QueryIn

Text = Annotated[str, Field(pattern=NO_NUL)]
#: A time of day in Seoul, as HH:MM (JSON Schema's `time` format would want an offset).
Clock = Annotated[str, Field(pattern=r"^[0-2][0-9]:[0-5][0-9]$", description="HH:MM, Seoul")]


def clock(value: dt.time | None) -> str | None:
    return f"{value:%H:%M}" if value is not None else None


class ComplexSlotOut(Schema):
    id: int
    direction: str = Field(..., description="out (to the complex) or in (back to the South)")
    season: str
    opens_at: Clock
    closes_at: Clock
    people_limit: int | None
    vehicles_limit: int | None

    @staticmethod
    def resolve_opens_at(obj: Any) -> str | None:
        return clock(obj.opens_at)

    @staticmethod
    def resolve_closes_at(obj: Any) -> str | None:
        return clock(obj.closes_at)


class ComplexTimetableOut(Schema):
    """The timetable in force on a day, with the slots of that day (its season's)."""

    day: dt.date
    effective_from: dt.date
    name_ko: str
    name_en: str
    mode: str = Field(..., description="slots, or rfid: any time on the booked day")
    season: str
    guarantee_from: Clock | None
    guarantee_to: Clock | None
    people_per_slot: int | None
    vehicles_per_slot: int | None
    residents_max: int | None
    source: str = Field(..., description="The facts and what is assumed")
    slots: list[ComplexSlotOut]


class ComplexDayQuery(QueryIn):
    day: IsoDate


class ComplexPlanLineOut(Schema):
    id: int
    subject: str
    key: str = Field(..., description="The document number or plate, normalised")
    name: str
    firm_id: int | None
    approval_id: int
    state: str


class ComplexDayPlanOut(Schema):
    id: int
    day: dt.date
    direction: str
    slot_id: int | None = Field(None, description="Empty in the RFID mode: the whole day")
    opens_at: Clock | None
    closes_at: Clock | None
    state: str
    sent_at: dt.datetime | None
    sent_entry: str | None = Field(None, description="south/<index> in the liaison log")
    answered_at: dt.datetime | None
    answer_entry: str | None = Field(None, description="north/<index> in the liaison log")
    answer_note: str
    people: int
    vehicles: int
    changed: int
    withdrawn: int


class ComplexDayPlanDetailOut(ComplexDayPlanOut):
    lines: list[ComplexPlanLineOut]


class ComplexDayPlansBuildIn(BodyIn):
    day: IsoDate


class ComplexSkippedOut(Schema):
    application: str = ""
    plan: str = ""
    reason_ko: str
    reason_en: str


class ComplexDayPlansBuildOut(Schema):
    day: dt.date
    added: int
    withdrawn: int
    plans: list[ComplexDayPlanOut]
    skipped: list[ComplexSkippedOut]


class ComplexPlanLineIn(BodyIn):
    subject: Annotated[str, OneOf(["person", "vehicle"])]
    key: Text = Field(..., min_length=1, max_length=40, description="Document number or plate")


class ComplexDayPlanAnswerIn(BodyIn):
    consent: bool
    note: Text = Field("", max_length=500)
