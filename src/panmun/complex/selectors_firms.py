"""Reads of firms, land and output. The firms a user may see come from `access` (the callers
pass `firms_for_user(user)`); these functions only shape them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from . import fees
from .models import (
    Building,
    FeeRule,
    Firm,
    FirmKind,
    LandLease,
    OutputMonth,
    Parcel,
    Sector,
    Sublease,
    Worker,
    YearFigures,
)
from .services.firms import operates
from .services.land import as_rule

ZERO = Decimal("0.000")
#: A search's longest text (a firm's name is at most 200 characters).
MAX_QUERY = 200


@dataclass(frozen=True)
class FirmFilters:
    kind: str = ""
    sector: str = ""
    q: str = ""

    @staticmethod
    def of(values: dict[str, str]) -> FirmFilters:
        """The filters as a query string gives them; unknown values are ignored."""
        kind = values.get("kind", "")
        sector = values.get("sector", "")
        return FirmFilters(
            kind=kind if kind in FirmKind.values else "",
            sector=sector if sector in Sector.values else "",
            q=(values.get("q") or "").strip()[:MAX_QUERY],
        )


def firm_list(firms: QuerySet[Firm], filters: FirmFilters) -> QuerySet[Firm]:
    """The firms that pass the filters, with their workers on the roster and subcontractors."""
    if filters.kind:
        firms = firms.filter(kind=filters.kind)
    if filters.sector:
        firms = firms.filter(sector=filters.sector)
    if filters.q:
        firms = firms.filter(Q(name_ko__icontains=filters.q) | Q(name_en__icontains=filters.q))
    # Counted per firm shown (correlated subqueries on the index complex_worker_on_roster),
    # not by joining every worker of the complex to every firm and counting distinct.
    on_roster = (
        Worker.objects.filter(firm=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values("firm")
        .annotate(n=Count("pk"))
        .values("n")
    )
    subcontractors = (
        Firm.objects.filter(tenant=OuterRef("pk"))
        .order_by()
        .values("tenant")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        firms.select_related("tenant", "project_approval")
        .annotate(
            on_roster=Coalesce(Subquery(on_roster), 0),
            subcontractor_count=Coalesce(Subquery(subcontractors), 0),
        )
        .order_by("name_ko", "pk")
    )


@dataclass(frozen=True)
class Tally:
    key: str
    label: str
    count: int


def counts_by(firms: QuerySet[Firm], name: str, choices: Iterable[tuple[str, Any]]) -> list[Tally]:
    """How many of `firms` there are of each value of `name` (kind, sector), in the choices'
    order; values with none are left out."""
    found = dict(firms.order_by().values_list(name).annotate(n=Count("pk")).values_list(name, "n"))
    rows = [Tally(key, str(label), found.get(key, 0)) for key, label in choices]
    if found.get(""):
        rows.append(Tally("", "—", found[""]))
    return [row for row in rows if row.count]


@dataclass(frozen=True)
class SubleaseFees:
    sublease: Sublease
    years: list[fees.FeeYear]


def rules() -> list[fees.Rule]:
    return [as_rule(r) for r in FeeRule.objects.order_by("from_year")]


def site_of(sublease: Sublease) -> fees.Site:
    return fees.Site(
        use_from=sublease.use_from,
        ends_on=sublease.ends_on,
        sale_price_usd=sublease.sale_price_usd,
        ended_on=sublease.ended_on,
    )


def fee_schedule(
    sublease: Sublease,
    fee_rules: list[fees.Rule] | None = None,
    *,
    first_year: int | None = None,
    last_year: int | None = None,
) -> list[fees.FeeYear]:
    return fees.schedule(
        site_of(sublease),
        rules() if fee_rules is None else fee_rules,
        first_year=first_year,
        last_year=last_year,
    )


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    production_usd: Decimal
    shipped_south_usd: Decimal
    exported_usd: Decimal
    firms: int = 0


@dataclass
class FirmPage:
    firm: Firm
    operates: bool
    subcontractors: list[Firm]
    subleases: list[SubleaseFees]
    buildings: list[Building]
    output: list[OutputMonth]
    on_roster: int
    output_years: list[tuple[int, Decimal]] = field(default_factory=list)


#: The years of a sublease's fee schedule the firm's page shows: this year and the next few.
SCHEDULE_YEARS = 5


def firm_page(firm: Firm, *, today: dt.date) -> FirmPage:
    fee_rules = rules()
    subleases = list(firm.subleases.select_related("parcel").order_by("use_from", "pk"))
    output = list(firm.output.order_by("-month")[:24])
    years = (
        firm.output.order_by()
        .values_list("month__year")
        .annotate(total=Sum("production_usd"))
        .order_by("month__year")
    )
    return FirmPage(
        firm=firm,
        operates=operates(firm),
        subcontractors=list(firm.subcontractors.order_by("name_ko")),
        subleases=[
            SubleaseFees(
                s,
                fee_schedule(
                    s,
                    fee_rules,
                    first_year=min(today.year, 2015),
                    last_year=today.year + SCHEDULE_YEARS,
                ),
            )
            for s in subleases
        ],
        buildings=list(firm.buildings.select_related("parcel").order_by("parcel", "kind")),
        output=output,
        on_roster=firm.workers.filter(left_on__isnull=True).count(),
        output_years=[(y, fees.usd(t)) for y, t in years],
    )


def output_by_month(firms: QuerySet[Firm], year: int) -> list[MonthRow]:
    """The twelve months of `year` for `firms`: production, shipments, exports (zero where
    nothing was recorded) and how many firms recorded each."""
    rows = {
        r["month"]: r
        for r in OutputMonth.objects.filter(firm__in=firms, month__year=year)
        .order_by()
        .values("month")
        .annotate(
            p=Sum("production_usd"),
            s=Sum("shipped_south_usd"),
            e=Sum("exported_usd"),
            n=Count("pk"),
        )
    }
    months = []
    for m in range(1, 13):
        day = dt.date(year, m, 1)
        r = rows.get(day)
        months.append(
            MonthRow(day, fees.usd(r["p"]), fees.usd(r["s"]), fees.usd(r["e"]), r["n"])
            if r
            else MonthRow(day, ZERO, ZERO, ZERO, 0)
        )
    return months


@dataclass(frozen=True)
class YearRow:
    """A year's output: as recorded month by month in Panmun, and as published."""

    year: int
    recorded_usd: Decimal | None
    published: YearFigures | None

    @property
    def output_usd(self) -> Decimal | None:
        """The recorded output where there is any, else the published figure."""
        if self.recorded_usd is not None:
            return self.recorded_usd
        return self.published.output_usd if self.published else None


