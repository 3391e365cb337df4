"""The demo's day of crossings (15 December 2015): the plans consented and one refused with a
note, the gate's events with their two refusals and the offline batch, the headcount by firm
with residents apart, the closed order of 2016; a second run adds nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from panmun.common.apps import DemoRun
from panmun.jobs.progress import Progress

from ..demo_crossings import DAY, NEXT, load
from ..models import DayPlan, EvacuationOrder, GateEvent, GateFlag, PlanLine, Presence, Stay
from ..selectors_gate import headcount
from .factories import make_firm, persona_firm


def run() -> tuple[DemoRun, list[str]]:
    said: list[str] = []
    return DemoRun(0, None, lambda total, label: Progress(), said.append, 0), said


@pytest.mark.django_db
def test_the_demo_day_of_crossings(personas: dict[str, Any]) -> None:
    own = persona_firm(personas)  # demo_firms' part
    others = [make_firm(f"시연섬유{n}(주)") for n in range(3)]
    demo, said = run()
    load(demo)
    assert "3 day plans" in said[0]
    plans = {(p.day, p.direction): p for p in DayPlan.objects.all()}
    assert plans[(DAY, "out")].state == plans[(DAY, "in")].state == "consented"
    assert plans[(NEXT, "out")].state == "refused"
    assert "적재 목록" in plans[(NEXT, "out")].answer_note
    # Every line has its firm, the other tenants' given after the build.
    assert not PlanLine.objects.filter(firm__isnull=True).exists()
    refused = dict(
        GateEvent.objects.filter(outcome="refused").values_list("refusal_code", "source")
    )
    assert refused == {"flagged": "scan", "not_on_plan": "typed"}
    manual = GateFlag.objects.get(source="manual")
    assert manual.raised_at < dt.datetime(2015, 12, 15, tzinfo=dt.UTC)
    # Seen from today, everyone still inside since 2015 has overstayed: flagged.
    assert GateFlag.objects.filter(source="stay", lifted_at__isnull=True).count() == 13
    assert GateEvent.objects.filter(source="offline", outcome="passed").count() == 5
    assert all(e.day == DAY for e in GateEvent.objects.all())
    count = headcount(personas["gate"])
    assert (count.people, count.residents, count.short_stays, count.vehicles) == (13, 8, 5, 2)
    by_firm = {f.firm_id: f.people for f in count.firms}
    assert by_firm == {own.pk: 3, others[0].pk: 2, others[1].pk: 5, others[2].pk: 3}
    # The stays the gate began: the residents' registered, the day visitors' ended.
    open_stays = Stay.objects.filter(departed_at__isnull=True)
    assert open_stays.count() == 13
    assert set(open_stays.exclude(stay_class="").values_list("key", flat=True)) == {
        "M1200001",
        "M1200002",
        "M4200001",
    }
    order = EvacuationOrder.objects.get()
    assert order.state == "closed" and order.closed_at == order.deadline
    before = (
        DayPlan.objects.count(),
        GateEvent.objects.count(),
        Presence.objects.count(),
        EvacuationOrder.objects.count(),
        GateFlag.objects.count(),
    )
    load(demo)
    after = (
        DayPlan.objects.count(),
        GateEvent.objects.count(),
        Presence.objects.count(),
        EvacuationOrder.objects.count(),
        GateFlag.objects.count(),
    )
    assert after == before
    assert len(said) == 1
