"""The policy table as the aid app reads it: the migrations and `measures_load` write the same
table, and what counts as purely humanitarian aid to vulnerable groups."""

from __future__ import annotations

import pytest

from panmun.permits.models import PolicyMeasure, PolicyRule
from panmun.permits.policy import measures_load

from ..policy import purely_humanitarian


def _table() -> list[tuple[object, ...]]:
    measures = [
        (m.code, m.name_ko, m.name_en, m.summary_ko, m.summary_en, m.source, m.starts_on, m.ends_on)
        for m in PolicyMeasure.objects.order_by("code")
    ]
    rules = sorted(
        (r.measure.code, r.kind, r.effect, r.where, r.humanitarian_exempt, tuple(r.commodities))
        for r in PolicyRule.objects.select_related("measure")
    )
    return [*measures, *rules]


@pytest.mark.django_db
def test_the_migrations_and_measures_load_write_the_same_table():
    migrated = _table()
    assert ("2006-07-missiles", "aid_loan", "forbid", "anywhere", False, ("rice",)) in migrated
    assert ("2016-01-07", "aid_ngo", "forbid", "anywhere", True, ()) in migrated
    PolicyRule.objects.all().delete()
    PolicyMeasure.objects.all().delete()
    assert measures_load() == 6
    assert _table() == migrated


@pytest.mark.parametrize(
    ("commodity", "groups", "expected"),
    [
        ("milk_powder", ["infants_children"], True),
        ("rice", ["elderly", "pregnant_nursing"], True),
        ("fertiliser", ["infants_children"], False),
        ("milk_powder", ["infants_children", "general"], False),
        ("medicine", [], False),
        (None, ["flood_victims"], True),
    ],
)
def test_purely_humanitarian(commodity, groups, expected):
    assert purely_humanitarian(commodity, groups) is expected
