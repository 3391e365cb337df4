"""The synthetic registry: its totals, its shape (ages of the living, abroad, registrations per
year), valid rows with their search keys, and a second load that does nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db.models import Count

from panmun.families.demo import ABROAD_OF_LIVING, LIVING_AGE_BANDS, load_registry_demo
from panmun.families.models import Person, Seeking
from panmun.families.statistics import monthly_figures

SIZE, LIVING = 2000, 500


@pytest.fixture
def loaded(db: Any) -> dict[str, int]:
    return load_registry_demo(size=SIZE, living=LIVING)


def test_totals(loaded: dict[str, int]) -> None:
    relatives = Person.objects.filter(registry_no__isnull=True).count()
    assert loaded == {
        "applicants": SIZE,
        "living": LIVING,
        "deceased": SIZE - LIVING,
        "relatives": relatives,
        "seekings": relatives,
    }
    assert Seeking.objects.count() == relatives
    f = monthly_figures(on=date(2025, 12, 31))
    assert (f.registered, f.living, f.deceased, f.status_unknown) == (
        SIZE,
        LIVING,
        SIZE - LIVING,
        0,
    )
    sought = Seeking.objects.values("applicant").annotate(n=Count("pk")).order_by()
    per_applicant = [row["n"] for row in sought]
    assert len(per_applicant) == SIZE and set(per_applicant) == {1, 2, 3}


def test_living_by_age_as_today(loaded: dict[str, int]) -> None:
    f = monthly_figures(on=date(2025, 12, 31))
    shares = [100 * n / f.living for n in f.living_by_age]
    targets = [share for share, _young, _old in LIVING_AGE_BANDS]
    assert shares[:5] == pytest.approx(targets, abs=0.5)
    assert f.living_by_age[5] == 0  # every applicant has a birth year
    assert f.living_abroad == round(LIVING * ABROAD_OF_LIVING)


def test_registrations_peak_in_1988_to_1990_and_2000(loaded: dict[str, int]) -> None:
    years = dict(monthly_figures(on=date(2025, 12, 31)).registered_by_year)
    assert min(years) == 1988 and max(years) <= 2025
    typical = sorted(years.values())[len(years) // 2]
    assert years[1988] > 5 * typical and years[2000] > 3 * typical
    assert years[1988] + years[1989] + years[1990] > SIZE / 3


def test_the_dead_registered_and_were_born_early(loaded: dict[str, int]) -> None:
    dead = Person.objects.filter(registry_no__startswith="D-", status="deceased")
    for born, registered, died in dead.values_list("birth_year", "registered_on", "death_date"):
        assert born <= 1945
        assert died and died >= registered.isoformat()[: len(died)]
    living = Person.objects.filter(registry_no__startswith="D-", status="alive")
    assert not living.exclude(death_date="").exists()
    f1990 = monthly_figures(on=date(1990, 12, 31))
    assert f1990.living > f1990.deceased  # most of them died after 1990


def test_every_person_has_keys_and_valid_values(loaded: dict[str, int]) -> None:
    persons = Person.objects.all()
    assert not persons.filter(name_key="").exists()
    assert not persons.filter(family_key="").exists() and not persons.filter(given_key="").exists()
    assert not persons.filter(birth_year__isnull=True).exists()
    assert not persons.exclude(hometown="").filter(hometown_key="").exists()
    assert not persons.filter(registry_no__isnull=True, hometown="").exists()  # relatives
    first = Person.objects.get(registry_no="D-000001")
    assert first.registered_on == min(
        Person.objects.filter(registry_no__startswith="D-").values_list("registered_on", flat=True)
    )
    for p in [
        *persons.filter(registry_no__isnull=False)[:40],
        *persons.filter(registry_no=None)[:40],
    ]:
        p.full_clean()
    for s in Seeking.objects.all()[:40]:
        s.full_clean()
    # The ids were given by the loader: the next person gets the next one.
    top = persons.order_by("-pk").first()
    assert top is not None
    assert Person.objects.create(family_name="김").pk > top.pk


def test_second_load_does_nothing(loaded: dict[str, int]) -> None:
    before = (Person.objects.count(), Seeking.objects.count())
    again = load_registry_demo(size=SIZE, living=LIVING)
    assert again == dict.fromkeys(loaded, 0)
    assert (Person.objects.count(), Seeking.objects.count()) == before


@pytest.mark.django_db
def test_same_seed_same_registry_and_progress() -> None:
    calls: list[tuple[int, int]] = []

    def snapshot() -> list[tuple[Any, ...]]:
        return list(
            Person.objects.order_by("pk").values_list(
                "registry_no", "family_name", "given_name", "birth_date", "status", "hometown"
            )
        )

    load_registry_demo(size=300, living=100, seed=7, progress=lambda d, t: calls.append((d, t)))
    first = snapshot()
    Person.objects.all().delete()
    load_registry_demo(size=300, living=100, seed=7)
    assert snapshot() == first
    assert calls == [(300, 300)]


@pytest.mark.django_db
def test_living_cannot_exceed_size() -> None:
    with pytest.raises(ValueError):
        load_registry_demo(size=10, living=11)
    assert not Person.objects.exists()


def test_the_planner_is_given_the_registry_it_was_just_loaded(db: Any) -> None:
    """On PostgreSQL the demo's tables are analysed as soon as they are filled: without their
    statistics the planner took 350,000 rows for none, and the demo's first tracing round ran
    for over 16 minutes. (pg_class's estimates are written in place, outside the transaction a
    test rolls back: the statements say what this load did.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("statistics for the planner are gathered on PostgreSQL only")
    with CaptureQueriesContext(connection) as queries:
        load_registry_demo(size=SIZE, living=LIVING)
    analysed = {q["sql"] for q in queries if q["sql"].startswith("ANALYZE")}
    quote = connection.ops.quote_name
    assert analysed == {f"ANALYZE {quote(m._meta.db_table)}" for m in (Person, Seeking)}
