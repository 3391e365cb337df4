"""The applicants' pages (issue 18): the list, the combined form (every wrong value back on its
field, nothing written), the application's one page (states in both languages, history, the
officer's words, people, vehicles, goods, notices), and its steps: submit (a policy refusal names
the measure), withdraw (confirmed first), answer, amend (a major change confirmed), copy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from django_fsm_log.models import StateLog

from panmun.accounts.models import AuditEntry, Organisation
from panmun.notices.models import Notice

from ..models import Application, Approval, ApprovalState
from ..notify import topic_for
from ..services.moves import approval_transition
from .factories import complete_application
from .visits import approved_visit

S = ApprovalState
#: The moves, and who makes them, that bring a draft to a question of the officer's, or approved.
ASK_QUESTIONS = (("submit", "firm"), ("start_review", "ministry"), ("request_info", "ministry"))
APPROVE = (("submit", "firm"), ("start_review", "ministry"), ("approve", "ministry"))


def form_values(**changes: Any) -> dict[str, Any]:
    """The form filled in as an applicant would: a visit and a contact report."""
    start = timezone.localdate() + dt.timedelta(days=10)
    values: dict[str, Any] = {
        "purpose": "평양 방문 협의 / talks in Pyongyang",
        "kinds": ["visit", "contact"],
        "direction": "to_north",
        "destination": "pyongyang",
        "destination_detail": "",
        "entry_point": "gyeongui",
        "start_date": start.isoformat(),
        "end_date": (start + dt.timedelta(days=3)).isoformat(),
        "north_partner": "민족경제협력연합회",
        "north_organisation_id": "",
        "multiple": "on",
        "contact_exemption": "",
        "contact_date": start.isoformat(),
        "contact_method": "meeting",
        "contact_counterpart": "민경련",
        "contact_timing": "before",
        "after_reason": "",
    }
    values.update(changes)
    return values


def state_of(approval: Approval) -> str:
    """The approval's state as stored now (the field is protected: no refresh_from_db)."""
    return Approval.objects.values_list("state", flat=True).get(pk=approval.pk)


def errors_of(response: Any) -> dict[str, list[str]]:
    form = response.context["form"]
    return {name: [str(e) for e in errs] for name, errs in form.errors.items()}


def page_text(response: Any) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_the_list_shows_the_organisations_applications_with_each_approvals_state(
    personas, client_for
):
    mine = complete_application(personas["firm"], ["visit", "goods"])
    theirs = complete_application(personas["aid"])
    response = client_for("firm").get("/permits/")
    assert response.status_code == 200
    text = page_text(response)
    assert mine.reference in text and theirs.reference not in text
    assert 'data-kind="goods" data-state="draft"' in text
    assert "작성 중" in text and "Draft" in text  # the state in Korean and in English


@pytest.mark.django_db
def test_the_ministry_does_not_file(personas, client_for):
    client = client_for("ministry")
    assert client.get("/permits/").status_code == 403
    response = client.post("/permits/new/", form_values())
    assert response.status_code == 403
    assert not Application.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["firm", "aid", "applicant"])
