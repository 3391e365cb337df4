"""/api/v1/families: search the registry, read a person, the tracing rounds and their reports,
and enter a reply. Same services and access helpers as the pages.

Applying a round to the registry is not offered here: it needs a second person's approval
(결재) and a confirmation, which only the round's page gives."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any

from django.http import HttpResponse
from django.utils import translation
from ninja import Field, Query, Router, Schema, Status

from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import BodyIn, Bool, OneOf, QueryIn, RecordId, responds
from panmun.families.access import (
    can_edit_registry,
    can_enter_replies,
    get_person_for_edit,
    get_person_for_user,
    get_round_for_replies,
    get_round_for_user,
    tracing_rounds_for_user,
)

from .models import (
    BirthCalendar,
    LinkState,
    Person,
    Relation,
    RoundStatus,
    Sex,
    TracingRound,
    VitalStatus,
)
from .selectors import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    SearchFilters,
    request_lines_for_user,
    round_report,
    search_page,
)
from .services import registry, tracing
from .services.tracing import CALENDARS, RESULTS, SEXES, VITAL

router = Router(tags=["families"])


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


class SeekingOut(Schema):
    person_id: int
    name: str
    relation: Annotated[str, OneOf(Relation.values)]


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


class ReportOut(Schema):
    sent: int
    answered: int
    found_alive: int
    found_deceased: int
    found_unknown: int
    not_found: int
    unanswered: int
    to_review: int
    unmatched_rows: int
    rejected_rows: int


class TracingRoundOut(Schema):
    id: int
    name: str
    status: Annotated[str, OneOf(RoundStatus.values)]
    target_size: int
    sent_on: dt.date | None
    reply_due: dt.date | None
    report: ReportOut


class RoundDetailOut(TracingRoundOut):
    requests: list[RequestOut]


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


@router.get(
    "/search",
    response=responds(list[HitOut]),
    summary="Find persons by name",
    description=(
        "One page of persons, the best name matches first, then the living, the unknown and "
        "the deceased, the oldest first. The headers say how many matched in all: "
        "`X-Total-Count` (counted up to 1,000) and `X-Total-Capped` (`true` when more matched "
        "than were counted)."
    ),
)
def search_persons(
    request: ApiRequest, response: HttpResponse, q: Query[SearchQuery]
) -> list[dict[str, Any]]:
    filters = SearchFilters.from_params(q.dict())
    results = search_page(request.auth, filters, page=q.page, per_page=q.per_page)
    response["X-Total-Count"] = str(results.total)
    response["X-Total-Capped"] = "true" if results.capped else "false"
    # The reason depends on the kind of match only: translated once per kind, not per hit (two
    # switches of language for each of 50 hits were a tenth of a search's time).
    reasons: dict[str, dict[str, str]] = {}
    hits = []
    for hit in results.hits:
        if hit.why not in reasons:
            with translation.override("ko"):
                ko = hit.reason
            with translation.override("en"):
                en = hit.reason
            reasons[hit.why] = {"match_ko": ko, "match_en": en}
        hits.append(hit.as_dict() | reasons[hit.why])
    return hits


def _seeking(rows: Any, other: str) -> list[dict[str, Any]]:
    return [
        {
            "person_id": getattr(s, f"{other}_id"),
            "name": getattr(s, other).display_name,
            "relation": s.relation,
        }
        for s in rows.select_related(other)
    ]


def _person(person: Person) -> dict[str, Any]:
    fields = {
        name: getattr(person, name)
        for name in PersonOut.model_fields
        if name not in ("consent_name_by", "seeking", "sought_by")
    }
    recorder = person.consent_name_by
    fields |= {
        "consent_name_by": recorder.get_username() if recorder is not None else None,
        "seeking": _seeking(person.seeking, "sought"),
        "sought_by": _seeking(person.sought_by, "applicant"),
    }
    return fields


@router.get("/persons/{person_id}", response=responds(PersonOut), summary="One person's record")
def get_person(request: ApiRequest, person_id: RecordId) -> dict[str, Any]:
    person: Person = get_person_for_user(request.auth, person_id)
    registry.person_viewed(actor=request.auth, person=person)
    return _person(person)


class NameConsentIn(BodyIn):
    consent: Bool = Field(
        description="Whether the applicant agrees that the other side is told their name"
    )


@router.put(
    "/persons/{person_id}/name-consent",
    response=responds(PersonOut),
    summary="Record whether an applicant agrees to be named to the other side",
    description="On a tracing request the other side's Red Cross reads who is looking (the "
    "applicant's name and relation) only where the applicant agreed; otherwise 'a relative in "
    "the South'. Who recorded the answer and when are kept and audited.",
    auth=permitted(can_edit_registry),
)
def set_name_consent(
    request: ApiRequest, person_id: RecordId, payload: NameConsentIn
) -> dict[str, Any]:
    person = get_person_for_edit(request.auth, person_id)
    person = registry.person_name_consent_set(
        actor=request.auth, person=person, consent=payload.consent
    )
    return _person(person)


def _round(tracing_round: TracingRound) -> dict[str, Any]:
    return {
        "id": tracing_round.pk,
        "name": tracing_round.name,
        "status": tracing_round.status,
        "target_size": tracing_round.target_size,
        "sent_on": tracing_round.sent_on,
        "reply_due": tracing_round.reply_due,
        "report": dataclasses.asdict(round_report(tracing_round)),
    }


@router.get("/rounds", response=responds(list[TracingRoundOut]), summary="Tracing rounds")
def list_rounds(request: ApiRequest) -> list[dict[str, Any]]:
    return [_round(r) for r in tracing_rounds_for_user(request.auth)]


@router.get(
    "/rounds/{round_id}",
    response=responds(RoundDetailOut),
    summary="A tracing round: its request list and report",
)
def get_round(request: ApiRequest, round_id: RecordId) -> dict[str, Any]:
    tracing_round = get_round_for_user(request.auth, round_id)
    tracing.round_viewed(actor=request.auth, tracing_round=tracing_round, what="api")
    # The people sought, and who seeks them only where the caller may be told (the applicant
    # agreed to be named to the other side): `selectors.request_lines_for_user`.
    requests = [
        {
            "request_id": line.request_id,
            "family_name": line.family_name,
            "given_name": line.given_name,
            "sex": line.sex,
            "birth_date": line.birth_date,
            "birth_calendar": line.birth_calendar,
            "hometown": line.hometown,
            "father_name": line.father_name,
            "relation": line.relation,
            "seeker": line.applicant_name,
            "seeker_named": line.seeker_named,
        }
        for line in request_lines_for_user(request.auth, tracing_round)
    ]
    return {**_round(tracing_round), "requests": requests}


@router.post(
    "/rounds/{round_id}/replies",
    response=responds(ReplyOut, 201),
    summary="Enter one reply of the other side (linked at once)",
    auth=permitted(can_enter_replies),
)
def enter_reply(
    request: ApiRequest, round_id: RecordId, payload: ReplyIn
) -> Status[dict[str, Any]]:
    tracing_round = get_round_for_replies(request.auth, round_id)
    reply = tracing.reply_enter(
        actor=request.auth, tracing_round=tracing_round, values=payload.dict()
    )
    return Status(
        201,
        {
            "row": reply.row,
            "request_id": reply.request.request_id if reply.request else None,
            "link_state": reply.link_state,
            "match_probability": reply.match_probability,
            "doubts": reply.doubts,
        },
    )
