"""The evacuation board: at a moment (now, or a past one for a replay), every person and
vehicle still inside by firm, those allowed to stay apart, the time left to the order's
deadline, the day's return plan by slot (the lines not yet crossed), who crossed back since
the order, and the totals.

It reads only the crossing records (`Presence`, `GateEvent`, `DayPlan`/`PlanLine`) and the
order, so it works with any gate that writes them. Now, who is inside is `Presence` (one
query); at a past moment it is recomputed from the events let through up to that moment: a
subject is inside when its last passed event by then was *out* (one query, on the index of
subject, key and time)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from .models import (
    AssetCategory,
    AssetLeft,
    CrossingDirection,
    EvacuationOrder,
    EvacuationState,
    EvacuationStay,
    EventOutcome,
    Firm,
    GateEvent,
    LineState,
    PlanLine,
    Presence,
    Subject,
)

#: Most rows of one list on the board (the totals stay exact beyond it): 880 residents were
#: the most the 2008 measures allowed, 1,000 inside is the benchmark's figure.
BOARD_MAX = 5000


@dataclass(frozen=True)
class BoardRow:
    subject: str
    key: str
    name: str
    firm_id: int | None
    firm_name: str
    #: Inside: since when; crossed: when it crossed back.
    since: dt.datetime
    vehicle_key: str = ""
    resident: bool = False
    staying: bool = False

    @property
    def since_text(self) -> str:
        """`since` in Seoul time as MM-DD HH:MM (cheaper than a template filter a row)."""
        return f"{timezone.localtime(self.since):%m-%d %H:%M}"


@dataclass
class FirmGroup:
    firm_id: int | None
    firm_name: str
    people: list[BoardRow] = field(default_factory=list)
    vehicles: list[BoardRow] = field(default_factory=list)


@dataclass(frozen=True)
class PlanRow:
    subject: str
    key: str
    name: str
    firm_name: str


@dataclass
class PlanSlot:
    plan_id: int
    opens_at: dt.time | None
    closes_at: dt.time | None
    state: str
    lines: list[PlanRow] = field(default_factory=list)


@dataclass
class Board:
    at: dt.datetime
    live: bool
    order: EvacuationOrder | None
    seconds_left: int | None
    #: Everyone inside, the allowed-to-stay included (marked `staying`).
    inside: list[BoardRow]
    #: Those to leave, by firm (firms by name; no firm last).
    firms: list[FirmGroup]
    staying: list[BoardRow]
    crossed: list[BoardRow]
    plan: list[PlanSlot]
    totals: dict[str, int]
    truncated: bool = False

    @property
    def countdown(self) -> str:
        """The time left as H:MM:SS ("0:00:00" once past the deadline)."""
        if self.seconds_left is None:
            return ""
        hours, rest = divmod(self.seconds_left, 3600)
        return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def order_in_force(at: dt.datetime | None = None) -> EvacuationOrder | None:
    """The order in force at `at` (now, if not given): issued by then and not closed by then."""
    at = at or timezone.now()
    return (
        EvacuationOrder.objects.filter(issued_at__lte=at)
        .filter(Q(state=EvacuationState.IN_FORCE, closed_at__isnull=True) | Q(closed_at__gt=at))
        .order_by("-issued_at")
        .first()
    )


def board_order(at: dt.datetime) -> EvacuationOrder | None:
    """The order the board shows at `at`: the one in force, else the last one issued by then."""
    return order_in_force(at) or (
        EvacuationOrder.objects.filter(issued_at__lte=at).order_by("-issued_at").first()
    )


def _name(firm: Firm | None) -> str:
    return firm.name_ko if firm is not None else ""


def inside_at(at: dt.datetime, firms: QuerySet[Firm] | None = None) -> QuerySet[GateEvent]:
    """The events that left each subject inside at `at`: its last passed event by then, *out*."""
    later = GateEvent.objects.filter(
        subject=OuterRef("subject"),
        key=OuterRef("key"),
        outcome=EventOutcome.PASSED,
        occurred_at__lte=at,
    ).filter(
        Q(occurred_at__gt=OuterRef("occurred_at"))
        | Q(occurred_at=OuterRef("occurred_at"), id__gt=OuterRef("id"))
    )
    rows = GateEvent.objects.filter(
        outcome=EventOutcome.PASSED, direction=CrossingDirection.OUT, occurred_at__lte=at
    ).filter(~Exists(later))
    if firms is not None:
        rows = rows.filter(firm__in=firms)
    return rows


def _inside_rows(
    at: dt.datetime, live: bool, firms: QuerySet[Firm] | None
) -> tuple[list[BoardRow], bool]:
    if live:
        presence = Presence.objects.select_related("firm").order_by(
            "firm__name_ko", "subject", "key"
        )
        if firms is not None:
            presence = presence.filter(firm__in=firms)
        found = [
            BoardRow(
                p.subject,
                p.key,
                p.name,
                p.firm_id,
                _name(p.firm),
                p.since,
                p.vehicle_key,
                p.resident,
            )
            for p in presence[: BOARD_MAX + 1]
        ]
    else:
        events = (
            inside_at(at, firms).select_related("firm").order_by("firm__name_ko", "subject", "key")
        )
        found = [
            BoardRow(
                e.subject, e.key, e.name, e.firm_id, _name(e.firm), e.occurred_at, e.vehicle_key
            )
            for e in events[: BOARD_MAX + 1]
        ]
    return found[:BOARD_MAX], len(found) > BOARD_MAX


def evacuation_board(
    *,
    at: dt.datetime | None = None,
    order: EvacuationOrder | None = None,
    firms: QuerySet[Firm] | None = None,
) -> Board:
    """The board at `at` (now when None or later than now) for the order `order` (by default
    the one `board_order` finds), limited to `firms` (None: all; a firm officer's own)."""
    now = timezone.now()
    if at is not None and timezone.is_naive(at):  # a moment without its zone: Seoul time
        at = timezone.make_aware(at)
    live = at is None or at >= now
    at = now if at is None or at > now else at
    order = order or board_order(at)
    stays: set[tuple[str, str]] = set()
    if order is not None:
        stays = set(EvacuationStay.objects.filter(order=order).values_list("subject", "key"))
    rows, truncated = _inside_rows(at, live, firms)
    inside = [
        BoardRow(**{**r.__dict__, "staying": True}) if (r.subject, r.key) in stays else r
        for r in rows
    ]
    groups: dict[int | None, FirmGroup] = {}
    for r in inside:
        if r.staying:
            continue
        group = groups.setdefault(r.firm_id, FirmGroup(r.firm_id, r.firm_name))
        (group.people if r.subject == Subject.PERSON else group.vehicles).append(r)
    firm_groups = sorted(groups.values(), key=lambda g: (g.firm_id is None, g.firm_name))
    crossed: list[BoardRow] = []
    if order is not None:
        events = GateEvent.objects.filter(
            outcome=EventOutcome.PASSED,
            direction=CrossingDirection.IN,
            occurred_at__gte=order.issued_at,
            occurred_at__lte=at,
        ).select_related("firm")
        if firms is not None:
            events = events.filter(firm__in=firms)
        crossed = [
            BoardRow(
                e.subject, e.key, e.name, e.firm_id, _name(e.firm), e.occurred_at, e.vehicle_key
            )
            for e in events.order_by("occurred_at", "id")[:BOARD_MAX]
        ]
    plan = _return_plan(at, firms)
    staying = [r for r in inside if r.staying]

    def count(items: list[BoardRow], subject: str) -> int:
        return sum(1 for r in items if r.subject == subject)

    leaving = [r for r in inside if not r.staying]
    totals = {
        "people_inside": count(leaving, Subject.PERSON),
        "vehicles_inside": count(leaving, Subject.VEHICLE),
        "people_staying": count(staying, Subject.PERSON),
        "vehicles_staying": count(staying, Subject.VEHICLE),
        "people_crossed": count(crossed, Subject.PERSON),
        "vehicles_crossed": count(crossed, Subject.VEHICLE),
        "plan_lines_waiting": sum(len(s.lines) for s in plan),
    }
    if truncated:  # exact totals beyond the rows shown
        base = Presence.objects.all() if live else inside_at(at, None)
        if firms is not None:
            base = base.filter(firm__in=firms)
        for subject in Subject.values:
            key = "people" if subject == Subject.PERSON else "vehicles"
            total = base.filter(subject=subject).count()
            totals[f"{key}_inside"] = total - totals[f"{key}_staying"]
    seconds_left = None
    if order is not None:
        seconds_left = max(0, int((order.deadline - at).total_seconds()))
    return Board(
        at=at,
        live=live,
        order=order,
        seconds_left=seconds_left,
        inside=inside,
        firms=firm_groups,
        staying=staying,
        crossed=crossed,
        plan=plan,
        totals=totals,
        truncated=truncated,
    )


def _return_plan(at: dt.datetime, firms: QuerySet[Firm] | None) -> list[PlanSlot]:
    """The day's plans back to the South (direction *in*) by slot, each with its lines whose
    person or vehicle has not crossed back that day by `at`."""
    day = timezone.localdate(at)
    crossed = set(
        GateEvent.objects.filter(
            day=day,
            direction=CrossingDirection.IN,
            outcome=EventOutcome.PASSED,
            occurred_at__lte=at,
        ).values_list("subject", "key")
    )
    lines = (
        PlanLine.objects.filter(plan__day=day, plan__direction=CrossingDirection.IN)
        .exclude(state=LineState.WITHDRAWN)
        .select_related("plan__slot", "firm")
        .order_by("plan__slot__opens_at", "plan_id", "subject", "key")
    )
    if firms is not None:
        lines = lines.filter(firm__in=firms)
    slots: dict[int, PlanSlot] = {}
    for line in lines[:BOARD_MAX]:
        plan = line.plan
        slot = slots.setdefault(
            plan.pk,
            PlanSlot(
                plan.pk,
                plan.slot.opens_at if plan.slot else None,
                plan.slot.closes_at if plan.slot else None,
                plan.state,
            ),
        )
        if (line.subject, line.key) not in crossed:
            slot.lines.append(PlanRow(line.subject, line.key, line.name, _name(line.firm)))
    return list(slots.values())


def asset_totals(assets: QuerySet[AssetLeft]) -> list[dict[str, Any]]:
    """Per firm and category: the number of records and their value (KRW), firms by name."""
    labels = dict(AssetCategory.choices)
    rows = (
        assets.values("firm_id", "firm__name_ko", "category")
        .annotate(records=Count("pk"), value_krw=Sum("value_krw"))
        .order_by("firm__name_ko", "category")
    )
    return [{**r, "category_label": labels.get(r["category"], r["category"])} for r in rows]
