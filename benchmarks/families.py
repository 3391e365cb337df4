"""Benchmarks of issue 4 (the separated-families registry), each printing its figures.

    # search: a registry of N applicants (with the relatives they seek) on PostgreSQL, then
    # name queries in four scripts and spellings; p50/p95 of one search, and how often the
    # person the query was made from is among the results
    .venv/bin/python benchmarks/families.py search --applicants 400000 \\
        --database-url postgres://postgres@127.0.0.1:5432/panmun_bench

    # import: a registry file of N rows (xlsx or csv) imported into an empty registry by the
    # command line, in a process of its own: wall time and its peak memory (RSS)
    .venv/bin/python benchmarks/families.py import --rows 100000 --format csv

    # reply: a round of 500 requests, the other side's reply of 500 rows without request ids,
    # linked by the engine and queued for review
    .venv/bin/python benchmarks/families.py reply --requests 500

    # export: the demo's registry of N applicants (with the relatives they seek), exported as
    # jobs (`families.export`, run as the worker runs it) in each format, each in a process of
    # its own (wall time, peak memory, rows, bytes); then the rows written as xlsx by
    # xlsxwriter's constant-memory mode and by openpyxl's write-only mode, and only read
    .venv/bin/python benchmarks/families.py export --rows 134500 --format all

Without --database-url a fresh SQLite file under a temporary folder is used. A PostgreSQL
database named in --database-url is created if missing and reused if there (so the registry
is loaded once); --fresh drops it first.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, peak_rss_mib

SEED = 2026


def _setup(database_url: str | None, fresh: bool) -> None:
    if database_url is None:
        folder = tempfile.mkdtemp(prefix="panmun-bench-")
        database_url = f"sqlite:///{folder}/bench.sqlite3"
    elif database_url.startswith("postgres"):
        import psycopg

        parts = urlsplit(database_url)
        name = parts.path.lstrip("/")
        admin = database_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            if fresh:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panmun.config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from panmun.accounts.demo import demo_load

    demo_load()
    print(f"database: {database_url.split('@')[-1]}")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- search -----------------------------------------------------------------------------------


def _spellings(family: str, given: str) -> dict[str, str]:
    from panmun.korean.orthography import south_form
    from panmun.korean.romanization import north_name, rr, rr_given_name
    from panmun.korean.surnames import by_hangul

    known = by_hangul(family)
    north_family = known[0].north if known else family
    passport = known[0].passport[0] if known and known[0].passport else rr(family)
    return {
        "South Hangul": south_form(family) + given,
        "North Hangul": north_family + given,
        "Revised Romanization": f"{rr(family).capitalize()} {rr_given_name(given)}",
        "passport, given name first": f"{rr_given_name(given)} {passport}",
        "North's romanization": north_name(north_family, given),
    }


def bench_search(args: argparse.Namespace) -> None:
    _setup(args.database_url, args.fresh)
    from django.db import connection

    from panmun.families.demo import load_registry_demo
    from panmun.families.models import Person
    from panmun.families.selectors import SearchFilters, search

    started = time.perf_counter()
    loaded = load_registry_demo(size=args.applicants, living=round(args.applicants * 0.256))
    if loaded["applicants"]:
        print(f"registry loaded in {time.perf_counter() - started:.1f} s: {loaded}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE families_person")
    persons = Person.objects.count()
    applicants = Person.objects.filter(registry_no__isnull=False).count()
    rng = random.Random(SEED)  # noqa: S311 (test data, not secrets)
    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    sample: list[Person] = []
    while len(sample) < args.queries:
        person = Person.objects.filter(pk__gte=rng.randint(1, top)).exclude(given_name="").first()
        if person is not None:
            sample.append(person)
    timings: dict[str, list[float]] = {}
    found: dict[str, int] = {}
    timings_year: dict[str, list[float]] = {}
    found_year: dict[str, int] = {}
    for person in sample:
        spellings = list(_spellings(person.family_name, person.given_name).items())
        # In a random order: the first query for a name reads its rows from disk, the others
        # find them cached, and no script should always pay (or skip) that first read.
        rng.shuffle(spellings)
        for script, query in spellings:
            filters = SearchFilters.from_values(query=query)
            t = time.perf_counter()
            hits = search(None, filters, limit=50)
            timings.setdefault(script, []).append((time.perf_counter() - t) * 1000)
            found[script] = found.get(script, 0) + any(h.person.pk == person.pk for h in hits)
            if person.birth_year:  # as an officer narrows a common name: by the birth year
                narrowed = SearchFilters.from_values(
                    query=query, born_from=person.birth_year, born_to=person.birth_year
                )
                t = time.perf_counter()
                hits = search(None, narrowed, limit=50)
                timings_year.setdefault(script, []).append((time.perf_counter() - t) * 1000)
                found_year[script] = found_year.get(script, 0) + any(
                    h.person.pk == person.pk for h in hits
                )
    everything = [ms for values in timings.values() for ms in values]
    print(f"\nregistry: {persons:,} persons ({applicants:,} applicants) on {connection.vendor}")
    print(
        "| query written as | queries | p50 ms | p95 ms | max ms | found in top 50 |"
        " + birth year: p95 ms | found |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for script, values in timings.items():
        narrowed = timings_year.get(script, [0.0])
        print(
            f"| {script} | {len(values)} | {statistics.median(values):.1f} | "
            f"{_percentile(values, 0.95):.1f} | {max(values):.1f} | "
            f"{found[script] / len(values):.3f} | {_percentile(narrowed, 0.95):.1f} | "
            f"{found_year.get(script, 0) / max(1, len(narrowed)):.3f} |"
        )
    print(
        f"| all | {len(everything)} | {statistics.median(everything):.1f} | "
        f"{_percentile(everything, 0.95):.1f} | {max(everything):.1f} | | | |"
    )


# --- import -----------------------------------------------------------------------------------


def _registry_rows(rows: int) -> list:
    import datetime as dt

    from panmun.families.registry_file.columns import ApplicantData, RelativeData

    rng = random.Random(SEED)  # noqa: S311 (test data, not secrets)
    families = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신"]
    syllables = "영순정성명철옥광수자희숙호식남길춘경덕상진"
    places = ["함경남도 혜산", "평안북도 강계", "황해도 연백군", "개성부", "평양", "원산", "성진"]
    applicants, made = [], 0
    while made < rows:
        n = len(applicants) + 1
        relatives = [
            RelativeData(
                row=0,
                relation=rng.choice(["sibling", "parent", "child", "spouse", "other"]),
                family_name=rng.choice(families),
                given_name=rng.choice(syllables) + rng.choice(syllables),
                sex=rng.choice("MF"),
                birth_date=str(rng.randint(1900, 1950)),
                birth_year=None,
                hometown=rng.choice(places),
                status="unknown",
            )
            for _ in range(rng.choice([1, 1, 2, 3]))
        ][: rows - made]
        # One applicant never seeks the same relative twice (an import refuses that).
        seen: set[tuple[str, str, str]] = set()
        relatives = [
            r
            for r in relatives
            if (r.family_name, r.given_name, r.birth_date) not in seen
            and not seen.add((r.family_name, r.given_name, r.birth_date))
        ]
        born = dt.date(rng.randint(1925, 1955), rng.randint(1, 12), rng.randint(1, 28))
        applicants.append(
            ApplicantData(
                rows=[],
                registry_no=f"X-{n:07d}",
                family_name=rng.choice(families),
                given_name=rng.choice(syllables) + rng.choice(syllables),
                sex=rng.choice("MF"),
                birth_date=born.isoformat(),
                birth_calendar=rng.choice(["solar", "lunar", ""]),
                address="서울특별시 종로구 세종대로 209",
                phone="02-2100-5000",
                status="alive",
                registered_on=dt.date(rng.randint(1988, 2020), 1, 1),
                consent_share=True,
                relatives=relatives,
            )
        )
        made += len(relatives)
    return applicants


# Run first in the child: at its exit, its peak resident memory (VmHWM) to stderr.
_REPORT_PEAK = (
    "import atexit, sys\n"
    "def _peak():\n"
    "    with open('/proc/self/status') as status:\n"
    "        sys.stderr.write(''.join(l for l in status if l.startswith('VmHWM:')))\n"
    "atexit.register(_peak)\n"
)


def bench_import(args: argparse.Namespace) -> None:
    """The command line's import (`panmun families import FILE`) of a file of N rows into an
    empty registry, in a process of its own: wall time and that process's peak memory."""
    import resource
    import subprocess

    _setup(args.database_url, True)
    from django.db import connection

    from panmun.families.models import Person
    from panmun.families.registry_file.writer import registry_rows, write_csv_to, write_xlsx_to

    folder = Path(tempfile.mkdtemp(prefix="panmun-import-"))
    path = folder / f"registry.{args.format}"
    with open(path, "wb") as out:
        rows = registry_rows(_registry_rows(args.rows))
        if args.format == "csv":
            write_csv_to(out, rows)
        else:
            write_xlsx_to(out, rows)
    size = path.stat().st_size
    print(f"file: {args.rows:,} rows, {size / 1e6:.1f} MB {args.format} (generated, not timed)")
    connection.close()
    command = [sys.executable, "-c", _REPORT_PEAK + "from panmun.config.cli import main; main()"]
    command += ["families", "import", str(path)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - started
    # The child's own high-water mark: getrusage's ru_maxrss of the children counts this
    # process's memory too (the child starts as a copy of it, and Linux keeps the larger
    # mark through exec), which, with the generated rows, is more than a flat import takes.
    marks = [line for line in done.stderr.splitlines() if line.startswith("VmHWM:")]
    if marks:
        peak = int(marks[-1].split()[1]) / 1024
    else:  # not Linux
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    shutil.rmtree(folder, ignore_errors=True)
    if done.returncode:
        print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"the import failed after {seconds:.1f} s, peak RSS {peak:.0f} MiB")
    print(done.stdout.strip().splitlines()[-1])
    print(
        f"imported by the command line in {seconds:.1f} s, peak RSS of its process "
        f"{peak:.0f} MiB; persons now {Person.objects.count():,}"
    )


