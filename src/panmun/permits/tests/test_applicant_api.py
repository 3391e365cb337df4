"""/api/v1/permits/ for applicants (issue 18): file, read back with every approval's state and
history, amend (PUT, PATCH), submit, copy, withdraw, answer; every refusal a 4xx with the one
error body, and a refused write writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from panmun.accounts.models import AuditEntry

from ..models import Application, Approval, ApprovalState
from ..services.moves import approval_transition
from .factories import complete_application

S = ApprovalState
#: The moves, and who makes them, that bring a draft to a question of the officer's, or approved.
ASK_QUESTIONS = (("submit", "firm"), ("start_review", "ministry"), ("request_info", "ministry"))
APPROVE = (("submit", "firm"), ("start_review", "ministry"), ("approve", "ministry"))


def body(**changes: Any) -> dict[str, Any]:
    start = timezone.localdate() + dt.timedelta(days=10)
    data: dict[str, Any] = {
        "purpose": "개성 공장 점검 / factory check",
        "kinds": ["visit", "crossing"],
        "direction": "to_north",
        "destination": "gaeseong",
        "entry_point": "gyeongui",
        "start_date": start.isoformat(),
        "end_date": (start + dt.timedelta(days=2)).isoformat(),
        "north_partner": "중앙특구개발지도총국",
        "terms": {
            "visit": {"multiple": True},
            "crossing": {
                "crossing_date": start.isoformat(),
                "crossing_slot": "09:30",
                "crossing_direction": "to_north",
            },
        },
    }
    data.update(changes)
    return data


def state_of(approval: Approval) -> str:
    return Approval.objects.values_list("state", flat=True).get(pk=approval.pk)


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content[:400]
    data = response.json()
    assert set(data) == {"code", "message", "details"}
    assert data["code"] == code
    return data


@pytest.mark.django_db
def test_file_and_read_back(personas, api_for):
    api = api_for("firm")
    response = api.post("/permits/applications", body())
    assert response.status_code == 201, response.content
    created = response.json()
    application = Application.objects.get(pk=created["id"])
    assert created["reference"] == application.reference
    assert {a["kind"]: a["state"]["code"] for a in created["approvals"]} == {
        "visit": "draft",
        "crossing": "draft",
    }
    crossing = next(a for a in created["approvals"] if a["kind"] == "crossing")
    assert crossing["terms"]["crossing_slot"] == "09:30:00"
    assert crossing["state"] == {"code": "draft", "ko": "작성 중", "en": "Draft"}
    assert crossing["history"] == []
    listed = api.get("/permits/applications").json()
    assert [a["id"] for a in listed] == [application.pk]


@pytest.mark.django_db
def test_the_history_says_who_moved_it_from_what_to_what(personas, api_for):
    application = complete_application(personas["firm"])
    approval = application.approvals.get()
    approval_transition(actor=personas["firm"], approval=approval, move="submit")
    approval_transition(actor=personas["ministry"], approval=approval, move="start_review")
    got = api_for("firm").get(f"/permits/applications/{application.pk}").json()
    [visit] = got["approvals"]
    assert [(h["source"]["code"], h["target"]["code"], h["by"]) for h in visit["history"]] == [
        ("draft", "submitted", "정민호"),
        ("submitted", "under_review", "김서연"),
    ]
    assert visit["state"]["en"] == "Under review"
    assert [t["name_ko"] for t in got["travellers"]] == ["정민호"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes, field",
    [
        ({"start_date": "1934-13-45"}, "start_date"),
        ({"start_date": 20100710}, "start_date"),
        ({"kinds": ["teleport"]}, "kinds.0"),
        ({"kinds": []}, "kinds"),
        ({"destination": "moon"}, "destination"),
        ({"terms": {"visit": {"multiple": "yes"}}}, "terms.visit.multiple"),
        ({"terms": {"crossing": {"crossing_slot": 930}}}, "terms.crossing.crossing_slot"),
        ({"terms": {"visit": {"goods_direction": "carry_out"}}}, "terms.visit.goods_direction"),
        ({"contact_exemption": "because"}, "contact_exemption"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_wrong_shapes_are_refused_naming_the_field(personas, api_for, changes, field):
    response = api_for("firm").post("/permits/applications", body(**changes))
    data = assert_error(response, 422, "invalid_input")
    assert field in [e["field"] for e in data["details"]["errors"]]
    assert not Application.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes, field",
    [
        ({"end_date": "2020-01-01"}, "end_date"),
        ({"start_date": "1934-12-05", "end_date": None}, "start_date"),
        ({"purpose": "x" * 4001}, "purpose"),
        ({"north_partner": "민경련\x07"}, "north_partner"),
        ({"destination_detail": "가" * 201}, "destination_detail"),
        ({"north_organisation_id": 1}, "north_organisation_id"),
        ({"contact_exemption": "within_visit"}, "contact_exemption"),
    ],
)
def test_wrong_values_are_refused_naming_the_field(personas, api_for, changes, field):
    api = api_for("firm")
    audits = AuditEntry.objects.count()
    response = api.post("/permits/applications", body(**changes))
    data = assert_error(response, 422, "invalid_input")
    assert [e["field"] for e in data["details"]["errors"]] == [field]
    assert not Application.objects.exists() and AuditEntry.objects.count() == audits


@pytest.mark.django_db
def test_a_contact_needing_no_report_is_told_so(personas, api_for):
    response = api_for("applicant").post(
        "/permits/applications",
        body(kinds=["contact"], terms={}, contact_exemption="event_abroad"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    data = assert_error(response, 422, "invalid_input")
    [problem] = data["details"]["errors"]
    assert problem["reason_en"].startswith("No report is needed for contact within an approved")


@pytest.mark.django_db
def test_the_ministry_cannot_file_and_nothing_is_read(personas, api_for):
    ministry = api_for("ministry")
    # Permission before validation: a body that is not even valid is refused as forbidden.
    assert_error(ministry.post("/permits/applications", {"x": 1}), 403, "permission_denied")
    assert_error(ministry.get("/permits/applications"), 403, "permission_denied")
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_another_organisations_application_is_not_found(personas, api_for):
    application = complete_application(personas["firm"])
    approval = application.approvals.get()
    api = api_for("aid")
    base = f"/permits/applications/{application.pk}"
    assert_error(api.get(base), 404, "not_found")
    put = {k: v for k, v in body().items() if k != "kinds"}
    assert_error(api.call("PUT", base, json=put), 404, "not_found")
    assert_error(api.call("PATCH", base, json={"purpose": "x"}), 404, "not_found")
    assert_error(api.post(f"{base}/submit"), 404, "not_found")
    assert_error(api.post(f"{base}/copy"), 404, "not_found")
    assert_error(api.post(f"/permits/approvals/{approval.pk}/withdraw"), 404, "not_found")
    assert_error(api.post(f"/permits/approvals/{approval.pk}/resubmit"), 404, "not_found")
    assert Application.objects.count() == 1 and state_of(approval) == S.DRAFT
    assert api.get("/permits/applications").json() == []


@pytest.mark.django_db
def test_submit_and_a_refusal_with_every_finding(personas, api_for):
    application = complete_application(personas["firm"], ["visit", "crossing"], people=0)
    api = api_for("firm")
    data = assert_error(
        api.post(f"/permits/applications/{application.pk}/submit"), 422, "invalid_input"
    )
    assert sorted(e["field"] for e in data["details"]["errors"]) == [
        "crossing.travellers",
        "visit.travellers",
    ]
    assert set(application.approvals.values_list("state", flat=True)) == {S.DRAFT}
    done = complete_application(personas["firm"], ["visit", "crossing"])
    response = api.post(f"/permits/applications/{done.pk}/submit")
    assert response.status_code == 200
    assert {a["state"]["code"] for a in response.json()["approvals"]} == {"submitted"}
    again = api.post(f"/permits/applications/{done.pk}/submit")
    assert_error(again, 409, "invalid_transition")


@pytest.mark.django_db
def test_a_visit_to_pyongyang_in_july_2010_is_refused_naming_the_measure(personas, api_for):
    with time_machine.travel(dt.datetime(2010, 7, 1, 10, tzinfo=dt.UTC), tick=False):
        application = complete_application(personas["firm"], start=dt.date(2010, 7, 10))
        api = api_for("firm")
        path = f"/permits/applications/{application.pk}/submit"
        korean = assert_error(api.post(path), 422, "policy_forbids")
        english = assert_error(api.post(path, HTTP_ACCEPT_LANGUAGE="en"), 422, "policy_forbids")
    assert korean["message"] == "시행 중인 조치에 따라 제출할 수 없습니다: 5·24 조치"
    assert english["message"] == (
        "Not possible under the measures in force: The measures of 24 May 2010"
    )
    assert korean["details"]["measures"] == ["2010-05-24"]
    assert [e["field"] for e in korean["details"]["errors"]] == ["visit.policy"]
    assert state_of(application.approvals.get()) == S.DRAFT


@pytest.mark.django_db
def test_put_and_patch_amend(personas, api_for):
    application = complete_application(personas["firm"], ["visit", "crossing"])
    api = api_for("firm")
    path = f"/permits/applications/{application.pk}"
    later = application.start_date + dt.timedelta(days=1)
    patched = api.call(
        "PATCH",
        path,
        json={"destination_detail": "고려호텔", "terms": {"crossing": {"crossing_slot": "10:00"}}},
    )
    assert patched.status_code == 200, patched.content
    application.refresh_from_db()
    crossing = application.approvals.get(kind="crossing")
    assert application.destination_detail == "고려호텔"
    assert application.purpose == "평양 방문 협의 / talks in Pyongyang"  # not named: kept
    assert crossing.crossing_slot == dt.time(10, 0)
    assert crossing.crossing_direction == "to_north"  # not named: kept
    put = api.call(
        "PUT",
        path,
        json={
            "purpose": "새 목적",
            "destination": "pyongyang",
            "start_date": later.isoformat(),
            "end_date": application.end_date.isoformat(),
            "terms": {"visit": {"multiple": True}},
        },
    )
    assert put.status_code == 200, put.content
    application.refresh_from_db()
    assert application.purpose == "새 목적" and application.start_date == later
    assert application.destination_detail == ""  # PUT: every fact as given
    assert application.approvals.get(kind="visit").multiple is True
    refused = api.call("PUT", path, json={"purpose": "x", "kinds": ["goods"]})
    assert_error(refused, 422, "invalid_input")


@pytest.mark.django_db
def test_a_major_amendment_sends_an_approval_in_force_back_to_review(personas, api_for):
    application = complete_application(personas["firm"])
    approval = application.approvals.get()
    for move, who in APPROVE:
        approval = approval_transition(actor=personas[who], approval=approval, move=move)
    later = application.start_date + dt.timedelta(days=2)
    response = api_for("firm").call(
        "PATCH", f"/permits/applications/{application.pk}", json={"start_date": later.isoformat()}
    )
    assert response.status_code == 200, response.content
    [visit] = response.json()["approvals"]
    assert visit["state"]["code"] == "submitted"
    assert visit["history"][-1]["transition"] == "reopen"


@pytest.mark.django_db
def test_copy_withdraw_and_resubmit(personas, api_for):
    application = complete_application(personas["firm"], ["visit", "goods"], people=2)
    api = api_for("firm")
    copied = api.post(f"/permits/applications/{application.pk}/copy")
    assert copied.status_code == 201
    copy = copied.json()
    assert copy["based_on_id"] == application.pk and copy["start_date"] is None
    assert len(copy["travellers"]) == 2
    goods = next(a for a in copy["approvals"] if a["kind"] == "goods")
    assert [line["hs_code"] for line in goods["goods_lines"]] == ["100630"]

    visit = application.approvals.get(kind="visit")
    withdrawn = api.post(f"/permits/approvals/{visit.pk}/withdraw")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["state"]["code"] == "withdrawn"
    assert_error(api.post(f"/permits/approvals/{visit.pk}/withdraw"), 409, "invalid_transition")

    other = application.approvals.get(kind="goods")
    for move, who in (
        ("submit", "firm"),
        ("start_review", "ministry"),
        ("request_info", "ministry"),
    ):
        other = approval_transition(
            actor=personas[who], approval=other, move=move, ko="원산지?", en="Origin?"
        )
    answered = api.post(f"/permits/approvals/{other.pk}/resubmit")
    assert answered.status_code == 200
    assert answered.json()["state"]["code"] == "under_review"
    assert answered.json()["questions_en"] == "Origin?"


# --- what an application lists; the profile -------------------------------------------------

PERSON = {
    "name_ko": "김철수",
    "name_latin": "KIM CHEOLSU",
    "sex": "M",
    "birth_date": "1980-02-03",
    "document_kind": "passport",
    "document_number": "M98765432",
    "nationality": "KR",
}


@pytest.mark.django_db
def test_people_vehicles_and_goods_of_an_application(personas, api_for):
    application = complete_application(personas["firm"], ["visit", "goods", "vehicle"])
    goods = application.approvals.get(kind="goods")
    api = api_for("firm")
    base = f"/permits/applications/{application.pk}"
    added = api.post(f"{base}/travellers", PERSON)
    assert added.status_code == 201, added.content
    person = added.json()
    assert person["birth_date"] == "1980-02-03" and person["row"] == 2
    vehicle = api.post(
        f"{base}/vehicles",
        {"plate_number": "34나5678", "vehicle_kind": "truck", "driver_id": person["id"]},
    )
    assert vehicle.status_code == 201 and vehicle.json()["driver_id"] == person["id"]
    line = api.post(
        f"/permits/approvals/{goods.pk}/goods-lines",
        {
            "hs_code": "1006.30",
            "description": "쌀",
            "quantity": 500,
            "unit": "kg",
            "value": "1250.5",
        },
    )
    assert line.status_code == 201, line.content
    assert line.json()["hs_code"] == "100630" and line.json()["quantity"] == "500.000"
    assert api.call("DELETE", f"{base}/travellers/{person['id']}").status_code == 204
    assert api.call("DELETE", f"{base}/vehicles/{vehicle.json()['id']}").status_code == 204
    line_path = f"/permits/approvals/{goods.pk}/goods-lines/{line.json()['id']}"
    assert api.call("DELETE", line_path).status_code == 204
    assert application.travellers.count() == 1 and goods.goods_lines.count() == 1


@pytest.mark.django_db
def test_wrong_people_vehicles_and_goods_are_refused_naming_each_field(personas, api_for):
    application = complete_application(personas["firm"], ["visit", "goods"])
    goods = application.approvals.get(kind="goods")
    api = api_for("firm")
    base = f"/permits/applications/{application.pk}"
    wrong = {**PERSON, "birth_date": "1934-13-45", "sex": "X", "email": "not-mail"}
    data = assert_error(api.post(f"{base}/travellers", wrong), 422, "invalid_input")
    assert {"birth_date", "sex", "email"} <= {e["field"] for e in data["details"]["errors"]}
    data = assert_error(
        api.post(f"{base}/vehicles", {"plate_number": "", "driver_id": 999999}),
        422,
        "invalid_input",
    )
    # every problem at once, the driver among them (the service checks the driver now)
    assert [e["field"] for e in data["details"]["errors"]] == [
        "plate_number",
        "vehicle_kind",
        "driver_id",
    ]
    line = {"hs_code": "999999", "quantity": -1, "value": "x", "unit": "kg", "description": "?"}
    data = assert_error(
        api.post(f"/permits/approvals/{goods.pk}/goods-lines", line), 422, "invalid_input"
    )
    assert {"hs_code", "quantity", "value"} <= {e["field"] for e in data["details"]["errors"]}
    flagged = api.post(f"/permits/approvals/{goods.pk}/goods-lines", {**line, "quantity": True})
    assert_error(flagged, 422, "invalid_input")
    assert application.travellers.count() == 1 and application.vehicles.count() == 0
    assert goods.goods_lines.count() == 1


@pytest.mark.django_db
def test_a_people_list_through_the_api(personas, api_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = complete_application(personas["firm"])
    api = api_for("firm")
    path = f"/api/v1/permits/applications/{application.pk}/travellers/import"
    header = "이름,성별,생년월일,신분증 종류,신분증 번호,국적\n"
    bad = (
        header + "김영희,여,1985-05-05,passport,M11112222,KR\n박민수,Q,1985-13-40,passport,M3,KR\n"
    )
    upload = SimpleUploadedFile("명단.csv", bad.encode("cp949"), "text/csv")
    response = api.client.post(path, {"file": upload}, **api.headers)
    data = assert_error(response, 422, "invalid_input")
    rows = {(e["file"], e["row"], e["field"]) for e in data["details"]["errors"]}
    assert {("명단.csv", 3, "sex"), ("명단.csv", 3, "birth_date")} <= rows
    assert [t.name_ko for t in application.travellers.all()] == ["정민호"]
    good = header + "김영희,여,1985-05-05,passport,M11112222,KR\n"
    upload = SimpleUploadedFile("명단.csv", good.encode("utf-8-sig"), "text/csv")
    response = api.client.post(path, {"file": upload, "replace": "false"}, **api.headers)
    assert response.status_code == 200, response.content
    assert response.json() == {"added": 1}
    assert [t.name_ko for t in application.travellers.all()] == ["정민호", "김영희"]


@pytest.mark.django_db
def test_the_profile_through_the_api(personas, api_for):
    api = api_for("applicant")
    assert api.get("/permits/profile").json()["people"] == []
    kept = api.post("/permits/profile/people", PERSON)
    assert kept.status_code == 201, kept.content
    assert (
        api.post(
            "/permits/profile/vehicles", {"plate_number": "12가3456", "vehicle_kind": "car"}
        ).status_code
        == 201
    )
    goods = api.post(
        "/permits/profile/goods", {"hs_code": "1006.30", "description": "쌀", "unit": "kg"}
    )
    assert goods.status_code == 201, goods.content
    profile = api.get("/permits/profile").json()
    assert [p["name_ko"] for p in profile["people"]] == ["김철수"]
    assert profile["name_ko"] == "이도윤"  # an individual applicant's own
    application = complete_application(personas["applicant"], people=0)
    added = api.post(
        f"/permits/applications/{application.pk}/travellers/from-profile",
        {"people_ids": [kept.json()["id"]]},
    )
    assert added.status_code == 201
    assert added.json()[0]["profile_person_id"] == kept.json()["id"]
    # Someone else's profile is not theirs.
    other = api_for("firm").call("DELETE", f"/permits/profile/people/{kept.json()['id']}")
    assert_error(other, 404, "not_found")
    assert api.call("DELETE", f"/permits/profile/people/{kept.json()['id']}").status_code == 204
    assert api.get("/permits/profile").json()["people"] == []
