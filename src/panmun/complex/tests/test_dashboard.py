"""The dashboard (/complex/, complex/selectors_dashboard.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ..models import Firm, WageRule, Worker
from ..selectors_dashboard import bar_chart, dashboard, wage_history
from ..services.output import output_record
from .firms_world import land_world, operating_firm, other_tenant

pytestmark = pytest.mark.django_db


def wage_rules() -> None:
    """A table of our own in place of the history of migration 0003: a raise above the cap,
    and one after it was struck."""
    WageRule.objects.all().delete()
    common = {
        "insurance_rate": Decimal("0.15"),
        "overtime_premium": Decimal("0.5"),
        "night_premium": Decimal("0.5"),
        "monthly_hours": 208,
    }
    for day, wage, cap in (
        ("2003-09-18", "50", None),
        ("2007-08-01", "52.500", "0.05"),
        ("2014-05-01", "70.350", "0.05"),
        ("2015-03-01", "73.870", None),
        ("2015-04-01", "80.000", None),
    ):
        WageRule.objects.create(
            effective_from=dt.date.fromisoformat(day),
            minimum_wage_usd=Decimal(wage),
            raise_cap=Decimal(cap) if cap else None,
            **common,
        )


def test_the_wage_history_flags_a_raise_above_the_cap_then_in_force():
    wage_rules()
    steps = wage_history()
    assert [(str(s.rule.minimum_wage_usd), s.raise_percent, s.over_cap) for s in steps] == [
        ("50.000", None, False),
        ("52.500", Decimal("5.00"), False),  # no cap before 2007
        ("70.350", Decimal("34.00"), True),  # 52.5 → 70.35 in one step: above 5%
        ("73.870", Decimal("5.00"), False),
        ("80.000", Decimal("8.30"), False),  # the cap was struck: none in force
    ]


def test_the_seeded_history_keeps_to_the_cap_while_it_was_in_force():
    steps = wage_history()
    assert [str(s.rule.minimum_wage_usd) for s in steps][-4:] == [
        "70.350",  # May 2014
        "70.350",  # 20 November 2014: the North struck the cap
        "73.870",  # agreed 17 August 2015, from March
        "73.870",  # August 2015: allowances count for insurance
    ]
    assert not [s for s in steps if s.over_cap]


def test_a_bar_chart_scales_to_its_largest_value():
    chart = bar_chart([("01", "2015-01", Decimal("2000000")), ("02", "2015-02", None)], height=124)
    assert chart.max_label == "2.00M"
    first, second = chart.bars
    assert (first.height, first.y) == (84.0, 16.0)  # the whole plot: 100 − 16
    assert (second.height, second.value) == (0.0, Decimal(0))


def world(personas):
    firm = operating_firm(personas)
    land_world(personas, firm)
    for month, amount in ((1, "100.5"), (3, "200"), (3, None)):
        if amount:
            output_record(
                actor=personas["firm"],
                firm=firm,
                month=dt.date(2015, month, 1),
                production_usd=Decimal(amount),
                shipped_south_usd=Decimal(amount),
            )
    other = other_tenant()
    other.project_approval = firm.project_approval
    other.save()
    output_record(
        actor=personas["gic"], firm=other, month=dt.date(2015, 3, 1), production_usd=Decimal(1000)
    )
    Worker.objects.create(
        firm=firm, number="1", name="김", sex="F", birth_year=1990, hired_on=dt.date(2015, 1, 1)
    )
    Worker.objects.create(
        firm=other, number="1", name="리", sex="F", birth_year=1990, hired_on=dt.date(2015, 1, 1)
    )
    Worker.objects.create(
        firm=other,
        number="2",
        name="박",
        sex="M",
        birth_year=1990,
        hired_on=dt.date(2015, 1, 1),
        left_on=dt.date(2015, 2, 1),
    )
    return firm, other


def test_the_whole_complex_by_month_and_year(personas):
    firm, _other = world(personas)
    board = dashboard(Firm.objects.all(), whole_complex=True, today=dt.date(2016, 1, 5), year=None)
    assert board.year == 2015
    assert [m.production_usd for m in board.months[:3]] == [
        Decimal("100.500"),
        Decimal("0.000"),
        Decimal("1200.000"),
    ]
    assert board.months[2].firms == 2
    assert board.year_total == Decimal("1300.500")
    year_2015 = next(y for y in board.years if y.year == 2015)
    assert year_2015.recorded_usd == Decimal("1300.500")
    assert year_2015.published.output_usd == Decimal("560000000.000")
    # The year chart: the published years since 2005, and 2015 as recorded here.
    assert [(b.title, b.value) for b in board.year_chart.bars][:2] == [
        ("2005", Decimal("14910000.000")),
        ("2007", Decimal("184780000.000")),
    ]
    assert board.year_chart.bars[-1].title == "2015"
    assert board.year_chart.bars[-1].value == Decimal("1300.500")
    assert board.on_roster == 2
    assert board.firms == 3  # two tenants and the developer
    assert [(t.key, t.count) for t in board.by_kind] == [("tenant", 2), ("developer", 1)]
    assert [(t.key, t.count) for t in board.by_sector] == [
        ("textiles", 1),
        ("electric_electronic", 1),
    ]
    # The 2015 rule charges the sublease's 11th year: USD 1,000,000 × 1.56%.
    assert [(d.sublease.firm, d.fee.fee_usd) for d in board.fees] == [(firm, Decimal("15600.000"))]


def test_the_pages_whole_complex_and_the_firms_own(personas, client_for):
    _firm, other = world(personas)
    wage_rules()
    page = client_for("ministry").get("/complex/?year=2015")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="complex-year-total">1300.500<' in text
    assert 'data-from="2014-05-01" class="disagree"' in text
    assert "<svg" in text and "15600.000" in text
    own = client_for("firm").get("/complex/?year=2015")
    board = own.context["board"]
    assert board.year_total == Decimal("300.500") and board.on_roster == 1
    assert not board.whole_complex and board.firms == 1
    assert other.name_ko not in own.content.decode()
    assert client_for("bureau").get("/complex/").status_code == 403
    assert client_for("gic").get("/complex/?year=abc").status_code == 200
