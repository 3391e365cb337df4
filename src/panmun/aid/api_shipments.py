"""/api/v1/aid/: the operations on shipments — list, create, read, move, the North's
acknowledgement, a supervisor's exception to a measure, monitoring visits. Each operation asks
who may use it before its body is read (`permitted`), then the same access helpers and services
as the pages."""

from __future__ import annotations

from typing import Any

from ninja import Field as NinjaField
from ninja import Query, Router, Status

from panmun.accounts.access import get_or_404
from panmun.accounts.api_auth import permitted
from panmun.accounts.models import Organisation
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import QueryIn, RecordId, offset_field, responds
from panmun.common.errors import not_found
from panmun.permits.models import PolicyMeasure

from .access import (
    can_add_activity,
    can_grant_exception,
    can_read_ledger,
    can_see_aid,
    get_activity_for_edit,
    get_shipment_for_edit,
    get_shipment_for_user,
    is_north_recipient,
    shipments_for_user,
)
from .models import MonitoringVisit, PolicyException, Shipment
from .policy import exception_grant
from .schemas_shipments import (
    AidAcknowledgeIn,
    AidExceptionIn,
    AidExceptionOut,
    AidMonitoringIn,
    AidMonitoringOut,
    AidMoveIn,
    AidShipmentIn,
    AidShipmentListOut,
    AidShipmentOut,
)
from .selectors_shipments import monitored_state, receipt_status
from .services.monitoring import monitoring_record
from .services.shipments import shipment_acknowledge, shipment_create, shipment_move

router = Router()
MAX_PAGE = 200


class AidShipmentQuery(QueryIn):
    offset: int = offset_field()
    limit: int = NinjaField(50, ge=1, le=MAX_PAGE)


def shipment_out(s: Shipment) -> dict[str, Any]:
    receipt = receipt_status(s)
    return {
        "id": s.pk,
        "reference": s.reference,
        "activity": s.activity.identifier,
        "commodity": s.commodity,
        "quantity": str(s.quantity),
        "unit": s.unit,
        "route": s.route,
        "target_groups": list(s.target_groups),
        "planned_on": s.planned_on,
        "sent_on": s.sent_on,
        "received_on": s.received_on,
        "received_quantity": str(s.received_quantity) if s.received_quantity is not None else None,
        "difference_reason": s.difference_reason,
        "state": s.state,
        "recipient_organisation": s.recipient_organisation_id,
        "approval": s.approval.application.reference if s.approval else None,
        "approval_state": s.approval.state if s.approval else None,
        "receipt": (
            {
                "side": receipt.side,
                "index": receipt.index,
                "state": receipt.state,
                "cosigned_at": receipt.cosigned_at,
            }
            if receipt
            else None
        ),
        "monitored": monitored_state(s),
    }


def visit_out(v: MonitoringVisit) -> dict[str, Any]:
    return {
        "id": v.pk,
        "shipment": v.shipment.reference if v.shipment else None,
        "place": v.place,
        "planned_on": v.planned_on,
        "visited_on": v.visited_on,
        "outcome": v.outcome,
        "seen_ko": v.seen_ko,
        "seen_en": v.seen_en,
        "photos": [
            {"file_ref": p.file_ref, "sha256": p.sha256, "caption": p.caption}
            for p in v.photos.all()
        ],
    }


def exception_out(e: PolicyException) -> dict[str, Any]:
    return {
        "id": e.pk,
        "activity": e.activity.identifier,
        "measure": e.measure.code,
        "what": e.what,
        "what_id": e.what_id,
        "reason_ko": e.reason_ko,
        "reason_en": e.reason_en,
        "granted_by": e.granted_by.get_username(),
        "granted_at": e.granted_at,
    }


def _fresh(pk: int) -> Shipment:
    return Shipment.objects.select_related("activity", "approval__application").get(pk=pk)


@router.get(
    "/shipments",
    response=responds(AidShipmentListOut),
    summary="Shipments: the ministry's all, an aid organisation's own, the North's addressed to it",
    auth=permitted(can_see_aid),
)
def list_shipments(request: ApiRequest, q: Query[AidShipmentQuery]) -> dict[str, Any]:
    rows = shipments_for_user(request.auth).select_related("activity", "approval__application")
    rows = rows.order_by("-planned_on", "reference")
    return {
        "items": [shipment_out(s) for s in rows[q.offset : q.offset + q.limit]],
        "total": rows.count(),
    }


