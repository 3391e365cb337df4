"""/api/v1/dialogue: talks, agreements and the timeline. Same services and access helpers as the
pages."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Query, Router, Status

from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import OneOf, QueryIn, RecordId, responds
from panmun.dialogue.access import (
    agreements_for_user,
    can_change_agreement_status,
    can_edit_dialogue,
    get_agreement_for_user,
    get_talks_for_edit,
    get_talks_for_user,
    talks_for_user,
)

from . import services
from .models import Agreement, Talks, TalksLevel, Topic
from .record import delegate_as_dict
from .schemas import (
    AgreementIn,
    AgreementOut,
    StatusChangeIn,
    TalksIn,
    TalksOut,
    TimelineOut,
)
from .selectors import MAX_YEAR, MIN_YEAR, TimelineFilters, timeline_payload

router = Router(tags=["dialogue"])


def talks_out(t: Talks) -> dict[str, Any]:
    return {
        **{f.attname: getattr(t, f.attname) for f in Talks._meta.concrete_fields},
        "delegates": [delegate_as_dict(d) for d in t.delegates.select_related("side")],
        "agreements": list(t.agreements.values("id", "key", "title_ko", "title_en")),
    }


def agreement_out(a: Agreement) -> dict[str, Any]:
    return {
        **{f.attname: getattr(a, f.attname) for f in Agreement._meta.concrete_fields},
        "parties": [s.code for s in a.parties.all()],
        "provisions": list(a.provisions.values("number", "text_ko", "text_en")),
        "status_changes": list(
            a.status_changes.values(
                "status", "effective_on", "note_ko", "note_en", "source", "recorded_at"
            )
        ),
    }


@router.get("/talks", response=responds(list[TalksOut]), summary="List talks")
def list_talks(request: ApiRequest) -> list[dict[str, Any]]:
    qs = talks_for_user(request.auth).prefetch_related("delegates__side", "agreements")
    return [talks_out(t) for t in qs]


@router.post(
    "/talks",
    response=responds(TalksOut, 201),
    summary="Record talks",
    auth=permitted(can_edit_dialogue),
)
def create_talks(request: ApiRequest, payload: TalksIn) -> Status[dict[str, Any]]:
    talks = services.talks_create(actor=request.auth, data=payload.dict(), source="api")
    return Status(201, talks_out(talks))


@router.get("/talks/{talks_id}", response=responds(TalksOut), summary="One record of talks")
def get_talks(request: ApiRequest, talks_id: RecordId) -> dict[str, Any]:
    return talks_out(get_talks_for_user(request.auth, talks_id))


@router.put(
    "/talks/{talks_id}",
    response=responds(TalksOut),
    summary="Replace a record of talks",
    auth=permitted(can_edit_dialogue),
)
def update_talks(request: ApiRequest, talks_id: RecordId, payload: TalksIn) -> dict[str, Any]:
    talks = get_talks_for_edit(request.auth, talks_id)
    data = payload.dict()
    data["key"] = data["key"] or talks.key
    return talks_out(
        services.talks_update(actor=request.auth, talks=talks, data=data, source="api")
    )


@router.get("/agreements", response=responds(list[AgreementOut]), summary="List agreements")
def list_agreements(request: ApiRequest) -> list[dict[str, Any]]:
    qs = agreements_for_user(request.auth).prefetch_related(
        "parties", "provisions", "status_changes"
    )
    return [agreement_out(a) for a in qs]


@router.post(
    "/agreements",
    response=responds(AgreementOut, 201),
    summary="Record an agreement",
    auth=permitted(can_edit_dialogue),
)
def create_agreement(request: ApiRequest, payload: AgreementIn) -> Status[dict[str, Any]]:
    data = payload.dict()
    agreement = services.agreement_create(actor=request.auth, data=data, source="api")
    return Status(201, agreement_out(agreement))


@router.get("/agreements/{agreement_id}", response=responds(AgreementOut), summary="One agreement")
def get_agreement(request: ApiRequest, agreement_id: RecordId) -> dict[str, Any]:
    return agreement_out(get_agreement_for_user(request.auth, agreement_id))


@router.post(
    "/agreements/{agreement_id}/status",
    response=responds(AgreementOut, 201),
    summary="Record a change of an agreement's status (supervisors)",
    auth=permitted(can_change_agreement_status),
)
def change_status(
    request: ApiRequest, agreement_id: RecordId, payload: StatusChangeIn
) -> Status[dict[str, Any]]:
    agreement = get_agreement_for_user(request.auth, agreement_id)
    services.agreement_change_status(actor=request.auth, agreement=agreement, **payload.dict())
    agreement.refresh_from_db()
    return Status(201, agreement_out(agreement))


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


@router.get("/timeline", response=responds(TimelineOut), summary="The timeline, filtered")
def get_timeline(request: ApiRequest, q: Query[TimelineQuery]) -> dict[str, Any]:
    return timeline_payload(request.auth, TimelineFilters.from_params(q.dict()))
