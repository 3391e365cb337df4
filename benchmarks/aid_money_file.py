"""Benchmark of issue 19's transactions file: `--rows` transactions (KRW, USD and EUR, each
converted with the rate in force on its value date) spread over 100 activities, imported from
CSV or xlsx with `services.money.transactions_import` (replace), then exported again with
`transactions_export`; each run in a transaction rolled back after it so the runs are alike.

    .venv/bin/python benchmarks/aid_money_file.py [--rows 10000] [--format csv|xlsx]
    .venv/bin/python benchmarks/aid_money_file.py --database-url \\
        postgres://postgres@127.0.0.1:5432/money_bench
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, peak_rss_mib
from families import _setup

ACTIVITIES = 100


class _Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    _setup(args.database_url, args.fresh)

    from django.db import transaction

    from panmun.accounts.models import User
    from panmun.aid.models import Activity, Channel
    from panmun.aid.services.money import (
        COLUMNS,
        rates_import,
        transactions_export,
        transactions_import,
    )
    from panmun.common.spreadsheets.writing import write_csv_to, write_xlsx_to

    ministry = User.objects.select_related("organisation").get(username="ministry")
    day0 = dt.date(2024, 1, 1)
    rates = ["date,currency,krw,usd,source"]
    for d in range(0, 3 * 365):
        day = day0 + dt.timedelta(days=d)
        rates.append(f"{day},USD,{1300 + d % 200}.25,1,bench")
        rates.append(f"{day},EUR,{1400 + d % 250}.5,1.08,bench")
    figures: dict[str, list[float]] = {"import": [], "export": []}
    size = 0
    for _ in range(args.repeat):
        try:
            with transaction.atomic():
                rates_import(actor=ministry, data="\n".join(rates).encode(), file="rates.csv")
                activities = Activity.objects.bulk_create(
                    Activity(
                        identifier=f"KR-BENCH-{i:04d}",
                        organisation=ministry.organisation,
                        reporting_org_ref="KR-GOV-010",
                        reporting_org_type="10",
                        channel=Channel.VIA_INTERNATIONAL,
                        target_groups=["infants_children"],
                    )
                    for i in range(ACTIVITIES)
                )
                rows = []
                for i in range(args.rows):
                    day = (day0 + dt.timedelta(days=i % 1000)).isoformat()
                    currency = ("KRW", "USD", "EUR")[i % 3]
                    value = f"{1000 + i}" if currency == "KRW" else f"{10 + i}.25"
                    row = dict.fromkeys(COLUMNS, "")
                    row |= {
                        "activity_identifier": activities[i % ACTIVITIES].identifier,
                        "type": "4",
                        "date": day,
                        "value": value,
                        "currency": currency,
                        "value_date": day,
                        "description_ko": "분유 구매",
                    }
                    rows.append([row[c] for c in COLUMNS])
                out = io.BytesIO()
                if args.format == "csv":
                    write_csv_to(out, COLUMNS, rows)
                else:
                    write_xlsx_to(out, COLUMNS, rows)
                data = out.getvalue()
                size = len(data)
                t0 = time.perf_counter()
                summary = transactions_import(
                    actor=ministry, data=data, file=f"t.{args.format}", replace=True
                )
                t1 = time.perf_counter()
                exported = transactions_export(
                    Activity.objects.filter(identifier__startswith="KR-BENCH-"), format=args.format
                )
                t2 = time.perf_counter()
                assert summary.added == args.rows and exported
                figures["import"].append(t1 - t0)
                figures["export"].append(t2 - t1)
                raise _Rollback
        except _Rollback:
            pass
    print(machine())
    print(f"{args.rows:,} transactions, {args.format}, {size:,} bytes; {args.repeat} runs")
    for key, values in figures.items():
        print(
            f"{key:>7}: median {statistics.median(values) * 1000:,.0f} ms, "
            f"max {max(values) * 1000:,.0f} ms"
        )
    print(f"peak memory: {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