# --- reply ------------------------------------------------------------------------------------


def bench_reply(args: argparse.Namespace) -> None:
    _setup(args.database_url, True)
    from panmun.accounts.models import User
    from panmun.families.demo import load_registry_demo
    from panmun.families.models import LinkState
    from panmun.families.services import tracing
    from panmun.korean.orthography import south_form
    from panmun.korean.surnames import by_hangul

    load_registry_demo(size=max(20 * args.requests, 5000), living=max(10 * args.requests, 2500))
    officer = User.objects.get(username="redcross_s")
    tracing_round = tracing.round_create(actor=officer, name="bench", target_size=args.requests)
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    rng = random.Random(SEED)  # noqa: S311 (test data, not secrets)
    header = (
        "result,vital_status,death_date,family_name,given_name,sex,birth_date,birthplace,"
        "father_name"
    )
    lines: list[tuple[str, str]] = []  # (the row, the request it answers)
    for request in tracing.requests_of(tracing_round):
        p = request.seeking.sought
        if rng.random() < 0.15:
            lines.append(("not_found,,,,,,,,", ""))
            continue
        known = by_hangul(south_form(p.family_name))
        family = known[0].north if known else p.family_name
        born = p.birth_date[:4] if rng.random() < 0.3 else p.birth_date
        vital = "deceased" if rng.random() < 0.6 else "alive"
        died = str(rng.randint(1990, 2024)) if vital == "deceased" else ""
        row = (
            f"found,{vital},{died},{family},{p.given_name},{p.sex},{born},{p.hometown},"
            f"{p.father_name}"
        )
        lines.append((row, request.request_id))
    rng.shuffle(lines)
    data = ("\n".join([header, *(row for row, _ in lines)]) + "\n").encode("utf-8")
    truth = {number: rid for number, (_, rid) in enumerate(lines, 2) if rid}
    started = time.perf_counter()
    counts = tracing.reply_import(
        actor=officer, tracing_round=tracing_round, data=data, filename="reply.csv"
    )
    seconds = time.perf_counter() - started
    right = wrong = 0
    by_state: dict[str, list[int]] = {}
    for reply in tracing_round.replies.select_related("request"):
        if reply.request is None or reply.link_state == LinkState.UNMATCHED:
            continue
        ok = truth.get(reply.row) == reply.request.request_id
        right, wrong = right + ok, wrong + (not ok)
        by_state.setdefault(reply.link_state, [0, 0])[0 if ok else 1] += 1
    print(f"reply of {len(lines)} rows (no request ids) linked and queued in {seconds:.1f} s")
    print(f"link states: {counts}")
    print(f"linked rows: {right} to the right request, {wrong} to a wrong one, of {len(truth)}")
    for state, (good, bad) in sorted(by_state.items()):
        print(f"  {state}: {good} right, {bad} wrong")