@router.post(
    "/activities/{activity_id}/shipments",
    response=responds(AidShipmentOut, 201),
    summary="A new shipment under an activity (policy gates; an NGO's files its approval)",
    auth=permitted(can_add_activity),
)
def create_shipment(
    request: ApiRequest, activity_id: RecordId, payload: AidShipmentIn
) -> Status[dict[str, Any]]:
    activity = get_activity_for_edit(request.auth, activity_id)
    recipient = None
    if payload.recipient_organisation is not None:
        recipient = get_or_404(
            Organisation.objects.all(), payload.recipient_organisation, "기관", "Organisation"
        )
    data = payload.model_dump(exclude={"recipient_organisation"})
    created = shipment_create(
        actor=request.auth, activity=activity, recipient_organisation=recipient, **data
    )
    return Status(201, shipment_out(_fresh(created.pk)))


@router.get(
    "/shipments/{shipment_id}",
    response=responds(AidShipmentOut),
    summary="One shipment, with its approval, its receipt's signature state and monitoring",
    auth=permitted(can_see_aid),
)
def get_shipment(request: ApiRequest, shipment_id: RecordId) -> dict[str, Any]:
    return shipment_out(_fresh(get_shipment_for_user(request.auth, shipment_id).pk))


@router.post(
    "/shipments/{shipment_id}/move",
    response=responds(AidShipmentOut),
    summary="Move a shipment on: send, cancel, send_back, suspend, resume",
    auth=permitted(can_add_activity),
)
def move_shipment(request: ApiRequest, shipment_id: RecordId, payload: AidMoveIn) -> dict[str, Any]:
    shipment = get_shipment_for_edit(request.auth, shipment_id)
    moved = shipment_move(
        actor=request.auth,
        shipment=shipment,
        move=payload.move,
        sent_on=payload.sent_on,
        vessel=payload.vessel,
    )
    return shipment_out(_fresh(moved.pk))


@router.post(
    "/shipments/{shipment_id}/acknowledge",
    response=responds(AidShipmentOut),
    summary="The North's recipient acknowledges receipt (signed in the liaison log)",
    auth=permitted(is_north_recipient),
)
def acknowledge_shipment(
    request: ApiRequest, shipment_id: RecordId, payload: AidAcknowledgeIn
) -> dict[str, Any]:
    shipment = get_shipment_for_user(request.auth, shipment_id)
    done = shipment_acknowledge(
        actor=request.auth,
        shipment=shipment,
        received_quantity=payload.received_quantity,
        received_on=payload.received_on,
        difference_reason=payload.difference_reason,
    )
    return shipment_out(_fresh(done.pk))


@router.post(
    "/activities/{activity_id}/exceptions",
    response=responds(AidExceptionOut, 201),
    summary="A supervisor's exception to a measure for a new shipment of an activity, or one",
    auth=permitted(can_grant_exception),
)
def grant_exception(
    request: ApiRequest, activity_id: RecordId, payload: AidExceptionIn
) -> Status[dict[str, Any]]:
    activity = get_activity_for_edit(request.auth, activity_id)
    measure = PolicyMeasure.objects.filter(code=payload.measure).first()
    if measure is None:
        raise not_found("조치", "Measure", payload.measure)
    if payload.shipment is not None:
        shipment = get_shipment_for_edit(request.auth, payload.shipment)
        if shipment.activity_id != activity.pk:
            raise not_found("수송", "Shipment", payload.shipment)
    granted = exception_grant(
        actor=request.auth,
        activity=activity,
        measure=measure,
        what="shipment",
        what_id=payload.shipment,
        reason_ko=payload.reason_ko,
        reason_en=payload.reason_en,
    )
    return Status(201, exception_out(granted))


@router.get(
    "/shipments/{shipment_id}/monitoring",
    response=responds(list[AidMonitoringOut]),
    summary="The monitoring visits of a shipment",
    auth=permitted(can_read_ledger),
)
def list_monitoring(request: ApiRequest, shipment_id: RecordId) -> list[dict[str, Any]]:
    shipment = get_shipment_for_user(request.auth, shipment_id)
    visits = shipment.monitoring.select_related("shipment").prefetch_related("photos")
    return [visit_out(v) for v in visits]


@router.post(
    "/shipments/{shipment_id}/monitoring",
    response=responds(AidMonitoringOut, 201),
    summary="Record a monitoring visit of a shipment: planned, done (with photos), refused",
    auth=permitted(can_add_activity),
)
def record_monitoring(
    request: ApiRequest, shipment_id: RecordId, payload: AidMonitoringIn
) -> Status[dict[str, Any]]:
    shipment = get_shipment_for_edit(request.auth, shipment_id)
    visit = monitoring_record(
        actor=request.auth,
        activity=shipment.activity,
        shipment=shipment,
        place=payload.place,
        planned_on=payload.planned_on,
        outcome=payload.outcome,
        visited_on=payload.visited_on,
        seen_ko=payload.seen_ko,
        seen_en=payload.seen_en,
        photos=[p.model_dump() for p in payload.photos],
    )
    return Status(201, visit_out(visit))
