"""Bad input to the API: always a 4xx with {"code", "message", "details"}, never a 500, and nothing
written."""

from __future__ import annotations

import pytest

from panmun.accounts.models import AuditEntry
from panmun.dialogue.models import Agreement, Talks

from .factories import agreement_payload, talks_payload


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:400]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body


@pytest.fixture
def editor(api_for):
    return api_for("ministry")


@pytest.fixture
def counts():
    def take():
        return (Talks.objects.count(), Agreement.objects.count(), AuditEntry.objects.count())

    return take


@pytest.mark.parametrize("raw", ["{bad json", "[1, 2", '{"title_ko": }', "\xff\xfe", "null"])
def test_malformed_json_is_400(editor, counts, raw):
    before = counts()
    response = editor.call("POST", "/dialogue/talks", raw=raw)
    if raw == "null":  # valid JSON, wrong shape
        assert_error(response, 422, "invalid_input")
    else:
        assert_error(response, 400, "malformed_json")
    assert counts() == before


def test_malformed_json_message_in_english_when_asked(editor):
    response = editor.call(
        "POST", "/dialogue/talks", raw="{", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"
    )
    body = assert_error(response, 400, "malformed_json")
    assert body["message"] == "The request body is not valid JSON."


def test_malformed_json_message_in_korean_by_default(editor):
    body = assert_error(editor.call("POST", "/dialogue/talks", raw="{"), 400, "malformed_json")
    assert body["message"] == "요청 본문을 JSON으로 읽을 수 없습니다."


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"start_date": 20001231}, "start_date"),
        ({"level": "ministerial"}, "level"),
        ({"level": 3}, "level"),
        ({"title_ko": ["a list"]}, "title_ko"),
        ({"delegates": "Kim"}, "delegates"),
        ({"delegates": [{"side": "east", "name_ko": "김"}]}, "delegates.0.side"),
        ({"agreements": [1, 2]}, "agreements.0"),
        ({"end_date": "2026-13-01"}, "end_date"),
        ({"title_en": "x" * 301}, "title_en"),
    ],
)
def test_wrong_types_are_422_naming_the_field(editor, counts, change, field):
    before = counts()
    body = assert_error(
        editor.post("/dialogue/talks", talks_payload(**change)), 422, "invalid_input"
    )
    fields = [e["field"] for e in body["details"]["errors"]]
    assert field in fields
    assert counts() == before


@pytest.mark.parametrize("missing", ["title_ko", "title_en", "level", "start_date"])
def test_missing_fields_are_422(editor, counts, missing):
    data = talks_payload()
    del data[missing]
    before = counts()
    body = assert_error(editor.post("/dialogue/talks", data), 422, "invalid_input")
    assert missing in [e["field"] for e in body["details"]["errors"]]
    assert counts() == before


def test_domain_rules_are_422_with_file_row_and_field(editor, counts):
    before = counts()
    data = talks_payload(start_date="2026-11-21", end_date="2026-11-20")
    body = assert_error(editor.post("/dialogue/talks", data), 422, "invalid_input")
    assert body["details"]["errors"][0]["field"] == "end_date"
    assert body["details"]["file"] == "api"
    assert counts() == before


def test_unknown_agreement_key_is_refused(editor, counts):
    before = counts()
    body = assert_error(
        editor.post("/dialogue/talks", talks_payload(agreements=["no-such"])), 422, "invalid_input"
    )
    assert "no-such" in body["message"]
    assert counts() == before


@pytest.mark.parametrize(
    "path",
    [
        "/dialogue/talks/999999",
        "/dialogue/agreements/999999",
        "/dialogue/talks/9223372036854775807",
        "/jobs/00000000-0000-0000-0000-000000000000",
        "/jobs/00000000-0000-0000-0000-000000000000/file",
    ],
)
def test_unknown_ids_are_404(editor, path):
    assert_error(editor.get(path), 404, "not_found")


@pytest.mark.parametrize("path", ["/dialogue/talks/abc", "/jobs/not-a-uuid"])
def test_malformed_ids_are_4xx(editor, path):
    response = editor.get(path)
    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"code", "message", "details"}


def test_unknown_api_path_is_404_json(editor):
    assert_error(editor.get("/no/such/endpoint"), 404, "not_found")


def test_wrong_method_is_4xx_json(editor):
    response = editor.call("PATCH", "/me")
    assert response.status_code == 405
    assert set(response.json()) == {"code", "message", "details"}


def test_oversized_payload_is_413(editor, counts, settings):
    before = counts()
    huge = talks_payload(agenda_ko="가" * (settings.API_MAX_BODY_BYTES + 10))
    body = assert_error(editor.post("/dialogue/talks", huge), 413, "payload_too_large")
    assert body["details"]["max_bytes"] == settings.API_MAX_BODY_BYTES
    assert counts() == before


def test_too_many_items_is_422(editor, counts):
    before = counts()
    delegates = [{"side": "south", "name_ko": f"대표{i}"} for i in range(201)]
    assert_error(
        editor.post("/dialogue/talks", talks_payload(delegates=delegates)), 422, "invalid_input"
    )
    assert counts() == before


def test_bad_agreement_status_change(api_for):
    supervisor = api_for("supervisor")
    agreement = Agreement.objects.get(key="basic-agreement-1991")
    url = f"/dialogue/agreements/{agreement.pk}/status"
    assert_error(supervisor.post(url, {"status": "abolished"}), 422, "invalid_input")
    assert_error(supervisor.post(url, {"status": "in_force"}), 409, "invalid_transition")
    body = assert_error(
        supervisor.post(url, {"status": "lapsed", "effective_on": "1980-01-01"}),
        422,
        "invalid_input",
    )
    assert body["details"]["field"] == "effective_on"
    agreement.refresh_from_db()
    assert agreement.status == "in_force"
    assert agreement.status_changes.count() == 1