# --- export -----------------------------------------------------------------------------------


def _status_mib(field: str) -> float | None:
    """A memory figure of this process from /proc/self/status (Linux), MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    """Start this process's peak resident memory (VmHWM) afresh (Linux 4.0+), so that the peak
    read after the export is the export's, not that of Django's start-up."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _xlsx_by_library(library: str, rows, path: str) -> int:
    """The rows written as xlsx by a library itself, cell by cell; returns the rows written."""
    from panmun.families.registry_file.columns import COLUMNS

    count = 0
    if library == "xlsxwriter":
        import xlsxwriter

        book = xlsxwriter.Workbook(path, {"constant_memory": True})
        sheet = book.add_worksheet("registry")
        write = sheet.write_string
        for column, name in enumerate(COLUMNS):
            write(0, column, name)
        for number, cells in enumerate(rows, 1):
            for column, text in enumerate(cells):
                if text:
                    write(number, column, text)
            count += 1
        book.close()
        return count
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("registry")
    sheet.append(list(COLUMNS))

    def cell(text: str):
        if not text:
            return None
        if text[0] in "=#":  # as the writer did: text, not a formula or an error
            written = WriteOnlyCell(sheet, value=text)
            written.data_type = "s"
            return written
        return text

    for cells in rows:
        sheet.append([cell(text) for text in cells])
        count += 1
    book.save(path)
    return count


