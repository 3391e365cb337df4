"""The search box: one person found whatever script and spelling is typed."""

import pytest

from panmun.common.errors import DomainError

from ..selectors import SearchFilters, search
from .factories import applicant, relative

NAMES_OF_이선권 = [
    "이선권",
    "리선권",
    "이 선권",
    "리 선권",
    "Ri Son Gwon",
    "Ri Son-gwon",
    "RI SON GWON",
    "Lee Sun-kwon",
    "Lee Seon-gwon",
    "Yi Seon-gwon",
    "Rhee Sun Kwon",
    "Sun-kwon Lee",
    "Lee, Sun-kwon",
]


@pytest.fixture
def registry_world(personas):
    officer = personas["redcross_s"]
    seeker = applicant(officer, family_name="김", given_name="순자", sex="F")
    target = relative(officer, seeker).sought  # 이선권, born 1940, 함경남도 혜산
    other = applicant(officer, family_name="이", given_name="선길", birth_date="1941")
    namesake = applicant(officer, family_name="이", given_name="선권", birth_date="1952-01-01")
    rim = relative(
        officer,
        seeker,
        family_name="림",
        given_name="녀옥",
        birth_date="1938",
        hometown="평안북도 강계",
        relation="sibling",
    ).sought
    return {
        "officer": officer,
        "target": target,
        "other": other,
        "namesake": namesake,
        "rim": rim,
        "seeker": seeker,
    }


def _ids(user, **filters):
    return [h.person.pk for h in search(user, SearchFilters.from_values(**filters))]


@pytest.mark.parametrize("query", NAMES_OF_이선권)
def test_every_spelling_finds_이선권(registry_world, query):
    found = _ids(registry_world["officer"], query=query)
    assert registry_world["target"].pk in found
    assert registry_world["namesake"].pk in found
    assert registry_world["other"].pk not in found  # 이선길 is someone else


def test_the_spelling_typed_comes_first(registry_world):
    hits = search(registry_world["officer"], SearchFilters.from_values(query="이선권"))
    assert hits[0].why in ("spelling", "name")
    assert {h.person.pk for h in hits[:2]} == {
        registry_world["target"].pk,
        registry_world["namesake"].pk,
    }


@pytest.mark.parametrize("query", ["임여옥", "림녀옥", "Rim Nyo Ok", "Im Yeo-ok", "Lim Yeo-ok"])
def test_north_and_south_forms_of_림녀옥(registry_world, query):
    assert _ids(registry_world["officer"], query=query) == [registry_world["rim"].pk]


def test_filters_birth_years_hometown_and_status(registry_world):
    officer = registry_world["officer"]
    assert _ids(officer, query="Lee Sun-kwon", born_from=1950) == [registry_world["namesake"].pk]
    assert _ids(officer, query="Lee Sun-kwon", born_to=1945) == [registry_world["target"].pk]
    assert _ids(officer, query="리선권", hometown="량강도 혜산시") == [registry_world["target"].pk]
    assert _ids(officer, query="리선권", status="alive") == [registry_world["namesake"].pk]
    assert _ids(officer, query="리선권", status="unknown") == [registry_world["target"].pk]


def test_registration_number_and_surname_only(registry_world):
    officer = registry_world["officer"]
    number = registry_world["namesake"].registry_no
    assert _ids(officer, query=number)[0] == registry_world["namesake"].pk
    surname_only = _ids(officer, query="리")
    assert set(surname_only) >= {registry_world["target"].pk, registry_world["other"].pk}


def test_bad_filters_are_refused(registry_world):
    with pytest.raises(DomainError) as err:
        SearchFilters.from_values(query="x", born_from="nineteen")
    assert err.value.details == {"field": "born_from"}
    with pytest.raises(DomainError):
        SearchFilters.from_values(query="x", status="missing")


def test_the_search_uses_the_key_indexes(registry_world):
    from django.db import connection

    from ..models import Person

    if connection.vendor == "postgresql":
        # A table this small is cheaper to scan; ask whether the index can serve the lookup.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # this test only
    plan = Person.objects.filter(name_key="I SONKWON").order_by().explain()
    assert "name_key" in plan and "index" in plan.lower(), plan
