"""The complex's dashboard (/complex/): firms by kind and sector, workers on the rosters, output
by month and by year (server-drawn bar charts), the wage history with the 5% cap, the leases
and the land-use fees due. The committee and the ministry see the whole complex; a firm its
own figures (its firm and subcontractors) beside the complex's published ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from .models import Firm, FirmKind, LandLease, Sector, Sublease, WageRule, Worker
from .selectors_firms import (
    FeeDue,
    MonthRow,
    Tally,
    YearRow,
    counts_by,
    fees_due,
    latest_output_year,
    output_by_month,
    output_by_year,
)

MILLION = Decimal(1_000_000)
HALF_A_CENT = Decimal("0.005")


@dataclass(frozen=True)
class Bar:
    label: str
    title: str
    value: Decimal
    x: float
    y: float
    height: float


@dataclass(frozen=True)
class BarChart:
    """A bar chart drawn on the server as SVG (no script): one bar a point."""

    width: int
    height: int
    plot_top: int
    plot_bottom: int
    bar_width: float
    max_label: str
    bars: list[Bar]


def bar_chart(
    points: list[tuple[str, str, Decimal | None]], *, width: int = 720, height: int = 220
) -> BarChart:
    """Bars of `points` (label under the bar, title on hover, value; None: no bar), scaled to
    the largest value, which is written on the axis in USD millions."""
    left, right, top, bottom = 60, 10, 16, height - 24
    step = (width - left - right) / max(len(points), 1)
    top_value = max((v for _l, _t, v in points if v), default=Decimal(0)) or Decimal(1)
    bars = []
    for n, (label, title, value) in enumerate(points):
        h = round(float((value or 0) / top_value) * (bottom - top), 1)
        bars.append(
            Bar(
                label,
                title,
                value or Decimal(0),
                round(left + n * step, 1),
                round(bottom - h, 1),
                h,
            )
        )
    return BarChart(
        width,
        height,
        top,
        bottom,
        round(step * 0.7, 1),
        f"{(top_value / MILLION).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}M",
        bars,
    )


@dataclass(frozen=True)
class WageStep:
    """A wage rule and its raise over the rule before it, against the cap then in force."""

    rule: WageRule
    raise_share: Decimal | None
    over_cap: bool

    @property
    def raise_percent(self) -> Decimal | None:
        if self.raise_share is None:
            return None
        return (self.raise_share * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def wage_history() -> list[WageStep]:
    """The wage rules in order, each with its raise: above the cap of the rule before it is
    flagged (the rules refuse it before 20 November 2014; the services keep it as a dispute).
    The agreed wages are rounded to the cent (70.35 × 1.05 = 73.8675 was agreed as 73.87):
    half a cent above the cap is rounding, not a breach."""
    steps: list[WageStep] = []
    before: WageRule | None = None
    for rule in WageRule.objects.order_by("effective_from"):
        share = None
        over = False
        if before is not None and before.minimum_wage_usd:
            share = rule.minimum_wage_usd / before.minimum_wage_usd - 1
            if before.raise_cap is not None:
                ceiling = before.minimum_wage_usd * (1 + before.raise_cap) + HALF_A_CENT
                over = rule.minimum_wage_usd > ceiling
        steps.append(WageStep(rule, share, over))
        before = rule
    return steps


@dataclass
class Dashboard:
    whole_complex: bool
    year: int
    firms: int
    by_kind: list[Tally]
    by_sector: list[Tally]
    on_roster: int
    months: list[MonthRow]
    month_chart: BarChart
    year_total: Decimal
    years: list[YearRow]
    year_chart: BarChart
    wages: list[WageStep]
    leases: list[LandLease]
    fees: list[FeeDue]
    fees_total: Decimal


def dashboard(
    firms: QuerySet[Firm], *, whole_complex: bool, today: dt.date, year: int | None
) -> Dashboard:
    """The dashboard of `firms` (the whole complex, or a firm's own)."""
    year = year or latest_output_year(firms, today.year)
    operating = firms.filter(closed_on__isnull=True)
    months = output_by_month(firms, year)
    years = output_by_year(firms)
    subleases = Sublease.objects.filter(firm__in=firms, ended_on__isnull=True)
    due = fees_due(subleases, year)
    on_roster = Worker.objects.filter(left_on__isnull=True)
    if not whole_complex:
        on_roster = on_roster.filter(firm__in=firms)
    return Dashboard(
        whole_complex=whole_complex,
        year=year,
        firms=operating.count(),
        by_kind=counts_by(operating, "kind", FirmKind.choices),
        by_sector=counts_by(operating.exclude(kind=FirmKind.DEVELOPER), "sector", Sector.choices),
        on_roster=on_roster.count(),
        months=months,
        month_chart=bar_chart(
            [(f"{m.month:%m}", f"{m.month:%Y-%m}", m.production_usd) for m in months]
        ),
        year_total=sum((m.production_usd for m in months), Decimal("0.000")),
        years=years,
        year_chart=bar_chart([(f"{y.year % 100:02d}", str(y.year), y.output_usd) for y in years]),
        wages=wage_history(),
        leases=list(LandLease.objects.select_related("developer").order_by("signed_on")),
        fees=due,
        fees_total=sum((d.fee.fee_usd for d in due), Decimal("0.000")),
    )
