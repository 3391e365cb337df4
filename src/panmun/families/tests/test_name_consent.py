"""Who seeks a relative, as the other side reads a tracing request: named only where the
applicant agreed (`Person.consent_name`), else "남측의 가족" — one rule
(`families.access.may_see_seeker` through `selectors.request_lines_for_user`) for the round's
page, the API and both documents."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError, ErrorCode

from ..models import Person
from ..services import registry, tracing
from .factories import applicant, relative
from .pdftext import page_texts

NAMED = "김알림동의"  # agreed to be named to the other side
HIDDEN = "박비밀신청"  # did not
UNNAMED_KO = "남측의 가족"


@pytest.fixture
def sent(personas):
    officer = personas["redcross_s"]
    named = applicant(officer, family_name="김", given_name="알림동의", consent_name=True)
    hidden = applicant(officer, family_name="박", given_name="비밀신청")
    relative(officer, named, relation="parent", given_name="선권")
    relative(officer, hidden, relation="child", given_name="명수")
    tracing_round = tracing.round_create(actor=officer, name="동의 회차", target_size=2)
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    return tracing_round


def _xlsx_text(data: bytes) -> str:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return "\n".join(
        "\t".join("" if v is None else str(v) for v in row)
        for row in sheet.iter_rows(values_only=True)
    )


def _pdf_text(data: bytes) -> str:
    return "\n".join(page_texts(data))


def _document(client, tracing_round, kind: str, north: bool) -> str:
    response = client.get(
        f"/families/rounds/{tracing_round.pk}/document/{kind}/" + ("?north=1" if north else "")
    )
    assert response.status_code == 200
    return _pdf_text(response.content) if kind == "pdf" else _xlsx_text(response.content)


@pytest.mark.parametrize("kind", ["pdf", "xlsx"])
@pytest.mark.parametrize("north", [False, True])
def test_the_north_reads_in_the_documents_only_the_names_agreed(sent, client_for, kind, north):
    text = _document(client_for("redcross_n"), sent, kind, north)
    assert NAMED in text
    assert HIDDEN not in text and "비밀신청" not in text
    assert UNNAMED_KO in text
    # The relation is told with the name only: 부모 (parent) for the named, not 자녀 (child).
    assert "부모" in text and "자녀" not in text


@pytest.mark.parametrize("kind", ["pdf", "xlsx"])
def test_the_south_reads_every_name_in_the_documents(sent, client_for, kind):
    text = _document(client_for("redcross_s"), sent, kind, False)
    assert NAMED in text and HIDDEN in text
    assert UNNAMED_KO not in text


def test_the_north_reads_on_the_page_only_the_names_agreed(sent, client_for):
    page = client_for("redcross_n").get(f"/families/rounds/{sent.pk}/").content.decode()
    assert NAMED in page
    assert "비밀신청" not in page
    assert UNNAMED_KO in page
    assert "/families/people/" not in page  # no link into the registry


def test_the_page_says_it_in_the_readers_language(sent, client_for):
    client = client_for("redcross_n")
    client.cookies["panmun_language"] = "en"
    page = client.get(f"/families/rounds/{sent.pk}/").content.decode()
    assert "a relative in the South" in page and "비밀신청" not in page


def test_the_south_reads_every_name_on_the_page(sent, client_for):
    page = client_for("viewer").get(f"/families/rounds/{sent.pk}/").content.decode()
    assert NAMED in page and HIDDEN in page and UNNAMED_KO not in page


def test_the_north_reads_in_the_api_only_the_names_agreed(sent, api_for):
    response = api_for("redcross_n").get(f"/families/rounds/{sent.pk}")
    assert response.status_code == 200
    assert "비밀신청" not in response.content.decode()
    requests = {r["given_name"]: r for r in response.json()["requests"]}
    assert (requests["선권"]["seeker"], requests["선권"]["seeker_named"]) == (NAMED, True)
    assert requests["선권"]["relation"] == "parent"
    assert (requests["명수"]["seeker"], requests["명수"]["seeker_named"]) == (UNNAMED_KO, False)
    assert requests["명수"]["relation"] == ""
    english = api_for("redcross_n").get(f"/families/rounds/{sent.pk}", HTTP_ACCEPT_LANGUAGE="en")
    seekers = {r["given_name"]: r["seeker"] for r in english.json()["requests"]}
    assert seekers["명수"] == "a relative in the South"


def test_the_south_reads_every_name_in_the_api(sent, api_for):
    requests = api_for("redcross_s").get(f"/families/rounds/{sent.pk}").json()["requests"]
    assert sorted((r["seeker"], r["seeker_named"], r["relation"]) for r in requests) == [
        (NAMED, True, "parent"),
        (HIDDEN, True, "child"),
    ]


def test_consent_recorded_later_names_the_applicant_everywhere(sent, personas, api_for):
    hidden = Person.objects.get(given_name="비밀신청")
    registry.person_name_consent_set(actor=personas["redcross_s"], person=hidden, consent=True)
    requests = api_for("redcross_n").get(f"/families/rounds/{sent.pk}").json()["requests"]
    assert sorted(r["seeker"] for r in requests) == sorted([NAMED, HIDDEN])


# --- recording the consent ---------------------------------------------------------------------


def test_recording_the_consent_keeps_who_and_when_and_is_audited(personas):
    officer = personas["redcross_s"]
    person = applicant(officer)
    assert (person.consent_name, person.consent_name_at, person.consent_name_by) == (
        False,
        None,
        None,
    )
    registry.person_name_consent_set(actor=officer, person=person, consent=True)
    person.refresh_from_db()
    assert person.consent_name is True and person.consent_name_by == officer
    assert person.consent_name_at is not None
    entry = AuditEntry.objects.get(action="families.person.name_consent")
    assert (entry.actor, entry.object_id) == (officer, str(person.pk))
    assert entry.changes["consent_name"] == [False, True]
    assert entry.changes["consent_name_by_id"] == [None, officer.pk]
    # The same answer again changes nothing; withdrawing it is recorded the same way.
    registry.person_name_consent_set(actor=officer, person=person, consent=True)
    assert AuditEntry.objects.filter(action="families.person.name_consent").count() == 1
    registry.person_name_consent_set(actor=personas["ministry"], person=person, consent=False)
    person.refresh_from_db()
    assert (person.consent_name, person.consent_name_by) == (False, personas["ministry"])


@pytest.mark.parametrize("who", ["viewer", "redcross_n", "liaison_s"])
def test_who_may_not_edit_the_registry_cannot_record_it(personas, who):
    person = applicant(personas["redcross_s"])
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        registry.person_name_consent_set(actor=personas[who], person=person, consent=True)
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    person.refresh_from_db()
    assert (person.consent_name, person.consent_name_at) == (False, None)
    assert AuditEntry.objects.count() == before


def test_the_api_records_it_and_shows_it(personas, api_for):
    person = applicant(personas["redcross_s"])
    response = api_for("ministry").call(
        "PUT", f"/families/persons/{person.pk}/name-consent", json={"consent": True}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["consent_name"], body["consent_name_by"]) == (True, "ministry")
    assert body["consent_name_at"] is not None
    shown = api_for("viewer").get(f"/families/persons/{person.pk}").json()
    assert (shown["consent_name"], shown["consent_name_by"]) == (True, "ministry")


def test_the_api_refuses_a_viewer_and_writes_nothing(personas, api_for):
    person = applicant(personas["redcross_s"])
    viewer = api_for("viewer")
    before = AuditEntry.objects.count()
    response = viewer.call(
        "PUT", f"/families/persons/{person.pk}/name-consent", json={"consent": True}
    )
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    person.refresh_from_db()
    assert person.consent_name is False and AuditEntry.objects.count() == before


def test_the_form_records_it_with_who_and_when(personas, client_for):
    person = applicant(personas["redcross_s"])
    client = client_for("redcross_s")
    form = client.get(f"/families/people/{person.pk}/edit/").content.decode()
    assert 'name="consent_name"' in form
    data = {
        "registry_no": person.registry_no,
        "family_name": person.family_name,
        "given_name": person.given_name,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "birth_calendar": person.birth_calendar,
        "status": person.status,
        "registered_on": "1988-07-01",
        "consent_share": "on",
        "consent_on": "2020-01-01",
        "consent_name": "on",
    }
    response = client.post(f"/families/people/{person.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.consent_name is True and person.consent_name_by == personas["redcross_s"]
    page = client.get(f"/families/people/{person.pk}/").content.decode()
    assert 'id="name-consent"' in page and "redcross_s" in page
    entry = AuditEntry.objects.filter(action="families.person.update").latest("pk")
    assert entry.changes["consent_name"] == [False, True]


def test_a_viewer_reads_the_list_on_the_page_but_takes_no_file_away(sent, client_for):
    viewer = client_for("viewer")
    page = viewer.get(f"/families/rounds/{sent.pk}/").content.decode()
    assert NAMED in page and 'data-download="pdf"' not in page
    before = AuditEntry.objects.count()
    for kind in ("pdf", "xlsx"):
        assert viewer.get(f"/families/rounds/{sent.pk}/document/{kind}/").status_code == 403
    assert AuditEntry.objects.count() == before
    # The blank reply form holds request ids only.
    assert viewer.get(f"/families/rounds/{sent.pk}/document/reply-template/").status_code == 200


def test_a_request_list_taken_away_is_audited_with_its_rows(sent, client_for, personas):
    client_for("redcross_n").get(f"/families/rounds/{sent.pk}/document/xlsx/")
    entry = AuditEntry.objects.filter(action="families.round.view").latest("pk")
    assert entry.actor == personas["redcross_n"]
    assert entry.changes == {"as": "xlsx", "requests": 2}
