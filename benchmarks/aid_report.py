"""Benchmark of issue 19: the aid ledger's yearly report by channel over 20,000 activities and
1,000,000 transactions.

    .venv/bin/python benchmarks/aid_report.py [--activities 20000] [--transactions 1000000]
    .venv/bin/python benchmarks/aid_report.py --database-url \\
        postgres://postgres@127.0.0.1:5432/reports_bench --fresh

Target: the yearly report ≤ 500 ms on SQLite and on PostgreSQL. Writes the activities (every
channel) and the transactions (disbursements and expenditures, pledges and commitments that are
never counted, and a share passing on money already counted) in bulk with `common.bulk.Insert`
(one executemany, on PostgreSQL a COPY); each activity's money falls in the one to three years
it runs (`--spread`: over all 31 years, the worst case for the grouping). Then times
`selectors.yearly_by_channel()` — one aggregate query, GROUP BY year and channel, over the
partial index `aid_transaction_counted` — `--repeat` times; prints the median and the worst,
and checks the report's total against the rows written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, peak_rss_mib
from families import _setup

CHANNELS = ["government", "via_ngo", "via_international", "food_loan", "ngo_own"]
# disbursement, expenditure (counted); outgoing pledge, commitment, incoming pledge (not)
TYPES = [3, 3, 3, 4, 4, 4, 12, 2, 13]


def load(activities: int, transactions: int, seed: int, spread: bool) -> int:
    """Writes the ledger; returns the won the report must count."""
    from django.db import transaction

    from panmun.aid.models import Activity, Transaction
    from panmun.common.bulk import Insert, analyze, reserve_ids, reset_sequences

    rng = random.Random(seed)  # noqa: S311
    counted = 0
    started = time.perf_counter()
    with transaction.atomic():
        activity_ids = reserve_ids(Activity, activities)
        Insert(
            Activity,
            ["id", "identifier", "title_ko", "title_en", "reporting_org_ref",
             "reporting_org_type", "channel", "status"],
        ).write(
            [
                (pk, f"KR-BENCH-{pk:07d}", "대북 지원 사업", "Aid activity", "KR-GOV-MOU", "10",
                 CHANNELS[i % len(CHANNELS)], 2)
                for i, pk in enumerate(activity_ids)
            ]
        )  # fmt: skip
        starts = [dt.date(1995 + rng.randrange(29), 1, 1) for _ in activity_ids]
        spans = [rng.randrange(1, 4) for _ in activity_ids]
        tx_ids = reserve_ids(Transaction, transactions)
        columns = ["id", "activity_id", "type", "date", "value", "currency", "value_date",
                   "rate_krw", "rate_usd", "value_krw", "value_usd", "passes_on_id"]  # fmt: skip
        writer = Insert(Transaction, columns)
        rows = []
        last_counted: int | None = None
        for i, pk in enumerate(tx_ids):
            kind = TYPES[i % len(TYPES)]
            activity = i % len(activity_ids)
            if spread:  # the worst case: every activity's money spread over all 31 years
                day = dt.date(1995, 1, 1) + dt.timedelta(days=rng.randrange(31 * 365))
            else:  # an activity runs one to three years from its start
                day = starts[activity] + dt.timedelta(days=rng.randrange(spans[activity] * 365))
            krw = rng.randrange(1_000_000, 5_000_000_000)
            usd = (Decimal(krw) / Decimal(1200)).quantize(Decimal("0.01"))
            passes_on = None
            if kind in (3, 4) and last_counted is not None and i % 10 == 0:
                passes_on = last_counted  # an NGO's spending of the ministry's grant
            if kind in (3, 4) and passes_on is None:
                counted += krw
                last_counted = pk
            rows.append(
                (pk, activity_ids[activity], kind, day, krw, "KRW", day,
                 1, "0.0008333333", krw, usd, passes_on)
            )  # fmt: skip
            if len(rows) == 50_000:
                writer.write(rows)
                rows = []
        writer.write(rows)
    reset_sequences(Activity, Transaction)
    analyze(Activity, Transaction)
    _vacuum()
    took = time.perf_counter() - started
    print(f"loaded {activities:,} activities and {transactions:,} transactions in {took:.1f} s")
    return counted


def _vacuum() -> None:
    """PostgreSQL: the visibility map, so that the report reads the index alone."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE aid_transaction")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--activities", type=int, default=20_000)
    parser.add_argument("--transactions", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument(
        "--spread",
        action="store_true",
        help="spread each activity's money over all 31 years (the worst case), not 1-3 years",
    )
    args = parser.parse_args()
    _setup(args.database_url, args.fresh)

    from django.db import connection

    from panmun.aid import selectors
    from panmun.aid.models import Transaction

    if Transaction.objects.exists():  # a ledger written before: counted by another query
        print(f"{Transaction.objects.count():,} transactions already there")
        with connection.cursor() as cursor:  # exact: SQLite sums whole numbers as integers
            cursor.execute(
                "SELECT SUM(value_krw) FROM aid_transaction"
                " WHERE type IN (3, 4) AND passes_on_id IS NULL"
            )
            counted = Decimal(str(cursor.fetchone()[0]))
    else:
        counted = Decimal(load(args.activities, args.transactions, args.seed, args.spread))
    times = []
    report = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        report = selectors.yearly_by_channel()
        times.append((time.perf_counter() - t0) * 1000)
    total = sum((y.total_krw for y in report), Decimal(0))
    assert total == counted, (total, counted)
    with connection.cursor() as cursor:
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(explain + selectors.yearly_sql())
        plan = "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())
    print(machine())
    print(f"database: {connection.vendor}")
    print(f"plan:\n{plan}")
    print(
        f"yearly report by channel: {len(report)} years, "
        f"{selectors.eok(total):,} 억원 counted; "
        f"median {statistics.median(times):.1f} ms, max {max(times):.1f} ms "
        f"over {args.repeat} runs"
    )
    print(f"peak memory: {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
