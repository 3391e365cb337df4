"""The crossing records the evacuation tests start from, written as the gate writes them when
it lets someone through: a `GateEvent` (outcome passed) and, in the same transaction, the
`Presence` row made (*out*) or removed (*in*). The board reads only those tables, so it works
unchanged with the real gate (the crossings part's `gate_check`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from panmun.accounts.models import User

from ..models import (
    CrossingDirection,
    EventOutcome,
    EventSource,
    Firm,
    GateEvent,
    Presence,
    Subject,
)

KST = ZoneInfo("Asia/Seoul")


@dataclass(frozen=True)
class Crosser:
    subject: str
    key: str
    name: str
    firm: Firm | None
    vehicle_key: str = ""


@transaction.atomic
def pass_gate(
    *,
    officer: User,
    crossers: Sequence[Crosser],
    direction: str,
    at: dt.datetime,
    resident: bool = False,
) -> list[GateEvent]:
    """Let `crossers` through at `at` in `direction`, as a passed gate event does."""
    events = GateEvent.objects.bulk_create(
        GateEvent(
            subject=c.subject,
            key=c.key,
            name=c.name,
            direction=direction,
            outcome=EventOutcome.PASSED,
            occurred_at=at,
            day=timezone.localdate(at, KST),
            firm=c.firm,
            vehicle_key=c.vehicle_key,
            officer=officer,
            source=EventSource.TYPED,
        )
        for c in crossers
    )
    if direction == CrossingDirection.OUT:
        Presence.objects.bulk_create(
            Presence(
                subject=e.subject,
                key=e.key,
                name=e.name,
                firm=e.firm,
                since=at,
                event=e,
                resident=resident,
                vehicle_key=e.vehicle_key,
            )
            for e in events
        )
    else:
        for c in crossers:
            Presence.objects.filter(subject=c.subject, key=c.key).delete()
    return events


def people_and_vehicles(
    firms: Sequence[Firm], people: int, vehicles: int
) -> tuple[list[Crosser], list[Crosser]]:
    """`people` persons and `vehicles` vehicles spread over `firms` in turn: every vehicle
    carries its firm's first people; the people beyond the vehicles ride with another."""
    cars = [
        Crosser(
            Subject.VEHICLE,
            f"{10 + n // 9000}가{1000 + n % 9000}",
            f"차량{n}",
            firms[n % len(firms)],
        )
        for n in range(vehicles)
    ]
    persons = []
    for n in range(people):
        car = cars[n % vehicles] if vehicles else None
        firm = car.firm if car is not None else firms[n % len(firms)]
        persons.append(
            Crosser(
                Subject.PERSON, f"M{n:08d}", f"체류자{n}", firm, car.key if car is not None else ""
            )
        )
    return persons, cars
