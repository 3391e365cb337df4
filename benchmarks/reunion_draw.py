"""Benchmark of the reunion selection lottery (panmun.reunion.lottery), printing its figures.

    # a pool of N entries (default 134,500, today's registry of living applicants)
    .venv/bin/python benchmarks/reunion_draw.py --entries 134500 --repeat 3

    # the commands themselves, on files of that pool
    .venv/bin/python benchmarks/reunion_draw.py --repeat 1 --write-inputs /tmp/draw
    /usr/bin/time -f "%e s" .venv/bin/panmun reunion draw --pool /tmp/draw/pool.csv \
        --criteria /tmp/draw/criteria.json --seed-hex 00..1f --out /tmp/draw/bundle.zip
    /usr/bin/time -f "%e s" .venv/bin/panmun reunion verify-draw /tmp/draw/bundle.zip

Times, in seconds (best and median of --repeat runs): freezing the pool (pool.csv, criteria.json
and their hashes: `commit`), the draw (`draw`, from entries to ranked rows), writing a bundle as
zip bytes (`Bundle.to_zip`), the whole selection (`make_bundle`, and `make_bundle` then
`to_zip`), and verifying the zip (`verify_bundle`). Pure Python: no database, no Django setup.
The figures are printed, never checked.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine

from panmun.reunion import lottery

SEED = 2026

# Age bands (share of applicants, factor) and relations (share, factor): the weight of an
# applicant is the product, as the criteria weigh the oldest and the closest relatives most.
AGE_BANDS = [("90+", 0.31, 6.0), ("85-89", 0.25, 5.0), ("80-84", 0.19, 4.0), ("70-79", 0.17, 3.0)]
AGE_BANDS += [("<70", 0.08, 2.0)]
RELATIONS = [("spouse/parent/child", 0.44, 6.0), ("sibling", 0.39, 3.0), ("other", 0.17, 1.0)]
RESERVED_SHARE = 0.02  # listed cases (e.g. a relative already confirmed alive by the North)


def pool(size: int) -> list[lottery.PoolEntry]:
    """`size` entries: opaque draw ids, strata "90+", "others", "reserved", weights age×relation."""
    rng = random.Random(SEED)  # noqa: S311 (test data, not secrets)
    ids: set[str] = set()
    while len(ids) < size:
        ids.add(f"{rng.getrandbits(64):016x}")
    ages = rng.choices(AGE_BANDS, weights=[b[1] for b in AGE_BANDS], k=size)
    relations = rng.choices(RELATIONS, weights=[r[1] for r in RELATIONS], k=size)
    entries = []
    for draw_id, age, relation in zip(ids, ages, relations, strict=True):
        if rng.random() < RESERVED_SHARE:
            stratum = "reserved"
        else:
            stratum = "90+" if age[0] == "90+" else "others"
        entries.append(lottery.PoolEntry(draw_id, stratum, age[2] * relation[2]))
    return entries


def criteria() -> lottery.Criteria:
    # 100 final places, half to the 90+, five candidates drawn per place, 10 reserved.
    return lottery.Criteria.of(
        [("90+", 250), ("others", 200), ("reserved", 50)],
        round="benchmark",
        candidates_per_place=5,
        final_places={"90+": 50, "others": 40, "reserved": 10},
    )


def timed(fn: Callable[[], Any], repeat: int) -> tuple[Any, list[float]]:
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=134_500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--write-inputs",
        metavar="DIR",
        help="Also write the pool as DIR/pool.csv and DIR/criteria.json, to time the commands "
        "`panmun reunion draw` and `verify-draw` on them.",
    )
    args = parser.parse_args()

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    print(f"machine: {machine()}")
    print(f"cores: {os.cpu_count()} ({usable} usable); Python {platform.python_version()}")
    entries = pool(args.entries)
    crit = criteria()
    seed = bytes(range(32))
    moment = datetime.now(UTC).replace(microsecond=0)
    counts = {s.name: sum(e.stratum == s.name for e in entries) for s in crit.strata}
    print(f"pool: {len(entries):,} entries {counts}")

    def make() -> lottery.Bundle:
        return lottery.make_bundle(
            entries, crit, seed, round_label="benchmark", committed_at=moment, drawn_at=moment
        )

    bundle = make()
    data = bundle.to_zip()
    if args.write_inputs:
        folder = Path(args.write_inputs)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "pool.csv").write_bytes(bundle.pool)
        (folder / "criteria.json").write_bytes(bundle.criteria)
        print(f"inputs written: {folder / 'pool.csv'}, {folder / 'criteria.json'}")
    steps: list[tuple[str, Callable[[], Any]]] = [
        (
            "freeze (commit: pool.csv, criteria.json, hashes)",
            lambda: lottery.commit(
                entries, crit, seed, round_label="benchmark", committed_at=moment
            ),
        ),
        ("draw (entries -> ranked rows)", lambda: lottery.draw(entries, crit, seed)),
        ("bundle -> zip bytes", bundle.to_zip),
        ("make_bundle (freeze + draw + bundle)", make),
        ("make_bundle + to_zip", lambda: make().to_zip()),
        ("verify_bundle (zip bytes)", lambda: lottery.verify_bundle(data)),
    ]
    print(f"\nseconds, {args.repeat} runs each")
    print("| step | best s | median s |")
    print("|---|---|---|")
    for name, fn in steps:
        _, times = timed(fn, args.repeat)
        print(f"| {name} | {min(times):.3f} | {statistics.median(times):.3f} |")
    report = lottery.verify_bundle(data)
    print(
        f"\nverified: {'OK' if report.ok else report.findings[:3]}; "
        f"selected {report.selected} of {report.pool_size:,}"
    )
    print(
        f"sizes: pool.csv {len(bundle.pool):,} B, result.csv {len(bundle.result):,} B, "
        f"zip {len(data):,} B"
    )


if __name__ == "__main__":
    main()
