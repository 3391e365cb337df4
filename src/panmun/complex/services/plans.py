"""The day plans (출입계획): built by the gate officer from the crossing plans approved in the
permits app, sent to the North as a signed list in the South's liaison log, and consented to or
refused by the North's signed reply in its own log. No consent, no crossing.

- Build (`dayplans_build`): one plan per slot of the day (in the RFID mode, one per direction,
  slot empty) with a line per traveller and vehicle of each approved crossing plan of the day
  (`Approval` of kind `crossing` in force, destination Gaeseong): to_north → out, to_south →
  in, the slot whose opening is the approval's `crossing_slot`. A slot over its limits of the
  period (1 December 2008: 250 people, 150 vehicles) is refused, and nothing is written.
- Changes after the plan was sent (a line added, withdrawn, or a rebuild that finds the
  approvals changed) mark the lines `changed`/`withdrawn`: the North must consent again, so the
  plan is sent again and answered again as a whole (until then, no one on it crosses). A change
  is refused for a past day and less than 3 hours before the slot closes: a missed slot needs a
  new plan.
- Sending to the North and its answer: `services.plans_north`.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode
from panmun.permits.models import IN_FORCE, Approval, ApprovalKind, Traveller, Vehicle

from .. import timetables as tt
from ..access import can_build_plans
from ..models import (
    CrossingMode,
    DayPlan,
    Firm,
    LineState,
    PlanLine,
    Slot,
    Subject,
)
from ..selectors_plans import closes_at, slots_on, timetable_on

#: Changes are refused less than this before the slot closes.
CHANGE_CUTOFF = dt.timedelta(hours=3)
#: The bureau's note on its answer (the column's size).
MAX_NOTE = 500
#: Lines of one day at most (a bound: the busiest days had some 1,000 crossings each way).
MAX_LINES_A_DAY = 20_000
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)

logger = logging.getLogger(__name__)


def plan_invalid(field_name: str, ko: str, en: str, **details: Any) -> DomainError:
    return DomainError(ErrorCode.INVALID_INPUT, ko, en, {"field": field_name, **details})


def plan_label(plan: DayPlan) -> str:
    """`2010-03-02 out 08:30` / `2015-09-01 in (RFID)`: how errors and lists name a plan."""
    when = f"{plan.slot.opens_at:%H:%M}" if plan.slot_id and plan.slot else "RFID"
    return f"{plan.day:%Y-%m-%d} {plan.direction} {when}"


def _direction(approval: Approval) -> str | None:
    return {"to_north": tt.OUT, "to_south": tt.IN}.get(approval.crossing_direction)


# --- the change rules ---------------------------------------------------------------------------


def change_problem(plan: DayPlan, now: dt.datetime | None = None) -> DomainError | None:
    """Why `plan` cannot be changed now (None when it can): its day has passed, or its slot
    closes in less than 3 hours."""
    now = now or timezone.now()
    today = tt.local(now).date()
    label = plan_label(plan)
    if plan.day < today:
        return DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"지난 날의 출입계획({label})은 바꿀 수 없습니다.",
            f"The plan {label} is of a past day: it cannot be changed.",
            {"plan": plan.pk, "day": plan.day.isoformat()},
        )
    closing = closes_at(plan)
    if closing is not None and now > closing - CHANGE_CUTOFF:
        return DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"출입계획({label})은 통행 시간대가 끝나기 3시간 전까지만 바꿀 수 있습니다"
            f"(마감 {closing:%H:%M}). 놓친 시간대는 새 계획이 필요합니다.",
            f"The plan {label} can be changed until 3 hours before its slot closes "
            f"({closing:%H:%M}): a missed slot needs a new plan.",
            {"plan": plan.pk, "closes_at": closing.isoformat()},
        )
    return None


def _sent_before(plan: DayPlan) -> bool:
    return plan.sent_entry_id is not None


# --- build --------------------------------------------------------------------------------------


@dataclass
class LineSpec:
    approval: Approval
    subject: str
    key: str
    name: str
    firm: Firm | None
    traveller: Traveller | None = None
    vehicle: Vehicle | None = None


@dataclass
class BuildResult:
    """What a build did: the day's plans, and what it left out (with why)."""

    day: dt.date
    plans: list[DayPlan] = field(default_factory=list)
    added: int = 0
    withdrawn: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)


