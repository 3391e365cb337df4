"""`panmun load-demo`'s crossings at the complex: a working day, Tuesday 15 December 2015, under
the timetable of 17 August 2015 (the RFID mode: one plan each way for the day, 09:00–17:30).

- The crossing plans: for the persona's firm and three other tenants, approved visit, vehicle and
  crossing plans for 30 people and 6 vehicles out in the morning, and crossing plans back for
  some of them in the afternoon; two residents staying two months. They are written as the
  ministry's decided records (state "approved", decided by `ministry`), as `demo_firms` writes
  the project approvals: the permits services refuse a submission for a day that has passed,
  and the demo's day is in 2015. The other tenants have no organisation (no logins) in the demo,
  so their plan lines are given their firm after the build.
- The day's plans built (`dayplans_build`), sent to the North and consented to by the bureau
  (`dayplan_answer`); the next day's plan out sent and refused, with the bureau's note.
- The gate (`gate_check`), at the events' real times of that day: check-outs from 09:05, the
  day visitors back from 15:10; a flagged person refused (the flag raised by the gate officer,
  with instructions, dated the day before), and a person with a visit approval but on no plan
  refused. One terminal's check-outs, recorded while it was offline, merged (`gate_events_merge`).
  So the live headcount shows people inside by firm, residents apart. The gate begins each
  person's stay at the check-out; the residents' stays are registered the next day. Seen from
  today, those still inside have overstayed: the stays' daily job, run at the end, flags them.
- The order to leave of 11 February 2016 (16:50, everyone out by 17:30), recorded and closed at
  its deadline: history for the evacuation board. It is closed, so it stops no crossing, and it
  changes no presence.

Document numbers and plates are made up. Idempotent: nothing is written when the day's plans
exist."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from panmun.accounts.models import User
from panmun.common.apps import DemoRun
from panmun.liaison import node
from panmun.permits.models import Application, Approval, ApprovalKind, ApprovalState, Traveller

from .models import DayPlan, EvacuationOrder, Firm, FirmKind, PlanLine, PlanState, Stay
from .models.crossings import FlagSource, Subject
from .services import evacuation as evacuation_service
from .services import gate as gate_service
from .services import gate_flags, gate_merge, plans_north
from .services import plans as plans_service
from .services import stay as stay_service

KST = ZoneInfo("Asia/Seoul")
DAY = dt.date(2015, 12, 15)
NEXT = DAY + dt.timedelta(days=1)
MARK = "[demo]"
REFERENCE = "EX-2015-GX"
#: The offline terminal's uids: the same each run (a merge takes each uid once).
UIDS = uuid.UUID("6b1c8f1e-2015-4c15-9d00-000000000000")


def at(hour: int, minute: int, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=KST)


@dataclass(frozen=True)
class Group:
    """One firm's crossings of the day: `people` out (of whom the first `back` come back in
    the afternoon), `plates` out (the first `plates_back` back), staying `days` (1: a day
    visit)."""

    code: str
    people: int
    back: int
    plates: tuple[str, ...] = ()
    plates_back: int = 0
    days: int = 1
    offline: bool = False


#: By firm: the persona's (index 0), then the other tenants' in order of their records.
GROUPS: dict[int, tuple[Group, ...]] = {
    0: (
        Group("A1", 8, 6, ("12가3456", "34나7890"), 2),
        Group("A2", 2, 0, days=60),  # residents
    ),
    1: (Group("B1", 6, 4, ("56다1234",), 1),),
    2: (Group("C1", 5, 0, days=3, offline=True),),  # short stays, checked out offline
    3: (
        Group("D1", 4, 2, ("78라5678", "90마1357"), 1),
        Group("D2", 1, 0, ("11바2468",), 0, days=60),  # a resident with his car
    ),
}
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ("민수", "영호", "지현", "성훈", "수진", "동욱", "은정", "재원", "현우", "미경")


def _number(code: str, n: int) -> str:
    return f"M{ord(code[0]) - 64}{code[1]}{n:05d}"


def _name(i: int) -> tuple[str, str]:
    surname, given = SURNAMES[i % len(SURNAMES)], GIVEN[(i * 7) % len(GIVEN)]
    return f"{surname}{given}", f"DEMO {i:03d}"


def _application(
    *,
    reference: str,
    firm: Firm,
    users: dict[str, User],
    own: bool,
    start: dt.date,
    end: dt.date,
    kinds: list[str],
    direction: str,
    crossing_date: dt.date | None,
    purpose: str,
) -> Application:
    decided = at(15, 0, start) - dt.timedelta(days=4)
    application = Application.objects.create(
        reference=reference,
        applicant=users["firm"] if own else users["ministry"],
        organisation=firm.organisation if own else None,
        purpose=f"{purpose}: {firm.name_ko} {MARK}",
        destination="gaeseong",
        destination_detail="개성공업지구",
        start_date=start,
        end_date=end,
        north_partner="중앙특구개발지도총국",
        submitted_at=decided - dt.timedelta(days=2),
    )
    for kind in kinds:
        crossing = kind == ApprovalKind.CROSSING
        Approval.objects.create(
            application=application,
            kind=kind,
            state=ApprovalState.APPROVED,
            decided_by=users["ministry"],
            decided_at=decided,
            submitted_at=decided - dt.timedelta(days=2),
            crossing_date=crossing_date if crossing else None,
            crossing_slot=(dt.time(9) if direction == "to_north" else dt.time(15))
            if crossing
            else None,
            crossing_direction=direction if crossing else "",
        )
    return application


def _travellers(application: Application, numbers: list[tuple[str, int]]) -> None:
    for row, (number, i) in enumerate(numbers, start=1):
        name_ko, name_latin = _name(i)
        Traveller.objects.create(
            application=application,
            row=row,
            name_ko=name_ko,
            name_latin=name_latin,
            sex="M" if i % 3 else "F",
            birth_date=dt.date(1960 + i % 30, 1 + i % 12, 1 + i % 28),
            document_kind="passport",
            document_number=number,
            nationality="KR",
            phone=f"010{8000_0000 + i:08d}",
        )


def _vehicles(application: Application, plates: tuple[str, ...]) -> None:
    for plate in plates:
        application.vehicles.create(plate_number=plate, vehicle_kind="truck", make_model="마이티")


@dataclass
class DayWorld:
    out: list[tuple[str, str, bool]]  # (subject, key, offline)
    back: list[tuple[str, str]]
    applications: dict[int, list[Application]]
    flagged: str
    no_plan: str


def _approvals(users: dict[str, User], firms: list[Firm]) -> DayWorld:
    world = DayWorld(out=[], back=[], applications={}, flagged="", no_plan="")
    counter = 0
    serial = 0
    for index, groups in GROUPS.items():
        firm = firms[index]
        own = index == 0
        apps = world.applications.setdefault(index, [])
        for group in groups:
            numbers = []
            for n in range(1, group.people + 1):
                counter += 1
                numbers.append((_number(group.code, n), counter))
            end = DAY + dt.timedelta(days=group.days - 1)
            serial += 1
            out = _application(
                reference=f"{REFERENCE}{serial:03d}",
                firm=firm,
                users=users,
                own=own,
                start=DAY,
                end=end,
                kinds=["visit", "crossing"] + (["vehicle"] if group.plates else []),
                direction="to_north",
                crossing_date=DAY,
                purpose="개성공업지구 출경 (공장 가동)",
            )
            _travellers(out, numbers)
            _vehicles(out, group.plates)
            apps.append(out)
            world.out += [(Subject.PERSON, number, group.offline) for number, _i in numbers]
            world.out += [(Subject.VEHICLE, plate, group.offline) for plate in group.plates]
            if group.back or group.plates_back:
                serial += 1
                back = _application(
                    reference=f"{REFERENCE}{serial:03d}",
                    firm=firm,
                    users=users,
                    own=own,
                    start=DAY,
                    end=DAY,
                    kinds=["crossing"],
                    direction="to_south",
                    crossing_date=DAY,
                    purpose="개성공업지구 입경",
                )
                _travellers(back, numbers[: group.back])
                _vehicles(back, group.plates[: group.plates_back])
                apps.append(back)
                world.back += [(Subject.PERSON, number) for number, _i in numbers[: group.back]]
                world.back += [
                    (Subject.VEHICLE, plate) for plate in group.plates[: group.plates_back]
                ]
    # The person flagged: one of the persona firm's day visitors (on the plans).
    world.flagged = _number("A1", 8)
    # A visit approved for the day, but no crossing plan: on no plan.
    serial += 1
    counter += 1
    stray = _application(
        reference=f"{REFERENCE}{serial:03d}",
        firm=firms[1],
        users=users,
        own=False,
        start=DAY,
        end=DAY,
        kinds=["visit"],
        direction="to_north",
        crossing_date=None,
        purpose="개성공업지구 방문 (출입계획 없음)",
    )
    world.no_plan = _number("B9", 1)
    _travellers(stray, [(world.no_plan, counter)])
    world.applications[1].append(stray)
    # The next day's plan out, which the North refuses.
    serial += 1
    counter += 1
    later = _application(
        reference=f"{REFERENCE}{serial:03d}",
        firm=firms[3],
        users=users,
        own=False,
        start=NEXT,
        end=NEXT,
        kinds=["visit", "crossing", "vehicle"],
        direction="to_north",
        crossing_date=NEXT,
        purpose="개성공업지구 출경 (설비 반입)",
    )
    _travellers(later, [(_number("D3", 1), counter)])
    _vehicles(later, ("22사3579",))
    world.applications[3].append(later)
    return world


def _firms_of_lines(world: DayWorld, firms: list[Firm]) -> None:
    """The other tenants' lines given their firm (their applications have no organisation)."""
    for index, apps in world.applications.items():
        if index == 0:
            continue
        PlanLine.objects.filter(approval__application__in=apps, firm__isnull=True).update(
            firm=firms[index]
        )


