"""The ledger's totals: only money disbursed or spent is counted, pledges and commitments never;
money the ministry passed to an NGO is counted once (acceptance 3); the series from 1995 says
where each year comes from; tonnages by commodity; loans outstanding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from panmun.permits.policy import measures_load

from ..models import Activity, Shipment, Transaction
from ..selectors import (
    combined_series,
    eok,
    policy_measures,
    tonnages,
    year_report,
    yearly_by_channel,
    yearly_chart,
)
from ..services.history import history_facts_load


def _activity(identifier: str, channel: str, parent: Activity | None = None) -> Activity:
    return Activity.objects.create(
        identifier=identifier,
        title_ko="사업",
        title_en="Activity",
        reporting_org_ref="KR-GOV-MOU",
        reporting_org_type="10",
        channel=channel,
        parent=parent,
    )


def _tx(activity: Activity, type_: int, day: dt.date, krw: int, usd: str, passes_on=None):
    return Transaction.objects.create(
        activity=activity,
        type=type_,
        date=day,
        value=krw,
        currency="KRW",
        value_date=day,
        rate_krw=1,
        rate_usd=Decimal(usd) / krw,
        value_krw=krw,
        value_usd=Decimal(usd),
        passes_on=passes_on,
    )


def test_pledges_are_not_counted_and_money_passed_on_is_counted_once(db):
    grant = _activity("KR-GOV-MOU-2019-1", "via_ngo")
    project = _activity("KR-NGO-1-2019-1", "via_ngo", parent=grant)
    own = _activity("KR-NGO-1-2019-2", "ngo_own")
    day = dt.date(2019, 5, 2)
    _tx(grant, 12, day, 9_000_000_000, "7500000.00")  # outgoing pledge: never counted
    _tx(grant, 2, day, 5_000_000_000, "4200000.00")  # commitment: never counted
    paid = _tx(grant, 3, day, 2_000_000_000, "1700000.00")  # disbursed to the NGO: counted
    _tx(project, 4, dt.date(2019, 8, 1), 1_200_000_000, "1020000.00", passes_on=paid)
    _tx(project, 4, dt.date(2019, 9, 1), 800_000_000, "680000.00", passes_on=paid)
    _tx(project, 1, day, 2_000_000_000, "1700000.00")  # incoming funds: not counted
    _tx(own, 4, dt.date(2019, 10, 1), 300_000_000, "250000.50")
    _tx(own, 13, dt.date(2019, 10, 1), 700_000_000, "590000.00")  # incoming pledge
    _tx(own, 3, dt.date(2020, 1, 3), 100_000_000, "83000.25")
    years = yearly_by_channel()
    assert [y.year for y in years] == [2019, 2020]
    y2019 = years[0]
    assert y2019.krw == {"ngo_own": Decimal(300_000_000), "via_ngo": Decimal(2_000_000_000)}
    assert y2019.usd == {"ngo_own": Decimal("250000.50"), "via_ngo": Decimal("1700000.00")}
    assert eok(y2019.total_krw) == Decimal("23.00")  # KRW 2.3 billion
    assert y2019.group_krw("free") == Decimal(2_000_000_000)
    assert years[1].total_usd == Decimal("83000.25")
    assert [y.year for y in yearly_by_channel(year_from=2020, year_to=2020)] == [2020]


def test_the_series_from_1995_says_where_each_year_comes_from(personas):
    history_facts_load(actor=personas["ministry"])  # 2019–2024 from the ministry's summary
    own = _activity("KR-NGO-1-2025-1", "ngo_own")
    _tx(own, 3, dt.date(2025, 3, 1), 1_550_000_000, "1100000.00")
    _tx(own, 3, dt.date(2019, 3, 1), 9_990_000_000, "1.00")  # a year the summary holds
    series = {s.year: s for s in combined_series(today=dt.date(2026, 12, 6))}
    assert min(series) == 1995 and max(series) == 2026
    assert (series[2019].source, series[2019].total) == ("history", Decimal(277))
    assert (series[2025].source, series[2025].total) == ("ledger", Decimal("15.50"))
    assert series[2025].ngo == Decimal("15.50") and series[2025].usd == Decimal("1100000.00")
    assert (series[1995].source, series[1995].total) == ("ledger", Decimal(0))
    measures_load()
    chart = yearly_chart(list(series.values()), policy_measures())
    assert len(chart.columns) == 32
    assert {m.starts_on for m in chart.markers} >= {dt.date(2010, 5, 24)}
    tallest = max(chart.columns, key=lambda c: c.total)
    assert tallest.year == 2019
    # The summary splits 2019 into the NGOs' 170 and the rest, unsplit (the government's 106
    # and 1 of rounding): the bars stack to the full height.
    assert [(b.group, b.value) for b in tallest.bars] == [("ngo", 170), ("unsplit", 107)]
    assert sum(b.height for b in tallest.bars) == chart.plot_bottom - chart.plot_top


def test_tonnages_received_else_sent_and_other_units_apart(db):
    activity = _activity("KR-GOV-MOU-2007-1", "government")

    def ship(ref, commodity, quantity, unit, state, received=None, sent=dt.date(2007, 6, 1)):
        return Shipment.objects.create(
            activity=activity, reference=ref, commodity=commodity, quantity=quantity, unit=unit,
            route="sea", planned_on=sent, sent_on=sent, state=state, received_quantity=received,
        )  # fmt: skip

    ship("S1", "rice", Decimal(1000), "t", "received", received=Decimal("990.5"))
    ship("S2", "rice", Decimal(500), "t", "sent")
    ship("S3", "fertiliser", Decimal(2000), "t", "received", received=Decimal(2000))
    ship("S4", "rice", Decimal(700), "t", "cancelled")
    ship("S5", "medicine", Decimal(300), "boxes", "sent")
    ship("S6", "rice", Decimal(100), "t", "sent", sent=dt.date(2008, 1, 5))
    tonnes, others = tonnages(year=2007)
    assert [(t.commodity, t.quantity, t.shipments) for t in tonnes] == [
        ("fertiliser", Decimal(2000), 1),
        ("rice", Decimal("1490.5"), 2),
    ]
    assert [(t.commodity, t.unit, t.quantity) for t in others] == [
        ("medicine", "boxes", Decimal(300))
    ]
    assert tonnages()[0][1].quantity == Decimal("1590.5")
    report = year_report(2007, today=dt.date(2026, 1, 1))
    assert report.series is not None and report.series.source == "ledger"
    assert report.tonnes == tonnes