def output_by_year(firms: QuerySet[Firm] | None) -> list[YearRow]:
    """Every year with recorded output (of `firms`) or published figures (None: the published
    figures alone)."""
    recorded: dict[int, Decimal] = {}
    if firms is not None:
        recorded = dict(
            OutputMonth.objects.filter(firm__in=firms)
            .order_by()
            .values_list("month__year")
            .annotate(total=Sum("production_usd"))
            .values_list("month__year", "total")
        )
    published = {y.year: y for y in YearFigures.objects.all()}
    return [
        YearRow(year, _usd_or_none(recorded.get(year)), published.get(year))
        for year in sorted(set(recorded) | set(published))
    ]


def _usd_or_none(value: Decimal | None) -> Decimal | None:
    return None if value is None else fees.usd(value)


def latest_output_year(firms: QuerySet[Firm], default: int) -> int:
    last = (
        OutputMonth.objects.filter(firm__in=firms)
        .order_by("-month")
        .values_list("month", flat=True)[:1]
    )
    return last[0].year if last else default


@dataclass(frozen=True)
class FeeDue:
    sublease: Sublease
    fee: fees.FeeYear


def fees_due(subleases: QuerySet[Sublease], year: int) -> list[FeeDue]:
    """The land-use fees of `year` of the running subleases, by due date and parcel."""
    fee_rules = rules()
    due = []
    for s in subleases.select_related("firm", "parcel").order_by("parcel__number", "pk"):
        for year_fee in fee_schedule(s, fee_rules, first_year=year, last_year=year):
            due.append(FeeDue(s, year_fee))
    return due


def land() -> tuple[list[LandLease], QuerySet[Parcel]]:
    leases = list(LandLease.objects.select_related("developer").order_by("signed_on"))
    parcels = Parcel.objects.select_related("lease").prefetch_related("subleases__firm")
    return leases, parcels.order_by("number")
