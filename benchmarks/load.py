"""Load benchmark of issue 16: a mixed API load against 127.0.0.1, the production server
(`panmun serve`: gunicorn) side by side with `runserver` (as the demo serves) in the same run.

Target (PostgreSQL, the 2-core machine, a 10-minute soak): ≥ 300 requests/s, p99 ≤ 200 ms,
zero errors.

    # once: the demo in a PostgreSQL database of its own (~5 min: 134,500 applicants)
    createdb panmun_load
    export PANMUN_HOME=/tmp/load DATABASE_URL=postgres://postgres@127.0.0.1:5432/panmun_load
    .venv/bin/panmun migrate && .venv/bin/panmun load-demo --quiet-logins
    # then (short runs while developing; the soak is --duration 600):
    .venv/bin/python benchmarks/load.py --duration 60 --clients 32 [--servers serve,runserver]
        [--workers N] [--threads N] [--warmup 10]

The mix, drawn at random for every request (seeded): 40% `GET /api/v1/families/search` (a
name taken from the registry, in Hangul or in Latin letters, sometimes with birth years or a
status), 30% `GET /api/v1/dialogue/timeline` (all of it, or a span of years, a level or a
topic), 30% `GET /api/v1/liaison/entries` (a kind, a side, words, an offset). Each persona
that may read an endpoint has a read-only API token made for the run (revoked afterwards):
`redcross_s` and `ministry` search, `viewer`, `ministry` and `supervisor` read the timeline,
`liaison_s` and `liaison_n` the entries. On PostgreSQL the database is ANALYZEd first.

The clients are `--clients` connections on one asyncio loop in this process (HTTP/1.1 with
keep-alive where the server keeps the connection; a request's time runs from its first byte
sent to its last byte read, reconnection included). Each request waits for the previous one on
its connection: a closed loop, so requests/s is what the server sustains at that concurrency.
Errors: any status but 200, a broken connection, or no answer within 10 s. The servers see
`X-Forwarded-Proto: https` as nginx would send it (127.0.0.1 is a trusted proxy by default).
Printed per server: requests, requests/s, p50/p95/p99/max overall and per endpoint, errors,
the load average before and after, and the machine. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "src"))

from common import machine, table  # noqa: E402

PANMUN = [sys.executable, "-m", "panmun.config.cli"]
TIMEOUT_S = 10.0
PERSONAS = {
    "search": ["redcross_s", "ministry"],
    "timeline": ["viewer", "ministry", "supervisor"],
    "entries": ["liaison_s", "liaison_n"],
}
MIX = [("search", 0.4), ("timeline", 0.3), ("entries", 0.3)]


# --- what is asked ------------------------------------------------------------------------


@dataclass
class Plan:
    tokens: dict[str, str]  # persona -> token text
    names: list[str]  # names from the registry, Hangul and Latin
    birth_years: list[int]

    def request(self, rng: random.Random) -> tuple[str, str, str]:
        """(endpoint, path with query, persona)."""
        kind = rng.choices([k for k, _ in MIX], weights=[w for _, w in MIX])[0]
        persona = rng.choice(PERSONAS[kind])
        params: dict[str, str | int] = {}
        if kind == "search":
            params["q"] = rng.choice(self.names)
            roll = rng.random()
            if roll < 0.2:
                year = rng.choice(self.birth_years)
                params |= {"born_from": year - 5, "born_to": year + 5}
            elif roll < 0.3:
                params["status"] = rng.choice(["alive", "deceased", "unknown"])
            path = "/api/v1/families/search"
        elif kind == "timeline":
            roll = rng.random()
            if roll < 0.3:
                start = rng.randint(1971, 2015)
                params |= {"year_from": start, "year_to": start + rng.randint(0, 10)}
            elif roll < 0.5:
                params["topic"] = rng.choice(["dialogue", "aid", "families", "complex", "liaison"])
            elif roll < 0.6:
                params["level"] = rng.choice(["summit", "high_level", "working_level", "red_cross"])
            path = "/api/v1/dialogue/timeline"
        else:
            roll = rng.random()
            if roll < 0.3:
                # message kinds only (a contact call is not one: 422)
                params["kind"] = rng.choice(["notice", "letter", "proposal", "reply"])
            elif roll < 0.5:
                params["side"] = rng.choice(["south", "north"])
            elif roll < 0.6:
                params["q"] = rng.choice(["회담", "적십자", "연락", "meeting", "call"])
            if rng.random() < 0.3:
                params["offset"] = rng.choice([0, 50, 100])
            path = "/api/v1/liaison/entries"
        query = urllib.parse.urlencode(params)
        return kind, f"{path}?{query}" if query else path, persona


def registry_names(seed: int) -> tuple[list[str], list[int]]:
    """The names to search (Hangul and Latin) and birth years of 400 persons of the registry,
    drawn with `seed`: what `prepare` and `api_cpu.py` ask for."""
    from panmun.families.models import Person

    rng = random.Random(seed)  # noqa: S311 (a benchmark's mix, not a secret)
    count = Person.objects.count()
    picks = sorted(rng.sample(range(count), min(400, count)))
    names: list[str] = []
    years: list[int] = []
    people = Person.objects.order_by("pk").values_list(
        "family_name", "given_name", "name_latin", "birth_date"
    )
    for index in picks:
        family, given, latin, born = people[index]
        names.append(f"{family}{given}")
        if latin:
            names.append(latin)
        if born[:4].isdigit():
            years.append(int(born[:4]))
    return names, years


def prepare(seed: int) -> Plan:
    """Tokens for the personas and names to search, read from the database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panmun.config.settings.base")
    django.setup()
    from panmun.accounts.models import ApiToken, User
    from panmun.accounts.services import api_token_create

    users = {u.username: u for u in User.objects.filter(username__in=_personas())}
    missing = sorted(set(_personas()) - set(users))
    if missing:
        sys.exit(f"no demo personas {missing}: run `panmun load-demo` on this database first")
    ApiToken.objects.filter(name="load benchmark").delete()
    tokens = {
        name: api_token_create(actor=user, name="load benchmark", days=1, scope="read")[1]
        for name, user in users.items()
    }
    names, years = registry_names(seed)
    from django.db import connection, connections

    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum keeps them in production: right after load-demo the
        # planner takes the 350,000 persons for 41 and a search takes 1.5 s instead of 10 ms
        # (and some CI servers run with autovacuum off).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    connections.close_all()
    return Plan(tokens, names, years or [1940])


