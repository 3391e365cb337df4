"""Benchmark of issue 15 (defect 4): the registry's search page on the full demo database.

    mkdir -p /tmp/ha2/var && cp /tmp/demo-pristine.sqlite3 /tmp/ha2/var/panmun.sqlite3
    PANMUN_HOME=/tmp/ha2 .venv/bin/panmun migrate
    PANMUN_HOME=/tmp/ha2 .venv/bin/python benchmarks/families_search.py [--repeat 5]

Signs in as the demo's `redcross_s` with Django's test client and asks the search page (its
htmx partial, as the search box does) for common and rare names, first and later pages, with
and without a filter, `--repeat` times after one warm-up request. Prints the median and the
slowest answer in milliseconds (wall clock); the median CPU time of this process (SQLite runs
in it: on a busy machine the wall clock also counts the waits for a core); how many matched
(the count stops at 1,000: "capped") and how many are shown. Reads only; nothing is written
but the session.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from urllib.parse import urlencode

QUERIES = [
    "리선권",  # a name, North spelling: 585 in the demo
    "Lee Sun-kwon",  # the same name in Latin letters
    "김영수",  # a common name: more than 1,000
    "Kim Young-soo",
    "순자",  # a given name alone
    "김",  # a surname alone: 80,000 persons
    "이",
]
VARIANTS = [{}, {"page": "3"}, {"status": "alive"}, {"born_from": "1930", "born_to": "1939"}]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--query", action="append", default=[], help="Other queries to time.")
    args = parser.parse_args()
    if "PANMUN_HOME" not in os.environ:
        sys.exit("Set PANMUN_HOME to a copy of the demo (see the docstring).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panmun.config.settings.base")
    import django

    django.setup()
    from django.test import Client

    from panmun.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="redcross_s"))
    print(f"{'query':<16} {'filters':<30} {'median ms':>10} {'max ms':>8} {'cpu ms':>7}  found")
    medians = []
    for query in args.query or QUERIES:
        for variant in VARIANTS:
            url = "/families/?" + urlencode({"q": query, **variant})
            client.get(url, HTTP_HX_REQUEST="true")  # warm-up
            times, cpu = [], []
            for _ in range(args.repeat):
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url, HTTP_HX_REQUEST="true")
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            body = response.content.decode()
            total = re.search(r'data-total="(\d+)" data-capped="(\w+)"', body)
            rows = body.count("<tr data-person=")
            found = (
                f"{total.group(1)}{'+ (capped)' if total.group(2) == 'true' else ''}, {rows} shown"
                if total
                else "0"
            )
            medians.append(statistics.median(times))
            shown = urlencode(variant) or "-"
            print(
                f"{query:<16} {shown:<30} {statistics.median(times):>10.0f} "
                f"{max(times):>8.0f} {statistics.median(cpu):>7.0f}  {found}"
            )
    print(f"median of the medians: {statistics.median(medians):.0f} ms")


if __name__ == "__main__":
    main()
