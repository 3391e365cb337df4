"""/api/v1/dialogue: talks, agreements and the timeline. Same services and access helpers as the
pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from ninja import Query, Router, Status

from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import RecordId, responds
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
from .models import Agreement, Talks
from .schemas import (
    AgreementIn,
    AgreementOut,
    StatusChangeIn,
    TalksIn,
    TalksOut,
    TimelineOut,
    TimelineQuery,
)
from .selectors import TimelineFilters, timeline_payload

router = Router(tags=["dialogue"])


@router.get("/talks", response=responds(list[TalksOut]), summary="List talks")
def list_talks(request: ApiRequest) -> QuerySet[Talks]:
    return talks_for_user(request.auth).prefetch_related("delegates__side", "agreements")


@router.post(
    "/talks",
    response=responds(TalksOut, 201),
    summary="Record talks",
    auth=permitted(can_edit_dialogue),
)
def create_talks(request: ApiRequest, payload: TalksIn) -> Status[Talks]:
    talks = services.talks_create(actor=request.auth, data=payload.dict(), source="api")
    return Status(201, talks)


@router.get("/talks/{talks_id}", response=responds(TalksOut), summary="One record of talks")
def get_talks(request: ApiRequest, talks_id: RecordId) -> Talks:
    return get_talks_for_user(request.auth, talks_id)


@router.put(
    "/talks/{talks_id}",
    response=responds(TalksOut),
    summary="Replace a record of talks",
    auth=permitted(can_edit_dialogue),
)
def update_talks(request: ApiRequest, talks_id: RecordId, payload: TalksIn) -> Talks:
    talks = get_talks_for_edit(request.auth, talks_id)
    data = payload.dict()
    data["key"] = data["key"] or talks.key
    return services.talks_update(actor=request.auth, talks=talks, data=data, source="api")


@router.get("/agreements", response=responds(list[AgreementOut]), summary="List agreements")
def list_agreements(request: ApiRequest) -> QuerySet[Agreement]:
    return agreements_for_user(request.auth).prefetch_related(
        "parties", "provisions", "status_changes"
    )


@router.post(
    "/agreements",
    response=responds(AgreementOut, 201),
    summary="Record an agreement",
    auth=permitted(can_edit_dialogue),
)
def create_agreement(request: ApiRequest, payload: AgreementIn) -> Status[Agreement]:
    data = payload.dict()
    agreement = services.agreement_create(actor=request.auth, data=data, source="api")
    return Status(201, agreement)


@router.get("/agreements/{agreement_id}", response=responds(AgreementOut), summary="One agreement")
def get_agreement(request: ApiRequest, agreement_id: RecordId) -> Agreement:
    return get_agreement_for_user(request.auth, agreement_id)


@router.post(
    "/agreements/{agreement_id}/status",
    response=responds(AgreementOut, 201),
    summary="Record a change of an agreement's status (supervisors)",
    auth=permitted(can_change_agreement_status),
)
def change_status(
    request: ApiRequest, agreement_id: RecordId, payload: StatusChangeIn
) -> Status[Agreement]:
    agreement = get_agreement_for_user(request.auth, agreement_id)
    services.agreement_change_status(actor=request.auth, agreement=agreement, **payload.dict())
    agreement.refresh_from_db()
    return Status(201, agreement)


@router.get("/timeline", response=responds(TimelineOut), summary="The timeline, filtered")
def get_timeline(request: ApiRequest, q: Query[TimelineQuery]) -> dict[str, Any]:
    return timeline_payload(request.auth, TimelineFilters.from_params(q.dict()))
