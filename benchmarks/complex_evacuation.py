"""Benchmark of issue 21's evacuation board (/complex/evacuation/) with 1,000 people and 400
vehicles inside, an order to leave in force and 500 people already crossed back.

    .venv/bin/python benchmarks/complex_evacuation.py [--inside 1000] [--repeat 15]
    .venv/bin/python benchmarks/complex_evacuation.py --database-url \\
        postgres://postgres@127.0.0.1:5432/h_evac_bench --fresh

The world (not timed): 20 firms, `--inside` + 500 people and 400 vehicles crossed out in the
morning (gate events and presence rows, written as a passed gate event writes them), an order
to leave at 16:50, 500 of the people back by 18:00. Timed: the live board as the committee's
officer (`gic`) asks it through Django's test client (the htmx refresh: the board alone), the
same board replayed at 17:30 (`?at=`, recomputed from the gate's events), and the selector
alone. Median and max over `--repeat` runs after one warm-up, and the queries of one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, peak_rss_mib
from families import _setup

KST = ZoneInfo("Asia/Seoul")


def build(inside: int) -> None:
    from panmun.accounts.models import User
    from panmun.complex.models import EvacuationOrder, Firm, GateEvent
    from panmun.complex.services.evacuation import evacuation_order_record
    from panmun.complex.tests.evac_world import pass_gate, people_and_vehicles
    from panmun.complex.tests.factories import make_firm

    if GateEvent.objects.exists():
        return
    firms = list(Firm.objects.all()[:20]) or []
    firms += [make_firm(f"철수벤치{n:02d}(주)") for n in range(20 - len(firms))]
    people, vehicles = people_and_vehicles(firms, inside + 500, 400)
    gate, gic = User.objects.get(username="gate"), User.objects.get(username="gic")
    morning = dt.datetime(2016, 2, 11, 8, 30, tzinfo=KST)
    pass_gate(officer=gate, crossers=people + vehicles, direction="out", at=morning)
    if not EvacuationOrder.objects.exists():
        evacuation_order_record(
            actor=gic,
            issued_at=dt.datetime(2016, 2, 11, 16, 50, tzinfo=KST),
            deadline=dt.datetime(2016, 2, 11, 17, 30, tzinfo=KST),
            issued_by_ko="중앙특구개발지도총국",
        )
    back = people[inside:]
    for n in range(0, len(back), 100):
        at = dt.datetime(2016, 2, 11, 17, 0, tzinfo=KST) + dt.timedelta(minutes=10 * n // 100)
        pass_gate(officer=gate, crossers=back[n : n + 100], direction="in", at=at)


def timed(call, repeat: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
    runs = []
    queries = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            call()
        runs.append((time.perf_counter() - t0) * 1000)
        queries = len(captured)
    return runs, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--inside", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    _setup(args.database_url, args.fresh)

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from panmun.accounts.models import User
    from panmun.complex.selectors_evacuation import evacuation_board

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    t0 = time.perf_counter()
    build(args.inside)
    print(f"world built in {time.perf_counter() - t0:.1f} s (not timed)")
    client = Client()
    client.force_login(User.objects.get(username="gic"))

    def live() -> None:
        answer = client.get("/complex/evacuation/", HTTP_HX_REQUEST="true")
        assert answer.status_code == 200

    def replay() -> None:
        answer = client.get("/complex/evacuation/?at=2016-02-11T17:30", HTTP_HX_REQUEST="true")
        assert answer.status_code == 200

    board = evacuation_board()
    print(machine())
    print(f"database: {connection.vendor}")
    print(
        f"world: {board.totals['people_inside']:,} people and "
        f"{board.totals['vehicles_inside']:,} vehicles inside, "
        f"{board.totals['people_crossed']:,} people crossed back since the order"
    )
    for label, call in (
        ("board, live (htmx)", live),
        ("board replayed at 17:30", replay),
        ("selector alone, live", lambda: evacuation_board()),
    ):
        runs, queries = timed(call, args.repeat)
        print(
            f"{label}: median {statistics.median(runs):.1f} ms, max {max(runs):.1f} ms "
            f"over {args.repeat} runs; {queries} queries"
        )
    print(f"peak memory: {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
