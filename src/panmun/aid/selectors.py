"""The ledger's reports: aid per year by channel, the combined series from 1995 (the
ministry's table where it has the year, the ledger where it has not), tonnages by commodity,
loans outstanding and the policy measures' dates for the chart.

Money is counted once (OCHA FTS): only disbursements and expenditures (IATI types 3 and 4)
that pass on no money already counted (`passes_on` empty); pledges (12, 13) and commitments
(2, 11) are never counted. Amounts are reported in KRW 100 million (억원), as the ministry
publishes them, and in USD.

Who may read these is decided by the callers through `access` (`can_read_reports`,
`loans_for_user`); these functions read what they are given."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import QuerySet

from panmun.permits.models import PolicyMeasure

from . import loans as loan_math
from .models import (
    GOVERNMENT_FREE,
    SPENT,
    Channel,
    Commodity,
    HistoryFigure,
    HistoryYear,
    Loan,
    Shipment,
    ShipmentState,
    Unit,
)

#: KRW 100 million (억원): the unit of the ministry's table.
EOK = Decimal(100_000_000)
#: The first year of the ministry's table, and of the series.
FIRST_YEAR = 1995
CENT = Decimal("0.01")

#: The three groups of the ministry's table the chart draws.
GROUPS = ("free", "loans", "ngo")


def eok(krw: Decimal) -> Decimal:
    """Won as KRW 100 million, to two places."""
    return (krw / EOK).quantize(CENT, rounding=ROUND_HALF_UP)


def group_of(channel: str) -> str:
    if channel in GOVERNMENT_FREE:
        return "free"
    return "loans" if channel == Channel.FOOD_LOAN else "ngo"


@dataclass
class YearlyAid:
    """One year of the ledger's counted money, by channel: won and dollars."""

    year: int
    krw: dict[str, Decimal] = field(default_factory=dict)  # by channel
    usd: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total_krw(self) -> Decimal:
        return sum(self.krw.values(), Decimal(0))

    @property
    def total_usd(self) -> Decimal:
        return sum(self.usd.values(), Decimal(0))

    def group_krw(self, group: str) -> Decimal:
        return sum((v for c, v in self.krw.items() if group_of(c) == group), Decimal(0))


# The one aggregate query of the yearly report. The inner part reads only the partial index
# `aid_transaction_counted` ((activity, year of date, value_krw, value_usd, type, passes_on,
# date) WHERE type IN (3, 4) AND passes_on_id IS NULL), in its order, so it groups without
# sorting; its terms and the year's expression are written as the index's are, so that SQLite
# and PostgreSQL both see that the index holds every row counted. The outer part takes each
# activity's channel and groups by year and channel. The only values written into the text
# are the constant transaction types; the years asked for are bound parameters.
_COUNTED = f"type IN ({', '.join(str(int(t)) for t in SPENT)}) AND passes_on_id IS NULL"
YEARLY_SQL = f"""
SELECT t.year, a.channel, SUM(t.krw), SUM(t.usd)
FROM (
    SELECT activity_id, {{year}} AS year, SUM(value_krw) AS krw, SUM(value_usd) AS usd
    FROM aid_transaction {{hint}}
    WHERE {_COUNTED} {{years}}
    GROUP BY activity_id, {{year}}
) AS t
JOIN aid_activity AS a ON a.id = t.activity_id
GROUP BY t.year, a.channel
ORDER BY t.year, a.channel
"""  # noqa: S608
#: The year of `date` as the index `aid_transaction_counted` holds it (`models.YearOf`).
YEAR_SQL = {
    "sqlite": 'CAST(substr("date", 1, 4) AS integer)',
    "postgresql": 'CAST(EXTRACT(YEAR FROM "date") AS integer)',
}


def yearly_sql(years: str = "") -> str:
    """The query for this database. SQLite is told to read the index, as it would otherwise
    take the index on `passes_on_id` (one equality) for the better one."""
    hint = "INDEXED BY aid_transaction_counted" if connection.vendor == "sqlite" else ""
    year = YEAR_SQL.get(connection.vendor, YEAR_SQL["postgresql"])
    return YEARLY_SQL.replace("{hint}", hint).replace("{year}", year).replace("{years}", years)


def _decimal(value: object, places: Decimal | None = None) -> Decimal:
    if value is None:
        return Decimal(0)
    number = Decimal(str(value))
    return number.quantize(places, rounding=ROUND_HALF_UP) if places else number


def yearly_by_channel(
    *, year_from: int | None = None, year_to: int | None = None
) -> list[YearlyAid]:
    """The counted money by year and channel (one aggregate query), years in order; a year
    without counted money is left out."""
    conditions, params = [], []
    if year_from is not None:  # on the date, which the index holds as well
        conditions.append('AND "date" >= %s')
        params.append(connection.ops.adapt_datefield_value(date(year_from, 1, 1)))
    if year_to is not None:
        conditions.append('AND "date" <= %s')
        params.append(connection.ops.adapt_datefield_value(date(year_to, 12, 31)))
    sql = yearly_sql(" ".join(conditions))
    years: dict[int, YearlyAid] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for year, channel, krw, usd in cursor.fetchall():
            row = years.setdefault(int(year), YearlyAid(int(year)))
            row.krw[channel] = _decimal(krw, Decimal(1))
            row.usd[channel] = _decimal(usd, CENT)
    return list(years.values())


