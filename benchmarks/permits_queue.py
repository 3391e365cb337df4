"""Benchmark of issue 18: an officer's queue of 100,000 open approvals, its first page.

    .venv/bin/python benchmarks/permits_queue.py [--approvals 100000]
    .venv/bin/python benchmarks/permits_queue.py --database-url \\
        postgres://postgres@127.0.0.1:5432/panmun_bench_queue

Target: the first page ≤ 100 ms on SQLite and on PostgreSQL. Loads N open approvals of one
kind (visits: submitted, under review and waiting for information, a third each, each with its
application and one traveller, from many firms) — plus as many closed ones of other kinds, so
the queue is a part of the table, not all of it — written in bulk, then times for the ministry
officer, each `--repeat` times (the median and the worst kept):
- `selectors.queue(user, "visit")`: the first page of the queue (its rows, its capped count);
- the same for the officer's own (assigned) approvals only;
- the page after the first (the cursor);
- GET /permits/review/queue/visit/: the whole page as the officer's browser gets it (Django's
  test client in this process: the view, the template, the session and the middleware), after
  `web.warmup.warm()` as a server process runs it at start.
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


def load(n: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from panmun.accounts.models import Organisation, User
    from panmun.common.bulk import Insert, analyze, reserve_ids, reset_sequences
    from panmun.permits.models import Application, Approval, Traveller

    if Approval.objects.count() >= 2 * n:
        print(f"{Approval.objects.count():,} approvals already there")
        return
    firm = User.objects.get(username="firm")
    ministry = User.objects.get(username="ministry")
    orgs = list(Organisation.objects.filter(side__code="south").values_list("pk", flat=True))
    start = timezone.now() - dt.timedelta(days=400)
    started = time.perf_counter()
    with transaction.atomic():
        app_ids = reserve_ids(Application, 2 * n)
        Insert(
            Application,
            ["id", "reference", "applicant_id", "organisation_id", "purpose", "direction",
             "destination", "destination_detail", "entry_point", "start_date", "end_date",
             "north_partner", "submitted_at"],
        ).write(
            [
                (pk, f"EX-BENCH-{pk:08d}", firm.pk, orgs[i % len(orgs)], "평양 방문 / a visit",
                 "to_north", "pyongyang", "", "gyeongui", dt.date(2027, 1, 10),
                 dt.date(2027, 1, 13), "", start + dt.timedelta(seconds=i * 30))
                for i, pk in enumerate(app_ids)
            ]
        )  # fmt: skip
        open_states = ["submitted", "under_review", "info_requested"]
        rows = []
        for i, pk in enumerate(app_ids):
            when = start + dt.timedelta(seconds=i * 30)
            if i < n:
                state = open_states[i % 3]
                kind = "visit"
                assigned = ministry.pk if state != "submitted" and i % 7 == 0 else None
            else:
                state, kind, assigned = "approved", ["goods", "vehicle", "crossing"][i % 3], None
            questions = "보완 요청" if state == "info_requested" else ""
            rows.append((pk, kind, state, when, assigned, questions, questions))
        Insert(
            Approval,
            ["application_id", "kind", "state", "submitted_at", "assigned_to_id",
             "questions_ko", "questions_en"],
        ).write(rows)  # fmt: skip
        Insert(
            Traveller,
            ["application_id", "name_ko", "sex", "birth_date", "document_kind",
             "document_number", "nationality", "row"],
        ).write(
            [
                (pk, "정민호", "M", dt.date(1975, 3, 1), "passport", f"M{pk % 10**8:08d}", "KR", 1)
                for pk in app_ids
            ]
        )  # fmt: skip
    reset_sequences(Application, Approval, Traveller)
    analyze(Application, Approval, Traveller)
    took = time.perf_counter() - started
    print(f"loaded {2 * n:,} approvals ({n:,} open visits) in {took:.1f} s")


def timed(call, repeat: int) -> tuple[float, float]:
    values = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()
        values.append((time.perf_counter() - t0) * 1000)
    return statistics.median(values), max(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--approvals", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    _setup(args.database_url, args.fresh)

    from django.conf import settings
    from django.test import Client

    from panmun.accounts.models import User
    from panmun.permits import selectors
    from panmun.web.warmup import warm

    load(args.approvals)
    warm()  # as the servers do when the application is made (config/wsgi.py)
    officer = User.objects.select_related("organisation__side").get(username="ministry")
    first = selectors.queue(officer, "visit")
    assert len(first.rows) == selectors.PAGE_SIZE, len(first.rows)
    print(f"queue: {first.total:,}{'+' if first.capped else ''} open visit approvals")
    results = {
        "first page (selector)": timed(lambda: selectors.queue(officer, "visit"), args.repeat),
        "assigned to me (selector)": timed(
            lambda: selectors.queue(officer, "visit", assigned="mine"), args.repeat
        ),
        "next page (selector)": timed(
            lambda: selectors.queue(officer, "visit", after=first.next_cursor), args.repeat
        ),
    }
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(officer)
    response = client.get("/permits/review/queue/visit/")
    assert response.status_code == 200, response.status_code

    def page() -> None:
        assert client.get("/permits/review/queue/visit/").status_code == 200

    results["first page (GET, whole page)"] = timed(page, args.repeat)
    print(machine())
    for name, (median, worst) in results.items():
        print(f"{name:>30}: median {median:6.1f} ms, max {worst:6.1f} ms")
    print(f"peak memory: {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