def bench_export_one(args: argparse.Namespace) -> None:
    """One export in this process (started by `export`): prints one JSON line."""
    import json

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panmun.config.settings.base")
    import django

    django.setup()
    from panmun.accounts.models import User
    from panmun.families.services.export import export_params, registry_file_rows
    from panmun.jobs.models import Job
    from panmun.jobs.runner import job_run

    before = _status_mib("VmRSS") or peak_rss_mib()
    reset = _reset_peak()
    result: dict[str, object] = {"format": args.format, "writer": args.writer}
    cpu = time.process_time()
    started = time.perf_counter()
    if args.writer == "job":
        officer = User.objects.get(username="redcross_s")
        job = Job.objects.create(
            kind="families.export",
            params=export_params({"format": args.format}),
            created_by=officer,
        )
        job = job_run(str(job.pk))  # as the worker runs it
        result["seconds"] = time.perf_counter() - started
        result.update(state=job.state, rows=job.result.get("rows"), bytes=job.result.get("bytes"))
        if job.result_file:
            job.result_file.delete(save=False)
    elif args.writer == "read":
        rows = sum(1 for _ in registry_file_rows())
        result.update(seconds=time.perf_counter() - started, rows=rows, bytes=0)
    else:
        with tempfile.TemporaryDirectory() as folder:
            path = f"{folder}/registry.xlsx"
            rows = _xlsx_by_library(args.writer, registry_file_rows(), path)
            result.update(
                seconds=time.perf_counter() - started, rows=rows, bytes=os.path.getsize(path)
            )
    peak = _status_mib("VmHWM") if reset else None
    result.update(
        cpu_seconds=time.process_time() - cpu,
        rss_before_mib=before,
        peak_rss_mib=peak or peak_rss_mib(),
    )
    print(json.dumps(result))


def bench_export(args: argparse.Namespace) -> None:
    _setup(args.database_url, args.fresh or args.database_url is None)
    from django.db import connection

    from panmun.families.demo import load_registry_demo
    from panmun.families.models import Person, Seeking

    started = time.perf_counter()
    loaded = load_registry_demo(size=args.rows, living=round(args.rows * 0.256))
    if loaded["applicants"]:
        print(f"registry loaded in {time.perf_counter() - started:.1f} s (not timed): {loaded}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE families_person")
            cursor.execute("ANALYZE families_seeking")
    applicants = Person.objects.filter(registry_no__isnull=False).count()
    print(
        f"registry: {applicants:,} applicants, {Person.objects.count():,} persons, "
        f"{Seeking.objects.count():,} relatives sought, on {connection.vendor}"
    )
    url = os.environ["DATABASE_URL"]
    connection.close()
    try:
        _export_runs(args, url)
    finally:
        if args.database_url is None:  # the fresh SQLite file made for this run
            shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent, ignore_errors=True)


