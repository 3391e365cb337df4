"""Figures of exchange approvals: applications, approvals and refusals per kind per month (read
from the state machine's log, so a later revocation or amendment does not rewrite the past), and
visitors to the North per year from Panmun's approved visits — each with a chart drawn as SVG on
the server (the way `dialogue.selectors.chart` draws its years; no script needed).

Panmun's figures only: `docs/domain.md` holds no official series of visitors per year, and none
is made up here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone
from django_fsm_log.models import StateLog

from panmun.accounts.models import User

from .models import Approval, ApprovalKind, ApprovalState, Direction, Traveller
from .selectors import require_reviewer

S = ApprovalState
#: The log's transitions each figure counts.
COUNTED = {
    "submit": "applications",
    "approve": "approvals",
    "approve_with_conditions": "approvals",
    "refuse": "refusals",
}
FIGURES = ("applications", "approvals", "refusals")
#: Visits that were approved and not taken back: they count as visitors.
VISITED = (S.APPROVED, S.APPROVED_WITH_CONDITIONS, S.EXPIRED)
FIRST_YEAR = 1989  # the Act's guidelines of 1989; the Act itself is of 1990


@dataclass
class MonthRow:
    month: dt.date  # the first of the month
    kind: str
    applications: int = 0
    approvals: int = 0
    refusals: int = 0


@dataclass(frozen=True)
class Bar:
    label: str
    series: str
    count: int
    x: int
    y: int
    height: int


def per_month(user: User, year: int) -> list[MonthRow]:
    """Per kind and month of `year` (Korea's calendar): approvals submitted, approved (with or
    without conditions) and refused, as the state log recorded them."""
    require_reviewer(user)
    tz = timezone.get_default_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    end = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    kind = Approval.objects.filter(pk=OuterRef("object_id")).values("kind")[:1]
    grouped = (
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Approval),
            transition__in=list(COUNTED),
            timestamp__gte=start,
            timestamp__lt=end,
        )
        .annotate(month=TruncMonth("timestamp", tzinfo=tz), kind=Subquery(kind))
        .values("month", "kind", "transition")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows: dict[tuple[dt.date, str], MonthRow] = {}
    for g in grouped:
        month = g["month"]
        if isinstance(month, dt.datetime):
            month = (
                timezone.localtime(month, tz).date() if timezone.is_aware(month) else month.date()
            )
        row = rows.setdefault((month, g["kind"]), MonthRow(month, g["kind"]))
        figure = COUNTED[g["transition"]]
        setattr(row, figure, getattr(row, figure) + g["n"])
    order = {k: i for i, k in enumerate(ApprovalKind.values)}
    return sorted(rows.values(), key=lambda r: (r.month, order.get(r.kind, 99)))


def month_totals(rows: list[MonthRow], year: int) -> list[dict[str, Any]]:
    """Each month of `year` with its figures summed over the kinds (a month with none: zeros)."""
    totals = {m: dict.fromkeys(FIGURES, 0) for m in range(1, 13)}
    for r in rows:
        for figure in FIGURES:
            totals[r.month.month][figure] += getattr(r, figure)
    return [{"month": dt.date(year, m, 1), **totals[m]} for m in range(1, 13)]


def visitors_per_year(user: User) -> dict[int, int]:
    """Travellers of approved visits to the North (approved, with or without conditions, or
    approved and since expired; not revoked), by the year their visit began."""
    require_reviewer(user)
    counted = (
        Traveller.objects.filter(
            application__direction=Direction.TO_NORTH,
            application__start_date__isnull=False,
            application__approvals__kind=ApprovalKind.VISIT,
            application__approvals__state__in=VISITED,
        )
        .annotate(year=ExtractYear("application__start_date"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    return {g["year"]: g["n"] for g in counted}


def bar_chart(
    groups: list[tuple[str, dict[str, int]]],
    series: tuple[str, ...],
    *,
    width: int = 760,
    height: int = 160,
) -> dict[str, Any]:
    """Bars for each group (a month, a year), one per series side by side, with SVG
    coordinates; the labels of at most about ten groups."""
    top = max((counts.get(name, 0) for _label, counts in groups for name in series), default=0)
    if not groups or top == 0:
        return {"bars": [], "max": 0, "width": width, "height": height, "ticks": []}
    step = max(len(series) + 1, width // len(groups))
    bar_width = max(1, (step - 2) // len(series))
    plot = height - 20
    bars = []
    ticks = []
    every = max(1, len(groups) // 10)
    for n, (label, counts) in enumerate(groups):
        for i, name in enumerate(series):
            c = counts.get(name, 0)
            h = round(plot * c / top)
            bars.append(Bar(label, name, c, n * step + i * bar_width, plot - h, h))
        if n % every == 0 or n == len(groups) - 1:
            ticks.append({"label": label, "x": n * step})
    return {
        "bars": bars,
        "max": top,
        "width": max(width, step * len(groups)),
        "height": height,
        "bar_width": bar_width,
        "ticks": ticks,
        "label_y": height - 4,
    }


def statistics_payload(user: User, year: int) -> dict[str, Any]:
    """The figures as the API gives them (and the page shows them)."""
    rows = per_month(user, year)
    visitors = visitors_per_year(user)
    return {
        "year": year,
        "per_month": [
            {
                "month": r.month.strftime("%Y-%m"),
                "kind": r.kind,
                "applications": r.applications,
                "approvals": r.approvals,
                "refusals": r.refusals,
            }
            for r in rows
        ],
        "visitors_per_year": [{"year": y, "visitors": n} for y, n in sorted(visitors.items())],
        "official_series": None,
    }
