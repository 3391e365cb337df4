"""The gate (출입 관문) of the Inter-Korean Transit Office: check-out (출경, to the complex) and
check-in (입경, back to the South) of people and vehicles, scanned or typed, let through or
refused; the paper fallback (events typed in afterwards with their real times); and the offline
gate's events merged later.

A person passes only with a visit approval in force for the day (a permits `Approval` of kind
`visit` whose application's period holds the day and names a traveller with that document
number; a vehicle: a `vehicle` approval naming the plate), on a day plan of that day and
direction consented to by the North, whose slot's window holds the time (or, in the RFID mode,
a plan without a slot: any time of the day), on a line not withdrawn nor changed since the
consent, and without an active flag; inside the military guarantee hours of the timetable in
force (07:00–22:00 from December 2007), while the slot's plan has not let its most people
(vehicles) through, and — a resident checking out — while the complex holds fewer residents
than the timetable allows (880 from 1 December 2008). Someone inside cannot check out again;
someone not inside cannot check in. While an order to leave is in force nobody crosses out, and
crossing in needs neither approval, plan, slot nor guarantee hours (everyone leaves; a flag's
instructions are still shown).

Every rule is judged *as of the event's time*: a paper or offline event typed in late is judged
against the flags, orders and events of its own moment, and `Presence` is recomputed from the
key's events ordered by occurrence time, so events that arrive late and out of order end in the
right state.

A refusal is recorded as a refused `GateEvent` (its stable code and text in both languages) and
nothing else: it is the answer, not an error. The `GateEvent` is itself the audit record of the
gate (the officer, the terminal, the real time and the time recorded), so `gate_check` writes no
`AuditEntry`; a merge of offline events does, once per batch."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace, Upper
from django.utils import timezone

from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common import hotsql
from panmun.common.errors import DomainError, ErrorCode
from panmun.permits.models import (
    IN_FORCE,
    Application,
    Approval,
    ApprovalKind,
    Destination,
    Traveller,
    Vehicle,
)

from ..access import is_gate_officer
from ..models.crossings import (
    CrossingDirection,
    DayPlan,
    EvacuationOrder,
    EvacuationState,
    EventOutcome,
    EventSource,
    GateEvent,
    GateFlag,
    LineState,
    PlanLine,
    PlanState,
    Presence,
    Slot,
    Subject,
    Timetable,
)
from ..models.customs import EpidemicPeriod
from ..selectors_plans import timetable_on
from ..timetables import subject_key as subject_key_of
from .stay import gate_stay_move

#: The most events one merge takes (a terminal's day offline is a few thousand at most).
MAX_BATCH = 5_000
#: How far ahead of the office's clock a gate's clock may run.
CLOCK_SKEW = dt.timedelta(minutes=5)
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
MAX_KEY = 40


class RefusalCode(StrEnum):
    """Why the gate refused: stable codes that terminals and reports match on."""

    NO_APPROVAL = "no_approval"
    NOT_ON_PLAN = "not_on_plan"
    NO_CONSENT = "no_consent"
    OUTSIDE_SLOT = "outside_slot"
    FLAGGED = "flagged"
    ALREADY_INSIDE = "already_inside"
    NOT_INSIDE = "not_inside"
    EVACUATION = "evacuation"
    QUARANTINE = "quarantine"
    OUTSIDE_HOURS = "outside_hours"
    SLOT_FULL = "slot_full"
    RESIDENTS_FULL = "residents_full"


CODES = frozenset(c.value for c in RefusalCode)

TEXTS: dict[str, tuple[str, str]] = {
    RefusalCode.QUARANTINE: (
        "방역 강화 기간입니다: 검역을 받은 사람만 지나갈 수 있습니다.",
        "The epidemic mode is on: only a person whose quarantine inspection was seen may pass.",
    ),
    RefusalCode.NO_APPROVAL: (
        "그날 유효한 방문(차량 운행) 승인이 없습니다.",
        "No visit (vehicle) approval in force for the day.",
    ),
    RefusalCode.NOT_ON_PLAN: (
        "그날 이 방향의 출입계획에 없습니다.",
        "Not on the day's crossing plan for this direction.",
    ),
    RefusalCode.NO_CONSENT: (
        "출입계획에 대한 북측의 동의가 없습니다 (또는 변경 후 동의를 기다립니다).",
        "The North has not consented to the plan (or the line changed and awaits consent).",
    ),
    RefusalCode.OUTSIDE_SLOT: (
        "통행 시간대 밖입니다.",
        "Outside the plan's crossing slot.",
    ),
    RefusalCode.FLAGGED: (
        "출입 제한 표시가 있습니다. 지시 사항을 따르십시오.",
        "Flagged: stopped at the gate. Follow the instructions.",
    ),
    RefusalCode.ALREADY_INSIDE: (
        "이미 출경하여 공업지구 안에 있습니다: 다시 출경할 수 없습니다.",
        "Already inside the complex: cannot check out again.",
    ),
    RefusalCode.NOT_INSIDE: (
        "출경 기록이 없어 공업지구 안에 있지 않습니다: 입경할 수 없습니다.",
        "Not inside the complex (no check-out recorded): cannot check in.",
    ),
    RefusalCode.EVACUATION: (
        "철수 명령이 발효 중입니다: 누구도 출경할 수 없습니다.",
        "An order to leave is in force: nobody crosses out.",
    ),
    RefusalCode.OUTSIDE_HOURS: (
        "군사적 보장 시간 밖입니다.",
        "Outside the military guarantee hours.",
    ),
    RefusalCode.SLOT_FULL: (
        "이 시간대의 통행 인원(차량)이 다 찼습니다.",
        "The slot's people (vehicles) have all crossed: it is full.",
    ),
    RefusalCode.RESIDENTS_FULL: (
        "체류 인원이 상한에 이르렀습니다.",
        "The complex holds the most residents allowed.",
    ),
}


def invalid_field(field_name: str, ko: str, en: str, **details: object) -> DomainError:
    return DomainError(ErrorCode.INVALID_INPUT, ko, en, {"field": field_name, **details})


def key_problem(subject: str, text: object) -> tuple[str, str, str] | str:
    """The normalised key, or (field, Korean, English) of its problem."""
    if subject not in Subject.values:
        return ("subject", "사람 또는 차량입니다.", "A person or a vehicle.")
    if not isinstance(text, str):
        return ("key", "번호를 적어 주십시오.", "Give the number.")
    key = subject_key_of(text)
    if not key:
        return ("key", "번호를 적어 주십시오.", "Give the number.")
    if len(key) > MAX_KEY or not key.isprintable():
        return ("key", "번호는 40자까지입니다.", "A number of at most 40 characters.")
    return key


def subject_key(subject: str, text: str) -> str:
    """What the gate scans or types, made comparable (`timetables.subject_key`: upper-case,
    without spaces or hyphens: `m 1234-5678` → `M12345678`, `12 가 3456` → `12가3456`).
    Refused (naming the field) when empty or longer than 40 characters."""
    found = key_problem(subject, text)
    if isinstance(found, tuple):
        raise invalid_field(*found)
    return found


# --- the rules, judged as of a moment ---------------------------------------------------------


@dataclass
class Verdict:
    """What the rules say of one crossing at one moment: `code` empty when it passes."""

    code: str = ""
    detail_ko: str = ""
    detail_en: str = ""
    plan: DayPlan | None = None
    line: PlanLine | None = None
    flags: list[GateFlag] = field(default_factory=list)
    #: The name and firm known of the subject (from the plan's line, or its last check-out).
    name: str = ""
    firm_id: int | None = None
    #: Whether events let through after the moment judged are recorded (a late event): the
    #: presence is then recomputed from the events, not moved by this one alone.
    later: bool = False
    #: Of the line's crossing plan (its application): whether it runs over more than the day
    #: (a resident), and its last day (a stay's planned departure).
    resident: bool = False
    last_day: dt.date | None = None

    @property
    def passed(self) -> bool:
        return not self.code


def _refuse(verdict: Verdict, code: RefusalCode, ko: str = "", en: str = "") -> Verdict:
    base_ko, base_en = TEXTS[code]
    verdict.code = str(code)
    verdict.detail_ko = f"{base_ko} {ko}".strip()
    verdict.detail_en = f"{base_en} {en}".strip()
    return verdict


# The gate's reads run once per event, thousands of times a day: they are plain SQL (portable
# between SQLite and PostgreSQL) rather than querysets, whose compilation costs more than the
# query itself. `_rows` adapts the parameters as the ORM would (datetimes in UTC on SQLite).


def _at(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _on(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    return hotsql.rows(sql, params)  # prepared once per connection on PostgreSQL


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


_EVENTS = GateEvent._meta.db_table
_FLAGS = GateFlag._meta.db_table
_ORDERS = EvacuationOrder._meta.db_table
_EPIDEMICS = EpidemicPeriod._meta.db_table
_LINES = PlanLine._meta.db_table
_PLANS = DayPlan._meta.db_table
_SLOTS = Slot._meta.db_table
_TIMETABLES = Timetable._meta.db_table
_PRESENCE = Presence._meta.db_table
_APPROVALS = Approval._meta.db_table
_APPLICATIONS = Application._meta.db_table

_LAST_PASSED = f"""
SELECT direction, name, firm_id, CASE WHEN occurred_at > %s THEN 1 ELSE 0 END
FROM "{_EVENTS}" WHERE subject = %s AND "key" = %s AND outcome = %s {{until}}
ORDER BY occurred_at DESC, id DESC LIMIT 1"""  # noqa: S608

# The order to leave in force, the count of active flags and the epidemic period on, at a moment.
# Then, of the timetable in force that day: whether the moment's time is inside its military
# guarantee hours (NULL where it gives none, or no timetable is in force), and its most
# residents.
_MOMENT = f"""
SELECT
 (SELECT id FROM "{_ORDERS}" WHERE issued_at <= %s AND (state = %s OR closed_at > %s)
  ORDER BY issued_at DESC, id DESC LIMIT 1),
 (SELECT COUNT(*) FROM "{_FLAGS}" WHERE subject = %s AND "key" = %s AND raised_at <= %s
  AND (lifted_at IS NULL OR lifted_at > %s)),
 (SELECT id FROM "{_EPIDEMICS}" WHERE starts_at <= %s AND (ends_at IS NULL OR ends_at > %s)
  ORDER BY starts_at DESC LIMIT 1),
 (SELECT CASE WHEN guarantee_from IS NULL OR guarantee_to IS NULL THEN NULL
  WHEN guarantee_from <= %s AND %s < guarantee_to THEN 1 ELSE 0 END
  FROM "{_TIMETABLES}" WHERE effective_from <= %s ORDER BY effective_from DESC LIMIT 1),
 (SELECT residents_max FROM "{_TIMETABLES}" WHERE effective_from <= %s
  ORDER BY effective_from DESC LIMIT 1)"""  # noqa: S608

_IN_FORCE_SQL = ", ".join(["%s"] * len(IN_FORCE))


def _approved_sql(table: str, column: str, normalised: bool) -> str:
    compared = (
        f"UPPER(REPLACE(REPLACE(t.\"{column}\", ' ', ''), '-', ''))"
        if normalised
        else f't."{column}"'
    )
    return f"""
