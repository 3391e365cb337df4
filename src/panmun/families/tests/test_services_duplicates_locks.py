"""The duplicates job holds no transaction while it reads, trains and scores (issue 16,
item 7): on SQLite a transaction holds the write lock, and every other writer (a page's save,
the worker) would wait for the whole job. Only the last step, writing the candidates, is one
transaction."""

from __future__ import annotations

import pytest
from django.db import connection

from panmun.jobs.progress import Progress
from panmun.jobs.registry import KINDS

from ..models import DuplicateCandidate
from ..services import duplicates
from .factories import applicant


class Watched(Progress):
    """Notes, at each stage and step, whether a transaction is open."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, bool]] = []

    def _show(self, force: bool = False) -> None:
        self.seen.append((self.stage, connection.in_atomic_block))


@pytest.mark.django_db(transaction=True)
def test_only_the_final_write_runs_in_a_transaction(personas):
    officer = personas["redcross_s"]
    for family_name in ("이", "리"):
        applicant(officer, family_name=family_name, given_name="영철", birth_date="1931-02-11")
    applicant(officer, family_name="박", given_name="순자", birth_date="1940-07-01")

    progress = Watched()
    counts = duplicates.duplicates_find(actor=officer, progress=progress)

    assert counts["new"] == DuplicateCandidate.objects.count() >= 1
    assert KINDS["families.duplicates"].atomic is False
    stages = {stage for stage, _open in progress.seen}
    assert "쌍 점수 매기기 / scoring pairs" in stages
    in_transaction = {stage for stage, is_open in progress.seen if is_open}
    assert in_transaction == set()  # not even the last step's progress: it is shown after