@pytest.mark.parametrize(
    "query",
    [
        "year_from=abc",
        "year_from=1800",
        "year_from=2010&year_to=2000",
        "level=ministerial",
        "topic=weather",
    ],
)
def test_bad_timeline_filters_are_422(editor, query):
    assert_error(editor.get(f"/dialogue/timeline?{query}"), 422, "invalid_input")


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "no.such.job"},
        {"kind": "dialogue.import"},
        {"kind": "dialogue.export", "params": [1]},
        {},
    ],
)
def test_bad_job_requests_are_422(editor, body):
    assert_error(editor.post("/jobs", body), 422, "invalid_input")


def test_bad_tokens_are_401(api_for):
    for header in ("Bearer nonsense", "Bearer pmn_" + "x" * 43, "Basic abc", "Bearer "):
        response = api_for(None).client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
        assert_error(response, 401, "not_authenticated")


def test_session_write_without_csrf_is_refused(client_for, counts):
    client = client_for("ministry")
    client.handler.enforce_csrf_checks = True
    before = counts()
    response = client.post(
        "/api/v1/dialogue/talks", data=talks_payload(), content_type="application/json"
    )
    assert_error(response, 403, "permission_denied")
    assert counts() == before


def test_agreement_duplicate_key_is_409(editor, counts):
    before = counts()
    body = assert_error(
        editor.post("/dialogue/agreements", agreement_payload(key="basic-agreement-1991")),
        409,
        "conflict",
    )
    assert body["details"]["field"] == "key"
    assert counts() == before


def test_valid_request_still_works(editor):
    response = editor.post("/dialogue/talks", talks_payload())
    assert response.status_code == 201
    data = response.json()
    assert data["title_ko"] == "제1차 남북 실무회담(시험)"
    assert [d["name_ko"] for d in data["delegates"]] == ["김서연", "리선권"]


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (
            '{"title_ko": "가\\u0000", "title_en": "x", "level": "summit", '
            '"start_date": "2020-01-01"}',
            "title_ko",
        ),
        ('{"delegates": [{"name_ko": "\\u0000"}]}', "delegates.0.name_ko"),
        ('{"a": NaN}', ""),
        ('{"a": Infinity}', ""),
        ('{"a": 1e400}', ""),
        ("[" * 40 + "]" * 40, ".".join(["0"] * 33)),
    ],
)
def test_unstorable_json_is_422(editor, counts, raw, field):
    before = counts()
    body = assert_error(editor.call("POST", "/dialogue/talks", raw=raw), 422, "invalid_input")
    assert body["details"]["errors"][0]["field"] == field
    assert counts() == before


@pytest.mark.parametrize(
    "path", ["/audit?actor=%00", "/audit?object_id=a%00b", "/dialogue/timeline?topic=%00"]
)
def test_nul_in_query_is_refused(api_for, path):
    assert_error(api_for("supervisor").get(path), 422, "invalid_input")


def test_nul_in_a_page_query_is_an_error_page(client_for):
    response = client_for("supervisor").get("/audit/?object_type=%00")
    assert response.status_code == 422
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize("number", [0, 2_147_483_648, 9_223_372_036_854_775_808])
def test_provision_numbers_out_of_range_are_422(editor, counts, number):
    before = counts()
    data = agreement_payload(provisions=[{"number": number, "text_ko": "가", "text_en": "a"}])
    body = assert_error(editor.post("/dialogue/agreements", data), 422, "invalid_input")
    assert body["details"]["errors"][0]["field"] == "provisions.0.number"
    assert counts() == before


def test_audit_offset_out_of_range_is_422(api_for):
    assert_error(
        api_for("supervisor").get("/audit?offset=99999999999999999999"), 422, "invalid_input"
    )


def test_writes_without_credentials_are_401(api_for, counts):
    before = counts()
    anonymous = api_for(None)
    assert_error(anonymous.post("/tokens", {"name": "x"}), 401, "not_authenticated")
    response = anonymous.client.post(
        "/api/v1/tokens",
        data={"name": "x"},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer pmn_revoked",
    )
    assert_error(response, 401, "not_authenticated")
    assert counts() == before


def test_validation_reasons_in_both_languages(editor):
    data = talks_payload()
    del data["level"]
    body = assert_error(editor.post("/dialogue/talks", data), 422, "invalid_input")
    error = body["details"]["errors"][0]
    assert (error["field"], error["reason_ko"], error["reason_en"]) == (
        "level",
        "필수 항목입니다",
        "is required",
    )


def test_job_parameters_are_checked_per_kind(editor, api_for):
    body = assert_error(
        editor.post("/jobs", {"kind": "dialogue.export", "params": {"a": 1}}), 422, "invalid_input"
    )
    assert body["details"]["field"] == "params"
    assert_error(
        editor.post("/jobs", {"kind": "dialogue.import", "params": {"document": "{}", "extra": 1}}),
        422,
        "invalid_input",
    )


def test_import_job_needs_the_right_to_edit_the_record(api_for):
    from panmun.jobs.models import Job

    response = api_for("redcross_s").post(
        "/jobs", {"kind": "dialogue.import", "params": {"document": "{}"}}
    )
    assert_error(response, 403, "permission_denied")
    assert Job.objects.count() == 0


def test_wrong_method_on_a_page_is_explained(client_for):
    response = client_for("ministry").get("/language/")
    assert response.status_code == 405
    assert response.content  # an explained error page, not an empty body
