"""`panmun load-demo`'s rosters: `run.complex_workers` workers (55,000 by default, as in 2015)
spread over the tenant firms in proportion to a size each firm is given (most 100 to 1,000
workers, a few large ones), their names written as the North writes them (리, 림, 류, 로 ...),
about 70% women as in the complex, born 1960–1995, hired since the firm began, a few who left.
Seeded, so every run makes the same rosters; a firm that has a roster already is left as it is,
so a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from time import monotonic

from django.db import connection, transaction
from django.utils import timezone

from panmun.common.apps import DemoRun
from panmun.common.bulk import Insert, analyze

from .models import Firm, FirmKind, Sector, Worker, WorkerSex
from .roster import MAX_AGE, MIN_AGE, name_key

SEED = 20150731  # the end of July 2015, when the complex counted 54,481 workers
BATCH = 2000
WOMEN = 0.70
LEFT = 0.04
#: The complex's first workers, and its last day (10 February 2016).
OPENED = dt.date(2004, 12, 15)
CLOSED = dt.date(2016, 2, 10)

# Surnames as the North writes them, by how common they are.
SURNAMES: tuple[tuple[str, int], ...] = (
    ("김", 215), ("리", 147), ("박", 84), ("최", 47), ("정", 44), ("강", 23), ("조", 21),
    ("윤", 21), ("장", 20), ("림", 17), ("한", 15), ("오", 15), ("신", 14), ("서", 13),
    ("권", 13), ("황", 13), ("안", 13), ("송", 12), ("류", 11), ("전", 11), ("홍", 11),
    ("고", 9), ("문", 9), ("량", 8), ("손", 8), ("배", 8), ("백", 8), ("허", 7), ("로", 7),
    ("남", 6), ("심", 6), ("라", 4), ("렴", 3), ("룡", 2),
)  # fmt: skip
WOMENS_NAMES = (
    "순희", "영옥", "명숙", "은정", "정희", "혜영", "옥순", "춘희", "금순", "영희", "성희",
    "은별", "향미", "설미", "련희", "경희", "복실", "정옥", "명희", "은향", "해연", "류경",
    "옥희", "선영", "미향", "송이", "혜경", "은심", "랑희", "금옥",
)  # fmt: skip
MENS_NAMES = (
    "영철", "광혁", "철수", "명철", "성남", "혁철", "룡남", "광명", "철진", "명길", "영남",
    "진혁", "성철", "룡철", "철민", "광철", "정남", "학철", "송혁", "력성",
)  # fmt: skip
JOBS: dict[str, tuple[str, ...]] = {
    Sector.TEXTILES: ("재봉공", "재봉공", "재봉공", "재단공", "검사공", "다림질공", "포장공"),
    Sector.MACHINERY_METAL: ("선반공", "용접공", "조립공", "검사공", "운반공"),
    Sector.ELECTRIC_ELECTRONIC: ("조립공", "조립공", "납땜공", "검사공", "포장공"),
    Sector.CHEMICAL: ("사출공", "배합공", "검사공", "포장공"),
    Sector.FOOD: ("조리공", "포장공", "검사공"),
}
OTHER_JOBS = ("생산공", "검사공", "포장공", "운반공")


def firm_sizes(count: int, rng: random.Random) -> list[int]:
    """A size for each of `count` firms: most 100 to 1,000 workers, one in twenty 2,000 to
    5,000 (the few large ones)."""
    return [
        rng.randint(2000, 5000) if rng.random() < 0.05 else rng.randint(100, 1000)
        for _ in range(count)
    ]


def shares(total: int, sizes: Sequence[int]) -> list[int]:
    """`total` split in proportion to `sizes` (largest remainders): the parts add up to it."""
    weight = sum(sizes)
    if not weight:
        return [0] * len(sizes)
    exact = [total * size / weight for size in sizes]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(sizes)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def roster_of(firm: Firm, size: int, rng: random.Random, today: dt.date) -> list[Worker]:
    """`size` workers for `firm`, numbered 00001 on, drawn from `rng`."""
    surnames = [s for s, _w in SURNAMES]
    weights = [w for _s, w in SURNAMES]
    jobs = JOBS.get(firm.sector, OTHER_JOBS)
    first = max(firm.started_on or OPENED, OPENED)
    last = min(firm.closed_on or CLOSED, CLOSED, today)
    first = min(first, last)
    workers = []
    for index in range(1, size + 1):
        woman = rng.random() < WOMEN
        name = rng.choices(surnames, weights)[0] + rng.choice(WOMENS_NAMES if woman else MENS_NAMES)
        hired = _day_between(rng, first, last)
        oldest = max(1960, hired.year - MAX_AGE)
        youngest = min(1995, hired.year - MIN_AGE - 2)
        left = None
        if rng.random() < LEFT:
            left = _day_between(rng, hired, min(last, hired + dt.timedelta(days=3 * 365)))
        workers.append(
            Worker(
                firm=firm,
                number=f"{index:05d}",
                name=name,
                sex=WorkerSex.FEMALE if woman else WorkerSex.MALE,
                birth_year=rng.randint(oldest, max(oldest, youngest)),
                job=rng.choice(jobs),
                hired_on=hired,
                left_on=left,
                name_key=name_key(name),
            )
        )
    return workers


COLUMNS = ("firm_id", "number", "name", "sex", "birth_year", "job", "hired_on", "left_on",
           "name_key")  # fmt: skip


def _row(w: Worker) -> tuple[object, ...]:
    """A worker as `Insert` writes it: dates made ready for the database."""
    ops = connection.ops
    left = None if w.left_on is None else ops.adapt_datefield_value(w.left_on)
    return (w.firm_id, w.number, w.name, w.sex, w.birth_year, w.job,
            ops.adapt_datefield_value(w.hired_on), left, w.name_key)  # fmt: skip


def load(run: DemoRun) -> None:
    """The rosters of the tenant firms that exist (see the module's docstring)."""
    total = run.complex_workers
    firms = list(Firm.objects.filter(kind=FirmKind.TENANT).order_by("pk"))
    if total <= 0 or not firms:
        return
    rng = random.Random(SEED)  # noqa: S311 - demo data, reproducible by design
    sizes = shares(total, firm_sizes(len(firms), rng))
    staffed = set(
        Worker.objects.filter(firm__in=firms).values_list("firm_id", flat=True).distinct()
    )
    todo = [(f, n) for f, n in zip(firms, sizes, strict=True) if f.pk not in staffed and n]
    if not todo:
        return
    started = monotonic()
    bar = run.progress(sum(n for _f, n in todo), "complex workers / 개성공업지구 근로자")
    today = timezone.localdate()
    made = 0
    pending: list[tuple[object, ...]] = []
    insert = Insert(Worker, COLUMNS)
    with transaction.atomic():
        for firm, size in todo:
            rng = random.Random(f"{SEED}-{firm.pk}")  # noqa: S311
            pending.extend(_row(w) for w in roster_of(firm, size, rng, today))
            while len(pending) >= BATCH:
                insert.write(pending[:BATCH])
                bar.advance(BATCH)
                made += BATCH
                del pending[:BATCH]
        insert.write(pending)
        bar.advance(len(pending))
        made += len(pending)
    analyze(Worker)
    bar.close()
    run.say(
        f"Gaeseong complex: {made:,} workers on the rosters of {len(todo)} firms, "
        f"in {monotonic() - started:.1f} s."
    )
