"""Acceptance 2: the replay of 11 February 2016. The North gave every South Korean in the
complex until 17:30 Seoul time to leave; 280 people in 247 vehicles crossed back by about
22:00 (domain.md). The time the order was given (16:50 here) and the spread of the crossings
over the evening are this test's assumptions, not facts of the source: the source gives the
deadline, the totals and the end (about 22:00) only. The morning's check-outs are written as
the gate writes a passed event (`evac_world.pass_gate`: no approvals or plans to build for 527
crossers); the evening's check-ins go through the gate's own `gate_check`, as the gate officer
types them in from the paper list."""

from __future__ import annotations

import datetime as dt

import pytest

from panmun.liaison.models import Kind
from panmun.liaison.services.log import verify_received

from ..models import EvacuationState, Subject
from ..selectors_evacuation import evacuation_board
from ..services.evacuation import (
    evacuation_manifest_send,
    evacuation_order_close,
    evacuation_order_record,
)
from ..services.gate import gate_check
from .evac_world import KST, pass_gate, people_and_vehicles
from .factories import make_firm, persona_firm

pytestmark = pytest.mark.django_db

DAY = dt.date(2016, 2, 11)


def at(hour: int, minute: int, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=KST)


def test_the_eleventh_of_february_2016(personas):
    gate, gic = personas["gate"], personas["gic"]
    firms = [persona_firm(personas)] + [make_firm(f"철수시험{n}(주)") for n in range(1, 12)]
    people, vehicles = people_and_vehicles(firms, 280, 247)
    # The morning of the 11th: everyone crossed out in the day's slots.
    pass_gate(officer=gate, crossers=people[:150] + vehicles[:120], direction="out", at=at(9, 0))
    pass_gate(officer=gate, crossers=people[150:] + vehicles[120:], direction="out", at=at(10, 30))
    before = evacuation_board(at=at(16, 49))
    assert before.order is None
    assert (before.totals["people_inside"], before.totals["vehicles_inside"]) == (280, 247)

    order = evacuation_order_record(
        actor=gic,
        issued_at=at(16, 50),
        deadline=at(17, 30),
        issued_by_ko="중앙특구개발지도총국",
        issued_by_en="Central Special Zone Development Guidance Bureau",
        terms="17시 30분까지 남측 인원 전원 추방",
        may_take="개인 소지품만",
    )
    board = evacuation_board(at=at(16, 50))
    assert board.order == order and board.countdown == "0:40:00"
    assert sum(len(g.people) for g in board.firms) == 280
    assert {g.firm_name for g in board.firms} == {f.name_ko for f in firms}

    # The manifest as the order is given: everyone still inside.
    first = evacuation_manifest_send(actor=gic, order=order, at=at(16, 55))
    listed = verify_received(first.log, first.index, first.leaf)["body"]["items"]
    assert len(listed) == 280 + 247 and {i["status"] for i in listed} == {"inside"}

    # The evening: each batch crosses back with its vehicles; the board counts down.
    batches = [(17, 20, 40), (18, 5, 60), (19, 0, 70), (20, 10, 50), (21, 0, 40), (21, 55, 20)]
    assert sum(n for _h, _m, n in batches) == 280
    gone = 0
    cars_gone: set[str] = set()
    for hour, minute, count in batches:
        batch = people[gone : gone + count]
        cars = [v for v in vehicles if v.key in {p.vehicle_key for p in batch} - cars_gone]
        # A vehicle carrying two people leaves with its last one.
        later_riders = {p.vehicle_key for p in people[gone + count :]}
        cars = [v for v in cars if v.key not in later_riders]
        # Through the gate itself, typed in from the paper list with the real time: with the
        # order in force, crossing back needs no plan and no slot.
        for crosser in batch + cars:
            answer = gate_check(
                actor=gate,
                subject=crosser.subject,
                key=crosser.key,
                direction="in",
                at=at(hour, minute),
                source="paper",
            )
            assert answer.passed, (crosser.key, answer.event.refusal_code)
        gone += count
        cars_gone |= {v.key for v in cars}
        for moment in (at(hour, minute), None):  # the replay at that minute, and now (live)
            board = evacuation_board(at=moment)
            assert board.totals["people_inside"] == 280 - gone
            assert board.totals["vehicles_inside"] == 247 - len(cars_gone)
            assert board.totals["people_crossed"] == gone
            assert board.totals["vehicles_crossed"] == len(cars_gone)
        if (hour, minute) < (17, 30):
            assert evacuation_board(at=at(hour, minute)).seconds_left == 600
        else:
            assert evacuation_board(at=at(hour, minute)).seconds_left == 0

    final = evacuation_board(at=at(22, 0))
    assert final.totals["people_inside"] == final.totals["vehicles_inside"] == 0
    assert final.firms == [] and final.inside == []
    assert (final.totals["people_crossed"], final.totals["vehicles_crossed"]) == (280, 247)
    # Nobody crosses out while the order is in force.
    late = gate_check(
        actor=gate,
        subject="person",
        key=people[0].key,
        direction="out",
        at=at(22, 5),
        source="paper",
    )
    assert not late.passed and late.event.refusal_code == "evacuation"
    # Replayed at an earlier minute, the board shows that minute's count, not now's.
    assert evacuation_board(at=at(18, 30)).totals["people_inside"] == 280 - 40 - 60

    entry = evacuation_manifest_send(actor=gic, order=order, at=at(22, 0))
    order.refresh_from_db()
    assert order.manifest_entry == entry and entry.kind == Kind.LIST
    assert entry.index == first.index + 1
    data = verify_received(entry.log, entry.index, entry.leaf)
    items = data["body"]["items"]
    assert len(items) == 280 + 247
    assert {i["status"] for i in items} == {"crossed"}
    assert sum(1 for i in items if i["subject"] == Subject.PERSON) == 280
    assert data["body"]["source"] == {"app": "complex", "ref": f"evacuation-order/{order.pk}"}

    closed = evacuation_order_close(actor=gic, order=order, closed_at=at(22, 30))
    assert closed.state == EvacuationState.CLOSED
    # After the close, the board of that evening still replays the order.
    assert evacuation_board(at=at(19, 0)).order == order
