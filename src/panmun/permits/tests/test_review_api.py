"""/api/v1/permits/review/ (issue 18): the queue in keyset pages, one approval's review data,
assignment, decisions one by one and in bulk (all or nothing), policy exceptions, statistics,
and the North partner's invitations; who may not is refused before the body is read, in the one
error body."""

from __future__ import annotations

import pytest

from panmun.accounts.models import AuditEntry

from ..models import Approval, ApprovalState
from .review_factories import north_organisation, one, submitted

S = ApprovalState
BASE = "/permits/review"


def test_the_queue_in_pages(personas, api_for):
    ids = [one(submitted(personas)).pk for _ in range(3)]
    api = api_for("ministry")
    first = api.get(f"{BASE}/queue/visit?per_page=2")
    assert first.status_code == 200, first.content
    body = first.json()
    assert [i["id"] for i in body["items"]] == ids[:2]
    assert (body["total"], body["capped"]) == (3, False)
    assert body["items"][0]["travellers"] == 1
    rest = api.get(f"{BASE}/queue/visit", data={"per_page": 2, "after": body["next"]}).json()
    assert [i["id"] for i in rest["items"]] == ids[2:] and rest["next"] == ""
    assert api.get(f"{BASE}/queue/teleport").status_code == 422
    assert api.get(f"{BASE}/queue/visit?state=approved").status_code == 422
    bad = api.get(f"{BASE}/queue/visit?after=nonsense")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_input"


def test_the_review_data(personas, api_for):
    earlier = one(submitted(personas, state="refused"))
    approval = one(submitted(personas, ["visit", "goods"]), "goods")
    body = api_for("ministry").get(f"{BASE}/approvals/{approval.pk}").json()
    assert body["approval"]["state"] == "submitted"
    assert body["goods"][0]["hs_description"].startswith("Cereals; rice")
    assert body["travellers"][0]["earlier"][0]["approval_id"] == earlier.pk
    assert body["travellers"][0]["earlier"][0]["reasons_en"] == "A reason"
    assert body["history"][0]["transition"] == "submit"
    assert body["moves"] == ["start_review"]
    assert api_for("ministry").get(f"{BASE}/approvals/99999999").status_code == 404


def test_deciding_through_the_api(personas, api_for):
    approval = one(submitted(personas))
    api = api_for("ministry")
    r = api.post(f"{BASE}/approvals/{approval.pk}/move", {"move": "start_review"})
    assert r.status_code == 200, r.content
    assert (r.json()["state"], r.json()["assigned_to"]) == ("under_review", "ministry")
    r = api.post(f"{BASE}/approvals/{approval.pk}/move", {"move": "refuse", "ko": "사유"})
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["details"]["errors"]} == {"reasons_en"}
    assert Approval.objects.get(pk=approval.pk).state == S.UNDER_REVIEW
    r = api.post(
        f"{BASE}/approvals/{approval.pk}/move",
        {"move": "refuse", "ko": "서류 미비", "en": "Papers missing"},
    )
    assert r.json()["state"] == "refused" and r.json()["reasons_en"] == "Papers missing"
    r = api.post(f"{BASE}/approvals/{approval.pk}/move", {"move": "approve"})
    assert r.status_code == 409 and r.json()["code"] == "invalid_transition"
    r = api.post(f"{BASE}/approvals/{approval.pk}/move", {"move": "resubmit"})
    assert r.status_code == 422


def test_revoking_is_a_supervisors(personas, api_for):
    approval = one(submitted(personas, state="approved"))
    body = {"move": "revoke", "ko": "위반", "en": "Broken"}
    assert api_for("ministry").post(f"{BASE}/approvals/{approval.pk}/move", body).status_code == 403
    r = api_for("supervisor").post(f"{BASE}/approvals/{approval.pk}/move", body)
    assert r.json()["state"] == "revoked"


def test_assigning_through_the_api(personas, api_for):
    approval = one(submitted(personas))
    api = api_for("ministry")
    url = f"{BASE}/approvals/{approval.pk}/assign"
    r = api.post(url, {"officer_id": personas["supervisor"].pk})
    assert r.status_code == 200 and r.json()["assigned_to"] == "supervisor"
    r = api.post(url, {"officer_id": personas["firm"].pk})
    assert r.status_code == 422 and r.json()["details"]["errors"][0]["field"] == "officer"
    assert api.post(url, {"officer_id": 99999999}).status_code == 404
    assert api.post(url, {"officer_id": None}).json()["assigned_to"] is None


