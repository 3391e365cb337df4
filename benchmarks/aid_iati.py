"""Benchmark of issue 19: IATI 2.03 export and import of a ledger of 5,000 activities and about
100,000 transactions.

    .venv/bin/python benchmarks/aid_iati.py [--activities 5000] [--transactions 20]
    .venv/bin/python benchmarks/aid_iati.py --database-url \\
        postgres://postgres@127.0.0.1:5432/panmun_bench_iati

Targets: export ≤ 15 s including the schema's and the codelists' validation; import of that
file into an empty ledger ≤ 30 s. What is timed, through the real services:
- export: `services.iati.iati_export` of every activity — the ledger read in chunks with
  their participants, sectors and transactions, the file written, then read back and checked
  against the official schema, the codelists and IATI's rules before it is returned;
- import: `services.iati.iati_import` of that file into the emptied ledger — the file parsed
  safely, validated the same way, then every row written (bulk) with its audit entry;
- and a second export, compared byte for byte with the first (the round trip), not timed.
The ledger is built with bulk_create (not timed). Needs the IATI folder (PANMUN_IATI_DIR; by
default ../shared/data/iati beside the checkout).
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

GENERATED = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
SECTORS = ("12240", "72040", "52010", "31150")
TYPES = (2, 3, 3, 4, 11, 1)


def build(activities: int, per_activity: int) -> None:
    from panmun.aid.models import (
        Activity,
        ActivitySector,
        Channel,
        ParticipatingOrg,
        Transaction,
    )

    start = dt.date(1995, 6, 1)
    rows = []
    for i in range(activities):
        begins = start + dt.timedelta(days=(i * 11) % 8000)
        rows.append(
            Activity(
                identifier=f"KR-GOV-MOU-{i:06d}",
                title_ko=f"인도적 지원 사업 {i}",
                title_en=f"Humanitarian aid activity {i}",
                description_ko="영유아와 임산부에게 영양식을 지원한다.",
                description_en="Nutritious food for infants and pregnant women.",
                reporting_org_ref="KR-GOV-MOU",
                reporting_org_type="10",
                reporting_org_name_ko="통일부",
                reporting_org_name_en="Ministry of Unification",
                channel=Channel.VIA_NGO if i % 2 else Channel.GOVERNMENT,
                status=2 + i % 3,
                planned_start=begins,
                planned_end=begins + dt.timedelta(days=365),
                humanitarian=True,
                default_currency="KRW",
                recipient_country="KP",
            )
        )
    Activity.objects.bulk_create(rows, batch_size=2000)
    participants, sectors, transactions = [], [], []
    for i, activity in enumerate(rows):
        participants += [
            ParticipatingOrg(
                activity_id=activity.pk,
                seq=0,
                role=1,
                org_type="10",
                ref="KR-GOV-MOU",
                name_ko="통일부",
                name_en="Ministry of Unification",
            ),
            ParticipatingOrg(
                activity_id=activity.pk,
                seq=1,
                role=4,
                org_type="22",
                name_ko=f"지원 단체 {i % 50}",
                name_en=f"Aid organisation {i % 50}",
            ),
        ]
        sectors += [
            ActivitySector(
                activity_id=activity.pk, seq=0, code=SECTORS[i % 4], percentage=Decimal(60)
            ),
            ActivitySector(
                activity_id=activity.pk, seq=1, code=SECTORS[(i + 1) % 4], percentage=Decimal(40)
            ),
        ]
        for n in range(per_activity):
            day = activity.planned_start + dt.timedelta(days=n * 15)
            usd = n % 5 == 4
            transactions.append(
                Transaction(
                    activity_id=activity.pk,
                    type=TYPES[n % len(TYPES)],
                    date=day,
                    value=Decimal(f"{1000 + n}.25") if usd else Decimal(10_000_000 + i * 1000 + n),
                    currency="USD" if usd else "KRW",
                    value_date=day,
                    description_ko=f"지원금 {n}",
                    description_en=f"Grant {n}",
                    receiver_org_type="22",
                    receiver_org_name={"ko": f"지원 단체 {i % 50}"},
                )
            )
    ParticipatingOrg.objects.bulk_create(participants, batch_size=5000)
    ActivitySector.objects.bulk_create(sectors, batch_size=5000)
    Transaction.objects.bulk_create(transactions, batch_size=5000)


def empty() -> None:
    from panmun.aid.models import Activity, ActivitySector, ParticipatingOrg, Transaction

    for model in (Transaction, ActivitySector, ParticipatingOrg, Activity):
        queryset = model.objects.all()
        queryset._raw_delete(queryset.db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--activities", type=int, default=5000)
    parser.add_argument("--transactions", type=int, default=20, help="per activity")
    args = parser.parse_args()
    _setup(args.database_url, args.fresh)
    print(machine())

    from panmun.accounts.models import User
    from panmun.aid.models import Activity, Transaction
    from panmun.aid.services.iati import iati_export, iati_import

    empty()
    began = time.perf_counter()
    build(args.activities, args.transactions)
    print(
        f"ledger built: {Activity.objects.count():,} activities, "
        f"{Transaction.objects.count():,} transactions ({time.perf_counter() - began:.1f} s)"
    )
    began, cpu = time.perf_counter(), time.process_time()
    data = iati_export(Activity.objects.all(), generated=GENERATED)
    export_s, export_cpu = time.perf_counter() - began, time.process_time() - cpu
    print(
        f"export incl. validation: {export_s:.2f} s (CPU {export_cpu:.2f} s; "
        f"{len(data) / 2**20:.1f} MiB) [target ≤ 15 s]"
    )
    empty()
    actor = User.objects.get(username="ministry")
    began, cpu = time.perf_counter(), time.process_time()
    result = iati_import(actor=actor, data=data, file="bench.xml")
    import_s, import_cpu = time.perf_counter() - began, time.process_time() - cpu
    print(
        f"import into the empty ledger: {import_s:.2f} s (CPU {import_cpu:.2f} s; "
        f"{result.activities:,} activities, "
        f"{result.transactions:,} transactions) [target ≤ 30 s]"
    )
    again = iati_export(Activity.objects.all(), generated=GENERATED)
    print(f"round trip: second export {'identical' if again == data else 'DIFFERS'}")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"peak RSS: {peak_rss_mib():.0f} MiB")
    empty()


if __name__ == "__main__":
    main()
