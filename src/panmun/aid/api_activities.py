"""/api/v1/aid/activities: the ledger's activities — list, read, file, change. The same access
helpers and services as the pages: a viewer reads, the ministry's officers file anything, an
aid organisation its own; another organisation's activity is not found."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from ninja import Query, Router, Status

from panmun.accounts.api_auth import permitted
from panmun.accounts.models import Organisation
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import responds
from panmun.common.errors import invalid_fields

from .access import (
    activities_for_user,
    can_add_activity,
    can_read_ledger,
    get_activity_for_edit,
    get_activity_for_user,
)
from .models import Activity
from .schemas_activities import (
    ActivityData,
    AidActivitiesQuery,
    AidActivityChangeIn,
    AidActivityDetailOut,
    AidActivityIn,
    AidActivityOut,
    participant_lines,
    sector_lines,
)
from .services.activities import activity_create, activity_update

router = Router(tags=["aid"])
READERS = permitted(can_read_ledger)
FILERS = permitted(can_add_activity)


def _detail(activity: Activity) -> Activity:
    return Activity.objects.prefetch_related("sectors", "participants").get(pk=activity.pk)


def _data(request: ApiRequest, payload: AidActivityChangeIn, identifier: str) -> ActivityData:
    problems = []
    recipient = organisation = parent = None
    if payload.recipient_organisation_id is not None:
        recipient = Organisation.objects.filter(pk=payload.recipient_organisation_id).first()
        if recipient is None:
            problems.append(
                ("recipient_organisation_id", "없는 기관입니다.", "No such organisation.")
            )
    if payload.organisation_id is not None:
        organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
        if organisation is None:
            problems.append(("organisation_id", "없는 기관입니다.", "No such organisation."))
    if payload.parent_id is not None:
        parent = Activity.objects.filter(pk=payload.parent_id).first()
        if parent is None:
            problems.append(("parent_id", "없는 사업입니다.", "No such activity."))
    if problems:
        raise invalid_fields(
            "지원 사업을 저장하지 않았습니다.", "The aid activity was not saved.", problems
        )
    return ActivityData(
        identifier=identifier,
        reporting_org_ref=payload.reporting_org_ref,
        reporting_org_type=payload.reporting_org_type,
        reporting_org_name_ko=payload.reporting_org_name_ko,
        reporting_org_name_en=payload.reporting_org_name_en,
        title_ko=payload.title_ko,
        title_en=payload.title_en,
        description_ko=payload.description_ko,
        description_en=payload.description_en,
        channel=payload.channel,
        status=payload.status,
        planned_start=payload.planned_start,
        planned_end=payload.planned_end,
        actual_start=payload.actual_start,
        actual_end=payload.actual_end,
        humanitarian=payload.humanitarian,
        target_groups=list(payload.target_groups),
        default_currency=payload.default_currency,
        region=payload.region,
        recipient_organisation=recipient,
        recipient_name_ko=payload.recipient_name_ko,
        recipient_name_en=payload.recipient_name_en,
        parent=parent,
        organisation=organisation,
        sectors=sector_lines(payload),
        participants=participant_lines(payload),
        exception_reason_ko=getattr(payload, "exception_reason_ko", ""),
        exception_reason_en=getattr(payload, "exception_reason_en", ""),
    )


@router.get(
    "/activities",
    response=responds(list[AidActivityOut]),
    summary="The activities the user reads, newest first",
    auth=READERS,
)
def list_activities(request: ApiRequest, q: Query[AidActivitiesQuery]) -> QuerySet[Activity]:
    activities = activities_for_user(request.auth)
    if q.channel:
        activities = activities.filter(channel=q.channel)
    if q.status:
        activities = activities.filter(status=q.status)
    if q.year:
        first, last = dt.date(q.year, 1, 1), dt.date(q.year, 12, 31)
        starts = Q(actual_start__lte=last) | Q(actual_start__isnull=True, planned_start__lte=last)
        ends = (
            Q(actual_end__gte=first)
            | Q(actual_end__isnull=True, planned_end__gte=first)
            | Q(actual_end__isnull=True, planned_end__isnull=True)
        )
        activities = activities.filter(starts & ends)
    activities = activities.order_by("-planned_start", "identifier")
    return activities[q.offset : q.offset + q.limit]


@router.post(
    "/activities",
    response=responds(AidActivityDetailOut, 201),
    summary="File an activity with its sectors and participating organisations",
    auth=FILERS,
)
def create_activity(request: ApiRequest, payload: AidActivityIn) -> Status[Activity]:
    data = _data(request, payload, payload.identifier)
    return Status(201, _detail(activity_create(actor=request.auth, data=data)))


@router.get(
    "/activities/{activity_id}",
    response=responds(AidActivityDetailOut),
    summary="An activity with its sectors and participating organisations",
    auth=READERS,
)
def get_activity(request: ApiRequest, activity_id: int) -> Activity:
    return _detail(get_activity_for_user(request.auth, activity_id))


@router.put(
    "/activities/{activity_id}",
    response=responds(AidActivityDetailOut),
    summary="Change an activity (its sectors and participants are replaced by those given)",
    auth=FILERS,
)
def update_activity(
    request: ApiRequest, activity_id: int, payload: AidActivityChangeIn
) -> Activity:
    activity = get_activity_for_edit(request.auth, activity_id)
    data = _data(request, payload, activity.identifier)
    return _detail(activity_update(actor=request.auth, activity=activity, data=data))