Target = tuple[str, Slot | None]  # (direction, slot or None in the RFID mode)


def _wanted(
    day: dt.date, rfid: bool, slots: list[Slot], result: BuildResult
) -> dict[Target, dict[tuple[str, str], LineSpec]]:
    """The lines each plan of the day should have, from the approvals in force."""
    approvals = list(
        Approval.objects.filter(
            kind=ApprovalKind.CROSSING,
            state__in=IN_FORCE,
            crossing_date=day,
            application__destination="gaeseong",
        )
        .select_related("application")
        .prefetch_related("application__travellers", "application__vehicles")
        .order_by("pk")
    )
    orgs = {a.application.organisation_id for a in approvals if a.application.organisation_id}
    firms = {f.organisation_id: f for f in Firm.objects.filter(organisation_id__in=orgs)}
    by_time = {(s.direction, s.opens_at): s for s in slots}
    wanted: dict[Target, dict[tuple[str, str], LineSpec]] = {}
    for approval in approvals:
        reference = approval.application.reference
        direction = _direction(approval)
        if direction is None:
            result.skipped.append(
                {
                    "application": reference,
                    "reason_ko": "허가에 출입 방향이 없습니다.",
                    "reason_en": "The approval gives no direction.",
                }
            )
            continue
        slot: Slot | None = None
        if not rfid:
            slot = (
                by_time.get((direction, approval.crossing_slot)) if approval.crossing_slot else None
            )
            if slot is None:
                when = f"{approval.crossing_slot:%H:%M}" if approval.crossing_slot else "—"
                result.skipped.append(
                    {
                        "application": reference,
                        "reason_ko": f"그날 {direction} {when} 시간대가 없습니다.",
                        "reason_en": f"No {direction} slot at {when} that day.",
                    }
                )
                continue
        lines = wanted.setdefault((direction, slot), {})
        firm = firms.get(approval.application.organisation_id)
        for traveller in approval.application.travellers.all():
            key = tt.subject_key(traveller.document_number)
            lines.setdefault(
                (Subject.PERSON, key),
                LineSpec(
                    approval, Subject.PERSON, key, traveller.name_ko, firm, traveller=traveller
                ),
            )
        for vehicle in approval.application.vehicles.all():
            key = tt.subject_key(vehicle.plate_number)
            name = f"{vehicle.plate_number} {vehicle.make_model}".strip()
            lines.setdefault(
                (Subject.VEHICLE, key),
                LineSpec(approval, Subject.VEHICLE, key, name[:200], firm, vehicle=vehicle),
            )
    return wanted


def _check_limits(wanted: dict[Target, dict[tuple[str, str], LineSpec]]) -> None:
    over = []
    for (direction, slot), lines in wanted.items():
        if slot is None:
            continue
        people = sum(1 for s, _k in lines if s == Subject.PERSON)
        vehicles = len(lines) - people
        label = f"{direction} {slot.opens_at:%H:%M}"
        if slot.people_limit is not None and people > slot.people_limit:
            over.append(
                {"slot": label, "subject": "person", "count": people, "limit": slot.people_limit}
            )
        if slot.vehicles_limit is not None and vehicles > slot.vehicles_limit:
            over.append(
                {
                    "slot": label,
                    "subject": "vehicle",
                    "count": vehicles,
                    "limit": slot.vehicles_limit,
                }
            )
    if over:
        first = over[0]
        what_ko = "명" if first["subject"] == "person" else "대"
        what_en = "people" if first["subject"] == "person" else "vehicles"
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"{first['slot']} 시간대에 {first['count']}{what_ko}이 계획되어 한도 "
            f"{first['limit']}{what_ko}을 넘습니다. 아무것도 만들지 않았습니다.",
            f"The slot {first['slot']} has {first['count']} {what_en} planned, over its limit "
            f"of {first['limit']}: nothing was built.",
            {"field": "day", "over": over},
        )


