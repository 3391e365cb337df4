"""Benchmark of issue 20: the Gaeseong complex's dashboard (/complex/) with 124 firms, 55,000
workers on the rosters and a year of output.

    .venv/bin/python benchmarks/complex_dashboard.py [--workers 55000] [--repeat 15]
    .venv/bin/python benchmarks/complex_dashboard.py --database-url \\
        postgres://postgres@127.0.0.1:5432/h_firms_bench --fresh

Target: the dashboard ≤ 300 ms. The world (not timed): the demo's firms, land and output
(`complex.demo_firms`: 124 tenants, 4 subcontractors, 2 developers, 1,488 months of 2015's
output, a parcel, sublease and factory each), `--workers` workers spread over the tenants'
rosters (bulk_create; a tenth of them have left), and the wage rules (migration 0003's
history). Timed: the whole page as the committee's officer (`gic`) asks it through Django's
test client — the access checks, the queries and the template with its two SVG charts — and,
apart, the selector alone (`selectors_dashboard.dashboard`). Median and max over `--repeat`
runs, after one warm-up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, peak_rss_mib
from families import _setup

WAGES = (
    ("2003-09-18", "50.000", None),
    ("2007-08-01", "52.500", "0.05"),
    ("2008-08-01", "55.125", "0.05"),
    ("2009-08-01", "57.881", "0.05"),
    ("2010-08-01", "60.775", "0.05"),
    ("2011-08-01", "63.814", "0.05"),
    ("2012-08-01", "67.005", "0.05"),
    ("2014-05-01", "70.350", "0.05"),
    ("2015-03-01", "73.870", None),
)


def build(workers: int) -> None:
    from panmun.complex.demo_firms import load_firms_demo
    from panmun.complex.models import Firm, FirmKind, WageRule, Worker

    load_firms_demo()
    if not WageRule.objects.exists():
        WageRule.objects.bulk_create(
            WageRule(
                effective_from=dt.date.fromisoformat(day),
                minimum_wage_usd=Decimal(wage),
                insurance_rate=Decimal("0.15"),
                overtime_premium=Decimal("0.5"),
                night_premium=Decimal("0.5"),
                monthly_hours=208,
                raise_cap=Decimal(cap) if cap else None,
            )
            for day, wage, cap in WAGES
        )
    have = Worker.objects.count()
    if have >= workers:
        return
    tenants = list(Firm.objects.filter(kind=FirmKind.TENANT).order_by("pk"))
    rows = []
    for i in range(have, workers):
        firm = tenants[i % len(tenants)]
        rows.append(
            Worker(
                firm=firm,
                number=f"{i:06d}",
                name=f"근로자{i}",
                sex="F" if i % 10 < 7 else "M",
                birth_year=1965 + i % 30,
                hired_on=dt.date(2008, 1, 1) + dt.timedelta(days=i % 2500),
                left_on=dt.date(2015, 6, 30) if i % 10 == 0 else None,
            )
        )
    Worker.objects.bulk_create(rows, batch_size=5000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--workers", type=int, default=55_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    _setup(args.database_url, args.fresh)

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from panmun.accounts.models import User
    from panmun.complex.models import Firm, OutputMonth, Worker
    from panmun.complex.selectors_dashboard import dashboard

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    t0 = time.perf_counter()
    build(args.workers)
    print(f"world built in {time.perf_counter() - t0:.1f} s (not timed)")
    client = Client()
    client.force_login(User.objects.get(username="gic"))
    first = client.get("/complex/")
    assert first.status_code == 200, first.status_code
    pages = []
    queries = 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            answer = client.get("/complex/")
        pages.append((time.perf_counter() - t0) * 1000)
        queries = len(captured)
        assert answer.status_code == 200
    selector = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        board = dashboard(
            Firm.objects.all(), whole_complex=True, today=timezone.localdate(), year=None
        )
        selector.append((time.perf_counter() - t0) * 1000)
    print(machine())
    print(f"database: {connection.vendor}")
    print(
        f"world: {Firm.objects.count()} firms, {Worker.objects.count():,} workers "
        f"({board.on_roster:,} on the rosters), {OutputMonth.objects.count():,} months of output "
        f"(year {board.year}: USD {board.year_total:,}), {len(board.wages)} wage rules, "
        f"{len(board.fees)} fees due"
    )
    print(
        f"dashboard page (gic): median {statistics.median(pages):.1f} ms, "
        f"max {max(pages):.1f} ms over {args.repeat} runs; {queries} queries; "
        f"{len(answer.content):,} bytes"
    )
    print(
        f"dashboard selector alone: median {statistics.median(selector):.1f} ms, "
        f"max {max(selector):.1f} ms"
    )
    print(f"peak memory: {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
