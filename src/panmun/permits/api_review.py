"""/api/v1/permits/review/: what the ministry does: queues, assignment, decisions (one or in
bulk), policy exceptions, statistics; the other side's view of its invitations. Each operation
asks who may use it before its body is read (`permitted`), then the same selectors and services
as the pages."""

from __future__ import annotations

from typing import Annotated, Any

from django.utils import timezone
from ninja import Query, Router, Status

from panmun.accounts.access import get_or_404
from panmun.accounts.api_auth import permitted
from panmun.accounts.models import User
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import OneOf, RecordId, responds
from panmun.common.errors import not_found

from . import statistics
from .access import can_except, can_review, is_north_partner
from .models import Approval, ApprovalKind, PolicyException, PolicyMeasure
from .schemas_review import (
    ReviewApprovalOut,
    ReviewAssignIn,
    ReviewBulkIn,
    ReviewBulkOut,
    ReviewDataOut,
    ReviewExceptionIn,
    ReviewExceptionOut,
    ReviewInvitationOut,
    ReviewMoveIn,
    ReviewQueueOut,
    ReviewQueueQuery,
    ReviewStatisticsOut,
    ReviewStatisticsQuery,
)
from .selectors import get_approval_for_review, invitations, queue, review_of
from .services.applications import policy_exception_grant
from .services.review import approval_assign, approval_decide, approvals_decide_bulk

router = Router(tags=["permits"])
REVIEWERS = permitted(can_review)


def approval_out(a: Approval) -> dict[str, Any]:
    return {
        "id": a.pk,
        "reference": a.application.reference,
        "kind": a.kind,
        "state": a.state,
        "assigned_to": a.assigned_to.get_username() if a.assigned_to else None,
        **{
            f"{name}_{lang}": getattr(a, f"{name}_{lang}")
            for name in ("reasons", "conditions", "questions")
            for lang in ("ko", "en")
        },
        "decided_at": a.decided_at,
    }


@router.get(
    "/queue/{kind}",
    response=responds(ReviewQueueOut),
    summary="An officer's queue of one kind: open approvals, oldest first (keyset pages)",
    auth=REVIEWERS,
)
def get_queue(
    request: ApiRequest,
    kind: Annotated[str, OneOf(ApprovalKind.values)],
    q: Query[ReviewQueueQuery],
) -> dict[str, Any]:
    page = queue(
        request.auth, kind, state=q.state, assigned=q.assigned, after=q.after, per_page=q.per_page
    )
    return {
        "kind": kind,
        "items": [
            {
                "id": row.approval.pk,
                "reference": row.approval.application.reference,
                "kind": row.approval.kind,
                "state": row.approval.state,
                "purpose": row.approval.application.purpose,
                "start_date": row.approval.application.start_date,
                "end_date": row.approval.application.end_date,
                "submitted_at": row.approval.submitted_at,
                "assigned_to": (
                    row.approval.assigned_to.get_username() if row.approval.assigned_to else None
                ),
                "travellers": row.travellers,
            }
            for row in page.rows
        ],
        "total": page.total,
        "capped": page.capped,
        "next": page.next_cursor,
    }


@router.get(
    "/approvals/{approval_id}",
    response=responds(ReviewDataOut),
    summary="Everything an officer reviews of one approval",
    auth=REVIEWERS,
)
def get_review(request: ApiRequest, approval_id: RecordId) -> dict[str, Any]:
    approval = get_approval_for_review(request.auth, approval_id)
    r = review_of(request.auth, approval)
    app = r.application
    return {
        "approval": approval_out(approval),
        "application": {
            "reference": app.reference,
            "purpose": app.purpose,
            "direction": app.direction,
            "destination": app.destination,
            "destination_detail": app.destination_detail,
            "entry_point": app.entry_point,
            "start_date": app.start_date,
            "end_date": app.end_date,
            "north_partner": app.north_partner,
            "organisation": app.organisation.name_ko if app.organisation else None,
            "applicant": app.applicant.get_username(),
        },
        "other_approvals": [{"id": o.pk, "kind": o.kind, "state": o.state} for o in r.others],
        "travellers": [
            {
                **{
                    f: getattr(h.traveller, f)
                    for f in (
                        "name_ko",
                        "name_latin",
                        "sex",
                        "birth_date",
                        "document_kind",
                        "document_number",
                        "nationality",
                    )
                },
                "earlier": [
                    {
                        "approval_id": e.approval.pk,
                        "reference": e.application.reference,
                        "kind": e.approval.kind,
                        "state": e.approval.state,
                        "start_date": e.application.start_date,
                        "end_date": e.application.end_date,
                        "reasons_ko": e.approval.reasons_ko,
                        "reasons_en": e.approval.reasons_en,
                        "conditions_ko": e.approval.conditions_ko,
                        "conditions_en": e.approval.conditions_en,
                    }
                    for e in h.earlier
                ],
            }
            for h in r.travellers
        ],
        "vehicles": [
            {
                "plate_number": v.plate_number,
                "vehicle_kind": v.vehicle_kind,
                "make_model": v.make_model,
            }
            for v in r.vehicles
        ],
        "goods": [
            {
                "hs_code": g.line.hs_code,
                "hs_description": g.hs_description,
                "description": g.line.description,
                "quantity": str(g.line.quantity),
                "unit": g.line.unit,
                "value": str(g.line.value),
                "currency": g.line.currency,
            }
            for g in r.goods
        ],
        "measures_in_force": [
            {
                "code": m.code,
                "name_ko": m.name_ko,
                "name_en": m.name_en,
                "starts_on": m.starts_on,
                "ends_on": m.ends_on,
            }
            for m in r.measures
        ],
        "breaches": [
            {"measure": b.measure.code, "reason_ko": b.reason_ko(), "reason_en": b.reason_en()}
            for b in r.breaches
        ],
        "exceptions": [exception_out(x) for x in r.exceptions],
        "history": [
            {
                "at": log.timestamp,
                "transition": log.transition,
                "source_state": log.source_state,
                "state": log.state,
                "by": log.by.get_username() if log.by else None,
            }
            for log in r.log
        ],
        "moves": r.moves,
    }


