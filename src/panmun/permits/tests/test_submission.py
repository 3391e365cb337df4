"""Submission (issue 18): each kind's rules, the policy in force on the application's dates
(acceptance 3: inside the measures of 24 May 2010 refused naming the measure; a supervisor's
exception lets it through, audited), and the form's own checks (dates in the wrong order)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from panmun.accounts.models import AuditEntry, User
from panmun.common.errors import DomainError, ErrorCode

from ..access import applications_for_user
from ..models import Application, Approval, PolicyMeasure
from ..policy import rules_against
from ..services.applications import (
    ApplicationData,
    ContactExemption,
    application_create,
    application_submit,
    application_update,
    policy_exception_grant,
)
from ..services.moves import approval_transition
from .factories import complete_application, data_for

KST = dt.timezone(dt.timedelta(hours=9))


def _refused(personas, application, code=ErrorCode.INVALID_INPUT) -> DomainError:
    before = list(application.approvals.values_list("state", flat=True))
    with pytest.raises(DomainError) as info:
        application_submit(actor=personas["firm"], application=application)
    assert info.value.code == code
    assert list(application.approvals.values_list("state", flat=True)) == before
    return info.value


def _fields(error: DomainError) -> set[str]:
    return {e["field"] for e in error.details["errors"]}


@time_machine.travel(dt.datetime(2010, 7, 1, 10, tzinfo=KST), tick=False)
def test_a_visit_inside_the_measures_of_24_may_2010_is_refused_naming_them(personas):
    application = complete_application(
        personas["firm"], start=dt.date(2010, 7, 10), destination="pyongyang"
    )
    error = _refused(personas, application, ErrorCode.POLICY_FORBIDS)
    assert "5·24 조치" in error.message_ko
    assert "The measures of 24 May 2010" in error.message_en
    assert error.details["measures"] == ["2010-05-24"]
    assert _fields(error) == {"visit.policy"}


@time_machine.travel(dt.datetime(2010, 7, 1, 10, tzinfo=KST), tick=False)
def test_a_supervisors_exception_lets_it_through_and_is_audited(personas):
    application = complete_application(personas["firm"], start=dt.date(2010, 7, 10))
    measure = PolicyMeasure.objects.get(code="2010-05-24")
    for who in ("ministry", "firm", "viewer"):
        with pytest.raises(DomainError) as info:
            policy_exception_grant(
                actor=personas[who],
                application=application,
                measure=measure,
                reason_ko="사유",
                reason_en="A reason",
            )
        assert info.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(DomainError) as info:
        policy_exception_grant(
            actor=personas["supervisor"],
            application=application,
            measure=measure,
            reason_ko="",
            reason_en="Reason",
        )
    assert _fields(info.value) == {"reason_ko"}
    policy_exception_grant(
        actor=personas["supervisor"],
        application=application,
        measure=measure,
        reason_ko="종교계 대표 방북: 유연화 조치",
        reason_en="Religious leaders' visit: an easing of the measures",
    )
    entry = AuditEntry.objects.get(action="permits.policy.exception")
    assert entry.actor == personas["supervisor"] and entry.changes["measure"] == "2010-05-24"
    assert "종교계" in entry.changes["reason_ko"]
    submitted = application_submit(actor=personas["firm"], application=application)
    assert [a.state for a in submitted] == ["submitted"]


@time_machine.travel(dt.datetime(2010, 7, 1, 10, tzinfo=KST), tick=False)
def test_gaeseong_stayed_open_under_the_measures_of_2010(personas):
    application = complete_application(
        personas["firm"], start=dt.date(2010, 7, 10), destination="gaeseong"
    )
    assert [a.state for a in application_submit(actor=personas["firm"], application=application)]


def test_gaeseong_is_closed_since_february_2016(personas):
    application = complete_application(
        personas["firm"], ["visit", "vehicle", "crossing"], destination="gaeseong"
    )
    error = _refused(personas, application, ErrorCode.POLICY_FORBIDS)
    assert error.details["measures"] == ["2016-02-10"]
    assert _fields(error) == {"visit.policy", "vehicle.policy", "crossing.policy"}


@pytest.mark.django_db
def test_the_measures_answer_the_other_apps_question():
    on = dt.date(2010, 7, 1)
    assert rules_against("goods", start=on, destination="pyongyang", humanitarian=True) == []
    assert [r.measure.code for r in rules_against("goods", start=on, destination="pyongyang")] == [
        "2010-05-24"
    ]
    halted = rules_against(
        "goods", start=dt.date(2010, 12, 1), destination="pyongyang", humanitarian=True
    )
    assert [r.measure.code for r in halted] == ["2010-11-23"]
    itemised = rules_against("goods", start=on, destination="pyongyang", comprehensive=True)
    assert {r.measure.code for r in itemised} == {"2010-05-24", "2010-06-11"}
    assert rules_against("goods", start=on, destination="gaeseong", comprehensive=True) == []


def test_a_combined_application_is_submitted_whole_or_not_at_all(personas):
    application = complete_application(personas["firm"], ["visit", "vehicle", "crossing"])
    crossing = application.approvals.get(kind="crossing")
    Approval.objects.filter(pk=crossing.pk).update(crossing_date=timezone.localdate())
    error = _refused(personas, application)
    assert _fields(error) == {"crossing.crossing_date"}
    assert "3" in error.details["errors"][0]["reason_ko"]
    Approval.objects.filter(pk=crossing.pk).update(
        crossing_date=application.start_date + dt.timedelta(days=1)
    )
    states = [a.state for a in application_submit(actor=personas["firm"], application=application)]
    assert states == ["submitted"] * 3


@pytest.mark.parametrize(
    ("kind", "terms", "field"),
    [
        ("contact", {"contact_timing": "after"}, "contact.after_reason"),
        ("contact", {"contact_date": dt.date(2020, 1, 1)}, "contact.contact_timing"),
        ("project", {"land_lease": True}, "project.lease_signed_on"),
        ("goods", {"comprehensive": True}, "goods.comprehensive"),
        ("crossing", {"crossing_slot": None}, "crossing.crossing_slot"),
    ],
)
def test_each_kinds_rules(personas, kind, terms, field):
    application = complete_application(personas["firm"], [kind])
    Approval.objects.filter(application=application).update(**terms)
    assert field in _fields(_refused(personas, application))


def test_a_visit_needs_its_visitors(personas):
    application = complete_application(personas["firm"], people=0)
    assert _fields(_refused(personas, application)) == {"visit.travellers"}


def test_a_contact_the_act_exempts_is_not_taken_but_explained(personas):
    data = data_for(["contact"], contact_exemption=ContactExemption.WITHIN_VISIT)
    with pytest.raises(DomainError) as info:
        application_create(actor=personas["firm"], data=data)
    (problem,) = info.value.details["errors"]
    assert problem["field"] == "contact_exemption"
    assert "신고가 필요 없습니다" in problem["reason_ko"] and "No report" in problem["reason_en"]


def test_dates_in_the_wrong_order_are_refused_and_nothing_written(personas):
    start = timezone.localdate() + dt.timedelta(days=10)
    data = data_for(["visit"], start=start, end_date=start - dt.timedelta(days=1))
    with pytest.raises(DomainError) as info:
        application_create(actor=personas["firm"], data=data)
    assert _fields(info.value) == {"end_date"}
    assert not Application.objects.exists()


def test_a_major_amendment_sends_an_approval_in_force_back_to_review(personas):
    application = complete_application(personas["firm"])
    approval = application.approvals.get()
    for move, who in (("submit", "firm"), ("start_review", "ministry"), ("approve", "ministry")):
        approval = approval_transition(actor=personas[who], approval=approval, move=move)
    data = data_for(["visit"], start=application.start_date + dt.timedelta(days=1))
    application_update(actor=personas["firm"], application=application, data=data)
    assert application.approvals.get().state == "submitted"
    # a minor change (the detail of the place) keeps an approval where it is
    approval = application.approvals.get()
    approval = approval_transition(
        actor=personas["ministry"], approval=approval, move="start_review"
    )
    approval = approval_transition(actor=personas["ministry"], approval=approval, move="approve")
    data.destination_detail = "인민문화궁전"
    application_update(actor=personas["firm"], application=application, data=data)
    assert application.approvals.get().state == "approved"


def test_a_contact_report_cannot_be_amended_once_submitted(personas):
    application = complete_application(personas["firm"], ["contact"])
    application_submit(actor=personas["firm"], application=application)
    data = data_for(["contact"], purpose="다른 목적")
    with pytest.raises(DomainError) as info:
        application_update(actor=personas["firm"], application=application, data=data)
    assert info.value.code == ErrorCode.CONFLICT
    application.refresh_from_db()
    assert application.purpose != "다른 목적"


def test_an_application_of_another_organisation_cannot_be_changed(personas):
    application = complete_application(personas["firm"])
    for who in ("aid", "applicant"):
        with pytest.raises(DomainError) as info:
            application_submit(actor=personas[who], application=application)
        assert info.value.code == ErrorCode.PERMISSION_DENIED


def test_an_individual_applicant_keeps_their_applications_to_themselves(personas):
    mine = application_create(actor=personas["applicant"], data=data_for(["visit"]))
    other = User.objects.create(
        username="applicant2", organisation=personas["applicant"].organisation, role="officer"
    )
    theirs = application_create(actor=other, data=data_for(["visit"]))
    assert list(applications_for_user(personas["applicant"])) == [mine]
    assert list(applications_for_user(other)) == [theirs]
    # while the people of a firm share theirs
    colleague = User.objects.create(
        username="firm2", organisation=personas["firm"].organisation, role="officer"
    )
    filed = application_create(actor=personas["firm"], data=ApplicationData("x", ["visit"]))
    assert list(applications_for_user(colleague)) == [filed]