def test_bulk_all_or_nothing(personas, api_for):
    good = [one(submitted(personas, state="under_review")).pk for _ in range(2)]
    bad = one(submitted(personas, state="approved")).pk
    api = api_for("ministry")
    r = api.post(f"{BASE}/bulk", {"move": "approve", "approval_ids": [good[0], bad, good[1]]})
    assert r.status_code == 409
    assert [e["row"] for e in r.json()["details"]["errors"]] == [2]
    assert set(Approval.objects.filter(pk__in=good).values_list("state", flat=True)) == {
        S.UNDER_REVIEW
    }
    r = api.post(f"{BASE}/bulk", {"move": "refuse", "approval_ids": good, "ko": "사유"})
    assert r.status_code == 422
    r = api.post(
        f"{BASE}/bulk", {"move": "refuse", "approval_ids": good, "ko": "사유", "en": "Why"}
    )
    assert r.status_code == 200 and [a["state"] for a in r.json()["moved"]] == ["refused"] * 2
    assert api.post(f"{BASE}/bulk", {"move": "approve", "approval_ids": []}).status_code == 422
    assert api.post(f"{BASE}/bulk", {"move": "revoke", "approval_ids": [bad]}).status_code == 422


def test_a_policy_exception_through_the_api(personas, api_for):
    approval = one(submitted(personas))
    url = f"{BASE}/approvals/{approval.pk}/exception"
    body = {"measure": "2010-05-24", "reason_ko": "사유", "reason_en": "Reason"}
    assert api_for("ministry").post(url, body).status_code == 403
    api = api_for("supervisor")
    assert api.post(url, {**body, "reason_en": ""}).status_code == 422
    assert api.post(url, {**body, "measure": "no-such"}).status_code == 404
    r = api.post(url, body)
    assert r.status_code == 201 and r.json()["measure"] == "2010-05-24"
    assert AuditEntry.objects.filter(action="permits.policy.exception").count() == 1
    assert api.post(url, body).status_code == 409


def test_statistics_through_the_api(personas, api_for):
    submitted(personas, state="approved", people=2)
    body = api_for("ministry").get(f"{BASE}/statistics").json()
    assert body["per_month"][0]["kind"] == "visit"
    assert (body["per_month"][0]["applications"], body["per_month"][0]["approvals"]) == (1, 1)
    assert body["visitors_per_year"][0]["visitors"] == 2
    assert body["official_series"] is None
    assert api_for("ministry").get(f"{BASE}/statistics?year=12").status_code == 422


def test_the_north_partner_sees_only_names_dates_and_purpose(personas, api_for):
    application = submitted(
        personas, ["visit", "goods"], north_organisation_id=north_organisation().pk
    )
    r = api_for("redcross_n").get(f"{BASE}/invitations")
    assert r.status_code == 200
    (item,) = r.json()
    assert set(item) == {"id", "state", "start_date", "end_date", "purpose", "names"}
    assert item["names"] == ["정민호 (JUNG MINHO)"]
    text = r.content.decode()
    traveller = application.travellers.get()
    for secret in (traveller.document_number, "1975-03-01", traveller.phone, "goods"):
        assert secret not in text
    for who in ("ministry", "firm", "viewer"):
        assert api_for(who).get(f"{BASE}/invitations").status_code == 403


@pytest.mark.parametrize("who", ["viewer", "firm", "redcross_n", "aid"])
def test_others_are_refused_before_the_body_is_read(personas, api_for, who):
    approval = one(submitted(personas, state="under_review"))
    api = api_for(who)
    for method, path, body in (
        ("GET", f"{BASE}/queue/visit", None),
        ("GET", f"{BASE}/approvals/{approval.pk}", None),
        ("GET", f"{BASE}/statistics", None),
        ("POST", f"{BASE}/approvals/{approval.pk}/move", {"move": "nonsense"}),
        ("POST", f"{BASE}/approvals/{approval.pk}/assign", {"bad": 1}),
        ("POST", f"{BASE}/bulk", {"move": "approve"}),
        ("POST", f"{BASE}/approvals/{approval.pk}/exception", {}),
    ):
        r = api.call(method, path, json=body)
        assert r.status_code == 403, (method, path, r.content)
        assert r.json()["code"] == "permission_denied"
    assert Approval.objects.get(pk=approval.pk).state == S.UNDER_REVIEW
