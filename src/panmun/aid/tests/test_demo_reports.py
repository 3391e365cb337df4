"""The demo's history and 2000 food loan (`demo_reports.load`): loaded once, run again it
changes nothing; without the lead's loan activity it stops and says why."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from panmun.common.apps import DemoRun

from .. import demo_reports
from ..models import Activity, HistoryYear, Loan, LoanNotice
from ..services.loans import instalment_state


def _run(said: list[str]) -> DemoRun:
    return DemoRun(size=0, living=None, progress=lambda total, label: None, say=said.append)


def test_the_demo_loads_the_history_and_the_2000_loan(personas):
    said: list[str] = []
    with pytest.raises(RuntimeError, match="KR-MOU-2000-FOOD-LOAN"):
        demo_reports.load(_run(said))
    assert not Loan.objects.exists()
    Activity.objects.create(
        identifier="KR-MOU-2000-FOOD-LOAN", title_ko="2000년 식량차관",
        title_en="2000 food loan", reporting_org_ref="KR-GOV-MOU", reporting_org_type="10",
        channel="food_loan",
    )  # fmt: skip
    demo_reports.load(_run(said))
    loan = Loan.objects.get(activity__identifier="KR-MOU-2000-FOOD-LOAN")
    first = loan.instalments.get(seq=1)
    assert first.published_amount == Decimal(5_834_372)
    assert first.amount == Decimal("5834422.90")
    assert instalment_state(first, dt.date(2012, 6, 8)) == "missed"
    assert LoanNotice.objects.filter(instalment=first, entry__isnull=True).count() == 1
    assert HistoryYear.objects.get(year=2019).grand_total == 277
    if demo_reports.shared_table().is_file():
        assert HistoryYear.objects.get(year=2007).grand_total == 4_397
    else:
        assert any("absent" in line for line in said)
    demo_reports.load(_run(said))  # again: nothing doubled
    assert Loan.objects.count() == 1 and LoanNotice.objects.count() == 1
