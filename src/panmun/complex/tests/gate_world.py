"""The gate tests' world: approvals made through the permits services (filed five days ahead,
decided by the ministry), and a timetable, day plans and their lines written directly (the
plans part builds those from the crossing approvals; the gate only reads them).

The slot times are the tests' own (08:30–09:30 and 10:30–11:30 out, 16:00–17:00 in): assumed
for the tests, not the historical timetable. The day is Monday 14 September 2015."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from panmun.accounts.models import User
from panmun.permits.models import Application, Approval, Traveller, Vehicle
from panmun.permits.services.applications import application_create
from panmun.permits.services.moves import approval_transition
from panmun.permits.tests.factories import PERSON, data_for

from ..models import Firm
from ..models.crossings import (
    CrossingDirection,
    CrossingMode,
    DayPlan,
    LineState,
    PlanLine,
    PlanState,
    Slot,
    Subject,
    Timetable,
)
from .factories import make_firm, persona_firm

KST = ZoneInfo("Asia/Seoul")
DAY = dt.date(2015, 9, 14)
OUT, IN = CrossingDirection.OUT, CrossingDirection.IN
TEXT = {"ko": "사유", "en": "A reason"}


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    """A moment of `day` at the gate (Korea's time)."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=KST)


@contextmanager
def on(moment: dt.datetime) -> Iterator[None]:
    """The office's clock stopped at `moment`."""
    with time_machine.travel(moment, tick=False):
        yield


def after_the_day() -> Any:
    """The office's clock at 23:30 of the day: every moment of the day is past."""
    return on(at(23, 30))


def approved_application(
    personas: dict[str, User],
    *,
    people: list[str],
    plates: list[str] = (),  # type: ignore[assignment]
    start: dt.date = DAY,
    end: dt.date = DAY,
    kinds: tuple[str, ...] = ("visit", "crossing"),
) -> Application:
    """The firm's application to Gaeseong for `people` (their document numbers as written) and
    `plates`, filed five days ahead and approved by the ministry, every kind."""
    kinds = tuple(kinds) + (("vehicle",) if plates and "vehicle" not in kinds else ())
    with on(dt.datetime.combine(start, dt.time(10), KST) - dt.timedelta(days=5)):
        data = data_for(
            list(kinds),
            start=start,
            end_date=end,
            destination="gaeseong",
            purpose="개성공업지구 출입 / crossing to the complex",
        )
        application = application_create(actor=personas["firm"], data=data)
        for row, number in enumerate(people, start=1):
            Traveller.objects.create(
                application=application,
                row=row,
                **{
                    **PERSON,
                    "name_ko": f"출입자{row}",
                    "document_number": number,
                    "phone": f"010{row:08d}",
                },
            )
        for plate in plates:
            application.vehicles.create(plate_number=plate, vehicle_kind="truck")
        for approval in application.approvals.all():
            for move, who in (
                ("submit", "firm"),
                ("start_review", "ministry"),
                ("approve", "ministry"),
            ):
                approval = approval_transition(
                    actor=personas[who], approval=approval, move=move, **TEXT
                )
    return application


def timetable(mode: str = CrossingMode.SLOTS) -> Timetable:
    table = Timetable.objects.create(
        effective_from=dt.date(2015, 1, 1),
        name_ko="시험 시간표",
        name_en="Test timetable",
        mode=mode,
        source="the tests' own times, assumed",
    )
    for direction, opens, closes in ((OUT, 8, 9), (OUT, 10, 11), (IN, 16, 17)):
        Slot.objects.create(
            timetable=table,
            direction=direction,
            opens_at=dt.time(opens, 30 if direction == OUT else 0),
            closes_at=dt.time(closes, 30 if direction == OUT else 0),
        )
    return table


def day_plan(
    direction: str, slot: Slot | None, *, day: dt.date = DAY, state: str = PlanState.CONSENTED
) -> DayPlan:
    return DayPlan.objects.create(day=day, slot=slot, direction=direction, state=state)


def plan_line(
    plan: DayPlan,
    application: Application,
    *,
    traveller: Traveller | None = None,
    vehicle: Vehicle | None = None,
    firm: Firm | None = None,
    state: str = LineState.PLANNED,
) -> PlanLine:
    """A line of `plan` for a traveller or a vehicle of `application`, keyed as the gate keys it."""
    from ..services.gate import subject_key

    crossing: Approval = application.approvals.get(kind="crossing")
    if traveller is not None:
        subject, key, name = Subject.PERSON, traveller.document_number, traveller.name_ko
    else:
        assert vehicle is not None
        subject, key, name = Subject.VEHICLE, vehicle.plate_number, vehicle.plate_number
    return PlanLine.objects.create(
        plan=plan,
        approval=crossing,
        subject=subject,
        traveller=traveller,
        vehicle=vehicle,
        firm=firm,
        key=subject_key(subject, key),
        name=name,
        state=state,
    )


@dataclass
class GateWorld:
    firm: Firm
    other: Firm
    plans: dict[str, DayPlan] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)  # label → key
    vehicles: dict[str, str] = field(default_factory=dict)


