"""The demo's stays and lines: each persona has something to see, and a second run adds
nothing."""

from __future__ import annotations

import pytest

from panmun.common.apps import DemoRun
from panmun.jobs.progress import Progress

from ..demo_stay import load
from ..models import FlagSource, GateFlag, PhoneBill, PhoneLine, Stay
from ..work_stay import work_queue
from .factories import persona_firm


def run() -> tuple[DemoRun, list[str]]:
    said: list[str] = []
    return DemoRun(0, None, lambda total, label: Progress(), said.append, 0), said


@pytest.mark.django_db
def test_the_demo_stays_and_lines(personas) -> None:
    persona_firm(personas)  # demo_firms' part
    demo, said = run()
    load(demo)
    stays = Stay.objects.filter(key__startswith="DEMO")
    assert stays.count() == 5
    assert GateFlag.objects.filter(
        source=FlagSource.STAY, key="DEMO0001", lifted_at__isnull=True
    ).exists()
    assert {t.key for t in work_queue(personas["firm"])} == {
        "complex-stays-overdue",
        "complex-stays-due",
    }
    assert PhoneBill.objects.filter(month__year=2015, month__month=12).exists()
    lines, bills = PhoneLine.objects.count(), PhoneBill.objects.count()
    load(demo)
    assert Stay.objects.filter(key__startswith="DEMO").count() == 5
    assert (PhoneLine.objects.count(), PhoneBill.objects.count()) == (lines, bills)
    assert "stays" in said[0]
