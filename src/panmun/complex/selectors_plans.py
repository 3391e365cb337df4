"""Reads of the crossing timetables and the day plans, from the tables (`Timetable`, `Slot`,
`DayPlan`, `PlanLine`) the migration loads from `timetables`: the timetable in force on a day,
the slots of a day, the slot a moment falls in, the guarantee hours, the plan and the line a
person or vehicle crosses on, and whether that line may cross (the North consented).

What the gate asks: `plan_line_at(subject=..., key=..., direction=..., moment=...)` finds the
line, `line_may_cross(line)` says whether the North's consent covers it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from panmun.accounts.models import User

from . import timetables as tt
from .access import firms_for_user, is_bureau, is_committee, is_gate_officer, is_ministry_reader
from .models import (
    CrossingMode,
    DayPlan,
    LineState,
    PlanLine,
    PlanState,
    Slot,
    Subject,
    Timetable,
)


def timetable_on(day: dt.date) -> Timetable | None:
    """The timetable in force on `day`: the latest that started on or before it."""
    return Timetable.objects.filter(effective_from__lte=day).order_by("-effective_from").first()


def season_on(timetable: Timetable, day: dt.date) -> str:
    months = [int(m) for m in timetable.winter_months.split(",") if m.strip().isdigit()]
    return tt.season_of(day, months)


def slots_on(day: dt.date, direction: str | None = None) -> list[Slot]:
    """The slots of `day` (of its timetable and its season), out first, by opening time. In
    the RFID mode: the day's window in each direction."""
    timetable = timetable_on(day)
    if timetable is None:
        return []
    season = season_on(timetable, day)
    rows = timetable.slots.filter(season__in=[tt.ALL, season])
    if direction is not None:
        rows = rows.filter(direction=direction)
    return sorted(rows, key=lambda s: (s.direction != tt.OUT, s.opens_at))


def slot_at(moment: dt.datetime, direction: str) -> Slot | None:
    """The slot of `direction` open at `moment` (from its opening, before its closing), Seoul
    time; None outside every slot. In the RFID mode, the day's window."""
    at = tt.local(moment)
    clock = at.time().replace(tzinfo=None)
    for slot in slots_on(at.date(), direction):
        if slot.opens_at <= clock < slot.closes_at:
            return slot
    return None


def within_guarantee(moment: dt.datetime) -> bool:
    """Whether `moment` is inside the military guarantee hours in force that day."""
    at = tt.local(moment)
    timetable = timetable_on(at.date())
    if timetable is None or timetable.guarantee_from is None or timetable.guarantee_to is None:
        return False
    return timetable.guarantee_from <= at.time().replace(tzinfo=None) < timetable.guarantee_to


def is_rfid(day: dt.date) -> bool:
    timetable = timetable_on(day)
    return timetable is not None and timetable.mode == CrossingMode.RFID


def window_of(plan: DayPlan) -> Slot | None:
    """The window a plan crosses in: its slot, or in the RFID mode the day's window of its
    direction."""
    if plan.slot is not None:
        return plan.slot
    found = slots_on(plan.day, plan.direction)
    return found[0] if found else None


def closes_at(plan: DayPlan) -> dt.datetime | None:
    """When the plan's window closes (Seoul time); None where the day has no window."""
    window = window_of(plan)
    if window is None:
        return None
    return dt.datetime.combine(plan.day, window.closes_at, tzinfo=tt.SEOUL)


def plan_at(direction: str, moment: dt.datetime) -> DayPlan | None:
    """The plan a crossing at `moment` belongs to: the plan of the slot open then (slot mode)
    or of the day and direction (RFID mode); None when no slot is open or no plan is built."""
    at = tt.local(moment)
    if is_rfid(at.date()):
        window = slot_at(at, direction)
        if window is None:
            return None
        return DayPlan.objects.filter(day=at.date(), direction=direction, slot=None).first()
    slot = slot_at(at, direction)
    if slot is None:
        return None
    return DayPlan.objects.filter(day=at.date(), slot=slot).first()


def plan_line_at(*, subject: str, key: str, direction: str, moment: dt.datetime) -> PlanLine | None:
    """The line of `key` (already normalised: `timetables.subject_key`) on the plan of the
    slot open at `moment` in `direction`, withdrawn lines included (so the gate can say why);
    None when not on it."""
    plan = plan_at(direction, moment)
    if plan is None:
        return None
    return (
        PlanLine.objects.filter(plan=plan, subject=subject, key=key)
        .select_related("plan", "firm", "approval")
        .first()
    )


def line_may_cross(line: PlanLine) -> bool:
    """No consent, no crossing: the plan is consented and the line is as consented (not
    changed since, not withdrawn)."""
    return line.plan.state == PlanState.CONSENTED and line.state == LineState.PLANNED


@dataclass(frozen=True)
class PlanRow:
    """A plan on the day's page: its counts by subject, of the lines the reader sees."""

    plan: DayPlan
    people: int
    vehicles: int
    changed: int
    withdrawn: int


def day_rows(plans: QuerySet[DayPlan], lines: Q | None = None) -> list[PlanRow]:
    """The rows of the day's page: each plan and the counts of its active lines (`lines`
    narrows the lines counted, e.g. to a firm's)."""
    scope = Q() if lines is None else lines
    active = ~Q(lines__state=LineState.WITHDRAWN) & scope
    annotated = plans.select_related("slot", "sent_entry", "answer_entry").annotate(
        n_people=Count("lines", filter=active & Q(lines__subject=Subject.PERSON), distinct=True),
        n_vehicles=Count("lines", filter=active & Q(lines__subject=Subject.VEHICLE), distinct=True),
        n_changed=Count("lines", filter=scope & Q(lines__state=LineState.CHANGED), distinct=True),
        n_withdrawn=Count(
            "lines", filter=scope & Q(lines__state=LineState.WITHDRAWN), distinct=True
        ),
    )
    ordered = sorted(
        annotated,
        key=lambda p: (p.direction != tt.OUT, p.slot.opens_at if p.slot else dt.time(0)),
    )
    return [PlanRow(p, p.n_people, p.n_vehicles, p.n_changed, p.n_withdrawn) for p in ordered]


def rows_for_user(user: User, plans: QuerySet[DayPlan]) -> list[PlanRow]:
    """`day_rows` of the plans `user` sees, counting only the lines they read (a firm officer
    its firms')."""
    scope = None
    if not (
        is_gate_officer(user) or is_committee(user) or is_ministry_reader(user) or is_bureau(user)
    ):
        scope = Q(lines__firm__in=firms_for_user(user))
    return day_rows(plans, scope)


def plan_out(row: PlanRow) -> dict[str, object]:
    """A plan and its counts as the API and the pages show them."""
    plan = row.plan
    window = window_of(plan)
    return {
        "id": plan.pk,
        "day": plan.day,
        "direction": plan.direction,
        "slot_id": plan.slot_id,
        "opens_at": f"{window.opens_at:%H:%M}" if window else None,
        "closes_at": f"{window.closes_at:%H:%M}" if window else None,
        "state": plan.state,
        "sent_at": plan.sent_at,
        "sent_entry": f"south/{plan.sent_entry.index}" if plan.sent_entry else None,
        "answered_at": plan.answered_at,
        "answer_entry": f"north/{plan.answer_entry.index}" if plan.answer_entry else None,
        "answer_note": plan.answer_note,
        "people": row.people,
        "vehicles": row.vehicles,
        "changed": row.changed,
        "withdrawn": row.withdrawn,
    }
