"""Benchmark of issue 20: the payroll of the whole Gaeseong complex for one month, 55,000
workers in 124 firms (target ≤ 5 s).

    .venv/bin/python benchmarks/complex_payroll.py [--firms 124] [--workers 55000]
    .venv/bin/python benchmarks/complex_payroll.py --database-url \\
        postgres://postgres@127.0.0.1:5432/h_payroll_bench --fresh

What is timed, through the real service (`services.payroll.complex_month_compute`, as the
month's job and `panmun complex payroll` run it, by the committee's officer `gic`): every
firm's roster of the month read, each worker's line computed under the month's rules (full
attendance; one worker in six with overtime and night hours), each firm's payroll and lines
written in a transaction of its own with its audit entry. Then the same month again: the
drafts computed again with the inputs they hold (lines read back, rewritten). With --demo,
the demo's year of payrolls (`demo_payroll.load`, 12 months) is timed as well. The firms and
workers are made with bulk_create (not timed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, peak_rss_mib
from families import _setup

MONTH = dt.date(2015, 9, 1)


def build(firms: int, workers: int) -> None:
    from panmun.complex.models import Firm, FirmKind, Sector, Worker

    sectors = list(Sector.values)
    made = Firm.objects.bulk_create(
        Firm(
            name_ko=f"개성기업{i:03d}(주)",
            name_en=f"Gaeseong firm {i:03d}",
            kind=FirmKind.TENANT,
            sector=sectors[i % len(sectors)],
            started_on=dt.date(2005 + i % 10, 3, 1),
        )
        for i in range(firms)
    )
    rows = []
    for n in range(workers):
        firm = made[n % firms]
        rows.append(
            Worker(
                firm=firm,
                number=f"KS{n:06d}",
                name=f"근로자{n}",
                sex="F" if n % 10 < 7 else "M",
                birth_year=1960 + n % 35,
                job="재봉",
                hired_on=dt.date(2008 + n % 7, 1 + n % 12, 1),
                base_wage_usd=Decimal("80.000") if n % 9 == 0 else None,
            )
        )
    Worker.objects.bulk_create(rows, batch_size=5000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=124)
    parser.add_argument("--workers", type=int, default=55_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--demo", action="store_true", help="Time the demo's year too.")
    args = parser.parse_args()
    _setup(args.database_url, args.fresh)
    print(machine())
    from panmun.accounts.models import User
    from panmun.complex.models import PayrollLine, PayrollMonth
    from panmun.complex.services.payroll import complex_month_compute

    started = time.perf_counter()
    build(args.firms, args.workers)
    took = time.perf_counter() - started
    print(f"built {args.firms} firms, {args.workers:,} workers in {took:.1f} s")
    gic = User.objects.get(username="gic")
    started = time.perf_counter()
    summary = complex_month_compute(actor=gic, month=MONTH)
    first = time.perf_counter() - started
    print(
        f"payroll {MONTH:%Y-%m}: {summary.computed} firms, {summary.workers:,} workers, "
        f"{summary.total_usd:,} USD in {first:.2f} s (target ≤ 5 s)"
    )
    started = time.perf_counter()
    again = complex_month_compute(actor=gic, month=MONTH)
    second = time.perf_counter() - started
    print(
        f"computed again (drafts with their inputs): {again.computed} firms, "
        f"{again.workers:,} workers in {second:.2f} s"
    )
    assert again.total_usd == summary.total_usd
    assert PayrollLine.objects.count() == summary.workers
    assert PayrollMonth.objects.count() == summary.computed
    if args.demo:
        from panmun.common.apps import DemoRun
        from panmun.complex.demo_payroll import load
        from panmun.jobs.progress import Progress

        PayrollLine.objects.all().delete()
        PayrollMonth.objects.all().delete()
        started = time.perf_counter()
        load(DemoRun(0, None, lambda total, label: Progress(), print, args.workers))
        print(f"demo: a year of payrolls in {time.perf_counter() - started:.1f} s")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"peak RSS: {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
