"""NUL characters (issue 15): a page's form with a NUL in a field goes on to its view, which
names the field and keeps the rest of the typing; the API and every query string still refuse
NUL as a whole (no database column can hold it)."""

from __future__ import annotations

from panmun.accounts.models import AuditEntry
from panmun.dialogue.models import Talks

TALKS = {
    "title_ko": "제1차 남북적십자 실무회담\x00",
    "title_en": "First Red Cross working-level talks",
    "level": "red_cross",
    "topic": "separated_families",
    "start_date": "1971-09-20",
    "date_precision": "day",
    "place_ko": "판문점 중립국감독위원회 회의실",
    "delegates-TOTAL_FORMS": "0",
    "delegates-INITIAL_FORMS": "0",
}


def test_a_nul_in_a_page_form_is_named_on_the_form_and_the_rest_is_kept(client_for):
    before = (Talks.objects.count(), AuditEntry.objects.count())
    response = client_for("supervisor").post("/dialogue/talks/new/", TALKS)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="title_ko"' in page  # the form came back, not an error page
    assert "null 문자는 사용할 수 없습니다" in page  # the field's own message (Django's)
    assert "First Red Cross working-level talks" in page
    assert "판문점 중립국감독위원회 회의실" in page
    assert 'value="1971-09-20"' in page
    assert (Talks.objects.count(), AuditEntry.objects.count()) == before


def test_a_nul_in_an_api_form_or_any_query_is_still_refused_as_a_whole(client_for, api_for):
    api = api_for("supervisor")
    response = api.client.post("/api/v1/tokens", data={"name": "a\x00b"}, **api.headers)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    page = client_for("supervisor").get("/dialogue/?topic=%00")
    assert page.status_code == 422


def test_a_nul_in_a_field_name_is_refused(client_for):
    before = Talks.objects.count()
    response = client_for("supervisor").post("/dialogue/talks/new/", {"title\x00": "x"})
    assert response.status_code == 422
    assert Talks.objects.count() == before