def _plans(users: dict[str, User], world: DayWorld, firms: list[Firm]) -> int:
    gate, bureau = users["gate"], users["bureau"]
    plans_service.dayplans_build(actor=gate, day=DAY)
    plans_service.dayplans_build(actor=gate, day=NEXT)
    _firms_of_lines(world, firms)
    sent = 0
    for plan in DayPlan.objects.filter(day__in=[DAY, NEXT]).order_by("day", "direction", "pk"):
        plan = plans_north.dayplan_send(actor=gate, plan=plan)
        if plan.day == DAY:
            plans_north.dayplan_answer(actor=bureau, plan=plan, consent=True)
        else:
            plans_north.dayplan_answer(
                actor=bureau,
                plan=plan,
                consent=False,
                note="반입 설비 차량(22사3579)의 적재 목록이 없습니다. "
                "목록을 붙여 다시 보내십시오.",
            )
        sent += 1
    return sent


def _gate(users: dict[str, User], world: DayWorld) -> int:
    gate = users["gate"]
    flag = gate_flags.gate_flag_raise(
        actor=gate,
        subject=Subject.PERSON,
        key=world.flagged,
        name=_name(8)[0],
        reason="체류 등록 기한(48시간) 초과 기록 / a stay registered late",
        instructions="통과시키지 말고 관리위원회 출입 담당(내선 2201)에 연락하십시오. "
        "Do not let through: call the committee's crossing desk (ext. 2201).",
        source=FlagSource.MANUAL,
    )
    # Raised the evening before the demo's day (the service stamps the present moment).
    type(flag).objects.filter(pk=flag.pk).update(raised_at=at(17, 40, DAY - dt.timedelta(days=1)))
    checks = 0
    minute = 0
    offline: list[dict[str, Any]] = []
    for subject, key, is_offline in world.out:
        minute += 2
        moment = at(9, 5) + dt.timedelta(minutes=minute)
        if is_offline:
            offline.append(
                {
                    "uid": uuid.uuid5(UIDS, key),
                    "subject": subject,
                    "key": key,
                    "direction": "out",
                    "occurred_at": moment,
                    "terminal": "출경 2번 (오프라인)",
                    "officer": gate.username,
                }
            )
            continue
        gate_service.gate_check(
            actor=gate,
            subject=subject,
            key=key,
            direction="out",
            at=moment,
            source="scan",
            terminal="출경 1번",
        )
        checks += 1
    gate_service.gate_check(
        actor=gate,
        subject=Subject.PERSON,
        key=world.no_plan,
        direction="out",
        at=at(10, 12),
        source="typed",
        terminal="출경 1번",
    )
    checks += 1
    gate_merge.gate_events_merge(actor=gate, events=offline)
    checks += len(offline)
    for n, (subject, key) in enumerate(world.back):
        gate_service.gate_check(
            actor=gate,
            subject=subject,
            key=key,
            direction="in",
            at=at(15, 10) + dt.timedelta(minutes=3 * n),
            source="scan",
            terminal="입경 1번",
        )
        checks += 1
    return checks


