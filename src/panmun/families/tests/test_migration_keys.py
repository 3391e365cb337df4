"""Migration 0005: people named in Latin letters get today's search keys."""

import importlib

import pytest
from django.apps import apps

from ..keys import person_keys
from ..models import Person
from ..selectors import SearchFilters, search
from .factories import applicant

migration = importlib.import_module("panmun.families.migrations.0005_latin_name_keys")


@pytest.mark.django_db
def test_a_person_saved_with_an_old_key_is_found_after_the_migration(personas):
    officer = personas["redcross_s"]
    yee = applicant(officer, family_name="", given_name="", name_latin="Yee Soon-ok", sex="F")
    hangul = applicant(officer, family_name="김", given_name="순옥", sex="F")
    # As saved before Yee was read as 이: the key of Y-E-E.
    Person.objects.filter(pk=yee.pk).update(family_key="YEE", name_key="YEE SONOK")
    untouched = Person.objects.get(pk=hangul.pk)

    migration.recompute(apps, None)

    yee.refresh_from_db()
    expected = person_keys("", "", "Yee Soon-ok", "")
    assert (yee.family_key, yee.given_key, yee.name_key) == (
        expected.family_key,
        expected.given_key,
        expected.name_key,
    )
    assert yee.family_key == person_keys("이", "순옥", "", "").family_key
    hits = search(officer, SearchFilters.from_values(query="리순옥"))
    assert yee.pk in {h.person.pk for h in hits}
    hangul.refresh_from_db()
    assert hangul.name_key == untouched.name_key
