"""Benchmark of issue 20's rosters: a firm's roster of `--workers` workers (5,000 by default;
target ≤ 3 s) read from an xlsx file in the North's headers into an empty roster
(`services.workers.roster_import`: every worker added), then the same file again with every
fifth worker changed (a job, a leaving: the numbers on the roster updated); and `--demo`
workers of the demo's rosters (`demo_workers.load`) over 120 tenant firms. Each run in a
transaction rolled back after it, so the runs are alike.

    .venv/bin/python benchmarks/complex_roster.py [--workers 5000] [--repeat 3] [--demo 55000]
    .venv/bin/python benchmarks/complex_roster.py --database-url \\
        postgres://postgres@127.0.0.1:5432/h_workers_bench --fresh
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, peak_rss_mib
from families import _setup

HEADER = ("로동자번호", "성명", "성별", "출생년도", "직종", "채용날자", "퇴직날자")


class _Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--workers", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--demo", type=int, default=0, help="also time the demo's rosters")
    args = parser.parse_args()
    _setup(args.database_url, args.fresh)

    from django.db import transaction

    from panmun.accounts.models import User
    from panmun.common.apps import DemoRun
    from panmun.common.spreadsheets.writing import write_xlsx_to
    from panmun.complex import demo_workers
    from panmun.complex.models import Firm, Sector, Worker
    from panmun.complex.roster import SEX_WORDS
    from panmun.complex.services.workers import roster_import
    from panmun.complex.tests.factories import make_firm

    officer = User.objects.select_related("organisation").get(username="gic")
    today = dt.date.today()

    def roster_file(firm: Firm, changed: bool) -> bytes:
        workers = demo_workers.roster_of(firm, args.workers, random.Random(7), today)  # noqa: S311
        rows = []
        for i, w in enumerate(workers):
            job, left = w.job, w.left_on
            if changed and i % 5 == 0:
                job = "조장"
                left = left or w.hired_on + dt.timedelta(days=30)
            left_text = left.isoformat() if left and left <= today else ""
            rows.append([w.number, w.name, SEX_WORDS[w.sex], str(w.birth_year), job,
                         w.hired_on.isoformat(), left_text])  # fmt: skip
        out = io.BytesIO()
        write_xlsx_to(out, HEADER, rows)
        return out.getvalue()

    figures: dict[str, list[float]] = {"import (all new)": [], "import (1 in 5 changed)": []}
    size = 0
    for _ in range(args.repeat):
        try:
            with transaction.atomic():
                firm = make_firm("벤치섬유(주)", sector=Sector.TEXTILES)
                first, second = roster_file(firm, False), roster_file(firm, True)
                size = len(first)
                t0 = time.perf_counter()
                done = roster_import(actor=officer, firm=firm, data=first, file="명단.xlsx")
                t1 = time.perf_counter()
                again = roster_import(actor=officer, firm=firm, data=second, file="명단2.xlsx")
                t2 = time.perf_counter()
                assert done.added == args.workers and again.added == 0, (done, again)
                assert again.updated == args.workers // 5, again
                assert Worker.objects.filter(firm=firm).count() == args.workers
                figures["import (all new)"].append(t1 - t0)
                figures["import (1 in 5 changed)"].append(t2 - t1)
                raise _Rollback
        except _Rollback:
            pass
    print(machine())
    print(f"roster of {args.workers:,} workers, xlsx, {size:,} bytes; {args.repeat} runs")
    for key, values in figures.items():
        print(
            f"{key:>24}: median {statistics.median(values) * 1000:,.0f} ms, "
            f"max {max(values) * 1000:,.0f} ms"
        )
    if args.demo:

        class Bar:
            done = 0

            def advance(self, n: int = 1) -> None:
                self.done += n

            def close(self) -> None:
                pass

        try:
            with transaction.atomic():
                for n in range(120):
                    make_firm(f"벤치기업{n:03d}(주)", started_on=dt.date(2005 + n % 10, 3, 1))
                said: list[str] = []
                run = DemoRun(size=0, living=None, progress=lambda total, label: Bar(),
                              say=said.append, complex_workers=args.demo)  # fmt: skip
                t0 = time.perf_counter()
                demo_workers.load(run)
                t1 = time.perf_counter()
                assert Worker.objects.count() == args.demo
                print(f"demo rosters: {args.demo:,} workers over 120 firms in {t1 - t0:.2f} s")
                raise _Rollback
        except _Rollback:
            pass
    print(f"peak memory: {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
