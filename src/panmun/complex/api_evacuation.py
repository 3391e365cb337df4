"""/api/v1/complex/: orders to leave, the evacuation board, the manifest, assets left behind.
The same services and access helpers as the pages: the committee and the ministry's
supervisors record and close orders and send the manifest; the board is read by the
committee, the ministry and the gate (all of it) and by a firm (its own people); a firm
registers its own assets left behind, the committee any firm's, the ministry reads."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from ninja import Query, Router, Status

from panmun.accounts.access import get_or_404
from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import RecordId, responds
from panmun.common.pages import attachment

from .access import (
    can_order_evacuation,
    can_read_assets_left,
    can_record_assets_left,
    can_see_evacuation,
    evacuation_firms,
    firms_for_user,
    get_firm_for_edit,
)
from .models import AssetLeft, EvacuationOrder
from .schemas_evacuation import (
    ComplexAssetIn,
    ComplexAssetOut,
    ComplexAssetsQuery,
    ComplexAssetTotalOut,
    ComplexBoardOut,
    ComplexBoardQuery,
    ComplexEvacuationCloseIn,
    ComplexEvacuationOrderIn,
    ComplexEvacuationOrderOut,
    ComplexManifestIn,
    ComplexManifestOut,
)
from .selectors_evacuation import asset_totals, evacuation_board
from .services import evacuation as service

router = Router()
SEEING = permitted(can_see_evacuation)
ORDERING = permitted(can_order_evacuation)
ASSET_READERS = permitted(can_read_assets_left)
ASSET_KEEPERS = permitted(can_record_assets_left)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _order(order_id: int) -> EvacuationOrder:
    return get_or_404(
        EvacuationOrder.objects.prefetch_related("stays"), order_id, "철수 명령", "order to leave"
    )


@router.get(
    "/evacuation/orders",
    response=responds(list[ComplexEvacuationOrderOut]),
    summary="The orders to leave, the latest first, with the people allowed to stay",
    auth=SEEING,
)
def list_orders(request: ApiRequest) -> QuerySet[EvacuationOrder]:
    return EvacuationOrder.objects.prefetch_related("stays").order_by("-issued_at")[:200]


@router.post(
    "/evacuation/orders",
    response=responds(ComplexEvacuationOrderOut, 201),
    summary="Record an order to leave (refused while another is in force, or with a deadline "
    "not after the issue)",
    auth=ORDERING,
)
def record_order(request: ApiRequest, payload: ComplexEvacuationOrderIn) -> Status[EvacuationOrder]:
    order = service.evacuation_order_record(
        actor=request.auth,
        issued_at=payload.issued_at,
        deadline=payload.deadline,
        issued_by_ko=payload.issued_by_ko,
        issued_by_en=payload.issued_by_en,
        terms=payload.terms,
        may_take=payload.may_take,
        allowed_to_stay=[s.model_dump() for s in payload.allowed_to_stay],
    )
    return Status(201, _order(order.pk))


@router.post(
    "/evacuation/orders/{order_id}/close",
    response=responds(ComplexEvacuationOrderOut),
    summary="Close an order to leave: the gate's usual rules apply again",
    auth=ORDERING,
)
def close_order(
    request: ApiRequest, order_id: RecordId, payload: ComplexEvacuationCloseIn
) -> EvacuationOrder:
    service.evacuation_order_close(
        actor=request.auth, order=_order(order_id), closed_at=payload.closed_at
    )
    return _order(order_id)


@router.post(
    "/evacuation/orders/{order_id}/manifest",
    response=responds(ComplexManifestOut, 201),
    summary="Send the other side the manifest of people and vehicles (inside and crossed) as a "
    "signed list in the liaison log",
    auth=ORDERING,
)
def send_manifest(
    request: ApiRequest, order_id: RecordId, payload: ComplexManifestIn
) -> Status[dict[str, Any]]:
    order = _order(order_id)
    entry = service.evacuation_manifest_send(actor=request.auth, order=order, at=payload.at)
    return Status(
        201,
        {
            "order_id": order.pk,
            "entry": f"{entry.log.side}/{entry.index}",
            "leaf_hash": entry.leaf_hash,
            "items": len(entry.body.get("items") or []),
        },
    )


@router.get(
    "/evacuation/board",
    response=responds(ComplexBoardOut),
    summary="The evacuation board now, or replayed at a past moment (`at`): who and what is "
    "inside by firm, the allowed-to-stay, the time left, the return plan, who crossed",
    auth=SEEING,
)
def board(request: ApiRequest, q: Query[ComplexBoardQuery]) -> dict[str, Any]:
    firms = evacuation_firms(request.auth)
    order = _order(q.order) if q.order else None
    found = evacuation_board(at=q.at, order=order, firms=firms)
    return {
        "at": found.at,
        "live": found.live,
        "order_id": found.order.pk if found.order else None,
        "deadline": found.order.deadline if found.order else None,
        "seconds_left": found.seconds_left,
        "totals": found.totals,
        "firms": found.firms,
        "staying": found.staying,
        "crossed": found.crossed,
        "plan": found.plan,
        "truncated": found.truncated,
    }


def _assets(request: ApiRequest) -> QuerySet[AssetLeft]:
    return AssetLeft.objects.filter(firm__in=firms_for_user(request.auth))


@router.get(
    "/evacuation/assets",
    response=responds(list[ComplexAssetOut]),
    summary="Assets left behind (the committee and the ministry all; a firm its own)",
    auth=ASSET_READERS,
)
def list_assets(request: ApiRequest, q: Query[ComplexAssetsQuery]) -> QuerySet[AssetLeft]:
    rows = _assets(request)
    if q.firm:
        rows = rows.filter(firm_id=q.firm)
    return rows.order_by("firm_id", "category", "pk")[q.offset : q.offset + q.limit]


@router.get(
    "/evacuation/assets/totals",
    response=responds(list[ComplexAssetTotalOut]),
    summary="Assets left behind: the value per firm and category",
    auth=ASSET_READERS,
)
def asset_totals_list(request: ApiRequest) -> list[dict[str, Any]]:
    return asset_totals(_assets(request))


@router.get(
    "/evacuation/assets/export",
    response=responds(None),
    summary="Assets left behind as an Excel file in Korean",
    auth=ASSET_READERS,
)
def export_assets(request: ApiRequest) -> HttpResponse:
    return attachment(service.assets_export(_assets(request)), "assets-left-behind.xlsx", XLSX)


@router.post(
    "/evacuation/firms/{firm_id}/assets",
    response=responds(ComplexAssetOut, 201),
    summary="Register an asset a firm left behind (the firm itself, or the committee)",
    auth=ASSET_KEEPERS,
)
def record_asset(
    request: ApiRequest, firm_id: RecordId, payload: ComplexAssetIn
) -> Status[AssetLeft]:
    firm = get_firm_for_edit(request.auth, firm_id)
    order = _order(payload.order_id) if payload.order_id else None
    asset = service.asset_left_record(
        actor=request.auth,
        firm=firm,
        order=order,
        category=payload.category,
        description=payload.description,
        quantity=Decimal(payload.quantity),
        unit=payload.unit,
        value_krw=Decimal(payload.value_krw),
    )
    return Status(201, asset)