def _export_runs(args: argparse.Namespace, url: str) -> None:
    import json
    import subprocess

    formats = ["csv", "xlsx", "pfif"] if args.format == "all" else [args.format]
    print(f"load average before the exports: {os.getloadavg()[0]:.1f}", flush=True)
    runs = [(fmt, "job") for fmt in formats]
    if "xlsx" in formats and args.compare_xlsx:
        runs += [("xlsx", "xlsxwriter"), ("xlsx", "openpyxl"), ("rows", "read")]
    results = []
    for fmt, writer in runs:
        command = [
            sys.executable,
            __file__,
            "--database-url",
            url,
            "export-one",
            "--format",
            "csv" if fmt == "rows" else fmt,
            "--writer",
            writer,
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode:
            print(done.stdout, done.stderr, file=sys.stderr)
            raise SystemExit(f"{fmt} / {writer} failed")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if fmt == "rows":
            result["format"] = "(rows only)"
        results.append(result)
        print(
            f"{result['format']:>11} {writer:>10}: {result['seconds']:6.1f} s "
            f"(CPU {result['cpu_seconds']:.1f} s, load {os.getloadavg()[0]:.1f}), "
            f"{result['rows']:,} rows, {result['bytes'] / 1e6:.1f} MB, "
            f"peak {result['peak_rss_mib']:.0f} MiB (from {result['rss_before_mib']:.0f})",
            flush=True,
        )
    print()
    print(
        "| export | written by | wall s | CPU s (this process) | rows | MB | RSS before, MiB "
        "| peak RSS, MiB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    names = {
        "job": "the job (`families.export`)",
        "xlsxwriter": "xlsxwriter, constant_memory, `write_string` per cell",
        "openpyxl": "openpyxl, write_only, `append` per row",
        "read": "nothing: the rows read and built only",
    }
    for r in results:
        print(
            f"| {r['format']} | {names[r['writer']]} | {r['seconds']:.1f} | "
            f"{r['cpu_seconds']:.1f} | {r['rows']:,} | "
            f"{r['bytes'] / 1e6:.1f} | {r['rss_before_mib']:.0f} | {r['peak_rss_mib']:.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--fresh", action="store_true", help="Drop the PostgreSQL database first.")
    sub = parser.add_subparsers(dest="what", required=True)
    s = sub.add_parser("search")
    s.add_argument("--applicants", type=int, default=400_000)
    s.add_argument("--queries", type=int, default=200)
    i = sub.add_parser("import")
    i.add_argument("--rows", type=int, default=100_000)
    i.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
    r = sub.add_parser("reply")
    r.add_argument("--requests", type=int, default=500)
    e = sub.add_parser("export")
    e.add_argument("--rows", type=int, default=134_500, help="Applicants in the registry.")
    e.add_argument("--format", choices=["csv", "xlsx", "pfif", "all"], default="all")
    e.add_argument(
        "--no-compare-xlsx",
        dest="compare_xlsx",
        action="store_false",
        help="Skip xlsxwriter's and openpyxl's own writing of the rows.",
    )
    one = sub.add_parser("export-one", help=argparse.SUPPRESS)
    one.add_argument("--format", choices=["csv", "xlsx", "pfif"], required=True)
    one.add_argument("--writer", choices=["job", "xlsxwriter", "openpyxl", "read"], default="job")
    args = parser.parse_args()
    if args.what == "export-one":
        bench_export_one(args)
        return
    {
        "search": bench_search,
        "import": bench_import,
        "reply": bench_reply,
        "export": bench_export,
    }[args.what](args)
    print(f"peak memory: {peak_rss_mib():,.0f} MiB")
    print(f"machine: {machine()}")


if __name__ == "__main__":
    main()