@dataclass(frozen=True)
class SeriesYear:
    """One year of the series from 1995, in KRW 100 million: from the ministry's table (or its
    summary) where it has the year, else from the ledger. `source` says which."""

    year: int
    source: str  # "history" or "ledger"
    source_name: str  # the table's file or summary, or "ledger"
    free: Decimal | None
    loans: Decimal | None
    ngo: Decimal | None
    total: Decimal
    usd: Decimal | None = None  # the ledger's years only

    def group(self, name: str) -> Decimal | None:
        value: Decimal | None = getattr(self, name)
        return value


def combined_series(*, today: date) -> list[SeriesYear]:
    """Every year from 1995 to `today`'s: the history's figures for the years it holds, the
    ledger's for the others."""
    history = {h.year: h for h in HistoryYear.objects.filter(year__gte=FIRST_YEAR)}
    ledger = {y.year: y for y in yearly_by_channel(year_from=FIRST_YEAR, year_to=today.year)}
    series: list[SeriesYear] = []
    for year in range(FIRST_YEAR, today.year + 1):
        h = history.get(year)
        if h is not None:
            free = h.gov_free_total
            series.append(
                SeriesYear(
                    year,
                    "history",
                    h.source,
                    None if free is None else Decimal(free),
                    None if h.gov_food_loans is None else Decimal(h.gov_food_loans),
                    None if h.ngo_total is None else Decimal(h.ngo_total),
                    Decimal(h.grand_total),
                )
            )
            continue
        y = ledger.get(year) or YearlyAid(year)
        series.append(
            SeriesYear(
                year,
                "ledger",
                "ledger",
                eok(y.group_krw("free")),
                eok(y.group_krw("loans")),
                eok(y.group_krw("ngo")),
                eok(y.total_krw),
                y.total_usd,
            )
        )
    return series


@dataclass(frozen=True)
class HistoryTotals:
    """The history's column sums over the table's years (KRW 100 million) and the peak year."""

    first: int
    last: int
    columns: dict[str, int]
    peak_year: int
    peak_total: int


COLUMNS = (
    "gov_by_government",
    "gov_via_ngos",
    "gov_via_intl_orgs",
    "gov_free_total",
    "gov_food_loans",
    "gov_total",
    "ngo_total",
    "grand_total",
)


def history_totals(*, source: str) -> HistoryTotals | None:
    """The sums of the years loaded from `source` (a table's file name), or None."""
    rows = list(HistoryYear.objects.filter(source=source))
    if not rows:
        return None
    columns = {c: sum(getattr(r, c) or 0 for r in rows) for c in COLUMNS}
    peak = max(rows, key=lambda r: r.grand_total)
    return HistoryTotals(
        min(r.year for r in rows),
        max(r.year for r in rows),
        columns,
        peak.year,
        peak.grand_total,
    )


@dataclass(frozen=True)
class DisputedFigure:
    """A figure the sources give differently (or one cited beside the table): every source's."""

    key: str
    label_ko: str
    label_en: str
    unit: str
    values: list[tuple[Decimal, str]]  # (value, source)

    @property
    def disagree(self) -> bool:
        return len({v for v, _ in self.values}) > 1


def history_figures() -> list[DisputedFigure]:
    """The figures cited beside the table, grouped by what they count; a table's published
    total row is compared with the sum of its years."""
    by_key: dict[str, list[HistoryFigure]] = defaultdict(list)
    for figure in HistoryFigure.objects.order_by("key", "source"):
        by_key[figure.key].append(figure)
    result = []
    for key, figures in by_key.items():
        first = figures[0]
        values = [(f.value.normalize(), f.source) for f in figures]
        result.append(DisputedFigure(key, first.label_ko, first.label_en, first.unit, values))
    return result


@dataclass(frozen=True)
class Tonnage:
    commodity: str
    unit: str
    quantity: Decimal  # received where received, else sent
    shipments: int

    @property
    def commodity_label(self) -> str:
        return (
            str(Commodity(self.commodity).label)
            if self.commodity in Commodity.values
            else self.commodity
        )

    @property
    def unit_label(self) -> str:
        return str(Unit(self.unit).label) if self.unit in Unit.values else self.unit


