"""/api/v1/families: search the registry, read a person, the tracing rounds and their reports,
and enter a reply. Same services and access helpers as the pages.

Applying a round to the registry is not offered here: it needs a second person's approval
(결재) and a confirmation, which only the round's page gives."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from ninja import Query, Router, Status

from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import RecordId, responds
from panmun.families.access import (
    can_edit_registry,
    can_enter_replies,
    get_person_for_edit,
    get_person_for_user,
    get_round_for_replies,
    get_round_for_user,
    tracing_rounds_for_user,
)

from .models import Person, TracingReply, TracingRound
from .schemas import (
    HitOut,
    NameConsentIn,
    PersonOut,
    ReplyIn,
    ReplyOut,
    RoundDetailOut,
    SearchQuery,
    TracingRoundOut,
)
from .selectors import SearchFilters, SearchHit, search_page
from .services import registry, tracing

router = Router(tags=["families"])


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
) -> list[SearchHit]:
    filters = SearchFilters.from_params(q.dict())
    results = search_page(request.auth, filters, page=q.page, per_page=q.per_page)
    response["X-Total-Count"] = str(results.total)
    response["X-Total-Capped"] = "true" if results.capped else "false"
    return results.hits


@router.get("/persons/{person_id}", response=responds(PersonOut), summary="One person's record")
def get_person(request: ApiRequest, person_id: RecordId) -> Person:
    person: Person = get_person_for_user(request.auth, person_id)
    registry.person_viewed(actor=request.auth, person=person)
    return person


@router.put(
    "/persons/{person_id}/name-consent",
    response=responds(PersonOut),
    summary="Record whether an applicant agrees to be named to the other side",
    description="On a tracing request the other side's Red Cross reads who is looking (the "
    "applicant's name and relation) only where the applicant agreed; otherwise 'a relative in "
    "the South'. Who recorded the answer and when are kept and audited.",
    auth=permitted(can_edit_registry),
)
def set_name_consent(request: ApiRequest, person_id: RecordId, payload: NameConsentIn) -> Person:
    person = get_person_for_edit(request.auth, person_id)
    return registry.person_name_consent_set(
        actor=request.auth, person=person, consent=payload.consent
    )


@router.get("/rounds", response=responds(list[TracingRoundOut]), summary="Tracing rounds")
def list_rounds(request: ApiRequest) -> QuerySet[TracingRound]:
    return tracing_rounds_for_user(request.auth)


@router.get(
    "/rounds/{round_id}",
    response=responds(RoundDetailOut),
    summary="A tracing round: its request list and report",
)
def get_round(request: ApiRequest, round_id: RecordId) -> TracingRound:
    tracing_round = get_round_for_user(request.auth, round_id)
    tracing.round_viewed(actor=request.auth, tracing_round=tracing_round, what="api")
    return tracing_round


@router.post(
    "/rounds/{round_id}/replies",
    response=responds(ReplyOut, 201),
    summary="Enter one reply of the other side (linked at once)",
    auth=permitted(can_enter_replies),
)
def enter_reply(request: ApiRequest, round_id: RecordId, payload: ReplyIn) -> Status[TracingReply]:
    tracing_round = get_round_for_replies(request.auth, round_id)
    reply = tracing.reply_enter(
        actor=request.auth, tracing_round=tracing_round, values=payload.dict()
    )
    return Status(201, reply)
