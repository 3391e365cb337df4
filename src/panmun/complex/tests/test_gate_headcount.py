"""The live headcount is exact after any sequence of events (acceptance 1): Hypothesis drives
random sequences of check-outs and check-ins at the online gate (let through or refused), late
batches from an offline gate (out of order, some merged twice), and compares each answer, the
presence and the headcount with a model recomputed from the events alone."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..models.crossings import Presence
from ..selectors_gate import headcount, inside
from ..services.gate import gate_check
from ..services.gate_merge import gate_events_merge
from .gate_world import DAY, IN, KST, OUT, after_the_day, at, gate_world

PEOPLE = ["short1", "short2", "resident", "other", "late", "changed", "noplan", "noapproval"]
LABELS = [*PEOPLE, "truck"]
TRUCK = "12가3456"
#: What the rules say of each label and direction once the direction rule holds (RFID plans:
#: no slot). `late` and `changed` have no line in, `changed`'s line out awaits consent.
RULE = {
    **{
        (label, d): ""
        for label in ("short1", "short2", "resident", "other", "truck")
        for d in (OUT, IN)
    },
    ("late", OUT): "",
    ("late", IN): "not_on_plan",
    ("changed", OUT): "no_consent",
    ("changed", IN): "not_on_plan",
    ("noplan", OUT): "not_on_plan",
    ("noplan", IN): "not_on_plan",
    ("noapproval", OUT): "no_approval",
    ("noapproval", IN): "no_approval",
}
FIRM = {"other": "other", "noplan": None, "noapproval": None}
#: The military guarantee hours of the timetable in force that day (from 17 August 2015, RFID:
#: any time of the booked day, inside these hours).
GUARANTEE = (dt.time(7, 0), dt.time(22, 0))


@dataclass
class Seen:
    """One event the model knows: when, its order of recording, let through or not."""

    label: str
    direction: str
    when: dt.datetime
    seq: int
    passed: bool
    vehicle: str


class Model:
    def __init__(self) -> None:
        self.events: list[Seen] = []
        self.seq = 0

    def inside_at(self, label: str, when: dt.datetime) -> Seen | None:
        before = [e for e in self.events if e.label == label and e.passed and e.when <= when]
        last = max(before, key=lambda e: (e.when, e.seq), default=None)
        return last if last is not None and last.direction == OUT else None

    def rule(self, label: str, direction: str, when: dt.datetime) -> str:
        inside = self.inside_at(label, when) is not None
        if direction == OUT and inside:
            return "already_inside"
        if direction == IN and not inside:
            return "not_inside"
        code = RULE[(label, direction)]
        if not code and not GUARANTEE[0] <= when.astimezone(KST).time() < GUARANTEE[1]:
            return "outside_hours"
        return code

    def add(
        self, label: str, direction: str, when: dt.datetime, passed: bool, vehicle: str
    ) -> None:
        self.seq += 1
        self.events.append(Seen(label, direction, when, self.seq, passed, vehicle))

    def presence(self) -> dict[str, Seen]:
        end = at(23, 59)
        return {label: seen for label in LABELS if (seen := self.inside_at(label, end)) is not None}


def minute(n: int) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(0), KST) + dt.timedelta(minutes=n)


online = st.tuples(
    st.just("online"),
    st.sampled_from(LABELS),
    st.sampled_from([OUT, IN]),
    st.integers(1, 90),  # minutes after the last online event
    st.sampled_from(["", TRUCK]),
)
offline = st.tuples(
    st.just("offline"),
    st.lists(
        st.tuples(
            st.sampled_from(LABELS),
            st.sampled_from([OUT, IN]),
            st.integers(1, 23 * 60 + 20),  # any minute of the day: late, out of order
            st.sampled_from(["", TRUCK]),
        ),
        min_size=1,
        max_size=6,
    ),
)
again = st.tuples(st.just("again"), st.integers(0, 10))
steps = st.lists(st.one_of(online, offline, again), min_size=1, max_size=25)


@pytest.fixture
def world(personas):
    return gate_world(personas, rfid=True)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_the_headcount_is_exact_after_any_sequence_of_events(personas, world, steps):
    keys = {**world.people, "truck": world.vehicles["truck"]}
    label_of = {v: k for k, v in keys.items()}
    firms = {"firm": world.firm.pk, "other": world.other.pk, None: None}
    gate = personas["gate"]
    with transaction.atomic(), after_the_day():
        model = Model()
        batches: list[list[dict[str, Any]]] = []
        clock = at(6, 0)
        for step in steps:
            if step[0] == "online":
                _kind, label, direction, gap, vehicle = step
                clock = min(clock + dt.timedelta(minutes=gap), at(23, 20))
                vehicle = "" if label == "truck" else vehicle
                expected = model.rule(label, direction, clock)
                before = list(Presence.objects.order_by("pk").values_list("pk", "event_id"))
                answer = gate_check(
                    actor=gate,
                    subject="vehicle" if label == "truck" else "person",
                    key=keys[label],
                    direction=direction,
                    at=clock,
                    source="scan",
                    vehicle_key=vehicle,
                )
                assert answer.code == expected, (label, direction, clock)
                model.add(label, direction, clock, not expected, vehicle)
                if expected:
                    after = list(Presence.objects.order_by("pk").values_list("pk", "event_id"))
                    assert after == before
            elif step[0] == "offline":
                batch = []
                for label, direction, n, vehicle in step[1]:
                    batch.append(
                        {
                            "uid": str(uuid.uuid4()),
                            "subject": "vehicle" if label == "truck" else "person",
                            "key": keys[label],
                            "direction": direction,
                            "occurred_at": minute(n),
                            "vehicle_key": "" if label == "truck" else vehicle,
                        }
                    )
                batches.append(batch)
                order = sorted(enumerate(batch), key=lambda r: (r[1]["occurred_at"], r[0]))
                review = []
                for _row, e in order:
                    label = label_of[e["key"]]
                    code = model.rule(label, e["direction"], e["occurred_at"])
                    if code:
                        review.append((e["uid"], code))
                    model.add(label, e["direction"], e["occurred_at"], True, e["vehicle_key"])
                report = gate_events_merge(actor=gate, events=batch)
                assert [(r["uid"], r["code"]) for r in report.review] == review
                assert report.known == []
            elif batches:
                batch = batches[step[1] % len(batches)]
                report = gate_events_merge(actor=gate, events=list(reversed(batch)))
                assert report.stored == [] and sorted(report.known) == sorted(
                    e["uid"] for e in batch
                )
            expected_presence = model.presence()
            found = {
                label_of[p.key]: (p.firm_id, p.resident, p.vehicle_key, p.since)
                for p in Presence.objects.all()
            }
            assert found == {
                label: (
                    firms[FIRM.get(label, "firm")],
                    label == "resident",
                    seen.vehicle,
                    seen.when,
                )
                for label, seen in expected_presence.items()
            }
        count = headcount(gate)
        people = [label for label in expected_presence if label != "truck"]
        assert count.people == len(people)
        assert count.vehicles == ("truck" in expected_presence)
        assert count.residents == ("resident" in expected_presence)
        by_firm = {f.firm_id: (f.residents, f.short_stays, f.vehicles) for f in count.firms}
        wanted: dict[Any, list[int]] = {}
        for label in expected_presence:
            row = wanted.setdefault(firms[FIRM.get(label, "firm")], [0, 0, 0])
            row[2 if label == "truck" else 0 if label == "resident" else 1] += 1
        assert by_firm == {k: tuple(v) for k, v in wanted.items()}
        assert inside(gate).count() == len(expected_presence)
        transaction.set_rollback(True)


def test_a_firm_sees_its_own_people_inside_and_the_readers_all(personas, world):
    from ..services.gate import gate_check as check

    with after_the_day():
        for label in ("short1", "resident", "other"):
            check(
                actor=personas["gate"],
                subject="person",
                key=world.people[label],
                direction=OUT,
                at=at(9, 0),
                source="typed",
            )
    for who in ("gate", "gic", "ministry", "viewer"):
        assert headcount(personas[who]).people == 3
    own = headcount(personas["firm"])
    assert (own.people, own.residents, [f.firm_id for f in own.firms]) == (2, 1, [world.firm.pk])
    assert sorted(inside(personas["firm"]).values_list("key", flat=True)) == [
        "M1000001",
        "M2000001",
    ]
    from panmun.common.errors import DomainError

    for who in ("bureau", "customs"):
        with pytest.raises(DomainError):
            headcount(personas[who])
