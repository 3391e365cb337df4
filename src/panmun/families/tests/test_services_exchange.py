"""PFIF 1.4 exchange: the registry out and back in, and Person Finder's own example file."""

import pytest

from panmun.common.errors import DomainError
from panmun.tests.shared_data import shared_file

from ..models import Person, PersonNote, Seeking
from ..services.exchange import pfif_export, pfif_import
from .factories import applicant, relative

PEER = "data/pfif/personfinder-test.pfif-1.4.xml"

PERSON_COLUMNS = [
    "registry_no",
    "family_name",
    "given_name",
    "full_name",
    "name_latin",
    "alternate_names",
    "sex",
    "birth_date",
    "birth_year",
    "birth_calendar",
    "age",
    "hometown",
    "father_name",
    "status",
    "death_date",
    "address",
    "phone",
    "email",
    "abroad",
    "country",
    "registered_on",
    "consent_share",
    "consent_on",
    "notes",
    "pfif_extra",
    "family_key",
    "given_key",
    "name_key",
]


def _records():
    persons = {}
    for p in Person.objects.all():
        persons[p.pfif_id or f"own/{p.pk}"] = tuple(getattr(p, c) for c in PERSON_COLUMNS)
    seeking = sorted(
        (
            s.applicant.display_name,
            s.sought.display_name,
            s.relation,
            s.last_known_place,
            s.separated_on,
            s.notes,
        )
        for s in Seeking.objects.select_related("applicant", "sought")
    )
    notes = sorted(
        (n.person.display_name, n.status, n.author_name, n.text, str(n.entry_date))
        for n in PersonNote.objects.select_related("person")
    )
    return sorted(persons.values(), key=repr), seeking, notes


@pytest.fixture
def filled(personas):
    officer = personas["redcross_s"]
    seeker = applicant(
        officer,
        family_name="김",
        given_name="순자",
        sex="F",
        abroad=True,
        country="미국",
        notes='1·4 후퇴 때 헤어짐\n두 번째 줄 <&">',
    )
    relative(officer, seeker, relation="sibling", last_known_place="함흥", separated_on="1950-12")
    relative(
        officer,
        seeker,
        relation="parent",
        family_name="김",
        given_name="동호",
        birth_date="1910",
        father_name="",
        status="deceased",
        death_date="1975",
    )
    other = applicant(officer, family_name="Smith", given_name="", name_latin="John Smith")
    PersonNote.objects.create(
        person=other,
        status="believed_alive",
        author_name="적십자",
        text="생존 확인",
        author_made_contact=True,
    )
    return officer


def test_round_trip_gives_back_the_same_records(filled, django_db_blocker):
    before = _records()
    data = pfif_export()
    # Into an empty registry: the same persons, links and notes.
    Seeking.objects.all().delete()
    PersonNote.objects.all().delete()
    Person.objects.all().delete()
    counts = pfif_import(actor=filled, data=data, filename="out.xml")
    assert counts["persons"] == 4 and counts["created"] == 4 and counts["seeking"] == 2
    after = _records()
    assert after[1] == before[1]
    assert after[2] == before[2]
    assert len(after[0]) == len(before[0])
    # ... and exporting again gives the same document.
    assert pfif_export() == pfif_import_and_export(filled, data)


def pfif_import_and_export(actor, data):
    pfif_import(actor=actor, data=data, filename="again.xml")
    return pfif_export()


def test_importing_our_own_export_again_changes_nothing(filled):
    before = _records()
    data = pfif_export()
    counts = pfif_import(actor=filled, data=data, filename="out.xml")
    assert counts["created"] == 0 and counts["updated"] == 4
    assert _records() == before


def test_person_finders_example_imports_quirks_and_all(personas):
    peer = shared_file(PEER)
    counts = pfif_import(actor=personas["redcross_s"], data=peer.read_bytes(), filename=peer.name)
    assert counts == {
        "persons": 1,
        "notes": 4,
        "created": 1,
        "updated": 0,
        "notes_saved": 4,
        "seeking": 0,
    }
    person = Person.objects.get()
    assert person.pfif_id == "test.google.com/person.21009"
    assert person.given_name and person.family_name  # 1.1-style first_name/last_name
    assert "\n" not in person.full_name
    assert person.person_notes.count() == 4
    # It goes out again with its own id.
    assert b"test.google.com/person.21009" in pfif_export()


@pytest.mark.parametrize(
    "document, field",
    [
        (b"<not xml", ""),
        (
            b'<?xml version="1.0"?><pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4">'
            b"<pfif:person><pfif:full_name>x</pfif:full_name></pfif:person></pfif:pfif>",
            "person_record_id",
        ),
        (
            b'<?xml version="1.0"?><pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4">'
            b"<pfif:note><pfif:note_record_id>a.org/note.1</pfif:note_record_id>"
            b"<pfif:person_record_id>a.org/person.404</pfif:person_record_id></pfif:note></pfif:pfif>",
            "person_record_id",
        ),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_written(personas, document, field):
    with pytest.raises(DomainError) as err:
        pfif_import(actor=personas["redcross_s"], data=document, filename="bad.xml")
    assert err.value.code == "invalid_input"
    errors = err.value.details["errors"]
    assert errors and all(e["file"] == "bad.xml" for e in errors)
    if field:
        assert field in {e["field"] for e in errors}
    assert Person.objects.count() == 0 and PersonNote.objects.count() == 0
