"""Issue 15, defect 7 through the API: a reply entered by the other side's program is checked
like one typed on the page, and says why it waits for review. Applying a round is not an API
operation (it needs 결재 and a confirmation on the round's page)."""

from __future__ import annotations

import pytest

from panmun.accounts.models import AuditEntry

from ..models import Person, TracingReply
from ..services import tracing
from .factories import applicant, relative


@pytest.fixture
def sent(personas):
    officer = personas["redcross_s"]
    relative(officer, applicant(officer), family_name="송", given_name="덕순", birth_date="1911")
    tracing_round = tracing.round_create(actor=officer, name="API 의심", target_size=1)
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    return tracing_round


def test_a_reply_naming_someone_else_alive_at_115_waits_with_its_reasons(sent, api_for):
    rid = sent.requests.get().request_id
    response = api_for("redcross_n").post(
        f"/families/rounds/{sent.pk}/replies",
        {
            "request_id": rid,
            "result": "found",
            "vital_status": "alive",
            "family_name": "송",
            "given_name": "덕선",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["link_state"] == "review"
    assert [d["code"] for d in body["doubts"]] == ["name", "age"]
    assert all(d["ko"] and d["en"] for d in body["doubts"])


def test_the_api_cannot_apply_a_round(sent, api_for):
    south = api_for("redcross_s")
    before = (AuditEntry.objects.count(), TracingReply.objects.count())
    response = south.post(f"/families/rounds/{sent.pk}/apply", {})
    assert response.status_code in (404, 405)
    assert response.json()["code"] in ("not_found", "method_not_allowed")
    assert (AuditEntry.objects.count(), TracingReply.objects.count()) == before
    assert not Person.objects.exclude(status_round=None).exists()