def _registrations(users: dict[str, User]) -> int:
    """The residents' stays (begun by their check-out) registered the next day, for the 60 days
    of their visit: within the 48 hours. The three-day visitors leave within 7 days: exempt."""
    done = 0
    for stay in Stay.objects.filter(
        key__in=[
            _number(g.code, n)
            for gs in GROUPS.values()
            for g in gs
            if g.days > 7
            for n in range(1, g.people + 1)
        ],
        departed_at__isnull=True,
        arrived_at__date__gte=DAY - dt.timedelta(days=1),
    ):
        stay_service.stay_register(
            actor=users["gic"],
            stay=stay,
            valid_until=DAY + dt.timedelta(days=59),
            requested_on=DAY + dt.timedelta(days=1),
        )
        done += 1
    return done


def _evacuation(users: dict[str, User]) -> bool:
    if EvacuationOrder.objects.exists():
        return False
    order = evacuation_service.evacuation_order_record(
        actor=users["gic"],
        issued_at=at(16, 50, dt.date(2016, 2, 11)),
        deadline=at(17, 30, dt.date(2016, 2, 11)),
        issued_by_ko="조국평화통일위원회 (통보)",
        issued_by_en="Committee for the Peaceful Reunification of the Fatherland (notice)",
        terms="2016년 2월 11일 17:30까지 남측 인원 전원 철수. 280명, 차량 247대가 22시께까지 "
        "입경 (domain.md).",
        may_take="개인 소지품 (생산 설비, 원부자재, 완제품은 두고 감)",
    )
    evacuation_service.evacuation_order_close(
        actor=users["gic"], order=order, closed_at=at(17, 30, dt.date(2016, 2, 11))
    )
    return True


