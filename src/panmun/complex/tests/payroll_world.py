"""Workers for the payroll tests: made with bulk_create (the roster services are the workers
part's), on the persona firm or another."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..models import Firm, Worker


def add_workers(
    firm: Firm,
    count: int,
    *,
    hired_on: dt.date = dt.date(2010, 1, 4),
    base_wage_usd: Decimal | None = None,
    start: int = 1,
) -> list[Worker]:
    Worker.objects.bulk_create(
        Worker(
            firm=firm,
            number=f"W{n:05d}",
            name=f"근로자{n}",
            sex="F" if n % 3 else "M",
            birth_year=1980 + n % 20,
            job="재봉",
            hired_on=hired_on,
            base_wage_usd=base_wage_usd,
        )
        for n in range(start, start + count)
    )
    return list(Worker.objects.filter(firm=firm).order_by("number"))
