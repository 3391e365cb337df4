"""The registry's pages: what each side sees, the import page's errors, the audit of views."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from panmun.accounts.models import AuditEntry

from ..models import Person
from ..services import tracing
from .factories import applicant, relative


@pytest.fixture
def rounds(personas):
    officer = personas["redcross_s"]
    seeker = applicant(officer, family_name="김", given_name="비밀신청자")
    target = relative(officer, seeker).sought
    other_seeker = applicant(officer, family_name="박", given_name="다른신청자")
    relative(officer, other_seeker, given_name="명단밖")
    sent = tracing.round_create(actor=officer, name="보낸 회차", target_size=1)
    tracing.round_send(actor=officer, tracing_round=sent)
    draft = tracing.round_create(actor=officer, name="준비 중 회차", target_size=1)
    return {"sent": sent, "draft": draft, "target": target, "seeker": seeker}


def test_the_north_sees_its_request_lists_and_nothing_else(rounds, client_for):
    north = client_for("redcross_n")
    listing = north.get("/families/rounds/").content.decode()
    assert "보낸 회차" in listing and "준비 중 회차" not in listing
    page = north.get(f"/families/rounds/{rounds['sent'].pk}/").content.decode()
    assert "리선권" in page  # the person sought is on the list sent to them, in their spelling
    assert "비밀신청자" not in page  # ... but not who seeks them
    assert north.get(f"/families/rounds/{rounds['draft'].pk}/").status_code == 404
    for person in Person.objects.all():
        assert north.get(f"/families/people/{person.pk}/").status_code == 403
    for path in (
        "/families/?q=이선권",
        "/families/export/",
        "/families/duplicates/",
        "/families/statistics/",
    ):
        assert north.get(path).status_code == 403, path
    assert north.get(f"/families/rounds/{rounds['draft'].pk}/document/xlsx/").status_code == 404


def test_viewing_a_person_is_audited(rounds, client_for, personas):
    client = client_for("viewer")
    assert client.get(f"/families/people/{rounds['target'].pk}/").status_code == 200
    entry = AuditEntry.objects.filter(action="families.person.view").get()
    assert (entry.actor, entry.object_id) == (personas["viewer"], str(rounds["target"].pk))


def test_search_page_answers_htmx_with_the_results_only(rounds, client_for):
    client = client_for("redcross_s")
    response = client.get("/families/", {"q": "Ri Son Gwon"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert f'data-person="{rounds["target"].pk}"' in text


def test_a_bad_import_lists_its_rows_and_writes_nothing(
    personas, client_for, django_capture_on_commit_callbacks
):
    client = client_for("redcross_s")
    before = Person.objects.count()
    bad = "registry_no,applicant_family_name,applicant_birth_date\nX-1,김,1950-02-30\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/families/import/",
            {"file": SimpleUploadedFile("bad.csv", bad.encode("utf-8"))},
        )
    assert response.status_code == 302  # read by a job, whose page lists the problems
    text = client.get(response["Location"]).content.decode()
    assert "bad.csv" in text and "applicant_birth_date" in text
    assert Person.objects.count() == before


def test_looking_at_a_request_list_is_audited(rounds, client_for, personas):
    north = client_for("redcross_n")
    north.get(f"/families/rounds/{rounds['sent'].pk}/")
    north.get(f"/families/rounds/{rounds['sent'].pk}/document/pdf/")
    seen = AuditEntry.objects.filter(action="families.round.view").order_by("pk")
    assert [(e.actor, e.changes["as"]) for e in seen] == [
        (personas["redcross_n"], "page"),
        (personas["redcross_n"], "pdf"),
    ]
