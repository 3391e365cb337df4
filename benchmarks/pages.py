"""Benchmark of issue 15: every page of the demo, as the page robot (tests/robot.py) finds them.

Target: every page ≤ 300 ms at the median, none over 1 s.

    # the full demo (134,500 applicants) in a folder of its own, once (~80 s):
    mkdir -p /tmp/pages && PANMUN_HOME=/tmp/pages .venv/bin/panmun migrate
    PANMUN_HOME=/tmp/pages .venv/bin/panmun load-demo --quiet-logins
    # then, as often as needed:
    PANMUN_HOME=/tmp/pages .venv/bin/python benchmarks/pages.py [--persona supervisor ...]
        [--language ko] [--forms] [--slowest 5]

For each persona the robot signs in (Django's test client, in this process: no network, no
browser), starts at "/" and follows every same-site link reachable from the navigation, at
most two URLs per pattern (the route and the query's keys), as the robot test does. Each
page's time is that of its first request, taken again up to three times when over 1 s (the
best kept), as the robot measures. Downloads (PDF, Excel, CSV, ZIP) are not pages: they are
listed apart. With --forms the robot also submits every form three ways (empty, wrong types,
hostile strings), inside a transaction rolled back after each persona, and the answers are
timed too; without it nothing is written but the sessions.

Each page found is then asked `--repeat` times in all (its first request included) and its
median kept. Prints, per persona: pages, the median, p95 and max of the pages' medians (wall
clock and this process's CPU time, where the view and SQLite run), and the slowest pages; then
all pages together, and how many pages are over 300 ms at the median or over 1 s on any try.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from common import machine  # noqa: E402


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persona", action="append", default=[], help="Default: all ten.")
    parser.add_argument("--language", default="ko", choices=["ko", "en"])
    parser.add_argument("--forms", action="store_true", help="Submit the forms too.")
    parser.add_argument("--per-pattern", type=int, default=2)
    parser.add_argument("--slowest", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3, help="Requests per page (median).")
    args = parser.parse_args()
    if "PANMUN_HOME" not in os.environ:
        sys.exit("Set PANMUN_HOME to a folder holding the full demo (see the docstring).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panmun.config.settings.base")
    import django

    django.setup()
    import logging

    logging.disable(logging.CRITICAL)  # the robot counts the errors; no tracebacks, no font logs
    from django.db import connection, transaction
    from tests.robot import PERSONAS, Robot, RobotClient

    from panmun.accounts.models import User
    from panmun.families.models import Person

    print(machine())
    print(
        f"database: {connection.vendor}, {Person.objects.count():,} persons; "
        f"language {args.language}; forms {'submitted' if args.forms else 'not submitted'}"
    )
    everything: list[Row] = []
    errors: list[Any] = []
    started = time.perf_counter()
    for persona in args.persona or list(PERSONAS):
        client = RobotClient()
        client.force_login(User.objects.get(username=persona))
        robot = Robot(
            client,
            persona,
            language=args.language,
            submit_forms=args.forms,
            per_pattern=args.per_pattern,
        )
        with transaction.atomic():
            report = robot.run()
            transaction.set_rollback(True)
        errors += [f for f in report.failures if "slow" not in f.problem]
        rows = [_row(persona, t, client, args.repeat) for t in report.pages]
        everything += rows
        print(
            f"\n{persona}: {len(rows)} pages; per page, the median of {args.repeat}: "
            + _spread(rows)
            + (f"; {report.submissions} form submissions" if args.forms else "")
            + f"; {len(report.downloads)} downloads"
        )
        for row in sorted(rows, key=lambda r: -r.wall)[: args.slowest]:
            print(f"  {row.line()}")
    print(
        f"\nall: {len(everything)} pages; per page, the median of {args.repeat}: "
        + _spread(everything)
        + f"; {time.perf_counter() - started:.0f} s in all"
    )
    over = [r for r in everything if r.wall > 0.3]
    print(f"pages over 300 ms at the median: {len(over)}; with one try over 1 s: ", end="")
    print(sum(r.worst > 1.0 for r in everything))
    for row in sorted(everything, key=lambda r: -r.wall)[: args.slowest * 3]:
        print(f"  {row.persona:<10} {row.line()}")
    if errors:
        print(f"\n{len(errors)} other problem(s) the robot met (the robot test fails on them):")
        for failure in errors:
            print("  " + failure.line().splitlines()[0])


@dataclass
class Row:
    persona: str
    url: str
    wall: float  # median of the tries
    cpu: float  # median of the tries
    worst: float  # slowest try (wall)

    def line(self) -> str:
        return (
            f"{_ms(self.wall):>9} ({_ms(self.cpu)} CPU, slowest try {_ms(self.worst)})  {self.url}"
        )


def _row(persona: str, first: Any, client: Any, repeat: int) -> Row:
    """The page's first time (the robot's) and `repeat - 1` more requests."""
    walls, cpus = [first.seconds], [first.cpu]
    for _ in range(repeat - 1):
        wall, cpu = time.perf_counter(), time.process_time()
        client.get(first.url)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return Row(persona, first.url, statistics.median(walls), statistics.median(cpus), max(walls))


def _spread(rows: list[Row]) -> str:
    walls = [r.wall for r in rows]
    cpus = [r.cpu for r in rows]
    return (
        f"median {_ms(statistics.median(walls))}, p95 {_ms(_percentile(walls, 0.95))}, "
        f"max {_ms(max(walls))} (CPU: median {_ms(statistics.median(cpus))}, "
        f"p95 {_ms(_percentile(cpus, 0.95))}, max {_ms(max(cpus))})"
    )


if __name__ == "__main__":
    main()