def _line_fields(spec: LineSpec, state: str) -> dict[str, Any]:
    return {
        "approval": spec.approval,
        "subject": spec.subject,
        "traveller": spec.traveller,
        "vehicle": spec.vehicle,
        "firm": spec.firm,
        "key": spec.key,
        "name": spec.name,
        "state": state,
    }


def _sync(
    plan: DayPlan,
    wanted: dict[tuple[str, str], LineSpec],
    result: BuildResult,
    now: dt.datetime,
    in_force: set[int],
) -> None:
    """Bring `plan`'s lines to `wanted`: freely before it was first sent; after, as a change
    (lines `changed`/`withdrawn`), refused past the cutoff (the plan is then left as it is and
    named in `result.skipped`). A line whose approval is still in force (`in_force`) stays,
    wanted or not: someone moved to this slot by hand (`planline_add`)."""
    existing = {
        (line.subject, line.key): line for line in plan.lines.select_for_update(of=("self",))
    }
    active = {k for k, line in existing.items() if line.state != LineState.WITHDRAWN}
    # A line withdrawn stays so (taken off by hand, or its approval ended): only
    # `planline_add` puts it back.
    adds = [k for k in wanted if k not in existing]
    removes = [k for k in active if k not in wanted and existing[k].approval_id not in in_force]
    if not adds and not removes:
        return
    sent = _sent_before(plan)
    if sent:
        problem = change_problem(plan, now)
        if problem is not None:
            result.skipped.append(
                {
                    "plan": plan_label(plan),
                    "reason_ko": problem.message_ko,
                    "reason_en": problem.message_en,
                }
            )
            return
    new_state = LineState.CHANGED if sent else LineState.PLANNED
    for k in adds:
        PlanLine.objects.create(plan=plan, **_line_fields(wanted[k], new_state))
        result.added += 1
    for k in removes:
        line = existing[k]
        if not sent and not line.events.exists():
            line.delete()
        else:
            line.state = LineState.WITHDRAWN
            line.save(update_fields=["state"])
        result.withdrawn += 1


@transaction.atomic
def dayplans_build(*, actor: User, day: dt.date) -> BuildResult:
    """Build or refresh the plans of `day` from the approved crossing plans. Refused for a day
    without a timetable, or with a slot over its limits (nothing written)."""
    require(can_build_plans(actor))
    if not FIRST_DAY <= day <= LAST_DAY:
        raise plan_invalid("day", "날짜는 2000–2099년입니다.", "A day in 2000–2099.")
    timetable = timetable_on(day)
    if timetable is None:
        raise plan_invalid(
            "day",
            f"{day:%Y-%m-%d}에 시행 중인 통행 시간표가 없습니다.",
            f"No crossing timetable was in force on {day:%Y-%m-%d}.",
        )
    rfid = timetable.mode == CrossingMode.RFID
    slots = slots_on(day)
    if not slots:
        raise plan_invalid(
            "day",
            f"{day:%Y-%m-%d}에 시행 중인 시간표({timetable.name_ko})의 시간대가 기록되어 있지 "
            "않습니다.",
            f"The timetable in force on {day:%Y-%m-%d} ({timetable.name_en}) has no slots on "
            "record.",
        )
    result = BuildResult(day=day)
    wanted = _wanted(day, rfid, slots, result)
    total = sum(len(lines) for lines in wanted.values())
    if total > MAX_LINES_A_DAY:
        raise plan_invalid(
            "day",
            f"하루 계획은 {MAX_LINES_A_DAY:,}줄까지입니다({total:,}줄).",
            f"A day's plans hold at most {MAX_LINES_A_DAY:,} lines ({total:,}).",
        )
    _check_limits(wanted)
    now = timezone.now()
    in_force = set(
        Approval.objects.filter(
            kind=ApprovalKind.CROSSING, state__in=IN_FORCE, crossing_date=day
        ).values_list("pk", flat=True)
    )
    existing = {
        (p.direction, p.slot_id): p
        for p in DayPlan.objects.select_for_update(of=("self",)).filter(day=day)
    }
    targets: dict[tuple[str, int | None], tuple[Slot | None, dict[tuple[str, str], LineSpec]]] = {
        (direction, slot.pk if slot else None): (slot, lines)
        for (direction, slot), lines in wanted.items()
    }
    # Plans already built whose lines are no longer wanted: emptied (as a change if sent).
    for key in existing:
        targets.setdefault(key, (existing[key].slot, {}))
    for (direction, slot_id), (slot, lines) in sorted(
        targets.items(),
        key=lambda kv: (kv[0][0] != tt.OUT, kv[1][0].opens_at if kv[1][0] else dt.time(0)),
    ):
        plan = existing.get((direction, slot_id))
        if plan is None:
            if not lines:
                continue
            plan = DayPlan(day=day, slot=slot, direction=direction)
            plan.full_clean()
            plan.save()
        _sync(plan, lines, result, now, in_force)
        result.plans.append(plan)
    audit.record(
        actor=actor,
        action="complex.dayplan.build",
        object_type="complex.dayplan",
        object_id=day.isoformat(),
        object_label=f"{day:%Y-%m-%d}",
        changes={
            "day": day.isoformat(),
            "plans": len(result.plans),
            "added": result.added,
            "withdrawn": result.withdrawn,
            "skipped": len(result.skipped),
        },
    )
    return result


