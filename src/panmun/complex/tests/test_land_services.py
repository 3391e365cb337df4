"""Writes of the land (complex/services/land.py): the lease, parcels, subleases, buildings and
the land-use fee rules with their revision limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError, ErrorCode

from ..models import Building, FeeRule, Parcel, Sublease
from ..services import land
from .firms_world import developer, land_world, other_tenant

pytestmark = pytest.mark.django_db


def fields_of(err: DomainError) -> list[str]:
    return [e["field"] for e in err.details["errors"]]


def test_the_land_as_the_committee_records_it(personas):
    world = land_world(personas)
    lease, parcel = world["lease"], world["parcel"]
    assert (lease.signed_on, lease.ends_on) == (dt.date(2004, 4, 13), dt.date(2054, 4, 12))
    assert parcel.area_pyeong == Decimal("3025.00")  # 10,000 m² ÷ 400/121
    assert world["sublease"].firm == world["firm"]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "complex.lease.create",
        "complex.parcel.create",
        "complex.sublease.create",
        "complex.fee_rule.create",
    } <= actions


def test_a_revision_within_4_years_is_refused_with_the_rule_named(personas):
    land_world(personas)
    before = FeeRule.objects.count(), AuditEntry.objects.count()
    with pytest.raises(DomainError) as info:
        land.fee_rule_create(actor=personas["gic"], from_year=2018, rate=Decimal("0.0160"))
    assert info.value.code == ErrorCode.INVALID_INPUT
    assert fields_of(info.value) == ["from_year"]
    assert "2015 land-use fee rule" in info.value.details["errors"][0]["reason_en"]
    assert (FeeRule.objects.count(), AuditEntry.objects.count()) == before


def test_a_revision_above_20_percent_is_refused_and_20_percent_is_kept(personas):
    land_world(personas)
    with pytest.raises(DomainError) as info:
        land.fee_rule_create(actor=personas["gic"], from_year=2019, rate=Decimal("0.018721"))
    assert fields_of(info.value) == ["rate"]
    assert "20.01%" in info.value.details["errors"][0]["reason_en"]
    rule = land.fee_rule_create(actor=personas["gic"], from_year=2019, rate=Decimal("0.01872"))
    assert rule.due_day == 20 and rule.due_month == 12
    # A rule put before the 2015 one must keep its distance too.
    with pytest.raises(DomainError) as info:
        land.fee_rule_create(actor=personas["gic"], from_year=2013, rate=Decimal("0.0156"))
    assert fields_of(info.value) == ["from_year"]
    with pytest.raises(DomainError) as info:
        land.fee_rule_create(actor=personas["gic"], from_year=2019, rate=Decimal("0.0156"))
    assert fields_of(info.value) == ["from_year"]
    assert "of 2019 already" in info.value.details["errors"][0]["reason_en"]


def test_bad_values_of_a_fee_rule_are_each_named(personas):
    with pytest.raises(DomainError) as info:
        land.fee_rule_create(
            actor=personas["gic"],
            from_year=1999,
            rate=Decimal("1.56"),
            due_month=13,
            due_day=0,
            charged_from_lease_year=0,
        )
    assert fields_of(info.value) == [
        "from_year",
        "rate",
        "due_month",
        "due_day",
        "charged_from_lease_year",
    ]
    assert FeeRule.objects.count() == 0


def test_a_parcel_is_subleased_once_at_a_time_and_only_to_a_tenant(personas):
    world = land_world(personas)
    gic, parcel = personas["gic"], world["parcel"]
    before = Sublease.objects.count()
    with pytest.raises(DomainError) as info:
        land.sublease_create(
            actor=gic,
            firm=other_tenant(),
            parcel=parcel,
            signed_on=dt.date(2010, 1, 1),
            use_from=dt.date(2010, 1, 1),
            ends_on=dt.date(2030, 1, 1),
            sale_price_usd=Decimal("1"),
        )
    assert fields_of(info.value) == ["parcel"]
    with pytest.raises(DomainError) as info:
        land.sublease_create(
            actor=gic,
            firm=developer(),
            parcel=parcel,
            signed_on=dt.date(2010, 1, 1),
            use_from=dt.date(2003, 1, 1),
            ends_on=dt.date(2060, 1, 1),
            sale_price_usd=Decimal("-1"),
        )
    assert fields_of(info.value) == ["sale_price_usd", "firm", "ends_on", "use_from"]
    assert Sublease.objects.count() == before


def test_parcels_and_buildings_refuse_bad_values(personas):
    world = land_world(personas)
    gic = personas["gic"]
    with pytest.raises(DomainError) as info:
        land.parcel_create(actor=gic, lease=world["lease"], number="A-1", area_m2=Decimal("0"))
    assert fields_of(info.value) == ["area_m2", "number"]
    with pytest.raises(DomainError) as info:
        land.building_create(
            actor=gic,
            firm=other_tenant(),
            parcel=world["parcel"],
            kind="castle",
            floor_area_m2=Decimal("1.234"),
        )
    assert fields_of(info.value) == ["floor_area_m2", "kind", "parcel"]
    building = land.building_create(
        actor=gic,
        firm=world["firm"],
        parcel=world["parcel"],
        kind="factory",
        floor_area_m2=Decimal("6000"),
        completed_on=dt.date(2005, 11, 30),
    )
    assert list(Building.objects.all()) == [building]
    assert Parcel.objects.count() == 1


@pytest.mark.parametrize("who", ["firm", "ministry", "viewer", "bureau"])
def test_only_the_committee_keeps_the_land(personas, who):
    world = land_world(personas)
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as info:
        land.parcel_create(
            actor=personas[who], lease=world["lease"], number="B-1", area_m2=Decimal("1")
        )
    assert info.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(DomainError):
        land.fee_rule_create(actor=personas[who], from_year=2019, rate=Decimal("0.0156"))
    assert AuditEntry.objects.count() == before and Parcel.objects.count() == 1