def load(run: DemoRun | None = None) -> None:
    if DayPlan.objects.filter(day__in=[DAY, NEXT]).exists():
        return
    if Application.objects.filter(reference__startswith=REFERENCE).exists():
        return
    names = ["gate", "bureau", "ministry", "firm", "gic"]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(users) < len(names) or not (node.is_local("south") and node.is_local("north")):
        return
    own = Firm.objects.filter(organisation__users__username="firm").first()
    others = list(
        Firm.objects.filter(kind=FirmKind.TENANT, organisation__isnull=True).order_by("pk")[:3]
    )
    if own is None or len(others) < 3:
        return
    firms = [own, *others]
    with transaction.atomic():
        world = _approvals(users, firms)
        plans = _plans(users, world, firms)
        checks = _gate(users, world)
        _registrations(users)
        # The daily job brought up to date, as demo_stay does: seen from today, the people
        # still inside since 2015 have overstayed, and the gate stops them (flagged) until
        # the committee settles it. Done here so that a second load adds no flag.
        stay_service.stay_reminders_list(days=7)
        evacuation = _evacuation(users)
    consented = DayPlan.objects.filter(day=DAY, state=PlanState.CONSENTED).count()
    if run is not None:
        run.say(
            f"Gaeseong crossings: {plans} day plans ({consented} consented), {checks} gate "
            f"events{', the order of 11 February 2016' if evacuation else ''}."
        )