# --- a line added or withdrawn by hand -----------------------------------------------------------


def plan_lock(plan: DayPlan) -> DayPlan:
    return DayPlan.objects.select_for_update(of=("self",)).select_related("slot").get(pk=plan.pk)


def _check_change(plan: DayPlan) -> None:
    problem = change_problem(plan)
    if problem is not None:
        raise problem


@transaction.atomic
def planline_add(
    *,
    actor: User,
    plan: DayPlan,
    traveller: Traveller | None = None,
    vehicle: Vehicle | None = None,
) -> PlanLine:
    """Put a traveller or a vehicle on `plan`: its application must have a crossing plan in
    force for the plan's day and direction. On another slot's plan of that day and direction,
    it is moved: withdrawn there. After a plan was sent its line is `changed` (or withdrawn):
    the North must consent again."""
    require(can_build_plans(actor))
    plan = plan_lock(plan)
    if (traveller is None) == (vehicle is None):
        raise plan_invalid(
            "key", "사람이나 차량 하나를 고르십시오.", "Choose one person or one vehicle."
        )
    application = traveller.application if traveller is not None else vehicle.application  # type: ignore[union-attr]
    approval = (
        Approval.objects.filter(
            application=application,
            kind=ApprovalKind.CROSSING,
            state__in=IN_FORCE,
            crossing_date=plan.day,
            crossing_direction="to_north" if plan.direction == tt.OUT else "to_south",
        )
        .select_related("application")
        .first()
    )
    if approval is None:
        raise plan_invalid(
            "key",
            f"{plan.day:%Y-%m-%d} {plan.direction} 방향으로 승인된 출입계획이 없습니다.",
            f"No crossing plan in force for {plan.day:%Y-%m-%d}, direction {plan.direction}.",
        )
    if traveller is not None:
        subject, key, name = (
            Subject.PERSON,
            tt.subject_key(traveller.document_number),
            traveller.name_ko,
        )
    else:
        assert vehicle is not None
        subject, key = Subject.VEHICLE, tt.subject_key(vehicle.plate_number)
        name = f"{vehicle.plate_number} {vehicle.make_model}".strip()[:200]
    line = (
        PlanLine.objects.select_for_update(of=("self",))
        .filter(plan=plan, subject=subject, key=key)
        .first()
    )
    if line is not None and line.state != LineState.WITHDRAWN:
        raise DomainError(
            ErrorCode.CONFLICT,
            f"이미 이 계획에 있습니다: {name}",
            f"Already on this plan: {name}",
            {"field": "key", "line": line.pk},
        )
    if _sent_before(plan):
        _check_change(plan)
    # On another slot's plan of the day and direction: moved from there (a change of that
    # plan too, under the same rules).
    moved = []
    for other in (
        PlanLine.objects.select_for_update(of=("self",))
        .filter(plan__day=plan.day, plan__direction=plan.direction, subject=subject, key=key)
        .exclude(plan=plan)
        .exclude(state=LineState.WITHDRAWN)
        .select_related("plan__slot")
    ):
        if _sent_before(other.plan):
            _check_change(other.plan)
        other.state = LineState.WITHDRAWN
        other.save(update_fields=["state"])
        moved.append(plan_label(other.plan))
    firm = (
        Firm.objects.filter(organisation_id=application.organisation_id).first()
        if application.organisation_id
        else None
    )
    state = LineState.CHANGED if _sent_before(plan) else LineState.PLANNED
    spec = LineSpec(approval, subject, key, name, firm, traveller=traveller, vehicle=vehicle)
    if line is None:
        line = PlanLine(plan=plan, **_line_fields(spec, state))
    else:
        for name_, value in _line_fields(spec, state).items():
            setattr(line, name_, value)
    line.full_clean()
    line.save()
    audit.record(
        actor=actor,
        action="complex.planline.add",
        obj=line,
        changes={"plan": plan_label(plan), "key": key, "state": state, "moved_from": moved},
    )
    return line


