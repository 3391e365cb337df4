"""Benchmark of issue 5 in the database: a reunion round's whole selection over the registry.

    .venv/bin/python benchmarks/reunion_selection.py --applicants 134500
    .venv/bin/python benchmarks/reunion_selection.py --applicants 134500 \\
        --database-url postgres://postgres@127.0.0.1:5432/panmun_bench_reunion

Loads the demo registry (N applicants, the living share of the Red Cross figures), then times,
through the real services, for a round with the 2015/2018 criteria (100 places, half for the
90+, five candidates per place):
- freeze: reading the eligible applicants and their relations, weights and strata, draw ids,
  the pool file and its commitment, the candidates written to the database;
- draw: the lottery over the frozen pool and every candidate's rank written back;
- bundle: the verification bundle as a zip;
- verify: `lottery.verify_bundle` on that zip.
Each selection runs in a transaction that is rolled back, so the runs are alike. On PostgreSQL
the tables are ANALYZEd first, as autovacuum keeps a live database. The pure
lottery over the same number of pool entries is measured by benchmarks/reunion_draw.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, peak_rss_mib
from families import _setup


class _Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--fresh", action="store_true", help="Drop the PostgreSQL database first.")
    parser.add_argument("--applicants", type=int, default=134_500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    _setup(args.database_url, args.fresh)

    from django.db import connection, transaction

    from panmun.accounts.models import User
    from panmun.families.demo import load_registry_demo
    from panmun.reunion import lottery
    from panmun.reunion.criteria import default_criteria
    from panmun.reunion.services import selection

    living = round(args.applicants * 34_400 / 134_500)
    started = time.perf_counter()
    loaded = load_registry_demo(size=args.applicants, living=living)
    if loaded["applicants"]:
        print(
            f"registry loaded: {loaded['applicants']:,} applicants "
            f"in {time.perf_counter() - started:.1f} s"
        )
    if connection.vendor == "postgresql":
        # A live database has its planner statistics (autovacuum); a registry loaded a moment
        # ago does not, and the pool's query then takes nested loops three times slower.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    supervisor = User.objects.get(username="supervisor")
    figures: dict[str, list[float]] = {
        "freeze": [],
        "draw": [],
        "bundle": [],
        "verify": [],
        "whole": [],
    }
    pool_size = 0
    for n in range(args.repeat):
        try:
            with transaction.atomic():
                reunion_round = selection.round_create(
                    actor=supervisor,
                    kind="in_person",
                    number=900 + n,
                    name=f"bench {n}",
                    starts_on=dt.date(2027, 3, 1),
                    criteria=default_criteria(dt.date(2026, 11, 23), 100),
                )
                t0 = time.perf_counter()
                draw = selection.pool_freeze(actor=supervisor, reunion_round=reunion_round)
                t1 = time.perf_counter()
                draw = selection.draw_run(actor=supervisor, reunion_round=reunion_round)
                t2 = time.perf_counter()
                data = selection.bundle_of(draw).to_zip()
                t3 = time.perf_counter()
                report = lottery.verify_bundle(data)
                t4 = time.perf_counter()
                assert report.ok, report.findings
                pool_size = draw.pool_size
                figures["freeze"].append(t1 - t0)
                figures["draw"].append(t2 - t1)
                figures["bundle"].append(t3 - t2)
                figures["verify"].append(t4 - t3)
                figures["whole"].append(t3 - t0)
                raise _Rollback
        except _Rollback:
            pass
    print(f"registry: {args.applicants:,} applicants; pool of {pool_size:,} living applicants")
    for name, values in figures.items():
        label = "freeze+draw+bundle" if name == "whole" else name
        print(
            f"{label:>20}: best {min(values):.3f} s, median {statistics.median(values):.3f} s "
            f"of {len(values)}"
        )
    print(f"peak memory: {peak_rss_mib():.0f} MiB")
    print(f"machine: {machine()}")


if __name__ == "__main__":
    main()
