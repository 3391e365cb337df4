"""Benchmark of issue 15: how long the reunion pages take on the full demo database.

    mkdir -p /tmp/hd/var && cp /tmp/demo-pristine.sqlite3 /tmp/hd/var/panmun.sqlite3
    PANMUN_HOME=/tmp/hd .venv/bin/panmun migrate
    PANMUN_HOME=/tmp/hd .venv/bin/python benchmarks/reunion_pages.py [--repeat 5]

Signs in as the demo's `supervisor` with Django's test client and asks each reunion page
`--repeat` times (after one warm-up request, so the figures are those of a running server),
printing the median and the slowest answer in milliseconds, wall-clock and CPU time of this
process (SQLite runs in it: on a busy machine the CPU time is the steadier figure). Reads only;
nothing is written but the session.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--user", default="supervisor")
    parser.add_argument("--path", action="append", default=[], help="Extra paths to time.")
    args = parser.parse_args()
    if "PANMUN_HOME" not in os.environ:
        sys.exit("Set PANMUN_HOME to a copy of the demo (see the docstring).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panmun.config.settings.base")
    import django

    django.setup()
    from django.test import Client

    from panmun.accounts.models import User
    from panmun.reunion.models import ReunionRound

    client = Client()
    client.force_login(User.objects.get(username=args.user))
    paths = ["/reunion/", "/reunion/history/"]
    for r in ReunionRound.objects.order_by("pk"):
        paths.append(f"/reunion/{r.pk}/")
        paths.append(
            f"/reunion/{r.pk}/event/" if r.kind == "in_person" else f"/reunion/{r.pk}/video/"
        )
    paths += args.path
    print(f"{'page':<40} {'median ms':>10} {'max ms':>8} {'cpu ms':>8}  status")
    for path in paths:
        status = client.get(path).status_code  # warm-up
        times, cpu = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            status = response.status_code
        print(
            f"{path:<40} {statistics.median(times):>10.0f} {max(times):>8.0f} "
            f"{statistics.median(cpu):>8.0f}  {status}"
        )


if __name__ == "__main__":
    main()
