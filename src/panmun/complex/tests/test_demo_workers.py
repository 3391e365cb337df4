"""The demo's rosters: the number asked for, spread over the tenant firms, names in the North's
spelling, about 70% women, every worker valid by the roster's own rules, the same every run,
and a second run adds nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from panmun.common.apps import DemoRun

from .. import demo_workers
from ..models import Firm, FirmKind, Worker
from ..roster import check_worker, name_key
from .factories import make_firm


class Bar:
    def __init__(self) -> None:
        self.done = 0

    def advance(self, n: int = 1) -> None:
        self.done += n

    def close(self) -> None:
        pass


def run_of(workers: int, said: list[str]) -> DemoRun:
    return DemoRun(size=0, living=None, progress=lambda total, label: Bar(), say=said.append,
                   complex_workers=workers)  # fmt: skip


def firms() -> list[Firm]:
    made = [make_firm(f"시연기업{n}(주)", started_on=dt.date(2005 + n, 3, 1)) for n in range(6)]
    make_firm("시연하청(주)", kind=FirmKind.SUBCONTRACTOR, tenant=made[0])
    return made


def facts() -> list[tuple[Any, ...]]:
    return list(
        Worker.objects.order_by("firm__name_ko", "number").values_list(
            "firm__name_ko", "number", "name", "sex", "birth_year", "job", "hired_on", "left_on"
        )
    )


def test_the_demo_rosters(db):
    tenants = firms()
    said: list[str] = []
    demo_workers.load(run_of(600, said))
    workers = list(Worker.objects.select_related("firm"))
    assert len(workers) == 600
    assert {w.firm.kind for w in workers} == {FirmKind.TENANT}
    by_firm = {f.pk: Worker.objects.filter(firm=f).count() for f in tenants}
    assert all(count > 0 for count in by_firm.values())
    women = sum(w.sex == "F" for w in workers)
    assert 0.6 < women / 600 < 0.8
    assert any(w.name.startswith(("리", "림", "류", "로", "량", "렴", "룡", "라")) for w in workers)
    assert 0 < sum(w.left_on is not None for w in workers) < 60
    for w in workers:
        assert w.hired_on >= w.firm.started_on
        assert 1960 <= w.birth_year <= 1995
        assert w.name_key == name_key(w.name)
        assert check_worker(birth_year=w.birth_year, hired_on=w.hired_on, left_on=w.left_on,
                            job=w.job, today=dt.date.today()) == []  # fmt: skip
    assert said and "600 workers" in said[0]
    first = facts()
    demo_workers.load(run_of(600, said))
    assert facts() == first  # a second run adds nothing
    Worker.objects.all().delete()
    demo_workers.load(run_of(600, []))
    assert facts() == first  # the same rosters every run


def test_shares_add_up():
    assert demo_workers.shares(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(demo_workers.shares(55_000, [100, 250, 4000, 999])) == 55_000
    assert demo_workers.shares(5, []) == []


def test_nothing_without_firms_or_workers(db):
    demo_workers.load(run_of(600, []))
    firms()
    demo_workers.load(run_of(0, []))
    assert Worker.objects.count() == 0