def revoke_tokens() -> None:
    from panmun.accounts.models import ApiToken

    ApiToken.objects.filter(name="load benchmark").delete()


def _personas() -> list[str]:
    return sorted({p for names in PERSONAS.values() for p in names})


# --- the client ---------------------------------------------------------------------------


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    started: float = 0.0
    ended: float = 0.0
    server_cpu: float = 0.0  # seconds, over the measured window
    database_cpu: float = 0.0  # PostgreSQL's processes (all of them: other work's too)
    client_cpu: float = 0.0  # this process: the load generator


class Connection:
    """One keep-alive HTTP/1.1 connection; reconnects when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def get(self, path: str, token: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                "X-Forwarded-Proto: https\r\nAccept: application/json\r\n\r\n"
            ).encode()
        )
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            await self.reader.read()  # until the server closes
            await self.close()
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status


async def client(
    plan: Plan, port: int, seed: int, until: float, counting_from: float, results: Results
) -> None:
    rng = random.Random(seed)  # noqa: S311 (a benchmark's mix, not a secret)
    connection = Connection(port)
    loop = asyncio.get_running_loop()
    while (now := loop.time()) < until:
        kind, path, persona = plan.request(rng)
        start = loop.time()
        try:
            status = await asyncio.wait_for(
                connection.get(path, plan.tokens[persona]), timeout=TIMEOUT_S
            )
            error = None if status == 200 else f"{kind} {status}"
        except TimeoutError:
            error = f"{kind} timeout"
            await connection.close()
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            error = f"{kind} {type(exc).__name__}"
            await connection.close()
        elapsed = loop.time() - start
        if now >= counting_from and loop.time() <= until + TIMEOUT_S:
            if error:
                results.errors[error] += 1
            else:
                results.latencies[kind].append(elapsed)
    await connection.close()


async def drive(
    plan: Plan, port: int, clients: int, warmup: float, duration: float, seed: int, pid: int
) -> Results:
    loop = asyncio.get_running_loop()
    results = Results()
    counting_from = loop.time() + warmup
    until = counting_from + duration
    tasks = [
        asyncio.create_task(client(plan, port, seed * 1000 + n, until, counting_from, results))
        for n in range(clients)
    ]
    await asyncio.sleep(warmup)
    results.started = time.monotonic()
    cpu_before, database_before = cpu_seconds(pid), database_cpu_seconds()
    client_before = time.process_time()
    await asyncio.sleep(duration)
    results.server_cpu = cpu_seconds(pid) - cpu_before
    results.database_cpu = database_cpu_seconds() - database_before
    results.client_cpu = time.process_time() - client_before
    await asyncio.gather(*tasks)
    results.ended = time.monotonic()
    return results


# --- the servers --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(name: str, port: int, args: argparse.Namespace) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["LOG_LEVEL"] = "WARNING"
    if name == "serve":
        env |= {
            "DJANGO_SETTINGS_MODULE": "panmun.config.settings.production",
            "SECRET_KEY": env.get("SECRET_KEY", "load-benchmark-" + "x" * 40),
            "ALLOWED_HOSTS": "127.0.0.1",
        }
        command = [*PANMUN, "serve", "--web-only", "--no-collectstatic"]
        command += ["--bind", f"127.0.0.1:{port}"]
        if args.workers:
            command += ["--workers", str(args.workers)]
        if args.threads:
            command += ["--threads", str(args.threads)]
    else:  # as the demo serves
        env["DJANGO_SETTINGS_MODULE"] = "panmun.config.settings.base"
        command = [*PANMUN, "runserver", f"127.0.0.1:{port}", "--noreload"]
    return subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


async def wait_ready(plan: Plan, port: int, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    persona = PERSONAS["timeline"][0]
    while time.monotonic() < deadline:
        connection = Connection(port)
        try:
            if await connection.get("/api/v1/dialogue/timeline", plan.tokens[persona]) == 200:
                await connection.close()
                return
        except (OSError, asyncio.IncompleteReadError, ValueError):
            pass
        await connection.close()
        await asyncio.sleep(0.5)
    raise SystemExit(f"the server on port {port} did not answer within {timeout:.0f} s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _tree(pid: int) -> list[int]:
    """`pid` and every process under it (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of the server's processes so far, its reaped children
    included; the database's own CPU is not in it."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for member in _tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    return total / ticks


def database_cpu_seconds() -> float:
    """CPU time (user + system) of every running PostgreSQL process so far, with that of its
    children that have exited: the postmaster's count of its children takes in the backends
    that closed (a worker replaced by gunicorn closes its connection), so none is lost."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, rest = stat.split("(", 1)[1].rsplit(")", 1)
        if name == "postgres":
            total += sum(int(x) for x in rest.split()[11:15])  # utime stime cutime cstime
    return total / ticks


# --- the report ---------------------------------------------------------------------------


def _pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] * 1000


def rows(server: str, results: Results, load_before: float, load_after: float) -> list[dict]:
    seconds = results.ended - results.started
    everything = [x for values in results.latencies.values() for x in values]
    out = []
    for kind, values in [("all", everything), *sorted(results.latencies.items())]:
        errors = (
            sum(results.errors.values())
            if kind == "all"
            else sum(n for k, n in results.errors.items() if k.startswith(kind + " "))
        )
        out.append(
            {
                "server": server,
                "endpoint": kind,
                "requests": len(values),
                "req/s": f"{len(values) / seconds:.1f}" if seconds else "0",
                "p50 ms": round(_pct(values, 0.50), 1) if values else "-",
                "p95 ms": round(_pct(values, 0.95), 1) if values else "-",
                "p99 ms": round(_pct(values, 0.99), 1) if values else "-",
                "max ms": round(max(values) * 1000, 1) if values else "-",
                "mean ms": round(statistics.fmean(values) * 1000, 1) if values else "-",
                "errors": errors,
                "server CPU ms/req": f"{results.server_cpu / len(values) * 1000:.1f}"
                if kind == "all" and values
                else "",
                "PostgreSQL CPU ms/req": f"{results.database_cpu / len(values) * 1000:.1f}"
                if kind == "all" and values
                else "",
                "client CPU ms/req": f"{results.client_cpu / len(values) * 1000:.1f}"
                if kind == "all" and values
                else "",
                "load avg (1 min) before/after": f"{load_before:.2f}/{load_after:.2f}"
                if kind == "all"
                else "",
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds not counted first")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--servers", default="serve,runserver", help="serve, runserver or both")
    parser.add_argument("--workers", type=int, default=0, help="serve: worker processes")
    parser.add_argument("--threads", type=int, default=0, help="serve: threads per worker")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    plan = prepare(args.seed)
    from django.db import connection

    print(f"machine: {machine()}")
    print(
        f"database: {connection.vendor}; clients: {args.clients}; warm-up {args.warmup:.0f} s, "
        f"measured {args.duration:.0f} s; mix: " + ", ".join(f"{int(w * 100)}% {k}" for k, w in MIX)
    )
    report: list[dict] = []
    try:
        for server in [s.strip() for s in args.servers.split(",") if s.strip()]:
            port = _free_port()
            process = start_server(server, port, args)
            try:
                asyncio.run(wait_ready(plan, port))
                load_before = os.getloadavg()[0]
                results = asyncio.run(
                    drive(
                        plan,
                        port,
                        args.clients,
                        args.warmup,
                        args.duration,
                        args.seed,
                        process.pid,
                    )
                )
                load_after = os.getloadavg()[0]
            finally:
                stop_server(process)
            report += rows(server, results, load_before, load_after)
            for error, count in results.errors.most_common(5):
                print(f"  {server}: {count} × {error}")
            print(table(rows(server, results, load_before, load_after)), flush=True)
    finally:
        revoke_tokens()
    print()
    print(table(report))


if __name__ == "__main__":
    main()
