"""The evacuation's services and the board: the order's rules, the people allowed to stay, the
board's scope and return plan, the manifest through the liaison log, the assets left behind."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl
import pytest

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError, ErrorCode
from panmun.liaison.models import Entry
from panmun.liaison.services.log import verify_received
from panmun.permits.tests.factories import complete_application

from ..access import evacuation_firms
from ..models import (
    AssetLeft,
    CrossingDirection,
    DayPlan,
    EvacuationOrder,
    EvacuationState,
    EvacuationStay,
    PlanLine,
    Slot,
    Subject,
    Timetable,
)
from ..selectors_evacuation import asset_totals, evacuation_board, order_in_force
from ..services.evacuation import (
    asset_left_record,
    assets_export,
    evacuation_manifest_send,
    evacuation_order_close,
    evacuation_order_record,
    stays_parse,
)
from .evac_world import KST, Crosser, pass_gate
from .factories import make_firm, persona_firm

pytestmark = pytest.mark.django_db


def at(hour: int, minute: int = 0, day: int = 11) -> dt.datetime:
    return dt.datetime(2016, 2, day, hour, minute, tzinfo=KST)


def order(personas, who: str = "gic", **changes) -> EvacuationOrder:
    values = {
        "issued_at": at(16, 50),
        "deadline": at(17, 30),
        "issued_by_ko": "중앙특구개발지도총국",
        "issued_by_en": "Central Special Zone Development Guidance Bureau",
        "terms": "",
        "may_take": "개인 소지품",
        **changes,
    }
    return evacuation_order_record(actor=personas[who], **values)


@pytest.fixture
def inside(personas):
    """Two people and a vehicle of the persona firm, one person of another firm, inside."""
    firm = persona_firm(personas)
    other = make_firm("다른봉제(주)")
    crossers = [
        Crosser(Subject.PERSON, "M1", "김일", firm, "11가1111"),
        Crosser(Subject.PERSON, "M2", "김이", firm, "11가1111"),
        Crosser(Subject.VEHICLE, "11가1111", "화물차", firm),
        Crosser(Subject.PERSON, "M3", "박삼", other),
    ]
    pass_gate(officer=personas["gate"], crossers=crossers, direction="out", at=at(8, 30))
    return {"firm": firm, "other": other, "crossers": crossers}


def refusal(call) -> DomainError:
    with pytest.raises(DomainError) as err:
        call()
    return err.value


def fields(err: DomainError) -> list[str]:
    return [e["field"] for e in err.details["errors"]]


# --- the order ----------------------------------------------------------------------------


def test_an_order_is_recorded_with_those_allowed_to_stay(personas, inside):
    made = order(personas, allowed_to_stay=[" m3 ", {"subject": "vehicle", "key": "99다 9999"}])
    assert made.state == EvacuationState.IN_FORCE and order_in_force(at(17)) == made
    stays = {(s.subject, s.key): s for s in EvacuationStay.objects.filter(order=made)}
    assert set(stays) == {("person", "M3"), ("vehicle", "99다9999")}
    # Someone inside: the name and firm come from the presence.
    assert (stays["person", "M3"].name, stays["person", "M3"].firm) == ("박삼", inside["other"])
    entry = AuditEntry.objects.get(action="complex.evacuation.order")
    assert entry.changes["allowed_to_stay"] == ["M3", "99다9999"]


def test_the_supervisor_may_record_an_order_the_ministry_officer_may_not(personas):
    assert order(personas, "supervisor").recorded_by == personas["supervisor"]
    for who in ("ministry", "viewer", "firm", "gate", "bureau"):
        err = refusal(lambda w=who: order(personas, w, issued_at=at(18)))
        assert err.code == ErrorCode.PERMISSION_DENIED
    assert EvacuationOrder.objects.count() == 1


def test_a_second_order_in_force_is_refused(personas):
    first = order(personas)
    err = refusal(lambda: order(personas, issued_at=at(18), deadline=at(19)))
    assert err.code == ErrorCode.CONFLICT and err.details["order"] == first.pk
    assert EvacuationOrder.objects.count() == 1
    evacuation_order_close(actor=personas["gic"], order=first, closed_at=at(23))
    second = order(personas, issued_at=at(9, day=12), deadline=at(12, day=12))
    assert order_in_force(at(10, day=12)) == second and order_in_force(at(20)) == first


def test_a_deadline_not_after_the_issue_is_refused(personas):
    for deadline in (at(16, 50), at(16, 0)):
        err = refusal(lambda d=deadline: order(personas, deadline=d))
        assert err.code == ErrorCode.INVALID_INPUT and fields(err) == ["deadline"]
    assert not EvacuationOrder.objects.exists()
    assert not AuditEntry.objects.filter(action="complex.evacuation.order").exists()


def test_bad_input_is_refused_field_by_field(personas):
    err = refusal(
        lambda: order(
            personas,
            issued_at=dt.datetime(2016, 2, 11, 16, 50),  # naive
            issued_by_ko="  ",
            terms="x" * 4001,
            allowed_to_stay=["M1", "m1", "", {"subject": "ship", "key": "A"}, "K" * 41],
        )
    )
    assert fields(err) == [
        "issued_at",
        "issued_by_ko",
        "terms",
        "allowed_to_stay[2]",
        "allowed_to_stay[3]",
        "allowed_to_stay[4]",
        "allowed_to_stay[5]",
    ]
    too_many = refusal(lambda: order(personas, allowed_to_stay=[f"K{n}" for n in range(1001)]))
    assert fields(too_many) == ["allowed_to_stay"]
    assert not EvacuationOrder.objects.exists() and not EvacuationStay.objects.exists()


def test_stays_as_typed_on_the_form():
    assert stays_parse("M1\n\n M2 , 김이 \n차량: 11가1111, 화물차\nvehicle:22나2222") == [
        {"subject": "person", "key": "M1", "name": ""},
        {"subject": "person", "key": "M2", "name": "김이"},
        {"subject": "vehicle", "key": "11가1111", "name": "화물차"},
        {"subject": "vehicle", "key": "22나2222", "name": ""},
    ]


def test_closing_an_order(personas):
    made = order(personas)
    err = refusal(
        lambda: evacuation_order_close(actor=personas["gic"], order=made, closed_at=at(16))
    )
    assert fields(err) == ["closed_at"]
    denied = refusal(lambda: evacuation_order_close(actor=personas["ministry"], order=made))
    assert denied.code == ErrorCode.PERMISSION_DENIED
    closed = evacuation_order_close(actor=personas["supervisor"], order=made, closed_at=at(22))
    assert (closed.state, closed.closed_at) == (EvacuationState.CLOSED, at(22))
    again = refusal(lambda: evacuation_order_close(actor=personas["gic"], order=made))
    assert again.code == ErrorCode.INVALID_TRANSITION
    assert order_in_force(at(21)) == made and order_in_force(at(22, 1)) is None


# --- the board ----------------------------------------------------------------------------


def test_the_board_sets_the_allowed_to_stay_apart(personas, inside):
    made = order(personas, allowed_to_stay=["M3"])
    board = evacuation_board(at=at(17))
    assert board.order == made and board.countdown == "0:30:00"
    assert [r.key for r in board.staying] == ["M3"]
    assert board.totals == {
        "people_inside": 2,
        "vehicles_inside": 1,
        "people_staying": 1,
        "vehicles_staying": 0,
        "people_crossed": 0,
        "vehicles_crossed": 0,
        "plan_lines_waiting": 0,
    }
    [group] = board.firms
    assert (group.firm_name, [p.key for p in group.people], [v.key for v in group.vehicles]) == (
        inside["firm"].name_ko,
        ["M1", "M2"],
        ["11가1111"],
    )
    assert group.people[0].vehicle_key == "11가1111"


def test_a_firm_sees_its_own_people_the_gate_all(personas, inside):
    order(personas)
    firms = evacuation_firms(personas["firm"])
    assert firms is not None
    own = evacuation_board(firms=firms)
    assert {r.key for r in own.inside} == {"M1", "M2", "11가1111"}
    assert evacuation_firms(personas["gate"]) is None
    assert len(evacuation_board(firms=evacuation_firms(personas["gate"])).inside) == 4
    err = refusal(lambda: evacuation_firms(personas["bureau"]))
    assert err.code == ErrorCode.PERMISSION_DENIED


def test_the_board_recomputes_a_past_moment_from_the_events(personas, inside):
    order(personas)
    firm = inside["firm"]
    m1 = [c for c in inside["crossers"] if c.key == "M1"]
    pass_gate(officer=personas["gate"], crossers=m1, direction="in", at=at(17, 10))
    # Out again and back: the last passed event decides.
    pass_gate(officer=personas["gate"], crossers=m1, direction="out", at=at(17, 20))
    pass_gate(officer=personas["gate"], crossers=m1, direction="in", at=at(17, 40))
    keys = lambda moment: {r.key for r in evacuation_board(at=moment).inside}  # noqa: E731
    assert keys(at(17, 5)) == {"M1", "M2", "11가1111", "M3"}
    assert keys(at(17, 15)) == {"M2", "11가1111", "M3"}
    assert keys(at(17, 25)) == {"M1", "M2", "11가1111", "M3"}
    assert keys(at(17, 45)) == keys(None) == {"M2", "11가1111", "M3"}
    assert [r.since for r in evacuation_board(at=at(17, 45)).crossed] == [at(17, 10), at(17, 40)]
    assert evacuation_board(at=at(17, 45)).seconds_left == 0
    assert firm.pk in {g.firm_id for g in evacuation_board(at=at(17, 45)).firms}


def test_the_return_plan_lists_the_lines_not_yet_crossed(personas, inside):
    order(personas)
    # A timetable of the test's own from a day the history has none (its slots are the test's).
    timetable = Timetable.objects.create(
        effective_from=dt.date(2016, 2, 1), name_ko="시험 시간표", name_en="Test timetable"
    )
    approval = complete_application(personas["firm"], ["visit"]).approvals.get()
    plans = []
    for opens in (dt.time(17, 0), dt.time(19, 0)):
        slot = Slot.objects.create(
            timetable=timetable,
            direction=CrossingDirection.IN,
            opens_at=opens,
            closes_at=dt.time(opens.hour + 1, 0),
        )
        plans.append(DayPlan.objects.create(day=dt.date(2016, 2, 11), slot=slot, direction="in"))
    for plan, crosser in zip(plans, inside["crossers"][:2], strict=True):
        PlanLine.objects.create(
            plan=plan,
            approval=approval,
            subject=crosser.subject,
            key=crosser.key,
            name=crosser.name,
            firm=crosser.firm,
        )
    m1 = [c for c in inside["crossers"] if c.key == "M1"]
    pass_gate(officer=personas["gate"], crossers=m1, direction="in", at=at(17, 30))
    before = evacuation_board(at=at(17, 20)).plan
    assert [(s.opens_at, [r.key for r in s.lines]) for s in before] == [
        (dt.time(17, 0), ["M1"]),
        (dt.time(19, 0), ["M2"]),
    ]
    after = evacuation_board(at=at(17, 40))
    assert [[r.key for r in s.lines] for s in after.plan] == [[], ["M2"]]
    assert after.totals["plan_lines_waiting"] == 1
    other_firm = evacuation_board(at=at(17, 40), firms=evacuation_firms(personas["firm"]))
    assert len(other_firm.plan) == 2


def test_no_order_no_countdown(personas, inside):
    board = evacuation_board()
    assert board.order is None and board.seconds_left is None and board.countdown == ""
    assert board.totals["people_inside"] == 3 and board.crossed == []


# --- the manifest -------------------------------------------------------------------------


def test_the_manifest_is_a_signed_list_that_verifies(personas, inside):
    made = order(personas, allowed_to_stay=["M3"])
    m1 = [c for c in inside["crossers"] if c.key == "M1"]
    pass_gate(officer=personas["gate"], crossers=m1, direction="in", at=at(17, 10))
    entry = evacuation_manifest_send(actor=personas["gic"], order=made, at=at(17, 15))
    made.refresh_from_db()
    assert made.manifest_entry == entry and entry.log.side == "south"
    data = verify_received(entry.log, entry.index, entry.leaf)
    statuses = {(i["key"], i["status"]) for i in data["body"]["items"]}
    assert statuses == {
        ("M2", "inside"),
        ("11가1111", "inside"),
        ("M3", "staying"),
        ("M1", "crossed"),
    }
    assert data["body"]["list_kind"] == "other"
    # A changed list does not verify.
    leaf = json.loads(entry.leaf)
    leaf["body"]["items"] = leaf["body"]["items"][1:]
    forged = json.dumps(leaf, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    with pytest.raises(DomainError):
        verify_received(entry.log, entry.index, forged)
    assert AuditEntry.objects.filter(action="complex.evacuation.manifest").count() == 1


def test_the_manifest_is_refused_to_others_and_where_the_south_is_not_written(personas, settings):
    made = order(personas)
    err = refusal(lambda: evacuation_manifest_send(actor=personas["ministry"], order=made))
    assert err.code == ErrorCode.PERMISSION_DENIED
    early = refusal(lambda: evacuation_manifest_send(actor=personas["gic"], order=made, at=at(16)))
    assert fields(early) == ["at"]
    settings.PANMUN_LIAISON_SIDES = ["north"]
    remote = refusal(lambda: evacuation_manifest_send(actor=personas["gic"], order=made))
    assert remote.code == ErrorCode.CONFLICT
    assert not Entry.objects.exists()
    made.refresh_from_db()
    assert made.manifest_entry is None


# --- assets left behind -------------------------------------------------------------------


def asset(personas, who="firm", firm=None, **changes) -> AssetLeft:
    values = {
        "category": "equipment",
        "description": "재봉기",
        "quantity": Decimal(120),
        "unit": "대",
        "value_krw": Decimal(360_000_000),
        **changes,
    }
    return asset_left_record(actor=personas[who], firm=firm or persona_firm(personas), **values)


def test_assets_are_registered_by_the_firm_or_the_committee(personas):
    own = asset(personas)
    other = make_firm("다른신발(주)")
    by_committee = asset(personas, "gic", other, category="buildings", value_krw=Decimal(10**9))
    assert (own.recorded_by, by_committee.recorded_by) == (personas["firm"], personas["gic"])
    for who, firm in (("firm", other), ("ministry", other), ("supervisor", own.firm)):
        err = refusal(lambda w=who, f=firm: asset(personas, w, f))
        assert err.code in (ErrorCode.PERMISSION_DENIED, ErrorCode.NOT_FOUND)
    assert AssetLeft.objects.count() == 2


def test_bad_assets_are_refused(personas):
    err = refusal(
        lambda: asset(
            personas,
            category="gold",
            description=" ",
            quantity=Decimal(0),
            value_krw=Decimal("1.5"),
        )
    )
    assert fields(err) == ["category", "description", "quantity", "value_krw"]
    for quantity, value in (("-1", "1"), ("1", "-1"), ("abc", "1"), ("1", "1e20"), ("NaN", "1")):
        err = refusal(lambda q=quantity, v=value: asset(personas, quantity=q, value_krw=v))
        assert err.code == ErrorCode.INVALID_INPUT
    assert not AssetLeft.objects.exists()


def test_asset_totals_and_the_korean_excel_file(personas):
    firm = persona_firm(personas)
    asset(personas, category="finished_goods", value_krw=Decimal(90_000_000))
    asset(personas, category="finished_goods", value_krw=Decimal(10_000_000))
    asset(personas, category="equipment", value_krw=Decimal(360_000_000))
    other = make_firm("다른신발(주)")
    asset(personas, "gic", other, category="raw_materials", value_krw=Decimal(5_000_000))
    rows = asset_totals(AssetLeft.objects.all())
    assert [(r["firm_id"], r["category"], r["records"], r["value_krw"]) for r in rows] == [
        (other.pk, "raw_materials", 1, Decimal(5_000_000)),
        (firm.pk, "equipment", 1, Decimal(360_000_000)),
        (firm.pk, "finished_goods", 2, Decimal(100_000_000)),
    ]
    book = openpyxl.load_workbook(io.BytesIO(assets_export(AssetLeft.objects.all())))
    sheet = book.active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:6] == ["기업", "종류", "내용", "수량", "단위", "가액(원)"]
    assert values[1][:2] == ["다른신발(주)", "원부자재"]
    assert values[-1][:6] == ["합계", "2개 기업", None, None, None, "465000000"]
    assert [firm.name_ko, "기업 합계"] in [v[:2] for v in values]


def test_the_board_of_a_thousand_inside_takes_a_fixed_few_queries(
    personas, django_assert_max_num_queries
):
    from .evac_world import people_and_vehicles

    firms = [persona_firm(personas)] + [make_firm(f"천명시험{n}(주)") for n in range(9)]
    people, vehicles = people_and_vehicles(firms, 1000, 400)
    pass_gate(officer=personas["gate"], crossers=people + vehicles, direction="out", at=at(8))
    order(personas)
    # Now (Presence) and a past moment (the events): the order, its stays, who is inside (one
    # query), who crossed, the plan's crossed keys and lines — however many are inside.
    for moment in (None, at(17)):
        with django_assert_max_num_queries(6):
            board = evacuation_board(at=moment)
        assert (board.totals["people_inside"], board.totals["vehicles_inside"]) == (1000, 400)
        assert len(board.firms) == 10
