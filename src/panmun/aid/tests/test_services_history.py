"""The ministry's table loaded as the ledger's history: every published column total comes out
of the database (acceptance 3); the 2019–2024 summary and the figures the sources give
differently are kept with their sources; a wrong table writes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from panmun.accounts.audit import AuditEntry
from panmun.common.errors import DomainError
from panmun.tests.shared_data import shared_file

from ..models import HistoryFigure, HistoryYear
from ..selectors import history_figures, history_totals
from ..services.history import history_facts_load, history_load

HEADER = (
    "year,gov_by_government,gov_via_ngos,gov_via_intl_orgs,gov_free_total,gov_food_loans,"
    "gov_total,ngo_total,grand_total,note\n"
)


def _load_ministrys_table(actor) -> str:
    path = shared_file("data/aid/mou-humanitarian-aid-krw100m.csv")
    assert history_load(actor=actor, data=path.read_bytes(), file=path.name) == 24
    return path.name


def test_the_history_reproduces_every_published_column_total(personas):
    source = _load_ministrys_table(personas["ministry"])
    sums = HistoryYear.objects.filter(source=source).aggregate(
        free=Sum("gov_free_total"),
        loans=Sum("gov_food_loans"),
        government=Sum("gov_total"),
        ngo=Sum("ngo_total"),
        total=Sum("grand_total"),
    )
    assert sums == {
        "free": 15_183, "loans": 8_728, "government": 23_911, "ngo": 9_038, "total": 32_948
    }  # fmt: skip
    peak = HistoryYear.objects.filter(source=source).order_by("-grand_total").first()
    assert (peak.year, peak.grand_total) == (2007, 4_397)
    totals = history_totals(source=source)
    assert totals is not None and (totals.first, totals.last) == (1995, 2018)
    assert (totals.columns["grand_total"], totals.peak_year) == (32_948, 2007)
    # The published total row is kept beside the years' sums: the by-government column's
    # years add up to 11,261, the table prints 11,262 (its rounding).
    published = HistoryFigure.objects.get(key="table-total-gov-by-government", source=source)
    assert published.value == Decimal(11_262) and totals.columns["gov_by_government"] == 11_261
    assert AuditEntry.objects.filter(action="aid.history.load").count() == 1


def test_loading_again_replaces_the_years(personas):
    ministry = personas["ministry"]
    _load_ministrys_table(ministry)
    data = (HEADER + "2000,10,,,10,,10,5,15,x\ntotal,10,,,10,,10,5,15,\n").encode()
    assert history_load(actor=ministry, data=data, file="small.csv") == 1
    row = HistoryYear.objects.get(year=2000)
    assert (row.grand_total, row.source) == (15, "small.csv")
    assert HistoryYear.objects.count() == 24


def test_the_summary_and_the_figures_that_disagree(personas):
    ministry = personas["ministry"]
    history_facts_load(actor=ministry)
    summary = {h.year: h.grand_total for h in HistoryYear.objects.all()}
    assert summary == {2019: 277, 2020: 149, 2021: 31, 2022: 26, 2023: 10, 2024: 0}
    y2019 = HistoryYear.objects.get(year=2019)
    assert (y2019.gov_total, y2019.ngo_total) == (106, 170)
    figures = {f.key: f for f in history_figures()}
    assert figures["2004-total-without-loans"].disagree
    assert sorted(v for v, _ in figures["2004-total-without-loans"].values) == [2872, 2984]
    assert sorted(v for v, _ in figures["1999-fertiliser"].values) == [115_000, 200_000]
    seed = figures["fertiliser-1999-2007"]
    assert not seed.disagree and seed.values[0][0] == Decimal(2_550_000)
    assert "seed" in seed.values[0][1]
    history_facts_load(actor=ministry)  # again: nothing doubled
    assert HistoryYear.objects.count() == 6 and HistoryFigure.objects.count() == 5


def test_the_2004_figures_agree_with_the_table(personas):
    """The ministry's 2,872 is its table's 2004 total less the loan (4,231 − 1,359)."""
    _load_ministrys_table(personas["ministry"])
    y2004 = HistoryYear.objects.get(year=2004)
    assert y2004.grand_total - y2004.gov_food_loans == 2_872


def test_a_table_that_does_not_add_up_writes_nothing(personas):
    data = (HEADER + "2000,10,,,10,,10,5,25,\ntotal,10,,,10,,10,5,25,\n").encode()
    with pytest.raises(DomainError) as info:
        history_load(actor=personas["ministry"], data=data, file="bad.csv")
    errors = info.value.details["errors"]
    assert {(e["file"], e["row"], e["field"]) for e in errors} == {("bad.csv", 2, "grand_total")}
    assert not HistoryYear.objects.exists() and not HistoryFigure.objects.exists()
    assert not AuditEntry.objects.filter(action="aid.history.load").exists()


@pytest.mark.parametrize("who", ["viewer", "aid", "firm"])
def test_only_the_ministrys_officers_load_history(personas, who):
    data = (HEADER + "2000,10,,,10,,10,5,15,\ntotal,10,,,10,,10,5,15,\n").encode()
    with pytest.raises(DomainError) as info:
        history_load(actor=personas[who], data=data, file="a.csv")
    assert info.value.code == "permission_denied"
    with pytest.raises(DomainError):
        history_facts_load(actor=personas[who])
    assert not HistoryYear.objects.exists() and not HistoryFigure.objects.exists()
