"""Reads of the payrolls beyond access: the month by month totals the committee, the ministry
and the North's bureau compare — what the firms' payrolls come to, what was remitted and
what the bureau confirmed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from .models import PayrollMonth, PayrollState

P = PayrollState
ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=3))


@dataclass(frozen=True)
class MonthTotals:
    month: dt.date
    firms: int
    #: The payrolls the committee approved (and those remitted or confirmed since).
    approved_usd: Decimal
    remitted_usd: Decimal
    confirmed_usd: Decimal
    #: Submitted, not yet approved.
    waiting_usd: Decimal

    @property
    def not_remitted_usd(self) -> Decimal:
        return self.approved_usd - self.remitted_usd


def month_totals(payrolls: QuerySet[PayrollMonth], *, months: int = 24) -> list[MonthTotals]:
    """The latest `months` months of `payrolls` (already what the asking user may see), newest
    first, in one aggregate query."""

    def total(*states: str) -> Coalesce:
        return Coalesce(Sum("total_usd", filter=Q(state__in=states)), ZERO)

    rows = (
        payrolls.values("month")
        .annotate(
            firms=Count("firm", distinct=True),
            approved=total(P.APPROVED, P.REMITTED, P.CONFIRMED),
            remitted=total(P.REMITTED, P.CONFIRMED),
            confirmed=total(P.CONFIRMED),
            waiting=total(P.SUBMITTED),
        )
        .order_by("-month")[:months]
    )
    return [
        MonthTotals(
            month=r["month"],
            firms=r["firms"],
            approved_usd=r["approved"],
            remitted_usd=r["remitted"],
            confirmed_usd=r["confirmed"],
            waiting_usd=r["waiting"],
        )
        for r in rows
    ]