SELECT 1 FROM "{table}" t
JOIN "{_APPLICATIONS}" a ON a.id = t.application_id
JOIN "{_APPROVALS}" p ON p.application_id = a.id
WHERE {compared} = %s AND p.kind = %s AND p.state IN ({_IN_FORCE_SQL})
AND a.destination = %s AND a.start_date <= %s AND a.end_date >= %s LIMIT 1"""  # noqa: S608


_APPROVED: dict[tuple[str, bool], str] = {
    (str(subject), normalised): _approved_sql(model._meta.db_table, column, normalised)
    for subject, model, column in (
        (Subject.PERSON, Traveller, "document_number"),
        (Subject.VEHICLE, Vehicle, "plate_number"),
    )
    for normalised in (False, True)
}


# One statement for what the rules ask of a key at a moment, before its plan: its last event
# let through (whether it happened after the moment), the order to leave in force, the count
# of its active flags, the epidemic period on, and whether an approval in force names it.
def _state_sql(subject: str) -> str:
    moment = _MOMENT.strip().removeprefix("SELECT").strip()
    exact, normalised = _APPROVED[(subject, False)], _APPROVED[(subject, True)]
    return f"""
SELECT e.direction, e.name, e.firm_id, CASE WHEN e.occurred_at > %s THEN 1 ELSE 0 END,
 {moment},
 CASE WHEN EXISTS ({exact}) THEN 1 WHEN EXISTS ({normalised}) THEN 1 ELSE 0 END
