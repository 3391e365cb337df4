"""Issue 15, defect 1: a wrong value typed into a families form is refused on the form, named by
its field (or by file, row and field), with everything typed still there, and nothing written.

Every refusal re-renders its form with status 422; a 500 or a redirect away from the form is a
bug.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from panmun.accounts.models import AuditEntry

from ..models import DnaSample, Person, Seeking, TracingReply, TracingRound
from ..services import tracing
from .factories import applicant, relative


def _counts() -> dict[str, int]:
    return {
        "persons": Person.objects.count(),
        "seekings": Seeking.objects.count(),
        "samples": DnaSample.objects.count(),
        "rounds": TracingRound.objects.count(),
        "replies": TracingReply.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def _value(html: str, name: str) -> str | None:
    """The value an <input name=...> (or the text of a <textarea>) holds in the page."""
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    if tag:
        value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
        return unescape(value.group(1)) if value else ""
    area = re.search(rf'<textarea[^>]*\bname="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    return unescape(area.group(1)).strip() if area else None


def _selected(html: str, name: str) -> str | None:
    select = re.search(rf'<select[^>]*\bname="{name}"[^>]*>(.*?)</select>', html, re.S)
    if not select:
        return None
    chosen = re.search(r'<option value="([^"]*)"[^>]*\bselected\b', select.group(1))
    return chosen.group(1) if chosen else None


def _field_errors(html: str, name: str) -> str:
    """The error text Django puts just before field `name` (its <ul class="errorlist">)."""
    match = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', html, re.S)
    return unescape(match.group(1)) if match else ""


PERSON = {
    "registry_no": "R-900001",
    "family_name": "송",
    "given_name": "덕순",
    "name_latin": "Song Deok-sun",
    "sex": "F",
    "birth_date": "1934-13-45",
    "birth_calendar": "solar",
    "hometown": "황해도 연백군",
    "father_name": "송만식",
    "status": "alive",
    "death_date": "",
    "address": "서울특별시 종로구 세종대로 1",
    "phone": "010-1234-5678",
    "email": "song@example.org",
    "country": "",
    "registered_on": "1988-07-01",
    "consent_on": "",
    "notes": "첫 상봉 신청",
}


@pytest.fixture
def officer(personas):
    return personas["redcross_s"]


@pytest.fixture
def south(client_for):
    return client_for("redcross_s")


def _keeps(html: str, typed: dict[str, str], selects: tuple[str, ...] = ()) -> None:
    for name, value in typed.items():
        if name in selects:
            assert _selected(html, name) == value, name
        else:
            assert _value(html, name) == value, (name, _value(html, name))


SELECTS = ("sex", "birth_calendar", "status", "relation", "result", "vital_status", "kind")


def test_a_new_applicant_with_a_13th_month_is_refused_on_the_form(officer, south):
    before = _counts()
    response = south.post("/families/people/new/", PERSON)
    html = response.content.decode()
    assert response.status_code == 422
    assert "YYYY-MM-DD" in _field_errors(html, "birth_date")
    _keeps(html, PERSON, SELECTS)
    assert _counts() == before


def test_an_applicant_with_a_registration_number_already_used_is_refused(officer, south):
    applicant(officer, registry_no="R-900001")
    before = _counts()
    response = south.post("/families/people/new/", {**PERSON, "birth_date": "1934-12-05"})
    html = response.content.decode()
    assert response.status_code == 422
    assert _field_errors(html, "registry_no")
    _keeps(html, {**PERSON, "birth_date": "1934-12-05"}, SELECTS)
    assert _counts() == before


def test_editing_an_applicant_with_a_bad_date_keeps_the_typing(officer, south):
    person = applicant(officer, registry_no="R-900002")
    before = _counts()
    typed = {**PERSON, "registry_no": "R-900002", "status": "deceased", "death_date": "2019-02-30"}
    typed["birth_date"] = "1934"
    response = south.post(f"/families/people/{person.pk}/edit/", typed)
    html = response.content.decode()
    assert response.status_code == 422
    assert _field_errors(html, "death_date")
    _keeps(html, typed, SELECTS)
    assert _counts() == before
    person.refresh_from_db()
    assert person.given_name == "영수"  # unchanged


def test_a_death_date_for_someone_alive_is_named_on_its_field(officer, south):
    """The service's own rule (`check_person`), not only the form's shape, lands on the field."""
    before = _counts()
    typed = {**PERSON, "birth_date": "1934", "death_date": "2019"}
    response = south.post("/families/people/new/", typed)
    html = response.content.decode()
    assert response.status_code == 422
    assert "deceased" in _field_errors(html, "death_date") or "사망" in _field_errors(
        html, "death_date"
    )
    _keeps(html, typed, SELECTS)
    assert _counts() == before


RELATIVE = {
    "family_name": "송",
    "given_name": "덕선",
    "name_latin": "",
    "sex": "M",
    "birth_date": "1938",
    "birth_calendar": "",
    "hometown": "황해도 연백군",
    "father_name": "송만식",
    "status": "unknown",
    "death_date": "",
    "relation": "sibling",
    "last_known_place": "연안읍",
    "separated_on": "1950-13",
}


def test_a_relative_with_a_bad_separation_date_is_refused_on_the_form(officer, south):
    seeker = applicant(officer)
    before = _counts()
    response = south.post(f"/families/people/{seeker.pk}/relatives/new/", RELATIVE)
    html = response.content.decode()
    assert response.status_code == 422
    assert _field_errors(html, "separated_on")
    _keeps(html, RELATIVE, SELECTS)
    assert _counts() == before


def test_a_relative_with_a_bad_birth_date_is_refused_on_the_form(officer, south):
    seeker = applicant(officer)
    before = _counts()
    typed = {**RELATIVE, "birth_date": "19x8", "separated_on": "1950-12"}
    response = south.post(f"/families/people/{seeker.pk}/relatives/new/", typed)
    html = response.content.decode()
    assert response.status_code == 422
    assert _field_errors(html, "birth_date")
    _keeps(html, typed, SELECTS)
    assert _counts() == before


def test_a_dna_sample_with_a_bad_date_comes_back_with_what_was_typed(officer, south):
    person = applicant(officer)
    before = _counts()
    typed = {"sample_id": "DNA-2020-001", "taken_on": "2020-13-45", "kind": "blood"}
    response = south.post(f"/families/people/{person.pk}/dna/", typed)
    html = response.content.decode()
    assert response.status_code == 422
    assert _field_errors(html, "taken_on")
    _keeps(html, typed, SELECTS)
    assert _counts() == before


def test_a_dna_sample_id_already_used_is_refused_on_its_field(officer, south):
    person = applicant(officer)
    assert (
        south.post(
            f"/families/people/{person.pk}/dna/",
            {"sample_id": "DNA-1", "taken_on": "2020-01-02", "kind": "buccal"},
        ).status_code
        == 302
    )
    before = _counts()
    typed = {"sample_id": "DNA-1", "taken_on": "2021-03-04", "kind": "hair"}
    response = south.post(f"/families/people/{person.pk}/dna/", typed)
    html = response.content.decode()
    assert response.status_code == 422
    assert _field_errors(html, "sample_id")
    _keeps(html, typed, SELECTS)
    assert _counts() == before


def test_a_round_with_a_bad_size_and_date_is_refused_on_the_form(officer, south):
    before = _counts()
    typed = {"name": "제40차 생사확인", "target_size": "abc", "reply_due": "2026-13-45"}
    response = south.post("/families/rounds/", typed)
    html = response.content.decode()
    assert response.status_code == 422
    assert _field_errors(html, "target_size") and _field_errors(html, "reply_due")
    _keeps(html, typed)
    assert _counts() == before


def test_a_round_nobody_can_be_asked_for_is_refused_with_the_typing_kept(officer, south):
    before = _counts()
    typed = {"name": "제41차 생사확인", "target_size": "10", "reply_due": "2027-01-31"}
    response = south.post("/families/rounds/", typed)
    html = response.content.decode()
    assert response.status_code == 422
    assert "No relative sought is eligible" in html or "요청할 수 있는 대상이 없습니다" in html
    _keeps(html, typed)
    assert _counts() == before


def test_a_bad_import_is_refused_on_its_job_page_with_the_file_row_and_field(
    officer, south, django_capture_on_commit_callbacks
):
    before = _counts()
    bad = "registry_no,applicant_family_name,applicant_birth_date\nX-1,김,1950-02-30\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = south.post(
            "/families/import/",
            {"file": SimpleUploadedFile("bad.csv", bad.encode("utf-8")), "dry_run": "on"},
        )
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    html = unescape(south.get(response["Location"]).content.decode())
    assert 'data-state="failed"' in html
    assert "bad.csv 2 applicant_birth_date" in html
    after = _counts()
    assert after["audit"] == before["audit"] + 1  # the job's start, nothing else
    assert {k: v for k, v in after.items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"
    }


def test_an_import_too_large_is_refused_on_the_form_by_name(officer, south, monkeypatch):
    from panmun.families.registry_file import columns

    monkeypatch.setattr(columns, "MAX_FILE_BYTES", 100)
    before = _counts()
    big = "registry_no,applicant_family_name\n" + "X-1,김\n" * 50
    response = south.post(
        "/families/import/",
        {"file": SimpleUploadedFile("큰파일.csv", big.encode("utf-8")), "dry_run": "on"},
    )
    html = unescape(response.content.decode())
    assert response.status_code == 422
    assert "큰파일.csv" in html and "100" in html
    assert re.search(r'name="dry_run"[^>]*checked', html)
    assert _counts() == before


def test_statistics_on_a_date_that_does_not_exist_keeps_the_page_and_the_typing(officer, south):
    response = south.get("/families/statistics/", {"on": "2025-13-45"})
    html = response.content.decode()
    assert response.status_code == 422
    assert _value(html, "on") == "2025-13-45"
    assert 'id="statistics-date"' in html


# --- the tracing round's reply forms --------------------------------------------------------


@pytest.fixture
def sent(officer):
    seeker = applicant(officer, given_name="신청일")
    relative(officer, seeker, family_name="송", given_name="덕순", birth_date="1938")
    tracing_round = tracing.round_create(actor=officer, name="제50차", target_size=1)
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    return tracing_round


REPLY = {
    "request_id": "T999-0001",
    "result": "found",
    "vital_status": "deceased",
    "death_date": "1999-02-30",
    "family_name": "송",
    "given_name": "덕순",
    "sex": "F",
    "birth_date": "1938",
    "birthplace": "황해남도 연안군",
    "father_name": "송만식",
    "address": "평양시 중구역",
    "relatives": "딸 송미화 (1965)",
}


def test_a_reply_typed_with_an_unknown_request_and_a_bad_date_keeps_the_typing(sent, client_for):
    north = client_for("redcross_n")
    before = _counts()
    response = north.post(f"/families/rounds/{sent.pk}/replies/new/", REPLY)
    html = response.content.decode()
    assert response.status_code == 422
    assert _field_errors(html, "request_id")
    assert _field_errors(html, "death_date")
    _keeps(html, REPLY, SELECTS)
    assert _counts() == before
    sent.refresh_from_db()
    assert sent.status == "sent"


def test_a_reply_typed_with_a_missing_result_is_refused_on_the_form(sent, client_for):
    north = client_for("redcross_n")
    rid = sent.requests.get().request_id
    typed = {**REPLY, "request_id": rid, "result": "", "death_date": "1999"}
    before = _counts()
    response = north.post(f"/families/rounds/{sent.pk}/replies/new/", typed)
    html = response.content.decode()
    assert response.status_code == 422
    assert _field_errors(html, "result")
    _keeps(html, {k: v for k, v in typed.items() if k != "result"}, SELECTS)
    assert _counts() == before


def test_a_bad_reply_file_is_refused_by_file_row_and_field(sent, client_for):
    north = client_for("redcross_n")
    before = _counts()
    data = "result,vital_status,birth_date\nfound,alive,1950-02-30\nmaybe,alive,\n"
    response = north.post(
        f"/families/rounds/{sent.pk}/replies/upload/",
        {"file": SimpleUploadedFile("회보.csv", data.encode("utf-8")), "dry_run": "on"},
    )
    html = unescape(response.content.decode())
    assert response.status_code == 422
    problems = re.search(r'<div class="form-errors"[^>]*>(.*?)</div>', html, re.S)
    assert problems, html[:2000]
    text = problems.group(1)
    assert "회보.csv" in text
    assert re.search(r"2\D[^<]*birth_date", text) and re.search(r"3\D[^<]*result", text)
    assert re.search(r'name="dry_run"[^>]*checked', html)
    assert _counts() == before


def test_an_upload_without_a_file_is_refused_on_the_form(sent, client_for):
    north = client_for("redcross_n")
    before = _counts()
    response = north.post(f"/families/rounds/{sent.pk}/replies/upload/", {"dry_run": "on"})
    html = response.content.decode()
    assert response.status_code == 422
    assert _field_errors(html, "file")
    assert _counts() == before


def test_a_good_reply_still_goes_back_to_the_round(sent, client_for):
    north = client_for("redcross_n")
    rid = sent.requests.get().request_id
    typed = {**REPLY, "request_id": rid, "death_date": "1999-02-03"}
    response = north.post(f"/families/rounds/{sent.pk}/replies/new/", typed)
    assert response.status_code == 302
    assert response["Location"] == f"/families/rounds/{sent.pk}/"
    assert TracingReply.objects.get().death_date == "1999-02-03"