def gate_world(personas: dict[str, User], *, rfid: bool = False) -> GateWorld:
    """The day's world:

    - `short1`, `short2` (M1000001, M1000002): the firm's day visitors, with truck 12가3456 —
      on the 08:30 plan out and the 16:00 plan in, both consented;
    - `resident` (M2000001): the firm's, staying a month — on the same plans;
    - `other` (M3000001): the other firm's — on the same plans;
    - `late` (M1000003): on the 10:30 plan out, which the North has not consented to;
    - `changed` (M1000004): on the 08:30 plan, its line changed after the consent;
    - `noplan` (M1000005): approved for the day, on no plan;
    - `noapproval` (M4000001): on the 08:30 plan under a crossing approval, without a visit
      approval.

    With `rfid`, the plans have no slot (any time of the day) and are consented."""
    firm = persona_firm(personas)
    other = make_firm("관문시험전자(주)", name_en="Gate Test Electronics")
    table = timetable(CrossingMode.RFID if rfid else CrossingMode.SLOTS)
    slots = list(table.slots.order_by("direction", "opens_at"))
    in_slot, out_first, out_second = slots[0], slots[1], slots[2]
    world = GateWorld(firm=firm, other=other)
    if rfid:
        plans = {"out": day_plan(OUT, None), "in": day_plan(IN, None)}
        plans["out2"] = plans["out"]
    else:
        plans = {
            "out": day_plan(OUT, out_first),
            "out2": day_plan(OUT, out_second, state=PlanState.SENT),
            "in": day_plan(IN, in_slot),
        }
    world.plans = plans
    short = approved_application(
        personas,
        people=["M1000001", "m1000-002", "M1000003", "M1000004", "M1000005"],
        plates=["12가 3456"],
    )
    resident = approved_application(personas, people=["M2000001"], end=DAY + dt.timedelta(days=30))
    others = approved_application(personas, people=["M3000001"])
    unapproved = approved_application(personas, people=["M4000001"], kinds=("crossing",))
    by_number = {t.document_number: t for t in Traveller.objects.filter(application=short)}
    truck = short.vehicles.get()
    for label, app, number, firm_of in (
        ("short1", short, "M1000001", firm),
        ("short2", short, "m1000-002", firm),
        ("resident", resident, "M2000001", firm),
        ("other", others, "M3000001", other),
    ):
        traveller = by_number.get(number) or app.travellers.get(document_number=number)
        for plan in (plans["out"], plans["in"]):
            line = plan_line(plan, app, traveller=traveller, firm=firm_of)
        world.people[label] = line.key
    for plan in (plans["out"], plans["in"]):
        line = plan_line(plan, short, vehicle=truck, firm=firm)
    world.vehicles["truck"] = line.key
    late = plan_line(plans["out2"], short, traveller=by_number["M1000003"], firm=firm)
    world.people["late"] = late.key
    changed = plan_line(
        plans["out"], short, traveller=by_number["M1000004"], firm=firm, state=LineState.CHANGED
    )
    world.people["changed"] = changed.key
    world.people["noplan"] = "M1000005"
    stranger = plan_line(plans["out"], unapproved, traveller=unapproved.travellers.get(), firm=firm)
    world.people["noapproval"] = stranger.key
    return world
