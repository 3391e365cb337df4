"""Benchmark of issue 21: the gate of the Gaeseong complex — 10,000 gate events in a day
recorded through the API (target ≥ 200 events/s), and the live headcount with 1,000 people
inside (target ≤ 50 ms).

    .venv/bin/python benchmarks/complex_gate.py [--people 5000] [--firms 120] [--terminals 1]
    .venv/bin/python benchmarks/complex_gate.py --database-url \\
        postgres://postgres@127.0.0.1:5432/h_gate_bench --fresh

What is timed: `--people` people (5,000: 10,000 events) each checked out and back in through
POST /api/v1/complex/gate/events with the gate officer's token (`gate`), in-process through
Django's test client (with `--terminals N`, N processes at once, each with its own connection
and its share of the people, as N gate terminals served by N web workers would be), every
check judged by the real rules (a visit approval in force for the
day, a line on today's consented plan — the RFID mode: any time of the day —, no flag, the
direction) and written with its presence in one transaction; one person in ten names the
vehicle they came in. When all but 1,000 are back, the headcount is read 50 times through
GET /api/v1/complex/gate/headcount and through the selector (median and 95th percentile).
Then an offline terminal's file of `--batch` events (check-outs of people already back, an
hour earlier, out of order) merged as the job `complex.gate_merge` (checked, queued and run here),
and 250 other people's check-outs through POST /api/v1/complex/gate/events/batch (the most a
request takes), each twice (the second time nothing is stored). The approvals, plans
and lines are made with bulk_create (not timed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, peak_rss_mib
from families import _percentile, _setup


def build(people: int, firms: int) -> list[str]:
    """Today's world: `firms` firms, one approved application each (visit and crossing, the
    day only; one in ten a resident's month), its travellers on today's consented RFID plans
    out and in. Returns the document numbers."""
    from django.utils import timezone

    from panmun.accounts.models import User
    from panmun.complex.models import Firm, FirmKind, Sector
    from panmun.complex.models.crossings import DayPlan, PlanLine
    from panmun.permits.models import Application, Approval, Traveller

    today = timezone.localdate()
    firm_user = User.objects.get(username="firm")
    made = Firm.objects.bulk_create(
        Firm(
            name_ko=f"관문기업{i:03d}(주)",
            name_en=f"Gate firm {i:03d}",
            kind=FirmKind.TENANT,
            sector=Sector.TEXTILES,
            started_on=dt.date(2005, 3, 1),
        )
        for i in range(firms)
    )
    applications = Application.objects.bulk_create(
        Application(
            reference=f"GATE-BENCH-{i:04d}",
            applicant=firm_user,
            purpose="개성공업지구 출입",
            destination="gaeseong",
            start_date=today,
            end_date=today + dt.timedelta(days=30 if i % 10 == 0 else 0),
        )
        for i in range(firms)
    )
    approvals = Approval.objects.bulk_create(
        Approval(application=a, kind=kind, state="approved")
        for a in applications
        for kind in ("visit", "crossing")
    )
    crossing = {a.application_id: a for a in approvals if a.kind == "crossing"}
    numbers = [f"B{n:08d}" for n in range(people)]
    travellers = Traveller.objects.bulk_create(
        (
            Traveller(
                application=applications[n % firms],
                row=n,
                name_ko=f"출입자{n}",
                name_latin=f"PERSON {n}",
                sex="M",
                birth_date=dt.date(1975, 1, 1),
                document_kind="passport",
                document_number=number,
                nationality="KR",
            )
            for n, number in enumerate(numbers)
        ),
        batch_size=2000,
    )
    plans = [
        DayPlan.objects.create(day=today, slot=None, direction=d, state="consented")
        for d in ("out", "in")
    ]
    PlanLine.objects.bulk_create(
        (
            PlanLine(
                plan=plan,
                approval=crossing[t.application_id],
                subject="person",
                traveller=t,
                firm=made[n % firms],
                key=t.document_number,
                name=t.name_ko,
            )
            for plan in plans
            for n, t in enumerate(travellers)
        ),
        batch_size=2000,
    )
    return numbers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5_000, help="2 events each")
    parser.add_argument("--firms", type=int, default=120)
    parser.add_argument("--inside", type=int, default=1_000, help="inside when counted")
    parser.add_argument("--batch", type=int, default=2_000, help="offline events merged")
    parser.add_argument(
        "--terminals",
        type=int,
        default=1,
        help="gate terminals recording at once, each a process (1: one after the other)",
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    _setup(args.database_url, args.fresh)
    print(machine())
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from panmun.accounts.models import User
    from panmun.accounts.services import api_token_create
    from panmun.complex.models.crossings import GateEvent, Presence
    from panmun.complex.selectors_gate import headcount

    settings.ALLOWED_HOSTS = ["*"]
    started = time.perf_counter()
    numbers = build(args.people, args.firms)
    print(
        f"built {args.firms} firms, {len(numbers):,} people on today's plans in "
        f"{time.perf_counter() - started:.1f} s"
    )
    gate = User.objects.get(username="gate")
    token = api_token_create(actor=gate, name="gate benchmark", days=1)[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    inside_at_count = min(args.inside, len(numbers))

    def record(number: str, direction: str, n: int) -> None:
        body = {"key": number, "direction": direction, "source": "scan", "terminal": "bench"}
        if direction == "out" and n % 10 == 0:
            body["vehicle_key"] = f"{n % 90 + 10}가{n:04d}"[:12]
        response = client.post(
            "/api/v1/complex/gate/events", json.dumps(body), content_type="application/json"
        )
        if response.status_code != 201 or not response.json()["passed"]:
            sys.exit(f"{number} {direction}: {response.status_code} {response.content[:300]!r}")

    def at_terminals(steps: list[tuple[str, str, int]]) -> float:
        """`steps` (number, direction, n) recorded by `--terminals` gate terminals at once,
        each a process of its own with its own connection (as gunicorn's workers would serve
        them), a person's steps all at one terminal and in order. Returns the wall time."""
        if args.terminals == 1:
            started = time.perf_counter()
            for number, direction, n in steps:
                record(number, direction, n)
            return time.perf_counter() - started
        import multiprocessing

        from django.db import connections

        people = sorted({number for number, _d, _n in steps})
        terminal_of = {number: i % args.terminals for i, number in enumerate(people)}
        shares: list[list[tuple[str, str, int]]] = [[] for _ in range(args.terminals)]
        for step in steps:
            shares[terminal_of[step[0]]].append(step)

        def work(share: list[tuple[str, str, int]]) -> None:
            for number, direction, n in share:
                record(number, direction, n)
            connections.close_all()

        connections.close_all()  # each process opens its own
        context = multiprocessing.get_context("fork")
        processes = [context.Process(target=work, args=(share,)) for share in shares]
        started = time.perf_counter()
        for process in processes:
            process.start()
        for process in processes:
            process.join()
        took = time.perf_counter() - started
        if any(process.exitcode for process in processes):
            sys.exit("a terminal's process failed")
        return took

    timings: list[float] = []
    back = numbers[: len(numbers) - inside_at_count]
    timings.append(
        at_terminals(
            [(number, "out", n) for n, number in enumerate(numbers)]
            + [(number, "in", n) for n, number in enumerate(back)]
        )
    )
    assert Presence.objects.count() == inside_at_count

    api_times, selector_times = [], []
    for _ in range(50):
        t = time.perf_counter()
        response = client.get("/api/v1/complex/gate/headcount")
        api_times.append(time.perf_counter() - t)
        assert response.status_code == 200 and response.json()["people"] == inside_at_count
        t = time.perf_counter()
        count = headcount(gate)
        selector_times.append(time.perf_counter() - t)
        assert count.people == inside_at_count
    timings.append(
        at_terminals([(number, "in", n) for n, number in enumerate(numbers[len(back) :])])
    )
    events = GateEvent.objects.count()
    took = sum(timings)
    print(
        f"gate events through the API, {args.terminals} terminal(s) at once: {events:,} in "
        f"{took:.1f} s = {events / took:,.0f} events/s (target ≥ 200)"
    )
    api_ms = [t * 1000 for t in api_times]
    selector_ms = [t * 1000 for t in selector_times]
    print(
        f"headcount with {inside_at_count:,} inside: API median {statistics.median(api_ms):.1f} "
        f"ms, p95 {_percentile(api_ms, 0.95):.1f} ms; selector median "
        f"{statistics.median(selector_ms):.1f} ms, p95 {_percentile(selector_ms, 0.95):.1f} ms "
        "(target ≤ 50 ms)"
    )
    assert Presence.objects.count() == 0
    hour_ago = timezone.now() - dt.timedelta(hours=1)

    def offline(part: list[str]) -> list[dict[str, str]]:
        return [
            {
                "uid": str(uuid.uuid4()),
                "subject": "person",
                "key": number,
                "direction": "out",
                "occurred_at": (hour_ago - dt.timedelta(seconds=n)).isoformat(),
                "terminal": "offline-bench",
            }
            for n, number in enumerate(part)
        ]

    # A request merges at most MAX_API_BATCH events; the terminal's file goes through the job.
    from panmun.complex.schemas_gate import MAX_API_BATCH
    from panmun.jobs.runner import job_run
    from panmun.jobs.services import job_start

    batch = offline(numbers[: args.batch])
    small = offline(numbers[args.batch : args.batch + MAX_API_BATCH])
    body = json.dumps({"events": small})
    for label in ("merged", "merged again"):
        started = time.perf_counter()
        response = client.post(
            "/api/v1/complex/gate/events/batch", body, content_type="application/json"
        )
        took = time.perf_counter() - started
        if response.status_code != 200:
            sys.exit(f"batch: {response.status_code} {response.content[:300]!r}")
        result = response.json()
        print(
            f"API batch of {len(small):,} {label}: {result['stored']:,} stored, "
            f"{len(result['known']):,} known, {len(result['review']):,} to review in {took:.2f} s"
        )
    document = json.dumps({"events": batch})
    for label in ("merged", "merged again"):
        started = time.perf_counter()
        job = job_start(
            actor=gate,
            kind="complex.gate_merge",
            params={"document": document, "filename": "offline-bench.json"},
        )
        checked = time.perf_counter() - started
        job = job_run(str(job.pk))
        took = time.perf_counter() - started
        if job.state != "succeeded":
            sys.exit(f"merge job: {job.state} {job.error}")
        result = job.result
        print(
            f"offline file of {len(batch):,} ({len(document) / 1e6:.2f} MB) as a job {label}: "
            f"{result['stored']:,} stored, {result['known']:,} known, "
            f"{result['review_count']:,} to review in {took:.2f} s (checked and queued in "
            f"{checked:.2f} s)"
        )
    # The batch's check-outs happened an hour ago, before each person came back: nobody inside.
    assert Presence.objects.count() == 0
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"peak RSS: {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
