"""Benchmark of the video-reunion scheduler (panmun.reunion.scheduling), printing its figures.

    # 500 families (addresses drawn from the place table with a seeded random, 20% asking for
    # a date) over 3 days with the real rooms (13 South, 10 North); best and median of 5 runs
    .venv/bin/python benchmarks/reunion_schedule.py --families 500 --days 3

Each timed run starts with the address cache of `places.locate` emptied, so it includes reading
every address; the place table itself is loaded once before timing. No database is used.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, peak_rss_mib

from panmun.reunion.places import Place, load_places, locate
from panmun.reunion.scheduling import (
    DEFAULT_SLOT_TIMES,
    FamilyToPlace,
    Schedule,
    load_rooms,
    schedule,
    session_capacity,
)

SEED = 2026


def _address(rng: random.Random, place: Place) -> str:
    """An address as a registry might hold it: Hangul with or without the province, or Latin."""
    roll = rng.random()
    if roll < 0.6 or place.name_ko.startswith("고성"):  # 고성군 needs its province
        return f"{place.province_ko} {place.name_ko} {rng.randint(1, 300)}번길 {rng.randint(1, 99)}"
    if roll < 0.8:
        return f"{place.name_ko} {rng.randint(1, 99)}"
    unit = {"city": "si", "county": "gun"}.get(place.level, "")
    return f"{rng.randint(1, 99)}, {place.name_en}{'-' + unit if unit else ''}"


def families_of(n: int, days: list[date], share_dated: float, seed: int) -> list[FamilyToPlace]:
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    places = [p for p in load_places() if p.level != "province"]
    provinces = [p for p in load_places() if p.level == "province"]
    families = []
    for i in range(n):
        # Most applicants live in the big cities: a province-level place one time in three.
        place = rng.choice(provinces) if rng.random() < 1 / 3 else rng.choice(places)
        families.append(
            FamilyToPlace(
                key=f"F{i:05d}",
                address=_address(rng, place),
                requested_date=rng.choice(days) if rng.random() < share_dated else None,
                priority=rng.randint(70, 101),  # the applicant's age
            )
        )
    return families


def _timed_run(families: list[FamilyToPlace], days: list[date]) -> tuple[Schedule, float]:
    locate.cache_clear()
    rooms = load_rooms()
    started = time.perf_counter()
    result = schedule(families, rooms, days)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=500)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--share-dated", type=float, default=0.2, help="Share asking for a date.")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()

    days = [date(2026, 8, 15) + timedelta(days=i) for i in range(args.days)]
    load_places()  # the table, parsed once (not timed)
    rooms = load_rooms()
    families = families_of(args.families, days, args.share_dated, args.seed)
    runs = [_timed_run(families, days) for _ in range(args.repeat)]
    result = runs[0][0]
    assert all(r == result for r, _ in runs), "the schedule must not change between runs"
    seconds = [s for _, s in runs]

    south = [r for r in rooms if r.side == "south"]
    north = [r for r in rooms if r.side == "north"]
    capacity = session_capacity(rooms, days)
    slots = len(DEFAULT_SLOT_TIMES)
    print(
        f"{len(families)} families over {len(days)} days, {slots} sessions a day; "
        f"{len(south)} South rooms, {len(north)} North rooms (1 family per room per session)"
    )
    print(
        f"capacity of the round: days × sessions × min(South, North places) = "
        f"{len(days)} × {slots} × min({sum(r.capacity for r in south)}, "
        f"{sum(r.capacity for r in north)}) = {capacity} families — so most of "
        f"{len(families)} cannot be placed in {len(days)} days, whatever the order"
    )
    print(
        f"schedule(): best {min(seconds) * 1000:.2f} ms, median "
        f"{statistics.median(seconds) * 1000:.2f} ms of {len(seconds)} runs "
        "(each reading every address anew)"
    )
    print(f"placed: {len(result.placements)}; unplaced: {len(result.unplaced)}")
    for code, n in sorted(Counter(u.code for u in result.unplaced).items()):
        print(f"  unplaced, {code}: {n}")
    dated = [p for p in result.placements if p.requested_date_met is not None]
    print(
        f"asked for a date: {sum(f.requested_date is not None for f in families)}; placed "
        f"{len(dated)}, on their date {sum(bool(p.requested_date_met) for p in dated)}"
    )
    located = Counter(
        "unlocated" if (p := locate(f.address)) is None else p.level for f in families
    )
    print(f"addresses read as: {dict(sorted(located.items()))}")
    print("| South room | families placed |")
    print("|---|---|")
    by_room = result.by_room()
    for room in south:
        print(f"| {room.code} ({room.city_ko}) | {len(by_room.get(room.code, ()))} |")
    print(f"peak memory: {peak_rss_mib():,.0f} MiB")
    print(f"machine: {machine()}")


if __name__ == "__main__":
    main()
