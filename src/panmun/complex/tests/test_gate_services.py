"""The gate's rules through its services: who is let through, every refusal (recorded alone,
nothing else changed), the evacuation's rules, the paper fallback, flags, and the offline
gate's events merged once, in order."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError

from ..models.crossings import (
    EvacuationOrder,
    EventOutcome,
    GateEvent,
    Presence,
)
from ..services.gate import MAX_BATCH, gate_check, subject_key
from ..services.gate_flags import gate_flag_lift, gate_flag_raise
from ..services.gate_merge import gate_events_merge
from .gate_world import DAY, IN, OUT, after_the_day, at, gate_world, on


@pytest.fixture
def world(personas):
    return gate_world(personas)


def check(personas, key: str, direction: str, when: dt.datetime, **kw: Any):
    kw.setdefault("subject", "person")
    kw.setdefault("source", "typed")
    with after_the_day():
        return gate_check(
            actor=personas[kw.pop("who", "gate")], key=key, direction=direction, at=when, **kw
        )


def snapshot() -> tuple[list[Any], int]:
    return (
        list(Presence.objects.order_by("pk").values_list("pk", "key", "event_id")),
        AuditEntry.objects.count(),
    )


def test_keys_are_normalised():
    assert subject_key("person", " m 1234-5678 ") == "M12345678"
    assert subject_key("vehicle", "12 가 3456") == "12가3456"
    # One normalisation for the plans' lines, the gate, the stays and the evacuation's lists.
    from .. import timetables
    from ..services.stay import stay_key

    for typed in (" m 1234-5678 ", "M1234 5678", "m12345678"):
        assert subject_key("person", typed) == stay_key(typed) == timetables.subject_key(typed)
    assert subject_key("vehicle", "12-가 3456") == timetables.subject_key("12가3456")
    for bad in ("", "   ", "X" * 41):
        with pytest.raises(DomainError) as err:
            subject_key("person", bad)
        assert err.value.details["field"] == "key"


def test_a_person_on_the_plan_is_let_through_and_is_inside(personas, world):
    answer = check(personas, "m1000-001", OUT, at(8, 45), vehicle_key="12 가3456", terminal="G1")
    event = answer.event
    assert answer.passed and event.outcome == EventOutcome.PASSED and event.refusal_code == ""
    assert (event.key, event.officer, event.occurred_at, event.day) == (
        "M1000001",
        personas["gate"],
        at(8, 45),
        DAY,
    )
    assert event.firm == world.firm and event.line is not None
    presence = Presence.objects.get()
    assert (presence.key, presence.firm, presence.resident, presence.vehicle_key) == (
        "M1000001",
        world.firm,
        False,
        "12가3456",
    )
    assert presence.event == event and presence.since == at(8, 45)
    # The check-out began the person's stay in the complex; the check-in ends it.
    from ..models import Stay

    stay = Stay.objects.get(key="M1000001")
    assert (stay.arrived_at, stay.departed_at, stay.firm) == (at(8, 45), None, world.firm)
    back = check(personas, "M1000001", IN, at(16, 30))
    assert back.passed
    assert not Presence.objects.exists()
    assert Stay.objects.get(pk=stay.pk).departed_at == at(16, 30)


def test_a_resident_is_counted_apart(personas, world):
    check(personas, world.people["resident"], OUT, at(9, 0))
    assert Presence.objects.get().resident is True


@pytest.mark.parametrize(
    ("label", "direction", "when", "code"),
    [
        ("noapproval", OUT, (8, 45), "no_approval"),
        ("noplan", OUT, (8, 45), "not_on_plan"),
        ("late", OUT, (10, 45), "no_consent"),
        ("changed", OUT, (8, 45), "no_consent"),
        ("short1", OUT, (10, 0), "outside_slot"),
        ("short1", IN, (16, 10), "not_inside"),
    ],
)
def test_each_refusal_records_the_refusal_and_nothing_else(
    personas, world, label, direction, when, code
):
    before = snapshot()
    events = GateEvent.objects.count()
    answer = check(personas, world.people[label], direction, at(*when))
    assert not answer.passed
    assert answer.code == code
    event = GateEvent.objects.get(pk=answer.event.pk)
    assert (event.outcome, event.refusal_code) == (EventOutcome.REFUSED, code)
    ko, en = event.refusal_detail.split("\n")
    assert ko and en and ko != en
    assert GateEvent.objects.count() == events + 1
    assert snapshot() == before


def test_a_visit_approved_elsewhere_is_no_approval_for_the_complex(personas, world):
    from panmun.permits.models import Application

    from .gate_world import approved_application, plan_line

    elsewhere = approved_application(personas, people=["M5000001"])
    # The measures of 24 May 2010 forbid filing a visit to Pyongyang in 2015: the approval's
    # place is changed after the fact, to see the gate read it.
    Application.objects.filter(pk=elsewhere.pk).update(destination="pyongyang")
    plan_line(world.plans["out"], elsewhere, traveller=elsewhere.travellers.get(), firm=world.firm)
    assert check(personas, "M5000001", OUT, at(8, 45)).code == "no_approval"


def test_someone_inside_cannot_check_out_again(personas, world):
    check(personas, world.people["short1"], OUT, at(8, 40))
    before = snapshot()
    answer = check(personas, world.people["short1"], OUT, at(9, 0))
    assert answer.code == "already_inside"
    assert snapshot() == before


def test_a_flag_stops_the_person_with_its_instructions_until_lifted(personas, world):
    with on(at(7, 0)):
        flag = gate_flag_raise(
            actor=personas["gic"],
            subject="person",
            key="m1000 001",
            reason="체류 기한 초과",
            instructions="관리위원회 체류 담당에게 연락하십시오.",
        )
    assert flag.key == "M1000001"
    before = snapshot()
    answer = check(personas, "M1000001", OUT, at(8, 45))
    assert answer.code == "flagged"
    assert [f.instructions for f in answer.flags] == ["관리위원회 체류 담당에게 연락하십시오."]
    assert "체류 기한 초과" in answer.event.refusal_detail
    assert snapshot() == before
    with on(at(8, 50)):
        gate_flag_lift(actor=personas["gate"], flag=flag, note="확인함")
    assert check(personas, "M1000001", OUT, at(8, 55)).passed
    # A paper event of 08:47, typed in afterwards, is judged as of its moment: flagged then.
    assert check(personas, "M1000001", OUT, at(8, 47), source="paper").code == "flagged"
    with pytest.raises(DomainError), on(at(9, 0)):
        gate_flag_lift(actor=personas["gate"], flag=flag)


def test_flags_are_kept_by_the_gate_and_the_committee_only(personas, world):
    for who in ("firm", "ministry", "customs", "bureau"):
        with pytest.raises(DomainError) as err:
            gate_flag_raise(actor=personas[who], subject="person", key="M1", reason="x")
        assert err.value.code == "permission_denied"
    with pytest.raises(DomainError) as err:
        gate_flag_raise(actor=personas["gate"], subject="person", key="M1", reason=" ")
    assert err.value.details["errors"][0]["field"] == "reason"


def test_only_the_gate_records_crossings(personas, world):
    for who in ("gic", "firm", "ministry", "customs"):
        with pytest.raises(DomainError) as err:
            check(personas, "M1000001", OUT, at(8, 45), who=who)
        assert err.value.code == "permission_denied"
    assert not GateEvent.objects.exists()


def test_an_order_to_leave_stops_every_crossing_out_and_lets_everyone_in(personas, world):
    check(personas, world.people["short1"], OUT, at(8, 45))
    check(personas, world.people["resident"], OUT, at(8, 50))
    with on(at(8, 55)):
        gate_flag_raise(
            actor=personas["gate"],
            subject="person",
            key=world.people["resident"],
            reason="세관 조사",
            instructions="보안 담당이 동행합니다.",
        )
    EvacuationOrder.objects.create(
        issued_at=at(9, 0),
        deadline=at(17, 30),
        issued_by_ko="중앙특구개발지도총국",
        recorded_by=personas["gic"],
    )
    refused = check(personas, world.people["short2"], OUT, at(9, 10))
    assert refused.code == "evacuation"
    assert "17:30" in refused.event.refusal_detail
    # Crossing in: no plan, no slot, no guarantee hours needed (13:00 is outside the 16:00
    # slot, 22:40 outside the hours) …
    assert check(personas, world.people["short1"], IN, at(22, 40)).passed
    # … and a flag does not keep anyone inside: its instructions are shown.
    answer = check(personas, world.people["resident"], IN, at(13, 5))
    assert answer.passed and [f.reason for f in answer.flags] == ["세관 조사"]
    assert not Presence.objects.exists()
    assert check(personas, world.people["other"], IN, at(13, 10)).code == "not_inside"


def test_bad_input_is_refused_naming_the_field_and_writes_nothing(personas, world):
    cases = [
        ({"key": ""}, "key"),
        ({"direction": "up"}, "direction"),
        ({"source": "offline"}, "source"),
        ({"subject": "vehicle", "key": "12가3456", "vehicle_key": "1"}, "vehicle_key"),
        ({"terminal": "T" * 61}, "terminal"),
        ({"at": at(23, 50), "source": "paper"}, "occurred_at"),
        ({"at": dt.datetime(2015, 9, 14, 8, 45)}, "occurred_at"),
        ({"at": at(8, 45, dt.date(1999, 1, 1))}, "occurred_at"),
    ]
    for change, field in cases:
        kw: dict[str, Any] = {
            "subject": "person",
            "key": "M1000001",
            "direction": OUT,
            "at": at(8, 45),
            "source": "typed",
            **change,
        }
        with after_the_day(), pytest.raises(DomainError) as err:
            gate_check(actor=personas["gate"], **kw)
        assert err.value.details["field"] == field, change
    assert not GateEvent.objects.exists()


def test_an_event_is_recorded_once_by_its_uid(personas, world):
    uid = uuid.uuid4()
    check(personas, "M1000001", OUT, at(8, 45), uid=uid)
    with pytest.raises(DomainError) as err:
        check(personas, "M1000001", IN, at(16, 5), uid=uid)
    assert err.value.code == "conflict"
    assert GateEvent.objects.count() == 1


def test_a_vehicle_passes_on_its_own_approval_and_plan(personas, world):
    assert check(personas, "12가 3456", OUT, at(8, 45), subject="vehicle").passed
    presence = Presence.objects.get()
    assert (presence.subject, presence.key) == ("vehicle", "12가3456")
    assert check(personas, "99가9999", OUT, at(8, 45), subject="vehicle").code == "no_approval"


# --- the offline gate ---------------------------------------------------------------------------


def offline(key: str, direction: str, when: dt.datetime, **kw: Any) -> dict[str, Any]:
    return {
        "uid": str(kw.pop("uid", uuid.uuid4())),
        "subject": kw.pop("subject", "person"),
        "key": key,
        "direction": direction,
        "occurred_at": when,
        "terminal": "gate-2",
        **kw,
    }


def merge(personas, events):
    with after_the_day():
        return gate_events_merge(actor=personas["gate"], events=events)


def test_offline_events_are_merged_once_in_order(personas, world):
    short1, resident = world.people["short1"], world.people["resident"]
    events = [
        offline(short1, IN, at(16, 10)),
        offline(resident, OUT, at(8, 50), vehicle_key="12가3456"),
        offline(short1, OUT, at(8, 45)),
    ]
    report = merge(personas, events)
    assert [e.occurred_at for e in report.stored] == [at(8, 45), at(8, 50), at(16, 10)]
    assert report.known == [] and report.review == [] and report.keys == 2
    stored = list(GateEvent.objects.order_by("id"))
    assert [(e.key, e.direction, e.source, e.outcome) for e in stored] == [
        (short1, OUT, "offline", "passed"),
        (resident, OUT, "offline", "passed"),
        (short1, IN, "offline", "passed"),
    ]
    assert list(Presence.objects.values_list("key", "resident", "vehicle_key")) == [
        (resident, True, "12가3456")
    ]
    audits = AuditEntry.objects.count()
    again = merge(personas, events)
    assert again.stored == [] and sorted(again.known) == sorted(e["uid"] for e in events)
    assert GateEvent.objects.count() == 3 and AuditEntry.objects.count() == audits
    assert list(Presence.objects.values_list("key", flat=True)) == [resident]


def test_late_events_out_of_order_end_in_the_right_state(personas, world):
    short1 = world.people["short1"]
    first = merge(personas, [offline(short1, IN, at(16, 10))])
    # Stored as it happened, reported for review: no check-out was known then.
    assert [r["code"] for r in first.review] == ["not_inside"]
    assert not Presence.objects.exists()
    merge(personas, [offline(short1, OUT, at(8, 45))])
    assert not Presence.objects.exists()
    # The online gate, afterwards, judges by the merged events: short1 is not inside.
    assert check(personas, short1, IN, at(16, 40)).code == "not_inside"
    assert check(personas, short1, OUT, at(16, 41)).code == "outside_slot"


def test_what_the_rules_would_refuse_is_stored_and_reported(personas, world):
    report = merge(
        personas,
        [
            offline(world.people["noplan"], OUT, at(8, 45)),
            offline(
                world.people["short1"], OUT, at(8, 46), outcome="refused", refusal_code="flagged"
            ),
        ],
    )
    assert [(r["key"], r["code"]) for r in report.review] == [("M1000005", "not_on_plan")]
    assert list(Presence.objects.values_list("key", flat=True)) == ["M1000005"]
    refused = GateEvent.objects.get(key="M1000001")
    assert (refused.outcome, refused.refusal_code) == ("refused", "flagged")


def test_a_malformed_batch_is_refused_whole_naming_row_and_field(personas, world):
    good = offline(world.people["short1"], OUT, at(8, 45))
    bad = [
        good,
        offline("", OUT, at(8, 46)),
        offline("M1", "sideways", at(8, 47)),
        {**good, "direction": IN},
        offline("M2", OUT, at(23, 59) + dt.timedelta(days=1)),
        offline("M3", OUT, at(8, 48), uid="not-a-uid"),
        offline("M4", OUT, at(8, 49), officer="firm"),
    ]
    with pytest.raises(DomainError) as err:
        merge(personas, bad)
    where = [(e["row"], e["field"]) for e in err.value.details["errors"]]
    assert where == [
        (2, "key"),
        (3, "direction"),
        (4, "uid"),
        (5, "occurred_at"),
        (6, "uid"),
        (7, "officer"),
    ]
    assert not GateEvent.objects.exists() and not Presence.objects.exists()


def test_a_batch_is_bounded(personas, world):
    events = [offline("M1", OUT, at(8, 45))] * (MAX_BATCH + 1)
    with pytest.raises(DomainError) as err:
        merge(personas, events)
    assert err.value.details["field"] == "events"
    assert not GateEvent.objects.exists()


def test_in_the_epidemic_mode_every_crosser_is_inspected(personas, world):
    """The quarantine officer's epidemic mode: a person on the plan, with the approval, is
    refused at the gate until the gate officer has seen their quarantine inspection; the
    refusal alone is recorded."""
    from ..models import EpidemicPeriod

    EpidemicPeriod.objects.create(
        starts_at=at(7, 0), reason="구제역 / foot-and-mouth", started_by=personas["quarantine"]
    )
    before = snapshot()
    refused = check(personas, world.people["short1"], OUT, at(8, 45))
    assert not refused.passed and refused.event.refusal_code == "quarantine"
    assert snapshot() == before and refused.event.inspected is False
    let = check(personas, world.people["short1"], OUT, at(8, 50), inspected=True)
    assert let.passed and let.event.inspected is True
    assert Presence.objects.filter(key=let.event.key).exists()


def _in_force_timetable():
    """The timetable in force on the tests' day (the migration's 17 August 2015 one: its
    guarantee hours 07:00–22:00; the tests' own timetable, of 1 January, only lends its slots
    to the plans)."""
    from ..models.crossings import Timetable

    return Timetable.objects.filter(effective_from__lte=DAY).order_by("-effective_from").first()


def test_outside_the_guarantee_hours_nobody_crosses_even_in_the_rfid_mode(personas):
    world = gate_world(personas, rfid=True)
    table = _in_force_timetable()
    assert (table.guarantee_from, table.guarantee_to) == (dt.time(7, 0), dt.time(22, 0))
    before = snapshot()
    early = check(personas, world.people["short1"], OUT, at(6, 59))
    assert early.code == "outside_hours" and "07:00–22:00" in early.texts[1]
    assert GateEvent.objects.get().refusal_code == "outside_hours"
    assert snapshot() == before
    assert check(personas, world.people["short1"], OUT, at(7, 0)).passed
    late = check(personas, world.people["short1"], IN, at(22, 0))
    assert late.code == "outside_hours"
    assert check(personas, world.people["short1"], IN, at(21, 59)).passed


def test_a_full_slot_turns_the_next_crosser_away(personas, world):
    from ..models.crossings import Slot

    Slot.objects.filter(pk=world.plans["out"].slot_id).update(people_limit=2, vehicles_limit=0)
    assert check(personas, world.people["short1"], OUT, at(8, 40)).passed
    assert check(personas, world.people["short2"], OUT, at(8, 41)).passed
    before = snapshot()
    full = check(personas, world.people["resident"], OUT, at(8, 42))
    assert full.code == "slot_full" and "(2 of 2 people)" in full.texts[1]
    truck = check(personas, world.vehicles["truck"], OUT, at(8, 43), subject="vehicle")
    assert truck.code == "slot_full"
    assert snapshot() == before


def test_residents_beyond_the_timetables_most_are_turned_away(personas, world):
    table = _in_force_timetable()
    table.residents_max = 0
    table.save(update_fields=["residents_max"])
    assert check(personas, world.people["short1"], OUT, at(8, 40)).passed  # a day visitor
    before = snapshot()
    turned = check(personas, world.people["resident"], OUT, at(8, 41))
    assert turned.code == "residents_full" and "(0 of 0)" in turned.texts[1]
    assert snapshot() == before
    table.residents_max = 1
    table.save(update_fields=["residents_max"])
    assert check(personas, world.people["resident"], OUT, at(8, 42)).passed
    assert Presence.objects.get(key=world.people["resident"]).resident is True
