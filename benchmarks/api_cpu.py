"""CPU per request of the three endpoints of issue 16's load mix, without a server or a network:
Django's test client under the production settings, the requests drawn as `load.py` draws them
(same mix, names, filters and personas), the same requests repeated for `--rounds` rounds; the
figure is the lowest round's process CPU per request (the machine is shared: the lowest is the
one least disturbed), and PostgreSQL's (all its processes': nothing else should use it). The
test client's own work is included, equally before and after.

    export PANMUN_HOME=/tmp/load DATABASE_URL=postgres://postgres@127.0.0.1:5432/panmun_load
    .venv/bin/python benchmarks/api_cpu.py [--requests 60] [--rounds 5] [--profile search]

It imports the `src` beside it: to measure an older checkout, copy this script (and load.py)
into that checkout's benchmarks/ and run it from there.

The requests repeat from round to round, so the caches of issue 16 (the timeline's, the entries'
pages) answer all but the first round: this is the CPU of a request that finds its answer
cached; `load.py` draws fresh requests throughout. Makes read-only tokens for the personas and
deletes them afterwards (as `load.py` does); writes nothing else.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "src"))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panmun.config.settings.production")
os.environ.setdefault("SECRET_KEY", "api-cpu-benchmark-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")

import django  # noqa: E402

django.setup()

import load  # noqa: E402
from django.test import Client  # noqa: E402

from panmun.accounts.models import ApiToken, User  # noqa: E402
from panmun.accounts.services import api_token_create  # noqa: E402

TOKEN_NAME = "api cpu benchmark"


def plan(seed: int) -> load.Plan:
    """load.py's plan (the same names and years), without its ANALYZE."""
    users = {u.username: u for u in User.objects.filter(username__in=load._personas())}
    ApiToken.objects.filter(name=TOKEN_NAME).delete()
    tokens = {
        name: api_token_create(actor=user, name=TOKEN_NAME, days=1, scope="read")[1]
        for name, user in users.items()
    }
    names, years = load.registry_names(seed)
    return load.Plan(tokens, names, years or [1940])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=60, help="per endpoint and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", default="", help="an endpoint to profile (cProfile)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    the_plan = plan(args.seed)
    rng = random.Random(args.seed)  # noqa: S311
    drawn: dict[str, list[tuple[str, str]]] = {"search": [], "timeline": [], "entries": []}
    while min(len(v) for v in drawn.values()) < args.requests:
        kind, path, persona = the_plan.request(rng)
        if len(drawn[kind]) < args.requests:
            drawn[kind].append((path, persona))
    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")

    def run(items: list[tuple[str, str]]) -> None:
        for path, persona in items:
            response = client.get(
                path,
                HTTP_AUTHORIZATION=f"Bearer {the_plan.tokens[persona]}",
                HTTP_ACCEPT="application/json",
            )
            if response.status_code != 200:
                sys.exit(f"{path}: {response.status_code} {response.content[:300]!r}")

    print("load average before:", " ".join(f"{v:.2f}" for v in os.getloadavg()))
    try:
        for kind, items in drawn.items():
            run(items[:10])  # warm
            best = database = float("inf")
            for _round in range(args.rounds):
                start, database_start = time.process_time(), load.database_cpu_seconds()
                run(items)
                best = min(best, (time.process_time() - start) / len(items) * 1000)
                database = min(
                    database, (load.database_cpu_seconds() - database_start) / len(items) * 1000
                )
            rounds = f"lowest of {args.rounds} rounds of {len(items)}"
            print(f"{kind}: {best:.2f} ms CPU/request, PostgreSQL {database:.2f} ms ({rounds})")
            if args.profile == kind:
                profile = cProfile.Profile()
                profile.enable()
                run(items)
                profile.disable()
                pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    finally:
        ApiToken.objects.filter(name=TOKEN_NAME).delete()
    print("load average after:", " ".join(f"{v:.2f}" for v in os.getloadavg()))


if __name__ == "__main__":
    main()