FROM (SELECT 1 AS one) x LEFT JOIN (
 SELECT direction, name, firm_id, occurred_at FROM "{_EVENTS}"
 WHERE subject = %s AND "key" = %s AND outcome = %s ORDER BY occurred_at DESC, id DESC LIMIT 1
) e ON 1 = 1"""  # noqa: S608


_STATE = {subject: _state_sql(subject) for subject in (Subject.PERSON, Subject.VEHICLE)}

# A key's lines on a day's plans of a direction, not withdrawn, in the order of their slots;
# whether the slot's window holds the moment's time is judged here too, and the slot's limits
# read with the count of its plan's crossers of the subject's kind let through so far (counted
# only where the slot has a limit: at most its limit's events; an RFID plan has no slot).
_PLAN_LINES = f"""
SELECT l.id, l.plan_id, l.state, l.name, l.firm_id, l.traveller_id, l.vehicle_id,
 l.approval_id, p.state, p.slot_id, p.day, p.direction,
 CASE WHEN s.id IS NULL OR (s.opens_at <= %s AND %s <= s.closes_at) THEN 1 ELSE 0 END,
 CASE WHEN a.end_date > a.start_date THEN 1 ELSE 0 END, a.end_date,
 s.people_limit, s.vehicles_limit,
 CASE WHEN s.people_limit IS NULL AND s.vehicles_limit IS NULL THEN 0 ELSE
 (SELECT COUNT(*) FROM "{_EVENTS}" e WHERE e.plan_id = l.plan_id AND e.subject = l.subject
  AND e.outcome = %s) END
