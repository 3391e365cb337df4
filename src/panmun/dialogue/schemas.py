"""API shapes of the dialogue record (Django Ninja / pydantic)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema

from panmun.common.api_schemas import BodyIn, Bool, Int, IsoDate, OneOf, QueryIn

from .models import Agreement, Delegate, TalksLevel, Topic
from .selectors import MAX_YEAR, MIN_YEAR

Level = Literal["summit", "high_level", "working_level", "red_cross", "military", "liaison"]
TopicName = Literal["dialogue", "aid", "families", "complex", "liaison"]
Precision = Literal["day", "month", "year"]
Status = Literal["in_force", "suspended", "superseded", "lapsed"]
SideName = Literal["south", "north"]


def _both_sides() -> list[SideName]:
    return ["south", "north"]


class DelegateFields(Schema):
    side: SideName
    name_ko: str = Field(min_length=1, max_length=100)
    name_en: str = Field("", max_length=100)
    title_ko: str = Field("", max_length=200)
    title_en: str = Field("", max_length=200)
    is_head: bool = False


class DelegateIn(DelegateFields, BodyIn):
    is_head: Bool = False


class DelegateOut(DelegateFields):
    @staticmethod
    def resolve_side(delegate: Delegate) -> str:
        return delegate.side.code


class TalksIn(BodyIn):
    key: str = Field("", max_length=80, description="Optional stable key (letters, digits, - _)")
    title_ko: str = Field(min_length=1, max_length=300)
    title_en: str = Field(min_length=1, max_length=300)
    level: Level
    topic: TopicName = "dialogue"
    start_date: IsoDate
    end_date: IsoDate | None = None
    date_precision: Precision = "day"
    place_ko: str = Field("", max_length=200)
    place_en: str = Field("", max_length=200)
    agenda_ko: str = ""
    agenda_en: str = ""
    outcome_ko: str = ""
    outcome_en: str = ""
    delegates: list[DelegateIn] = Field(default_factory=list, max_length=200)
    agreements: list[str] = Field(
        default_factory=list, description="Agreement keys", max_length=100
    )
    note_ko: str = ""
    note_en: str = ""
    source: str = Field("", max_length=300)
    source_quote: str = ""


class AgreementRef(Schema):
    id: int
    key: str
    title_ko: str
    title_en: str


class TalksOut(Schema):
    id: int
    key: str
    title_ko: str
    title_en: str
    level: Level
    topic: TopicName
    start_date: dt.date
    end_date: dt.date | None
    date_precision: Literal["day", "month", "year", "unknown"]
    place_ko: str
    place_en: str
    agenda_ko: str
    agenda_en: str
    outcome_ko: str
    outcome_en: str
    note_ko: str
    note_en: str
    source: str
    source_quote: str
    delegates: list[DelegateOut]
    agreements: list[AgreementRef]


class ProvisionOut(Schema):
    number: int = Field(ge=1, le=2_147_483_647)
    text_ko: str = Field(min_length=1)
    text_en: str = Field(min_length=1)


class ProvisionIn(ProvisionOut, BodyIn):
    number: Int = Field(ge=1, le=2_147_483_647)


class AgreementIn(BodyIn):
    key: str = Field("", max_length=80)
    title_ko: str = Field(min_length=1, max_length=300)
    title_en: str = Field(min_length=1, max_length=300)
    signed_on: IsoDate | None = None
    date_precision: Literal["day", "month", "year", "unknown"] = "day"
    parties: list[SideName] = Field(default_factory=_both_sides, min_length=1)
    topic: TopicName = "dialogue"
    provisions: list[ProvisionIn] = Field(default_factory=list, max_length=500)
    note_ko: str = ""
    note_en: str = ""
    source: str = Field("", max_length=300)
    source_quote: str = ""


class StatusChangeOut(Schema):
    status: Status
    effective_on: dt.date | None
    note_ko: str
    note_en: str
    source: str
    recorded_at: dt.datetime


class AgreementOut(Schema):
    id: int
    key: str
    title_ko: str
    title_en: str
    signed_on: dt.date | None
    date_precision: Literal["day", "month", "year", "unknown"]
    parties: list[SideName]
    topic: TopicName
    status: Status
    provisions: list[ProvisionOut]
    status_changes: list[StatusChangeOut]
    note_ko: str
    note_en: str
    source: str
    source_quote: str

    @staticmethod
    def resolve_parties(agreement: Agreement) -> list[str]:
        return [side.code for side in agreement.parties.all()]


class StatusChangeIn(BodyIn):
    status: Status
    effective_on: IsoDate | None = None
    note_ko: str = ""
    note_en: str = ""
    source: str = Field("", max_length=300)


class TimelineItemOut(Schema):
    kind: Literal["talks", "agreement", "event"]
    id: int
    date: dt.date | None
    end_date: dt.date | None
    precision: Literal["day", "month", "year", "unknown"]
    title_ko: str
    title_en: str
    topic: TopicName
    level: str
    subtype: str
    url: str


class YearCount(Schema):
    year: int
    count: int


class TimelineOut(Schema):
    items: list[TimelineItemOut]
    per_year: list[YearCount]


# A year from MIN_YEAR (1945) to MAX_YEAR (2100), or nothing.
YEAR_PATTERN = r"^(|19[4-9][0-9]|20[0-9][0-9]|2100)$"
assert (MIN_YEAR, MAX_YEAR) == (1945, 2100), "YEAR_PATTERN says 1945 to 2100"


class TimelineQuery(QueryIn):
    year_from: str = Field(
        "", pattern=YEAR_PATTERN, description=f"From this year ({MIN_YEAR}–{MAX_YEAR})"
    )
    year_to: str = Field(
        "", pattern=YEAR_PATTERN, description=f"To this year ({MIN_YEAR}–{MAX_YEAR})"
    )
    level: Annotated[str, OneOf(TalksLevel.values, blank=True)] = ""
    topic: Annotated[str, OneOf(Topic.values, blank=True)] = ""
