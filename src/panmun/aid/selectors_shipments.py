"""Reads of shipments for the pages, the API and the reports: a shipment's history (django-fsm-
log's StateLog), its receipt entry's signature state in the liaison log, the measures that
would stop it today, and the aid no monitoring visit could see. Callers pass querysets from
`access`, so who may read is decided there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django_fsm_log.models import StateLog

from panmun.liaison.selectors import Receipt, receipt
from panmun.permits.models import PolicyMeasure

from .models import Activity, MonitoringOutcome, Shipment, ShipmentState
from .policy import breaches

#: The states in which goods have left: what monitoring must see.
DELIVERED = (ShipmentState.SENT, ShipmentState.RECEIVED)


def history(shipment: Shipment) -> list[StateLog]:
    return list(StateLog.objects.for_(shipment).select_related("by").order_by("timestamp", "pk"))


@dataclass(frozen=True)
class ReceiptStatus:
    """The North's receipt as the liaison log holds it: the entry (side, index), signed when it
    was appended; cosigned once a checkpoint the other side signed covers it."""

    side: str
    index: int
    signed: bool
    cosigned_at: dt.datetime | None

    @property
    def state(self) -> str:
        return "cosigned" if self.cosigned_at is not None else "signed"


def receipt_status(shipment: Shipment) -> ReceiptStatus | None:
    entry = shipment.receipt_entry
    if entry is None:
        return None
    known: Receipt = receipt(entry)
    return ReceiptStatus(
        side=entry.log.side,
        index=entry.index,
        signed=bool(entry.signature),
        cosigned_at=known.cosigned_at,
    )


def measures_against(shipment: Shipment, day: dt.date) -> list[PolicyMeasure]:
    """The measures in force on `day` that would stop sending `shipment` (less exceptions)."""
    return breaches(
        actor=shipment.created_by,
        activity=shipment.activity,
        day=day,
        what="shipment",
        what_id=shipment.pk,
        commodity=shipment.commodity,
        target_groups=shipment.target_groups,
    )


@dataclass(frozen=True)
class Unmonitored:
    """An activity whose goods went to the North and that no monitoring visit saw: `reason`
    is "refused" where the other side refused a visit, else "no_visit"."""

    activity: Activity
    reason: str
    shipments: int


def unmonitored(activities: QuerySet[Activity]) -> list[Unmonitored]:
    """Of `activities`, those with goods sent or received and no visit done — flagged in the
    reports as aid that could not be monitored."""
    rows = (
        activities.filter(shipments__state__in=DELIVERED)
        .exclude(monitoring__outcome=MonitoringOutcome.DONE)
        .distinct()
        .order_by("identifier")
    )
    refused = set(
        activities.filter(monitoring__outcome=MonitoringOutcome.REFUSED).values_list(
            "pk", flat=True
        )
    )
    counts: dict[int, int] = {}
    for activity_id in Shipment.objects.filter(activity__in=rows, state__in=DELIVERED).values_list(
        "activity_id", flat=True
    ):
        counts[activity_id] = counts.get(activity_id, 0) + 1
    return [
        Unmonitored(
            activity=a,
            reason="refused" if a.pk in refused else "no_visit",
            shipments=counts.get(a.pk, 0),
        )
        for a in rows
    ]


def monitored_state(shipment: Shipment) -> str:
    """ "done", "refused", "planned" or "none": the best a visit of the shipment (or, where none
    names it, of its activity) came to."""
    outcomes: set[Any] = set(shipment.monitoring.values_list("outcome", flat=True)) or set(
        shipment.activity.monitoring.filter(shipment=None).values_list("outcome", flat=True)
    )
    for outcome in ("done", "refused", "planned"):
        if outcome in outcomes:
            return outcome
    return "none"
