"""The demo's shipments, made through the services as the personas would, on the demo's
activities (found by their identifiers): the Nanum Aid infant formula approved, sent, received
and acknowledged by the North's Red Cross with a signed receipt, and seen on a monitoring
visit; its flour in process, waiting for its carry-out approval, a visit to it refused by the
other side. The WFP nutrition contribution has no shipment of its own. Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from panmun.accounts.models import Role, User
from panmun.common.apps import DemoRun
from panmun.permits.services.moves import approval_transition

from .models import VULNERABLE, Activity, Shipment
from .services.monitoring import monitoring_record
from .services.shipments import shipment_acknowledge, shipment_create, shipment_move

FORMULA = "KR-NANUM-2026-INFANT-FORMULA"
FLOUR = "KR-NANUM-2026-OWN-FLOUR"


def _keeper(activity: Activity, fallback: User) -> User:
    """An officer of the organisation that keeps `activity` (the aid organisation's)."""
    if activity.organisation_id is None:
        return fallback
    found = (
        User.objects.filter(organisation_id=activity.organisation_id, role=Role.OFFICER)
        .order_by("pk")
        .first()
    )
    return found or fallback


def _groups(activity: Activity) -> list[str]:
    groups = [g for g in activity.target_groups if g in VULNERABLE]
    return groups or ["infants_children"]


@transaction.atomic
def load(run: DemoRun) -> None:
    users = {
        u.username: u for u in User.objects.filter(username__in=["aid", "ministry", "redcross_n"])
    }
    activities = {a.identifier: a for a in Activity.objects.filter(identifier__in=[FORMULA, FLOUR])}
    if len(users) < 3 or len(activities) < 2:
        run.say("Aid shipments: the demo's activities or personas are missing; none loaded.")
        return
    if Shipment.objects.filter(activity__in=activities.values()).exists():
        return
    today = timezone.localdate()
    ministry, north = users["ministry"], users["redcross_n"]

    formula = activities[FORMULA]
    keeper = _keeper(formula, users["aid"])
    planned = today - dt.timedelta(days=40)
    shipment = shipment_create(
        actor=keeper,
        activity=formula,
        commodity="milk_powder",
        quantity=Decimal("24"),
        unit="t",
        route="sea",
        planned_on=planned,
        target_groups=_groups(formula),
        description="조제분유 (영유아용) / Infant formula",
        packaging="20 kg 포대 1,200개 / 1,200 bags of 20 kg",
        markings="대한민국 남북나눔지원단 / From the people of the Republic of Korea",
        port_of_loading="인천",
        port_of_discharge="남포",
    )
    if shipment.approval is not None:
        for move in ("start_review", "approve"):
            approval_transition(actor=ministry, approval=shipment.approval, move=move)
    shipment = shipment_move(
        actor=keeper,
        shipment=shipment,
        move="send",
        sent_on=planned + dt.timedelta(days=5),
        vessel="트레이드 퀸호 / MV Trade Queen",
    )
    if shipment.recipient_organisation_id == north.organisation_id:
        shipment = shipment_acknowledge(
            actor=north,
            shipment=shipment,
            received_quantity=Decimal("23.96"),
            received_on=planned + dt.timedelta(days=9),
            difference_reason="하역 중 포대 2개 파손 / 2 bags torn while unloading",
        )
    monitoring_record(
        actor=keeper,
        activity=formula,
        shipment=shipment,
        place="남포시 육아원 / Nampo children's home",
        planned_on=planned + dt.timedelta(days=20),
        visited_on=planned + dt.timedelta(days=21),
        outcome="done",
        seen_ko="분유가 육아원 창고에 보관되어 아이들에게 나누어지고 있었다.",
        seen_en="The formula was in the home's store and being handed out to the children.",
        photos=[
            {
                "file_ref": "demo/aid/monitoring/nampo-store.jpg",
                "sha256": "9f2c5d0e4b7a61c3d8e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0",
                "caption": "창고 / The store",
            }
        ],
    )

    flour = activities[FLOUR]
    keeper = _keeper(flour, users["aid"])
    waiting = shipment_create(
        actor=keeper,
        activity=flour,
        commodity="flour",
        quantity=Decimal("300"),
        unit="t",
        route="gyeongui",
        planned_on=today + dt.timedelta(days=10),
        target_groups=_groups(flour),
        description="밀가루 / Wheat flour",
    )
    monitoring_record(
        actor=keeper,
        activity=flour,
        place="개성시 탁아소 / Kaesong nursery",
        planned_on=today - dt.timedelta(days=3),
        outcome="refused",
    )
    run.say(
        f"Aid shipments: {shipment.reference} received with a signed receipt, "
        f"{waiting.reference} waiting for its approval."
    )
