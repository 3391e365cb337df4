"""Benchmark of issue 18: a crossing plan's list of 1,000 people imported into an application
and checked against the applicant's profile and the policy table.

    .venv/bin/python benchmarks/permits_import.py [--people 1000] [--format csv|xlsx|cp949]
    .venv/bin/python benchmarks/permits_import.py --database-url \\
        postgres://postgres@127.0.0.1:5432/panmun_bench_permits

Target: ≤ 2 s for 1,000 people. What is timed, through the real services, each run in a
transaction rolled back after it so the runs are alike:
- import: `services.lines.travellers_import` — the file read row by row, every person checked
  (name, sex, birth date, document by kind, nationality, telephone, e-mail), duplicates in the
  file found, each person matched to the firm's profile (half of them are kept there), the
  list written;
- check: `services.checks.check_submission` for the application's visit, vehicle and crossing
  plan — each kind's rules, then the policy measures in force on its dates;
- both together, as an applicant waits for them.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, peak_rss_mib
from families import _setup

FAMILY = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ["민호", "서연", "지훈", "은정", "광혁", "하늘", "도윤", "세라", "동수", "영철"]
HEADER = ["이름", "영문 이름", "성별", "생년월일", "신분증 종류", "신분증 번호", "국적", "전화"]


class _Rollback(Exception):
    pass


def people_rows(n: int) -> list[list[str]]:
    rows = []
    for i in range(n):
        born = dt.date(1950, 1, 1) + dt.timedelta(days=(i * 37) % 20_000)
        rows.append(
            [
                FAMILY[i % len(FAMILY)] + GIVEN[i % len(GIVEN)],
                f"KIM MINHO{'' if i % 3 else ' JR'}",
                "M" if i % 2 else "F",
                born.isoformat(),
                "passport",
                f"M{10_000_000 + i:08d}",
                "KR",
                f"010-{1000 + i % 9000:04d}-{i % 10_000:04d}",
            ]
        )
    return rows


def file_bytes(rows: list[list[str]], form: str) -> tuple[str, bytes]:
    if form == "xlsx":
        import xlsxwriter

        out = io.BytesIO()
        book = xlsxwriter.Workbook(out, {"in_memory": True})
        sheet = book.add_worksheet()
        for r, row in enumerate([HEADER, *rows]):
            sheet.write_row(r, 0, row)
        book.close()
        return "명단.xlsx", out.getvalue()
    text = io.StringIO()
    csv.writer(text).writerows([HEADER, *rows])
    encoding = "cp949" if form == "cp949" else "utf-8"
    return "명단.csv", text.getvalue().encode(encoding)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--format", choices=["csv", "xlsx", "cp949"], default="xlsx")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    _setup(args.database_url, args.fresh)

    from django.db import transaction
    from django.utils import timezone

    from panmun.accounts.models import User
    from panmun.permits.models import ProfilePerson
    from panmun.permits.policy import measures_load
    from panmun.permits.services import lines
    from panmun.permits.services.applications import ApplicationData, application_create
    from panmun.permits.services.checks import check_submission

    measures_load()
    firm = User.objects.select_related("organisation").get(username="firm")
    rows = people_rows(args.people)
    name, data = file_bytes(rows, args.format)
    start = timezone.localdate() + dt.timedelta(days=10)
    figures: dict[str, list[float]] = {"import": [], "check": [], "whole": []}
    for _ in range(args.repeat):
        try:
            with transaction.atomic():
                profile = lines.profile_get_or_create(actor=firm)
                ProfilePerson.objects.bulk_create(
                    ProfilePerson(
                        profile=profile,
                        name_ko=r[0],
                        sex=r[2],
                        birth_date=dt.date.fromisoformat(r[3]),
                        document_kind=r[4],
                        document_number=r[5],
                        nationality="KR",
                    )
                    for r in rows[::2]
                )
                application = application_create(
                    actor=firm,
                    profile=profile,
                    data=ApplicationData(
                        purpose="평양 공동 행사 / a joint event in Pyongyang",
                        kinds=["visit", "vehicle", "crossing"],
                        destination="pyongyang",
                        start_date=start,
                        end_date=start + dt.timedelta(days=2),
                        terms={
                            "crossing": {
                                "crossing_date": start,
                                "crossing_slot": dt.time(9),
                                "crossing_direction": "to_north",
                            }
                        },
                    ),
                )
                application.vehicles.create(plate_number="12가3456", vehicle_kind="bus")
                t0 = time.perf_counter()
                imported = lines.travellers_import(
                    actor=firm, application=application, file_name=name, data=data
                )
                t1 = time.perf_counter()
                check_submission(
                    application, list(application.approvals.all()), today=timezone.localdate()
                )
                t2 = time.perf_counter()
                assert imported == args.people, imported
                linked = application.travellers.filter(profile_person__isnull=False).count()
                assert linked == len(rows[::2]), linked
                figures["import"].append(t1 - t0)
                figures["check"].append(t2 - t1)
                figures["whole"].append(t2 - t0)
                raise _Rollback
        except _Rollback:
            pass
    print(machine())
    print(f"{args.people:,} people, {args.format}, {len(data):,} bytes; {args.repeat} runs")
    for key, values in figures.items():
        print(
            f"{key:>7}: median {statistics.median(values) * 1000:,.0f} ms, "
            f"max {max(values) * 1000:,.0f} ms"
        )
    print(f"peak memory: {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
