"""/api/v1/families: the same rules as the pages, JSON for programs."""

import pytest

from ..services import tracing
from .factories import applicant, relative


@pytest.fixture
def world(personas):
    officer = personas["redcross_s"]
    seeker = applicant(officer, family_name="김", given_name="비밀신청자")
    target = relative(officer, seeker).sought
    tracing_round = tracing.round_create(actor=officer, name="API 회차", target_size=1)
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    return {"target": target, "round": tracing_round}


@pytest.mark.parametrize("query", ["리선권", "Lee Sun-kwon", "Ri Son Gwon"])
def test_search_in_any_spelling(world, api_for, query):
    response = api_for("redcross_s").get(f"/families/search?q={query}")
    assert response.status_code == 200
    assert [h["id"] for h in response.json()] == [world["target"].pk]


def test_bad_filter_is_a_422_with_the_field(world, api_for):
    response = api_for("redcross_s").get("/families/search?q=x&born_from=abc")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    # The schema says what a birth year is (1850 to 2100), so the check is the schema's.
    [error] = body["details"]["errors"]
    assert (error["field"], error["type"]) == ("born_from", "string_pattern_mismatch")
    assert error["reason_en"] == "is not in the expected form"


def test_the_north_reads_its_request_list_and_replies(world, api_for):
    north = api_for("redcross_n")
    detail = north.get(f"/families/rounds/{world['round'].pk}")
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "선권" in text and "비밀신청자" not in text
    request_id = detail.json()["requests"][0]["request_id"]
    reply = north.post(
        f"/families/rounds/{world['round'].pk}/replies",
        {"request_id": request_id, "result": "found", "vital_status": "alive"},
    )
    assert reply.status_code == 201
    assert reply.json()["link_state"] == "given"
    assert north.get(f"/families/persons/{world['target'].pk}").status_code == 403
    report = api_for("redcross_s").get(f"/families/rounds/{world['round'].pk}").json()["report"]
    assert report["sent"] == 1 and report["answered"] == 1