def tonnages(*, year: int | None = None) -> tuple[list[Tonnage], list[Tonnage]]:
    """Goods shipped by commodity: the received quantity of a received shipment, else the sent
    one (shipments sent and not yet received). Tonnes first; other units apart."""
    shipments = Shipment.objects.filter(state__in=(ShipmentState.SENT, ShipmentState.RECEIVED))
    if year is not None:
        shipments = shipments.filter(sent_on__year=year)
    sums: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for commodity, unit, state, quantity, received in shipments.values_list(
        "commodity", "unit", "state", "quantity", "received_quantity"
    ):
        # A received shipment has its received quantity (a database constraint).
        counted = received if state == ShipmentState.RECEIVED else quantity
        sums[commodity, unit].append(counted if counted is not None else quantity)
    rows = [
        Tonnage(commodity, unit, sum(values, Decimal(0)), len(values))
        for (commodity, unit), values in sorted(sums.items())
    ]
    return [r for r in rows if r.unit == Unit.TONNES], [r for r in rows if r.unit != Unit.TONNES]


def loan_terms(loan: Loan) -> loan_math.LoanTerms:
    return loan_math.LoanTerms(
        principal=loan.principal,
        annual_rate=loan.annual_rate,
        grace_years=loan.grace_years,
        repayment_years=loan.repayment_years,
        overdue_rate=loan.overdue_rate,
        disbursed_on=loan.disbursed_on,
    )


@dataclass(frozen=True)
class LoanPosition:
    loan: Loan
    balance: loan_math.Balance
    missed: int


def loans_outstanding(loans: QuerySet[Loan], *, on: date) -> list[LoanPosition]:
    """Each loan's balance on `on`: principal outstanding, interest accrued, instalments
    fallen due unpaid and their overdue charge (the instalments paid as recorded)."""
    positions = []
    for loan in loans.prefetch_related("instalments"):
        instalments = list(loan.instalments.all())
        paid = {i.seq for i in instalments if i.paid_on is not None}
        balance = loan_math.balance(loan_terms(loan), on, paid)
        missed = sum(1 for i in instalments if i.paid_on is None and i.due_on < on)
        positions.append(LoanPosition(loan, balance, missed))
    return positions


@dataclass(frozen=True)
class MeasureDate:
    code: str
    name_ko: str
    name_en: str
    starts_on: date
    ends_on: date | None


def policy_measures() -> list[MeasureDate]:
    """The measures' dates, for the chart."""
    return [
        MeasureDate(m.code, m.name_ko, m.name_en, m.starts_on, m.ends_on)
        for m in PolicyMeasure.objects.order_by("starts_on", "code")
    ]


# --- the chart: server-rendered SVG ---------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    group: str
    y: float
    height: float
    value: Decimal


@dataclass(frozen=True)
class Column:
    year: int
    x: float
    source: str
    total: Decimal
    bars: list[Bar]
    label: str


@dataclass(frozen=True)
class Marker:
    x: float
    name_ko: str
    name_en: str
    starts_on: date


@dataclass(frozen=True)
class YearlyChart:
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    bar_width: float
    max_total: Decimal
    columns: list[Column]
    markers: list[Marker]


def yearly_chart(
    series: list[SeriesYear], measures: list[MeasureDate], *, width: int = 900, height: int = 320
) -> YearlyChart:
    """Stacked bars (free aid, loans, NGOs) per year, and a mark at each measure's start."""
    left, right, top, bottom = 50, 10, 20, height - 30
    plot_height = bottom - top
    step = (width - left - right) / max(len(series), 1)
    bar_width = round(step * 0.7, 1)
    top_value = max((s.total for s in series), default=Decimal(0)) or Decimal(1)
    columns = []
    for n, s in enumerate(series):
        x = round(left + n * step, 1)
        y = float(bottom)
        bars = []
        parts: dict[str, Decimal | None] = {g: s.group(g) for g in GROUPS}
        # What the source does not split (the summary's years): one part of its own.
        parts["unsplit"] = s.total - sum((v for v in parts.values() if v), Decimal(0))
        for group, value in parts.items():
            if not value or value < 0:
                continue
            h = round(float(value / top_value) * plot_height, 1)
            y = round(y - h, 1)
            bars.append(Bar(group, y, h, value))
        columns.append(Column(s.year, x, s.source, s.total, bars, str(s.year)[2:]))
    markers = []
    if series:
        first, last = series[0].year, series[-1].year
        for m in measures:
            if first <= m.starts_on.year <= last:
                offset = (m.starts_on.timetuple().tm_yday - 1) / 366
                x = round(left + (m.starts_on.year - first + offset) * step, 1)
                markers.append(Marker(x, m.name_ko, m.name_en, m.starts_on))
    return YearlyChart(
        width, height, top, bottom, bar_width, top_value.normalize(), columns, markers
    )


@dataclass(frozen=True)
class YearReport:
    """A year's report (the PDF and the CLI): the series' year, the ledger's money by channel
    in won and dollars, the goods shipped."""

    year: int
    series: SeriesYear | None
    ledger: YearlyAid
    tonnes: list[Tonnage]
    other_units: list[Tonnage]


def year_report(year: int, *, today: date) -> YearReport:
    series = {s.year: s for s in combined_series(today=today)}
    ledger = yearly_by_channel(year_from=year, year_to=year)
    tonnes, others = tonnages(year=year)
    return YearReport(
        year, series.get(year), ledger[0] if ledger else YearlyAid(year), tonnes, others
    )
