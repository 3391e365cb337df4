"""The complex's figures by year (complex/history.py) and their table (migration 0002)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ..history import FIGURES, figures_of
from ..models import YearFigures
from ..services.output import year_figures_load

PUBLISHED = {
    2005: (18, 6013, "14910000.000"),
    2007: (65, 22804, "184780000.000"),
    2008: (93, 38266, "251420000.000"),
    2010: (None, 46284, "323320000.000"),
    2012: (None, 51452, "469500000.000"),
    2013: (None, None, "223780000.000"),
    2014: (None, None, "469970000.000"),
    2015: (124, 54481, "560000000.000"),
}


def test_the_published_figures_as_domain_md_gives_them():
    assert {f.year: (f.firms, f.workers, str(f.output_usd)) for f in FIGURES} == PUBLISHED
    assert all(f.source for f in FIGURES)
    assert "July" in figures_of(2015).as_of and "May" in figures_of(2012).as_of
    assert "16 September" in figures_of(2013).note
    assert figures_of(2006) is None


@pytest.mark.django_db
def test_the_table_holds_them_and_loading_again_changes_nothing():
    rows = {r.year: (r.firms, r.workers, r.output_usd) for r in YearFigures.objects.all()}
    assert rows == {y: (f, w, Decimal(o)) for y, (f, w, o) in PUBLISHED.items()}
    YearFigures.objects.filter(year=2015).update(workers=1)
    assert year_figures_load() == 8
    assert YearFigures.objects.count() == 8
    assert YearFigures.objects.get(year=2015).workers == 54481