FROM "{_LINES}" l
JOIN "{_PLANS}" p ON p.id = l.plan_id
LEFT JOIN "{_SLOTS}" s ON s.id = p.slot_id
JOIN "{_APPROVALS}" ap ON ap.id = l.approval_id
JOIN "{_APPLICATIONS}" a ON a.id = ap.application_id
WHERE l.subject = %s AND l."key" = %s AND p.day = %s AND p.direction = %s AND l.state <> %s
ORDER BY s.opens_at, l.id"""  # noqa: S608


def evacuation_at(at: dt.datetime) -> EvacuationOrder | None:
    """The order to leave in force at `at`, if any."""
    return (
        EvacuationOrder.objects.filter(issued_at__lte=at)
        .filter(Q(state=EvacuationState.IN_FORCE) | Q(closed_at__gt=at))
        .order_by("-issued_at")
        .first()
    )


def flags_at(subject: str, key: str, at: dt.datetime) -> QuerySet[GateFlag]:
    """The flags on `key` active at `at`."""
    return GateFlag.objects.filter(subject=subject, key=key, raised_at__lte=at).filter(
        Q(lifted_at__isnull=True) | Q(lifted_at__gt=at)
    )


def _last_passed(subject: str, key: str, at: dt.datetime | None = None) -> GateEvent | None:
    events = GateEvent.objects.filter(subject=subject, key=key, outcome=EventOutcome.PASSED)
    if at is not None:
        events = events.filter(occurred_at__lte=at)
    return events.order_by("-occurred_at", "-id").first()


def _last_passed_row(
    subject: str, key: str, at: dt.datetime, *, until: bool
) -> tuple[Any, ...] | None:
    """(direction, name, firm_id, later) of `key`'s last event let through (`until`: by `at`);
    `later` whether it happened after `at`."""
    sql = _LAST_PASSED.format(until="AND occurred_at <= %s" if until else "")
    params = [_at(at), subject, key, EventOutcome.PASSED.value]
    if until:
        params.append(_at(at))
    rows = _rows(sql, params)
    return rows[0] if rows else None


def _normalised(column: str) -> Any:
    """`timetables.subject_key` in SQL, for the spaces and hyphens numbers are stored with."""
    expression: Any = Replace(F(column), Value(" "), Value(""))
    return Upper(Replace(expression, Value("-"), Value("")))


def approved_on(subject: str, key: str, day: dt.date) -> bool:
    """Whether a visit approval (a vehicle approval, for a vehicle) to Gaeseong in force holds
    `day` and names `key`. The exact number first (indexed), then as the gate normalises it."""
    kind = ApprovalKind.VISIT if subject == Subject.PERSON else ApprovalKind.VEHICLE
    on = _on(day)
    params = [kind.value, *[str(s) for s in IN_FORCE], Destination.GAESEONG.value, on, on]
    person = Subject.PERSON if subject == Subject.PERSON else Subject.VEHICLE
    return any(
        _rows(_APPROVED[(person, normalised)], [key, *params]) for normalised in (False, True)
    )


def _judge_plan(verdict: Verdict, subject: str, key: str, direction: str, at: dt.datetime) -> None:
    local = timezone.localtime(at)
    time = connection.ops.adapt_timefield_value(local.time())
    rows = _rows(
        _PLAN_LINES,
        [
            time,
            time,
            EventOutcome.PASSED.value,
            subject,
            key,
            _on(local.date()),
            direction,
            LineState.WITHDRAWN.value,
        ],
    )
    if not rows:
        _refuse(verdict, RefusalCode.NOT_ON_PLAN)
        return
    outside: tuple[Any, ...] | None = None
    unconsented: tuple[Any, ...] | None = None
    chosen: tuple[Any, ...] | None = None
    for row in rows:
        line_state, plan_state, in_window = row[2], row[8], row[12]
        if plan_state != PlanState.CONSENTED or line_state == LineState.CHANGED:
            unconsented = unconsented or row
        elif not in_window:
            outside = outside or row
        else:
            chosen = row
            break
    passed = chosen is not None
    chosen = chosen or outside or unconsented
    assert chosen is not None
    (line_id, plan_id, line_state, name, firm_id, traveller_id, vehicle_id, approval_id) = chosen[
        :8
    ]
    plan_state, slot_id, day, plan_direction, _window, resident, last_day = chosen[8:15]
    people_limit, vehicles_limit, crossed = chosen[15:]
    plan = DayPlan(
        id=plan_id,
        day=_date(day) or day,
        direction=plan_direction,
        state=plan_state,
        slot_id=slot_id,
    )
    plan._state.adding = False
    line = PlanLine(
        id=line_id,
        plan=plan,
        approval_id=approval_id,
        subject=subject,
        traveller_id=traveller_id,
        vehicle_id=vehicle_id,
        firm_id=firm_id,
        key=key,
        name=name,
        state=line_state,
    )
    line._state.adding = False
    verdict.plan, verdict.line = plan, line
    verdict.name, verdict.firm_id = name, firm_id
    verdict.resident, verdict.last_day = bool(resident), _date(last_day)
    if passed:
        limit = people_limit if subject == Subject.PERSON else vehicles_limit
        if limit is not None and crossed >= limit:
            what_ko, what_en = ("명", "people") if subject == Subject.PERSON else ("대", "vehicles")
            _refuse(
                verdict,
                RefusalCode.SLOT_FULL,
                f"({crossed:,}/{limit:,}{what_ko})",
                f"({crossed:,} of {limit:,} {what_en})",
            )
        return
    if chosen is outside and slot_id is not None:
        slot = Slot.objects.get(pk=slot_id)
        window = f"{slot.opens_at:%H:%M}–{slot.closes_at:%H:%M}"
        _refuse(verdict, RefusalCode.OUTSIDE_SLOT, f"({window})", f"({window})")
    else:
        _refuse(verdict, RefusalCode.NO_CONSENT)


def _hours_text(at: dt.datetime) -> tuple[str, str]:
    table = timetable_on(timezone.localtime(at).date())
    if table is None or table.guarantee_from is None or table.guarantee_to is None:
        return "", ""
    hours = f"({table.guarantee_from:%H:%M}–{table.guarantee_to:%H:%M})"
    return hours, hours


_RESIDENTS = f'SELECT COUNT(*) FROM "{_PRESENCE}" WHERE resident = %s'  # noqa: S608


def _judge_residents(verdict: Verdict, residents_max: int | None) -> None:
    """A resident checking out is refused once the complex holds the most residents the
    timetable in force allows (880 under the measures of 1 December 2008)."""
    if residents_max is None:
        return
    inside = _rows(_RESIDENTS, [True])[0][0]
    if inside >= residents_max:
        _refuse(
            verdict,
            RefusalCode.RESIDENTS_FULL,
            f"({inside:,}/{residents_max:,}명)",
            f"({inside:,} of {residents_max:,})",
        )


def judge(
    *, subject: str, key: str, direction: str, at: dt.datetime, inspected: bool = True
) -> Verdict:
    """The rules for `key` crossing `direction` at `at` (a normalised key), as of that moment.
    `inspected`: the gate saw the person's quarantine inspection, which the epidemic mode
    requires of every crosser (`services.quarantine.epidemic_mode_on`)."""
    verdict = Verdict()
    moment = _at(at)
    on = _on(timezone.localtime(at).date())
    kind = ApprovalKind.VISIT if subject == Subject.PERSON else ApprovalKind.VEHICLE
    approval = [key, kind.value, *[str(s) for s in IN_FORCE], Destination.GAESEONG.value, on, on]
    clock = connection.ops.adapt_timefield_value(timezone.localtime(at).time())
    row = _rows(
        _STATE[Subject.PERSON if subject == Subject.PERSON else Subject.VEHICLE],
        [
            moment,
            *(moment, EvacuationState.IN_FORCE.value, moment),
            *(subject, key, moment, moment),
            *(moment, moment),
            *(clock, clock, on),
            on,
            *approval,
            *approval,
            *(subject, key, EventOutcome.PASSED.value),
        ],
    )[0]
    last: tuple[Any, ...] | None = row[:4] if row[0] is not None else None
    order_id, flag_count, epidemic_id, in_hours, residents_max, approved = row[4:]
    if last is not None and last[3]:
        verdict.later = True
        last = _last_passed_row(subject, key, at, until=True)
    inside = last is not None and last[0] == CrossingDirection.OUT
    if last is not None:
        verdict.name, verdict.firm_id = last[1], last[2]
    if flag_count:
        verdict.flags = list(flags_at(subject, key, at))
    if order_id is not None and direction == CrossingDirection.OUT:
        evacuation = EvacuationOrder.objects.get(pk=order_id)
        deadline = timezone.localtime(evacuation.deadline)
        return _refuse(
            verdict,
            RefusalCode.EVACUATION,
            f"(기한 {deadline:%Y-%m-%d %H:%M})",
            f"(deadline {deadline:%Y-%m-%d %H:%M})",
        )
    leaving = order_id is not None  # and crossing in: everyone leaves
    if verdict.flags and not leaving:
        # The reasons, short: the refusal's text holds both languages in 500 characters.
        reasons = "; ".join(f.reason[:60] for f in verdict.flags[:3])
        return _refuse(verdict, RefusalCode.FLAGGED, f"({reasons})", f"({reasons})")
    if direction == CrossingDirection.OUT and inside:
        return _refuse(verdict, RefusalCode.ALREADY_INSIDE)
    if direction == CrossingDirection.IN and not inside:
        return _refuse(verdict, RefusalCode.NOT_INSIDE)
    if leaving:
        return verdict
    if not approved:
        _refuse(verdict, RefusalCode.NO_APPROVAL)
        return verdict
    _judge_plan(verdict, subject, key, direction, at)
    if not verdict.code and in_hours is not None and not in_hours:
        # On the plan (in the RFID mode, any time of the day), but not in the hours the
        # military guarantees passage: the slots of the other modes lie inside them.
        return _refuse(verdict, RefusalCode.OUTSIDE_HOURS, *_hours_text(at))
    if not verdict.code and direction == CrossingDirection.OUT and verdict.resident:
        _judge_residents(verdict, residents_max)
    if not verdict.code and subject == Subject.PERSON and not inspected and epidemic_id is not None:
        _refuse(verdict, RefusalCode.QUARANTINE)
    return verdict


# --- presence ---------------------------------------------------------------------------------


def _resident(event: GateEvent) -> bool:
    """A person staying: the crossing plan of their event's line (or, when the event has none,
    of their lines of that day) runs over more than the day."""
    if event.subject != Subject.PERSON:
        return False
    lines = PlanLine.objects.filter(pk=event.line_id) if event.line_id else PlanLine.objects.none()
    if event.line_id is None:
        lines = PlanLine.objects.filter(
            subject=Subject.PERSON, key=event.key, plan__day=event.day
        ).exclude(state=LineState.WITHDRAWN)
    periods = lines.values_list(
        "approval__application__start_date", "approval__application__end_date"
    )
    return any(start and end and end > start for start, end in periods)


_PRESENCE_UPSERT = f"""
INSERT INTO "{_PRESENCE}" (subject, "key", name, firm_id, since, event_id, resident, vehicle_key)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (subject, "key") DO UPDATE SET name = excluded.name, firm_id = excluded.firm_id,
 since = excluded.since, event_id = excluded.event_id, resident = excluded.resident,
 vehicle_key = excluded.vehicle_key"""  # noqa: S608


def _presence_set(event: GateEvent, *, resident: bool) -> None:
    """`event` (a check-out let through) is the key's presence: one upsert (`ON CONFLICT`, in
    SQLite and PostgreSQL alike)."""
    _rows(
        _PRESENCE_UPSERT,
        [
            event.subject,
            event.key,
            event.name,
            event.firm_id,
            _at(event.occurred_at),
            event.pk,
            resident,
            event.vehicle_key,
        ],
    )


def _presence_clear(subject: str, key: str) -> None:
    _rows(f'DELETE FROM "{_PRESENCE}" WHERE subject = %s AND "key" = %s', [subject, key])  # noqa: S608


def _insert(obj: Any) -> None:
    """`obj` (a new row of a model without save hooks of its own) inserted in one statement, as
    `save()` would write it, without compiling a query: its id read back."""
    meta = obj._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    returning = connection.features.can_return_columns_from_insert
    if returning:
        sql += f" RETURNING {connection.ops.quote_name(meta.pk.column)}"
    if returning:
        pk = hotsql.rows(sql, values)[0][0]
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            pk = connection.ops.last_insert_id(cursor, meta.db_table, meta.pk.column)
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = connection.alias


def _presence_move(event: GateEvent, verdict: Verdict) -> None:
    """The presence moved by `event`, the last event of its key let through."""
    if event.direction == CrossingDirection.IN:
        _presence_clear(event.subject, event.key)
        return
    if event.line_id is not None:
        resident = event.subject == Subject.PERSON and verdict.resident
    else:
        resident = _resident(event)
    _presence_set(event, resident=resident)


# The presence of a key from its last event let through, the resident mark as `_resident`
# finds it: the event's line, or (without one) the person's lines of that day not withdrawn.
_PRESENCE_FROM_EVENT = f"""
INSERT INTO "{_PRESENCE}" (subject, "key", name, firm_id, since, event_id, resident, vehicle_key)
SELECT e.subject, e."key", e.name, e.firm_id, e.occurred_at, e.id,
 CASE WHEN e.subject = %s AND EXISTS (
  SELECT 1 FROM "{_LINES}" l
  JOIN "{_PLANS}" p ON p.id = l.plan_id
  JOIN "{_APPROVALS}" ap ON ap.id = l.approval_id
  JOIN "{_APPLICATIONS}" a ON a.id = ap.application_id
  WHERE a.end_date > a.start_date AND (l.id = e.line_id OR (e.line_id IS NULL
   AND l.subject = %s AND l."key" = e."key" AND p.day = e.day AND l.state <> %s))
 ) THEN %s ELSE %s END,
 e.vehicle_key
