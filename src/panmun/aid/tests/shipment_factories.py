"""The activities the shipment tests need, written through the ORM (the activities' own
services are another part's), and helpers that move an NGO's shipment through its approval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from panmun.accounts.models import Organisation, User
from panmun.permits.services.moves import approval_transition

from ..models import Activity, Channel, Shipment
from ..services.shipments import shipment_create


def north_red_cross() -> Organisation:
    return Organisation.objects.get(side__code="north", kind="red_cross")


def activity(
    personas: dict[str, User],
    *,
    identifier: str = "KR-TEST-ACTIVITY",
    channel: str = Channel.NGO_OWN,
    owner: str = "aid",
) -> Activity:
    return Activity.objects.create(
        identifier=identifier,
        title_ko="시험 지원 사업",
        title_en="Test aid activity",
        organisation=personas[owner].organisation,
        reporting_org_ref="KR-TEST",
        reporting_org_type="22",
        channel=channel,
        status=2,
        planned_start=dt.date(2009, 1, 1),
        target_groups=["infants_children"],
        recipient_organisation=north_red_cross(),
        region="평안남도",
    )


def formula(actor: User, act: Activity, planned_on: dt.date, **extra: Any) -> Shipment:
    """Infant formula for children: purely humanitarian aid."""
    values: dict[str, Any] = {
        "commodity": "milk_powder",
        "quantity": Decimal("12.5"),
        "unit": "t",
        "route": "sea",
        "planned_on": planned_on,
        "target_groups": ["infants_children"],
        "port_of_loading": "인천",
        "port_of_discharge": "남포",
    }
    values.update(extra)
    return shipment_create(actor=actor, activity=act, **values)


def approve(ministry: User, shipment: Shipment) -> None:
    assert shipment.approval is not None
    for move in ("start_review", "approve"):
        approval_transition(actor=ministry, approval=shipment.approval, move=move)
