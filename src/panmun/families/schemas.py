"""API shapes of the registry of separated families: search, persons, tracing rounds, replies."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Annotated, Any

from django.utils import translation
from ninja import Field, Schema

from panmun.common.api_schemas import BodyIn, Bool, OneOf, QueryIn

from .documents import RequestLine
from .models import (
    BirthCalendar,
    LinkState,
    Person,
    Relation,
    RoundStatus,
    Sex,
    TracingReply,
    TracingRound,
    VitalStatus,
)
from .selectors import (
    MATCH_REASONS,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    RoundReport,
    SearchHit,
    request_lines_for_user,
    round_report,
)
from .services.tracing import CALENDARS, RESULTS, SEXES, VITAL


@functools.cache
def _reason(why: str, language: str) -> str:
    """What matched, in `language`: translated once per kind of match, not per hit (two
    switches of language for each of 50 hits were a tenth of a search's time)."""
    with translation.override(language):
        return str(MATCH_REASONS.get(why, ""))


# A birth year from 1850 to 2100, or nothing (`SearchFilters.from_values` checks the same).
BIRTH_YEAR_PATTERN = r"^(|18[5-9][0-9]|19[0-9][0-9]|20[0-9][0-9]|2100)$"


class SearchQuery(QueryIn):
    q: str = Field("", description="A name in Hangul (either side's spelling) or Latin letters")
    born_from: str = Field("", pattern=BIRTH_YEAR_PATTERN, description="Born in or after (year)")
    born_to: str = Field("", pattern=BIRTH_YEAR_PATTERN, description="Born in or before (year)")
    hometown: str = ""
    status: Annotated[str, OneOf(VitalStatus.values, blank=True)] = ""
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Which page of results (from 1)")
    per_page: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Results per page")


class HitOut(Schema):
    # A search hit (`selectors.SearchHit`): its person's fields, and why it matched. Resolvers,
    # not `Field(validation_alias="person.name_latin")`: Ninja reads a dotted name through
    # Django's template `Variable`, which made serialising a page of 50 hits three times slower.
    id: int
    registry_no: str | None
    name: str
    name_latin: str
    birth_date: str
    hometown: str
    status: Annotated[str, OneOf(VitalStatus.values)]
    applicant: bool
    score: int
    match: str = Field(
        description="What matched, as a code: registration number, spelling, "
        "other spelling, name, given name, family name"
    )
    match_ko: str = Field("", description="What matched, in Korean")
    match_en: str = Field("", description="What matched, in English")

    @staticmethod
    def resolve_id(hit: SearchHit) -> int:
        return hit.person.pk

    @staticmethod
    def resolve_registry_no(hit: SearchHit) -> str | None:
        return hit.person.registry_no

    @staticmethod
    def resolve_name(hit: SearchHit) -> str:
        return hit.person.display_name

    @staticmethod
    def resolve_name_latin(hit: SearchHit) -> str:
        return hit.person.name_latin

    @staticmethod
    def resolve_birth_date(hit: SearchHit) -> str:
        return hit.person.birth_date

    @staticmethod
    def resolve_hometown(hit: SearchHit) -> str:
        return hit.person.hometown

    @staticmethod
    def resolve_status(hit: SearchHit) -> str:
        return hit.person.status

    @staticmethod
    def resolve_applicant(hit: SearchHit) -> bool:
        return hit.person.is_applicant

    @staticmethod
    def resolve_match(hit: SearchHit) -> str:
        return hit.why

    @staticmethod
    def resolve_match_ko(hit: SearchHit) -> str:
        return _reason(hit.why, "ko")

    @staticmethod
    def resolve_match_en(hit: SearchHit) -> str:
        return _reason(hit.why, "en")


class SeekingOut(Schema):
    person_id: int
    name: str
    relation: Annotated[str, OneOf(Relation.values)]


def _seeking(rows: Any, other: str) -> list[dict[str, Any]]:
    return [
        {
            "person_id": getattr(s, f"{other}_id"),
            "name": getattr(s, other).display_name,
            "relation": s.relation,
        }
        for s in rows.select_related(other)
    ]


class PersonOut(Schema):
    id: int
    registry_no: str | None
    family_name: str
    given_name: str
    full_name: str
    name_latin: str
    sex: Annotated[str, OneOf(Sex.values, blank=True)]
    birth_date: str
    birth_calendar: Annotated[str, OneOf(BirthCalendar.values, blank=True)]
    hometown: str
    father_name: str
    status: Annotated[str, OneOf(VitalStatus.values)]
    death_date: str
    abroad: bool
    country: str
    registered_on: dt.date | None
    consent_share: bool
    consent_name: bool = Field(
        description="The applicant agrees that the other side is told their name (and relation) "
        "on a tracing request"
    )
    consent_name_at: dt.datetime | None = Field(description="When that answer was recorded")
    consent_name_by: str | None = Field(description="Who recorded it (username)")
    merged_into_id: int | None
    seeking: list[SeekingOut]
    sought_by: list[SeekingOut]

    @staticmethod
    def resolve_consent_name_by(person: Person) -> str | None:
        recorder = person.consent_name_by
        return recorder.get_username() if recorder is not None else None

    @staticmethod
    def resolve_seeking(person: Person) -> list[dict[str, Any]]:
        return _seeking(person.seeking, "sought")

    @staticmethod
    def resolve_sought_by(person: Person) -> list[dict[str, Any]]:
        return _seeking(person.sought_by, "applicant")


class RequestOut(Schema):
    request_id: str
    family_name: str
    given_name: str
    sex: Annotated[str, OneOf(Sex.values, blank=True)]
    birth_date: str
    birth_calendar: Annotated[str, OneOf(BirthCalendar.values, blank=True)]
    hometown: str
    father_name: str
    relation: Annotated[str, OneOf(Relation.values, blank=True)] = Field(
        description="The person sought, to the applicant (spouse, parent, child, sibling, other);"
        " empty where the applicant is not named to the caller"
    )
    seeker: str = Field(
        description="Who seeks the person: the applicant's name where the caller may be told it "
        "(the South's registry readers; the other side's Red Cross where the applicant agreed), "
        "otherwise 'a relative in the South' in the caller's language"
    )
    seeker_named: bool = Field(description="Whether `seeker` is the applicant's name")

    @staticmethod
    def resolve_seeker(line: RequestLine) -> str:
        return line.applicant_name


class TracingRoundOut(Schema):
    id: int
    name: str
    status: Annotated[str, OneOf(RoundStatus.values)]
    target_size: int
    sent_on: dt.date | None
    reply_due: dt.date | None
    report: RoundReport

    @staticmethod
    def resolve_report(tracing_round: TracingRound) -> RoundReport:
        return round_report(tracing_round)


class RoundDetailOut(TracingRoundOut):
    requests: list[RequestOut]

    @staticmethod
    def resolve_requests(tracing_round: TracingRound, context: dict[str, Any]) -> list[RequestLine]:
        # The people sought, and who seeks them only where the caller may be told (the
        # applicant agreed to be named to the other side).
        return request_lines_for_user(context["request"].auth, tracing_round)


# A date as the other side's lists give it: YYYY, YYYY-MM or YYYY-MM-DD, or nothing.
PARTIAL_DATE_PATTERN = r"^(|[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)$"


class ReplyIn(BodyIn):
    request_id: str = Field("", max_length=20)
    result: Annotated[str, OneOf(RESULTS)] = Field(..., examples=["found"])
    vital_status: Annotated[str, OneOf(VITAL)] = Field("", examples=["alive"])
    death_date: str = Field("", max_length=10, pattern=PARTIAL_DATE_PATTERN)
    family_name: str = Field("", max_length=100)
    given_name: str = Field("", max_length=100)
    name_latin: str = Field("", max_length=200)
    sex: Annotated[str, OneOf([*SEXES, *(k.upper() for k in SEXES if k.isascii() and k)])] = ""
    birth_date: str = Field("", max_length=10, pattern=PARTIAL_DATE_PATTERN)
    birth_calendar: Annotated[str, OneOf(CALENDARS)] = ""
    birthplace: str = Field("", max_length=200)
    father_name: str = Field("", max_length=100)
    address: str = Field("", max_length=300)
    relatives: str = Field("", max_length=5000)


class DoubtOut(Schema):
    code: str = Field(..., examples=["name"], description="name, birth_date, sex or age")
    ko: str
    en: str


class ReplyOut(Schema):
    row: int
    request_id: str | None
    link_state: Annotated[str, OneOf(LinkState.values)]
    match_probability: float | None
    doubts: list[DoubtOut] = Field(
        default_factory=list,
        description="Why the reply waits for review although it names its request: the name, "
        "birth date or sex differ from the request's, or 'alive' at an implausible age.",
    )

    @staticmethod
    def resolve_request_id(reply: TracingReply) -> str | None:
        return reply.request.request_id if reply.request else None


class NameConsentIn(BodyIn):
    consent: Bool = Field(
        description="Whether the applicant agrees that the other side is told their name"
    )