FROM "{_EVENTS}" e WHERE e.id = %s
ON CONFLICT (subject, "key") DO UPDATE SET name = excluded.name, firm_id = excluded.firm_id,
 since = excluded.since, event_id = excluded.event_id, resident = excluded.resident,
 vehicle_key = excluded.vehicle_key"""  # noqa: S608

_LAST_PASSED_ID = f"""
SELECT id, direction FROM "{_EVENTS}" WHERE subject = %s AND "key" = %s AND outcome = %s
ORDER BY occurred_at DESC, id DESC LIMIT 1"""  # noqa: S608


def presence_recompute(subject: str, key: str) -> None:
    """`key`'s presence from its events: inside when the last event that let it pass, by
    occurrence time, was a check-out."""
    rows = _rows(_LAST_PASSED_ID, [subject, key, EventOutcome.PASSED.value])
    if not rows or rows[0][1] == CrossingDirection.IN:
        _presence_clear(subject, key)
        return
    person = Subject.PERSON.value
    _rows(
        _PRESENCE_FROM_EVENT,
        [person, person, LineState.WITHDRAWN.value, True, False, rows[0][0]],
    )


def stay_moved(event: GateEvent, verdict: Verdict) -> None:
    """A person let through: their stay in the complex begins at the check-out and ends at the
    check-in (`services.stay.gate_stay_move`, which also lifts an overdue stay's flag)."""
    if event.subject != Subject.PERSON or event.outcome != EventOutcome.PASSED:
        return
    line = verdict.line
    gate_stay_move(
        officer=event.officer,
        key=event.key,
        name=event.name,
        direction=event.direction,
        occurred_at=event.occurred_at,
        firm_id=event.firm_id,
        traveller_id=line.traveller_id if line is not None else None,
        approval_id=line.approval_id if line is not None else None,
        planned_departure=verdict.last_day if line is not None else None,
    )


# --- one event at the gate --------------------------------------------------------------------


@dataclass
class GateAnswer:
    """What the gate answers: the event recorded, and the flags whose instructions the staff
    must see (on a refusal, and on a crossing in during an evacuation)."""

    event: GateEvent
    flags: list[GateFlag]

    @property
    def passed(self) -> bool:
        return self.event.outcome == EventOutcome.PASSED

    @property
    def code(self) -> str:
        return self.event.refusal_code

    @property
    def texts(self) -> tuple[str, str]:
        """The answer in Korean and in English."""
        if self.passed:
            return ("통과", "Let through")
        ko, _sep, en = self.event.refusal_detail.partition("\n")
        return (ko, en)

    def message(self, language: str | None) -> str:
        ko, en = self.texts
        return en if language and language.lower().startswith("en") else ko


def checked_time(at: object, *, source: str, now: dt.datetime) -> dt.datetime:
    if not isinstance(at, dt.datetime) or timezone.is_naive(at):
        raise invalid_field("occurred_at", "시각을 적어 주십시오.", "Give the time, with its zone.")
    if at < EARLIEST:
        raise invalid_field("occurred_at", "2000년 이후의 시각입니다.", "A time from 2000 on.")
    if at > now + CLOCK_SKEW or (source == EventSource.PAPER and at > now):
        raise invalid_field(
            "occurred_at",
            "앞으로의 시각은 기록할 수 없습니다.",
            "A time in the future cannot be recorded.",
        )
    return at


def vehicle_key_of(subject: str, text: str) -> str:
    text = (text or "").strip()
    if not text:
        return ""
    if subject != Subject.PERSON:
        raise invalid_field(
            "vehicle_key",
            "차량을 적는 것은 사람의 출입뿐입니다.",
            "Only a person's crossing names the vehicle they are in.",
        )
    found = key_problem(Subject.VEHICLE, text)
    if isinstance(found, tuple):
        raise invalid_field("vehicle_key", found[1], found[2])
    return found


def gate_event_of(
    *,
    verdict: Verdict,
    uid: uuid.UUID,
    subject: str,
    key: str,
    direction: str,
    at: dt.datetime,
    officer: User,
    source: str,
    terminal: str,
    vehicle_key: str,
    outcome: str | None = None,
) -> GateEvent:
    if outcome is None:
        outcome = EventOutcome.PASSED if verdict.passed else EventOutcome.REFUSED
    refused = outcome == EventOutcome.REFUSED
    return GateEvent(
        uid=uid,
        subject=subject,
        key=key,
        name=verdict.name[:200],
        direction=direction,
        outcome=outcome,
        refusal_code=verdict.code if refused else "",
        refusal_detail=f"{verdict.detail_ko}\n{verdict.detail_en}"[:500] if refused else "",
        occurred_at=at,
        day=timezone.localtime(at).date(),
        plan=verdict.plan,
        line=verdict.line,
        firm_id=verdict.firm_id,
        vehicle_key=vehicle_key,
        officer=officer,
        source=source,
        terminal=terminal,
    )


@transaction.atomic
def gate_check(
    *,
    actor: User,
    subject: str,
    key: str,
    direction: str,
    at: dt.datetime,
    source: str,
    terminal: str = "",
    uid: uuid.UUID | None = None,
    vehicle_key: str = "",
    inspected: bool = False,
) -> GateAnswer:
    """One check-out or check-in at the gate (`source` scan or typed, at the moment; or paper,
    typed in afterwards with its real time): judged as of `at` and recorded, let through (the
    presence written or removed in the same transaction) or refused (the refused event alone).
    Bad input (an empty key, a time to come) is refused with a `DomainError` and nothing is
    written. While the epidemic mode is on, a person passes only with `inspected` (the gate
    saw their quarantine inspection)."""
    require(is_gate_officer(actor))
    key = subject_key(subject, key)
    if direction not in CrossingDirection.values:
        raise invalid_field("direction", "출경 또는 입경입니다.", "Out or in.")
    if source not in (EventSource.SCAN, EventSource.TYPED, EventSource.PAPER):
        raise invalid_field(
            "source",
            "스캔, 입력 또는 종이 명단입니다 (오프라인 기록은 병합으로 들어옵니다).",
            "Scanned, typed or from the paper list (offline events are merged).",
        )
    at = checked_time(at, source=source, now=timezone.now())
    vehicle = vehicle_key_of(subject, vehicle_key)
    terminal = (terminal or "").strip()
    if len(terminal) > 60:
        raise invalid_field("terminal", "단말기 이름은 60자까지입니다.", "At most 60 characters.")
    given_uid = uid is not None
    uid = uid or uuid.uuid4()
    if given_uid and GateEvent.objects.filter(uid=uid).exists():
        raise DomainError(
            ErrorCode.CONFLICT,
            "이 식별자의 기록이 이미 있습니다.",
            "An event with this uid is already recorded.",
            {"field": "uid", "uid": str(uid)},
        )
    verdict = judge(subject=subject, key=key, direction=direction, at=at, inspected=inspected)
    event = gate_event_of(
        verdict=verdict,
        uid=uid,
        subject=subject,
        key=key,
        direction=direction,
        at=at,
        officer=actor,
        source=source,
        terminal=terminal,
        vehicle_key=vehicle,
    )
    event.inspected = bool(inspected)
    try:
        if given_uid:
            with transaction.atomic():
                _insert(event)
        else:  # a fresh uuid4: no other event has it
            _insert(event)
    except IntegrityError as err:  # the same uid recorded meanwhile by another request
        raise DomainError(
            ErrorCode.CONFLICT,
            "이 식별자의 기록이 이미 있습니다.",
            "An event with this uid is already recorded.",
            {"field": "uid", "uid": str(uid)},
        ) from err
    if event.outcome == EventOutcome.PASSED:
        if verdict.later:
            presence_recompute(subject, key)
        else:
            _presence_move(event, verdict)
        stay_moved(event, verdict)
    return GateAnswer(event=event, flags=verdict.flags)