def test_an_applicant_files_the_combined_form(personas, client_for, who):
    north = Organisation.objects.filter(side__code="north").first()
    assert north is not None
    response = client_for(who).post(
        "/permits/new/", form_values(north_organisation_id=str(north.pk))
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert response["Location"] == f"/permits/{application.pk}/"
    assert application.applicant == personas[who]
    assert application.north_organisation == north
    approvals = {a.kind: a for a in application.approvals.all()}
    assert set(approvals) == {"visit", "contact"}
    assert approvals["visit"].multiple is True
    assert approvals["contact"].contact_method == "meeting"
    assert approvals["contact"].contact_counterpart == "민경련"
    assert {a.state for a in approvals.values()} == {S.DRAFT}


@pytest.mark.django_db
def test_the_kinds_not_ticked_keep_no_terms(personas, client_for):
    values = form_values(kinds=["visit"], goods_direction="carry_out", project_title="x")
    assert client_for("firm").post("/permits/new/", values).status_code == 302
    approval = Approval.objects.get()
    assert (
        approval.kind == "visit" and approval.goods_direction == "" and not approval.project_title
    )


@pytest.mark.django_db
def test_wrong_shapes_come_back_on_their_fields_as_typed(personas, client_for):
    wrong = form_values(
        start_date="1934-13-45",
        end_date="someday",
        direction="sideways",
        destination="moon",
        kinds=["visit", "teleport"],
        contact_method="pigeon",
        crossing_slot="25:99",
        north_organisation_id="99999",
    )
    response = client_for("firm").post("/permits/new/", wrong)
    assert response.status_code == 422
    errors = errors_of(response)
    assert set(errors) == {
        "start_date",
        "end_date",
        "direction",
        "destination",
        "kinds",
        "contact_method",
        "crossing_slot",
        "north_organisation_id",
    }
    text = page_text(response)
    assert 'value="1934-13-45"' in text and 'value="someday"' in text
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_wrong_values_the_service_refuses_come_back_on_their_fields(personas, client_for):
    wrong = form_values(
        start_date="2030-05-10",
        end_date="2030-05-01",
        purpose="x" * 4001,
        destination_detail="평양\x07",
        north_partner="가" * 201,
        contact_counterpart="민경련\x1b",
    )
    audits = AuditEntry.objects.count()
    response = client_for("firm").post("/permits/new/", wrong)
    assert response.status_code == 422
    errors = errors_of(response)
    assert errors["end_date"] == ["끝나는 날이 시작하는 날보다 앞섭니다."]
    assert errors["purpose"] == ["4,000자 이내로 적어 주십시오."]
    assert errors["north_partner"] == ["200자 이내로 적어 주십시오."]
    assert errors["destination_detail"] == ["쓸 수 없는 제어 문자가 있습니다."]
    assert errors["contact_counterpart"] == ["쓸 수 없는 제어 문자가 있습니다."]
    assert "2030-05-01" in page_text(response)
    assert Application.objects.count() == 0 and AuditEntry.objects.count() == audits


@pytest.mark.django_db
def test_a_date_before_the_division_is_refused_on_its_field(personas, client_for):
    response = client_for("firm").post("/permits/new/", form_values(start_date="1934-12-05"))
    assert response.status_code == 422
    errors = errors_of(response)
    assert errors["start_date"] == ["날짜를 확인해 주십시오."]
    assert errors["__all__"] == ["신청서를 저장하지 않았습니다."]
    assert set(errors) == {"start_date", "__all__"}


@pytest.mark.django_db
def test_a_contact_needing_no_report_is_told_so_on_its_field(personas, client_for):
    client = client_for("applicant")
    client.post("/language/", {"language": "en", "next": "/"})
    response = client.post("/permits/new/", form_values(contact_exemption="within_visit"))
    assert response.status_code == 422
    [said] = errors_of(response)["contact_exemption"]
    assert said.startswith("No report is needed for contact within the purpose of an approved")
    assert "you need not file one" in said
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_the_application_page_shows_states_history_and_the_officers_words(personas, client_for):
    application = complete_application(personas["firm"], ["visit", "goods", "vehicle"])
    visit, goods, vehicle = (
        application.approvals.get(kind=k) for k in ("visit", "goods", "vehicle")
    )
    for move in ("submit", "start_review", "request_info"):
        who = personas["firm"] if move == "submit" else personas["ministry"]
        visit = approval_transition(
            actor=who, approval=visit, move=move, ko="초청장 사본?", en="A copy of the invitation?"
        )
    for move in ("submit", "start_review", "refuse"):
        who = personas["firm"] if move == "submit" else personas["ministry"]
        goods = approval_transition(
            actor=who, approval=goods, move=move, ko="품목 불명", en="Items unclear"
        )
    response = client_for("firm").get(f"/permits/{application.pk}/")
    assert response.status_code == 200
    text = page_text(response)
    assert f'id="approval-{visit.pk}" data-kind="visit" data-state="info_requested"' in text
    assert "추가 자료 요청" in text or "More information requested" in text
    assert "초청장 사본?" in text and "A copy of the invitation?" in text
    assert "품목 불명" in text and "Items unclear" in text
    assert f'action="/permits/approvals/{visit.pk}/resubmit/"' in text
    assert f'action="/permits/approvals/{vehicle.pk}/withdraw/"' in text
    assert f'action="/permits/approvals/{goods.pk}/withdraw/"' not in text  # decided
    assert text.count('<tr data-state="') == 6  # the history: three changes each
    assert "정민호" in text and "12가3456" in text and "100630" in text
    notices = Notice.objects.filter(topic=topic_for(application.pk))
    assert notices.exists()  # each move queued its notices
    assert all(n.subject_ko in text for n in notices[:3])


@pytest.mark.django_db
def test_a_visit_in_force_lists_its_certificates_to_download(personas, client_for):
    visit, certificates = approved_visit(personas)
    response = client_for("firm").get(f"/permits/{visit.application_id}/")
    text = page_text(response)
    assert len(certificates) == 2
    for certificate in certificates:
        assert f'href="/permits/certificates/{certificate.number}.pdf"' in text
        assert f"{certificate.valid_from:%Y-%m-%d} – {certificate.valid_to:%Y-%m-%d}" in text


@pytest.mark.django_db
def test_another_organisations_application_is_not_found(personas, client_for):
    application = complete_application(personas["firm"])
    approval = application.approvals.get()
    client = client_for("aid")
    for path in (f"/permits/{application.pk}/", f"/permits/{application.pk}/edit/"):
        assert client.get(path).status_code == 404
    for path in (
        f"/permits/{application.pk}/submit/",
        f"/permits/{application.pk}/copy/",
        f"/permits/approvals/{approval.pk}/withdraw/",
    ):
        assert client.post(path, {"confirm": "yes"}).status_code == 404
    assert state_of(approval) == S.DRAFT and Application.objects.count() == 1


@pytest.mark.django_db
def test_an_individual_applicant_sees_only_their_own(personas, client_for):
    from panmun.accounts.models import User

    other = User.objects.create_user(
        username="another", password="x", organisation=personas["applicant"].organisation
    )
    other.role = personas["applicant"].role
    other.save()
    application = complete_application(other)
    assert client_for("applicant").get(f"/permits/{application.pk}/").status_code == 404


@pytest.mark.django_db
def test_submit_files_every_draft(personas, client_for):
    application = complete_application(personas["firm"], ["visit", "vehicle"])
    response = client_for("firm").post(f"/permits/{application.pk}/submit/", follow=True)
    assert response.redirect_chain[-1][0] == f"/permits/{application.pk}/"
    assert set(application.approvals.values_list("state", flat=True)) == {S.SUBMITTED}
    assert "제출했습니다" in page_text(response) or "Submitted" in page_text(response)


@pytest.mark.django_db
def test_a_refused_submission_shows_every_finding(personas, client_for):
    application = complete_application(personas["firm"], ["visit", "crossing"], people=0)
    response = client_for("firm").post(f"/permits/{application.pk}/submit/", follow=True)
    text = page_text(response)
    assert "방문하는 사람을 한 명 이상 적어 주십시오." in text
    assert "출입하는 사람을 한 명 이상 적어 주십시오." in text
    assert set(application.approvals.values_list("state", flat=True)) == {S.DRAFT}


@pytest.mark.django_db
def test_a_visit_to_pyongyang_in_july_2010_is_refused_naming_the_measure(personas, client_for):
    with time_machine.travel(dt.datetime(2010, 7, 1, 10, tzinfo=dt.UTC), tick=False):
        application = complete_application(personas["firm"], start=dt.date(2010, 7, 10))
        client = client_for("firm")
        response = client.post(f"/permits/{application.pk}/submit/", follow=True)
        korean = page_text(response)
        assert "5·24 조치" in korean
        assert "시행 중인 조치에 따라 제출할 수 없습니다: 5·24 조치" in korean
        client.post("/language/", {"language": "en", "next": "/"})
        response = client.post(f"/permits/{application.pk}/submit/", follow=True)
        english = page_text(response)
        assert "Not possible under the measures in force: The measures of 24 May 2010" in english
        assert "Visit (Art. 9) · Policy in force: Not allowed under The measures of 24 May" in (
            english
        )
    assert application.approvals.get().state == S.DRAFT
    assert not StateLog.objects.exists()


@pytest.mark.django_db
def test_withdrawing_is_confirmed_first(personas, client_for):
    application = complete_application(personas["firm"], ["visit", "goods"])
    visit = application.approvals.get(kind="visit")
    client = client_for("firm")
    asked = client.post(f"/permits/approvals/{visit.pk}/withdraw/")
    assert asked.status_code == 200
    assert 'name="confirm" value="yes"' in page_text(asked)
    assert state_of(visit) == S.DRAFT
    done = client.post(f"/permits/approvals/{visit.pk}/withdraw/", {"confirm": "yes"})
    assert done.status_code == 302
    assert state_of(visit) == S.WITHDRAWN
    assert application.approvals.get(kind="goods").state == S.DRAFT
    # Once withdrawn it cannot be withdrawn again: refused with a message, nothing changed.
    again = client.post(f"/permits/approvals/{visit.pk}/withdraw/", {"confirm": "yes"}, follow=True)
    assert "상태에서는 할 수 없습니다" in page_text(again)


@pytest.mark.django_db
def test_answering_the_officers_questions(personas, client_for):
    application = complete_application(personas["firm"])
    approval = application.approvals.get()
    for move, who in (
        ("submit", "firm"),
        ("start_review", "ministry"),
        ("request_info", "ministry"),
    ):
        approval = approval_transition(
            actor=personas[who], approval=approval, move=move, ko="질문", en="Question"
        )
    client = client_for("firm")
    edit = client.post(
        f"/permits/{application.pk}/edit/",
        form_values(
            kinds=[],
            purpose="평양 방문 협의 (초청장 첨부)",
            start_date=application.start_date.isoformat(),
            end_date=application.end_date.isoformat(),
        ),
    )
    assert edit.status_code == 302
    application.refresh_from_db()
    assert application.purpose == "평양 방문 협의 (초청장 첨부)"
    response = client.post(f"/permits/approvals/{approval.pk}/resubmit/")
    assert response.status_code == 302
    assert state_of(approval) == S.UNDER_REVIEW


@pytest.mark.django_db
def test_a_major_amendment_of_an_approval_in_force_is_confirmed_and_reopens_it(
    personas, client_for
):
    application = complete_application(personas["firm"])
    approval = application.approvals.get()
    for move, who in APPROVE:
        approval = approval_transition(actor=personas[who], approval=approval, move=move)
    later = application.start_date + dt.timedelta(days=1)
    values = form_values(
        kinds=[],
        start_date=later.isoformat(),
        end_date=application.end_date.isoformat(),
    )
    client = client_for("firm")
    asked = client.post(f"/permits/{application.pk}/edit/", values)
    assert asked.status_code == 200
    text = page_text(asked)
    assert "방문 (제9조)" in text and 'name="confirm" value="yes"' in text
    assert f'name="start_date" value="{later.isoformat()}"' in text
    assert state_of(approval) == S.APPROVED
    done = client.post(f"/permits/{application.pk}/edit/", {**values, "confirm": "yes"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert state_of(approval) == S.SUBMITTED and application.start_date == later


@pytest.mark.django_db
def test_a_minor_amendment_needs_no_confirmation(personas, client_for):
    application = complete_application(personas["firm"])
    approval = application.approvals.get()
    for move, who in APPROVE:
        approval = approval_transition(actor=personas[who], approval=approval, move=move)
    values = form_values(
        kinds=[],
        destination_detail="고려호텔",
        start_date=application.start_date.isoformat(),
        end_date=application.end_date.isoformat(),
        multiple="",
    )
    response = client_for("firm").post(f"/permits/{application.pk}/edit/", values)
    assert response.status_code == 302
    assert state_of(approval) == S.APPROVED


@pytest.mark.django_db
def test_an_amendment_the_kind_does_not_allow_is_refused_on_the_form(personas, client_for):
    application = complete_application(personas["firm"], ["contact"])
    approval_transition(actor=personas["firm"], approval=application.approvals.get(), move="submit")
    values = form_values(
        kinds=[],
        purpose="다른 목적",
        start_date=application.start_date.isoformat(),
        end_date=application.end_date.isoformat(),
    )
    response = client_for("firm").post(f"/permits/{application.pk}/edit/", values)
    assert response.status_code == 422
    assert "제출한 뒤에는 고칠 수 없는 승인이 있습니다" in page_text(response)
    application.refresh_from_db()
    assert application.purpose != "다른 목적"


@pytest.mark.django_db
def test_a_new_application_from_an_earlier_one(personas, client_for):
    application = complete_application(personas["firm"], ["visit", "vehicle"], people=2)
    response = client_for("firm").post(f"/permits/{application.pk}/copy/")
    copy = Application.objects.exclude(pk=application.pk).get()
    assert response.status_code == 302
    assert response["Location"] == f"/permits/{copy.pk}/edit/"
    assert copy.based_on == application and copy.travellers.count() == 2
    assert copy.vehicles.count() == 1
    edit = client_for("firm").get(response["Location"])
    assert edit.status_code == 200
    assert 'name="kinds" value="visit"' in page_text(edit)


# --- what an application lists; the profile -------------------------------------------------

PERSON_VALUES = {
    "name_ko": "김철수",
    "name_latin": "KIM CHEOLSU",
    "sex": "M",
    "birth_date": "1980-02-03",
    "document_kind": "passport",
    "document_number": "M98765432",
    "nationality": "KR",
}


def prefixed(prefix: str, values: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}-{k}": v for k, v in values.items()}


@pytest.mark.django_db
def test_a_person_is_added_and_taken_off(personas, client_for):
    application = complete_application(personas["firm"], people=0)
    client = client_for("firm")
    response = client.post(
        f"/permits/{application.pk}/travellers/", prefixed("traveller", PERSON_VALUES)
    )
    assert response.status_code == 302
    traveller = application.travellers.get()
    assert traveller.name_ko == "김철수" and traveller.birth_date == dt.date(1980, 2, 3)
    page = page_text(client.get(f"/permits/{application.pk}/"))
    assert f'action="/permits/{application.pk}/travellers/{traveller.pk}/remove/"' in page
    gone = client.post(f"/permits/{application.pk}/travellers/{traveller.pk}/remove/")
    assert gone.status_code == 302 and not application.travellers.exists()


@pytest.mark.django_db
def test_a_wrong_person_comes_back_on_its_fields(personas, client_for):
    application = complete_application(personas["firm"], people=0)
    wrong = {**PERSON_VALUES, "birth_date": "1934-13-45", "sex": "X", "document_number": "1"}
    response = client_for("firm").post(
        f"/permits/{application.pk}/travellers/", prefixed("traveller", wrong)
    )
    assert response.status_code == 422
    errors = response.context["traveller_form"].errors
    assert {"birth_date", "sex", "document_number"} <= set(errors)
    assert 'value="1934-13-45"' in page_text(response)
    assert not application.travellers.exists()


@pytest.mark.django_db
def test_a_people_list_with_a_bad_row_is_refused_naming_file_row_and_field(personas, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = complete_application(personas["firm"])
    header = "name_ko,sex,birth_date,document_kind,document_number,nationality\n"
    good = "김영희,F,1985-05-05,passport,M11112222,KR\n"
    bad = "박민수,Q,1985-13-40,passport,M33334444,KR\n"
    client = client_for("firm")
    upload = SimpleUploadedFile("people.csv", (header + good + bad).encode(), "text/csv")
    response = client.post(
        f"/permits/{application.pk}/travellers/upload/", {"file": upload, "replace": "on"}
    )
    assert response.status_code == 422
    said = [str(e) for e in response.context["people_file_form"].non_field_errors()]
    assert any(line.startswith("people.csv, 3행, sex") for line in said), said
    assert any(line.startswith("people.csv, 3행, birth_date") for line in said), said
    assert [t.name_ko for t in application.travellers.all()] == ["정민호"]  # nothing written
    upload = SimpleUploadedFile("people.csv", (header + good).encode("cp949"), "text/csv")
    done = client.post(
        f"/permits/{application.pk}/travellers/upload/", {"file": upload, "replace": "on"}
    )
    assert done.status_code == 302
    assert [t.name_ko for t in application.travellers.all()] == ["김영희"]


@pytest.mark.django_db
def test_vehicles_and_goods_lines(personas, client_for):
    application = complete_application(personas["firm"], ["visit", "goods", "vehicle"])
    goods = application.approvals.get(kind="goods")
    driver = application.travellers.get()
    client = client_for("firm")
    response = client.post(
        f"/permits/{application.pk}/vehicles/",
        {
            "vehicle-plate_number": "34나5678",
            "vehicle-vehicle_kind": "truck",
            "vehicle-driver": str(driver.pk),
        },
    )
    assert response.status_code == 302
    assert application.vehicles.get(plate_number="34나5678").driver == driver
    line = {
        "hs_code": "999999",
        "description": "?",
        "quantity": "-1",
        "unit": "kg",
        "value": "10",
        "currency": "USD",
    }
    refused = client.post(
        f"/permits/approvals/{goods.pk}/goods/", prefixed(f"goods-{goods.pk}", line)
    )
    assert refused.status_code == 422
    errors = refused.context["rows"][
        [r["approval"].kind for r in refused.context["rows"]].index("goods")
    ]["goods_form"].errors
    assert {"hs_code", "quantity"} <= set(errors)
    assert goods.goods_lines.count() == 1
    line.update(hs_code="1006.30", quantity="500")
    assert (
        client.post(
            f"/permits/approvals/{goods.pk}/goods/", prefixed(f"goods-{goods.pk}", line)
        ).status_code
        == 302
    )
    assert goods.goods_lines.count() == 2


@pytest.mark.django_db
def test_lists_are_fixed_once_submitted(personas, client_for):
    application = complete_application(personas["firm"])
    approval_transition(actor=personas["firm"], approval=application.approvals.get(), move="submit")
    client = client_for("firm")
    page = page_text(client.get(f"/permits/{application.pk}/"))
    assert 'id="traveller-form"' not in page
    response = client.post(
        f"/permits/{application.pk}/travellers/", prefixed("traveller", PERSON_VALUES)
    )
    assert response.status_code == 422
    assert "작성 중이거나 보완 요청 상태일 때만" in page_text(response)
    assert application.travellers.count() == 1


@pytest.mark.django_db
def test_another_organisations_lines_are_not_found(personas, client_for):
    application = complete_application(personas["firm"], ["visit", "goods"])
    traveller = application.travellers.get()
    goods = application.approvals.get(kind="goods")
    line = goods.goods_lines.get()
    client = client_for("aid")
    for path in (
        f"/permits/{application.pk}/travellers/",
        f"/permits/{application.pk}/travellers/{traveller.pk}/remove/",
        f"/permits/approvals/{goods.pk}/goods/{line.pk}/remove/",
    ):
        assert client.post(path, prefixed("traveller", PERSON_VALUES)).status_code == 404
    assert application.travellers.count() == 1 and goods.goods_lines.count() == 1


@pytest.mark.django_db
def test_the_profile_keeps_people_for_the_next_application(personas, client_for):
    client = client_for("aid")
    assert client.get("/permits/profile/").status_code == 200
    response = client.post("/permits/profile/people/", prefixed("person", PERSON_VALUES))
    assert response.status_code == 302
    wrong = client.post("/permits/profile/goods/", {"goods-hs_code": "12", "goods-unit": ""})
    assert wrong.status_code == 422
    assert "hs_code" in wrong.context["goods_form"].errors
    kept = client.post(
        "/permits/profile/vehicles/",
        {"vehicle-plate_number": "12가3456", "vehicle-vehicle_kind": "van"},
    )
    assert kept.status_code == 302
    page = page_text(client.get("/permits/profile/"))
    assert "김철수" in page and "12가3456" in page
    application = complete_application(personas["aid"], people=0)
    person = personas["aid"].organisation.permit_profile.people.get()
    added = client.post(
        f"/permits/{application.pk}/travellers/from-profile/", {"people_ids": [str(person.pk)]}
    )
    assert added.status_code == 302
    assert application.travellers.get().profile_person == person
    # Another organisation's profile is not theirs to change.
    other = client_for("firm").post(f"/permits/profile/people/{person.pk}/remove/")
    assert other.status_code == 404
    assert client.post(f"/permits/profile/people/{person.pk}/remove/").status_code == 302