def exception_out(x: PolicyException) -> dict[str, Any]:
    return {
        "measure": x.measure.code,
        "reason_ko": x.reason_ko,
        "reason_en": x.reason_en,
        "granted_by": x.granted_by.get_username(),
        "granted_at": x.granted_at,
    }


@router.post(
    "/approvals/{approval_id}/assign",
    response=responds(ReviewApprovalOut),
    summary="Give an approval to a ministry officer (or to nobody)",
    auth=REVIEWERS,
)
def assign(request: ApiRequest, approval_id: RecordId, payload: ReviewAssignIn) -> dict[str, Any]:
    approval = get_approval_for_review(request.auth, approval_id)
    officer = None
    if payload.officer_id is not None:
        officer = get_or_404(User.objects.all(), payload.officer_id, "담당관", "Officer")
    moved = approval_assign(actor=request.auth, approval=approval, officer=officer)
    return approval_out(get_approval_for_review(request.auth, moved.pk))


@router.post(
    "/approvals/{approval_id}/move",
    response=responds(ReviewApprovalOut),
    summary="Decide: start review, request information, approve (with conditions), refuse, revoke",
    auth=REVIEWERS,
)
def move(request: ApiRequest, approval_id: RecordId, payload: ReviewMoveIn) -> dict[str, Any]:
    approval = get_approval_for_review(request.auth, approval_id)
    moved = approval_decide(
        actor=request.auth, approval=approval, move=payload.move, ko=payload.ko, en=payload.en
    )
    return approval_out(get_approval_for_review(request.auth, moved.pk))


@router.post(
    "/bulk",
    response=responds(ReviewBulkOut),
    summary="The same decision for a list of approvals, all or nothing",
    auth=REVIEWERS,
)
def bulk(request: ApiRequest, payload: ReviewBulkIn) -> dict[str, Any]:
    moved = approvals_decide_bulk(
        actor=request.auth,
        approval_ids=payload.approval_ids,
        move=payload.move,
        ko=payload.ko,
        en=payload.en,
    )
    fresh = Approval.objects.select_related("application", "assigned_to").in_bulk(
        [a.pk for a in moved]
    )
    return {"moved": [approval_out(fresh[a.pk]) for a in moved]}


@router.post(
    "/approvals/{approval_id}/exception",
    response=responds(ReviewExceptionOut, 201),
    summary="Record an exception to a measure in force for the approval's application "
    "(supervisors)",
    auth=permitted(can_except),
)
def exception(
    request: ApiRequest, approval_id: RecordId, payload: ReviewExceptionIn
) -> Status[dict[str, Any]]:
    approval = get_approval_for_review(request.auth, approval_id)
    measure = PolicyMeasure.objects.filter(code=payload.measure).first()
    if measure is None:
        raise not_found("조치", "Measure", payload.measure)
    granted = policy_exception_grant(
        actor=request.auth,
        application=approval.application,
        measure=measure,
        reason_ko=payload.reason_ko,
        reason_en=payload.reason_en,
    )
    return Status(201, exception_out(granted))


@router.get(
    "/statistics",
    response=responds(ReviewStatisticsOut),
    summary="Applications, approvals and refusals per kind per month; visitors to the North "
    "per year",
    auth=REVIEWERS,
)
def get_statistics(request: ApiRequest, q: Query[ReviewStatisticsQuery]) -> dict[str, Any]:
    return statistics.statistics_payload(request.auth, q.year or timezone.localdate().year)


@router.get(
    "/invitations",
    response=responds(list[ReviewInvitationOut]),
    summary="The visits a North organisation invited: names, dates and purpose only",
    auth=permitted(is_north_partner),
)
def get_invitations(request: ApiRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": i.id,
            "state": i.state,
            "start_date": i.start_date,
            "end_date": i.end_date,
            "purpose": i.purpose,
            "names": i.names,
        }
        for i in invitations(request.auth)
    ]