def crossing_subject_find(
    plan: DayPlan, subject: str, key: str
) -> tuple[Traveller | None, Vehicle | None]:
    """The traveller (document number) or vehicle (plate) `key` names, among the applications
    with a crossing plan in force for `plan`'s day and direction; refused, naming the field,
    when none is."""
    wanted = tt.subject_key(key)
    if subject not in (Subject.PERSON, Subject.VEHICLE):
        raise plan_invalid("subject", "사람(person)이나 차량(vehicle)입니다.", "person or vehicle.")
    if not wanted:
        raise plan_invalid("key", "번호를 적어 주십시오.", "Give the document number or plate.")
    approvals = Approval.objects.filter(
        kind=ApprovalKind.CROSSING,
        state__in=IN_FORCE,
        crossing_date=plan.day,
        crossing_direction="to_north" if plan.direction == tt.OUT else "to_south",
        application__destination="gaeseong",
    ).values_list("application_id", flat=True)
    if subject == Subject.PERSON:
        for traveller in Traveller.objects.filter(application_id__in=approvals):
            if tt.subject_key(traveller.document_number) == wanted:
                return traveller, None
    else:
        for vehicle in Vehicle.objects.filter(application_id__in=approvals):
            if tt.subject_key(vehicle.plate_number) == wanted:
                return None, vehicle
    raise plan_invalid(
        "key",
        f"{plan.day:%Y-%m-%d} {plan.direction} 방향으로 승인된 출입계획에 {wanted}이(가) 없습니다.",
        f"No crossing plan in force for {plan.day:%Y-%m-%d}, direction {plan.direction}, "
        f"names {wanted}.",
    )


@transaction.atomic
def planline_withdraw(*, actor: User, line: PlanLine) -> PlanLine:
    """Take a line off its plan (kept, `withdrawn`). After the plan was sent, the North must
    consent to it again: the change rules apply."""
    require(can_build_plans(actor))
    plan = plan_lock(line.plan)
    line = PlanLine.objects.select_for_update(of=("self",)).get(pk=line.pk)
    if line.state == LineState.WITHDRAWN:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "이미 뺀 줄입니다.",
            "That line is already withdrawn.",
            {"line": line.pk},
        )
    if _sent_before(plan):
        _check_change(plan)
    line.state = LineState.WITHDRAWN
    line.save(update_fields=["state"])
    audit.record(
        actor=actor,
        action="complex.planline.withdraw",
        obj=line,
        changes={"plan": plan_label(plan), "key": line.key},
    )
    return line
