"""The ministry's pages (issue 18): the queues and decisions on a list, the review page and its
forms (a refusal without reasons comes back on its form), the statistics, and the North
partner's page of its invitations; each refused to whoever may not use it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from panmun.accounts.models import AuditEntry

from ..models import Approval, ApprovalState
from .review_factories import north_organisation, one, submitted

S = ApprovalState


def test_the_queues_page_counts_each_kind(personas, client_for):
    submitted(personas)
    submitted(personas, ["goods"])
    response = client_for("ministry").get(reverse("permits:review-queues"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-kind="visit"><td><a' in html and 'data-count="1"' in html


def test_the_queue_page_lists_and_filters(personas, client_for):
    a = one(submitted(personas))
    b = one(submitted(personas, state="under_review"))
    client = client_for("ministry")
    url = reverse("permits:review-queue", args=["visit"])
    html = client.get(url).content.decode()
    assert f'data-approval="{a.pk}"' in html and f'data-approval="{b.pk}"' in html
    html = client.get(url, {"state": "under_review"}).content.decode()
    assert f'data-approval="{a.pk}"' not in html and f'data-approval="{b.pk}"' in html
    assert client.get(url, {"state": "approved"}).status_code == 404
    assert client.get(reverse("permits:review-queue", args=["teleport"])).status_code == 404


def test_the_queue_pages_by_cursor(personas, client_for, monkeypatch):
    from .. import selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
    monkeypatch.setattr("panmun.permits.selectors.PAGE_SIZE", 1)
    ids = [one(submitted(personas)).pk for _ in range(2)]
    client = client_for("ministry")
    url = reverse("permits:review-queue", args=["visit"])
    page = selectors.queue(personas["ministry"], "visit", per_page=1)
    html = client.get(url, {"after": page.next_cursor}).content.decode()
    assert f'data-approval="{ids[1]}"' in html


def test_a_list_is_approved_from_the_queue(personas, client_for):
    ids = [one(submitted(personas, state="under_review")).pk for _ in range(2)]
    url = reverse("permits:review-queue", args=["visit"])
    response = client_for("ministry").post(url, {"approvals": ids, "move": "approve"})
    assert response.status_code == 302
    assert set(Approval.objects.filter(pk__in=ids).values_list("state", flat=True)) == {S.APPROVED}


def test_a_list_with_one_bad_approval_is_refused_on_the_page(personas, client_for):
    good = one(submitted(personas, state="under_review"))
    bad = one(submitted(personas))
    url = reverse("permits:review-queue", args=["visit"])
    response = client_for("ministry").post(url, {"approvals": [good.pk, bad.pk], "move": "approve"})
    assert response.status_code == 422
    html = response.content.decode()
    assert bad.application.reference in html and "form-errors" in html
    assert Approval.objects.get(pk=good.pk).state == S.UNDER_REVIEW
    assert f'value="{good.pk}" aria-label="{good.application.reference}" checked' in html


def test_a_list_refused_without_reasons_shows_it_on_the_field(personas, client_for):
    ids = [one(submitted(personas, state="under_review")).pk]
    url = reverse("permits:review-queue", args=["visit"])
    response = client_for("ministry").post(url, {"approvals": ids, "move": "refuse", "ko": "사유"})
    assert response.status_code == 422
    assert Approval.objects.get(pk=ids[0]).state == S.UNDER_REVIEW


def test_the_review_page_shows_everything(personas, client_for):
    earlier = one(submitted(personas, state="refused"))
    application = submitted(personas, ["visit", "goods", "vehicle"])
    approval = one(application)
    response = client_for("ministry").get(reverse("permits:review-approval", args=[approval.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        application.reference,
        "M12345678",
        f'data-earlier="{earlier.pk}" data-state="refused"',
        "12가3456",
        'id="move-start_review"',
        'id="assign-form"',
        'data-transition="submit"',
    ):
        assert text in html, text
    assert 'id="exception-form"' not in html  # an officer, not a supervisor
    goods = one(application, "goods")
    html = client_for("supervisor").get(reverse("permits:review-approval", args=[goods.pk]))
    assert (
        "Cereals; rice" in html.content.decode() and 'id="exception-form"' in html.content.decode()
    )


def test_taking_up_and_approving_from_the_review_page(personas, client_for):
    approval = one(submitted(personas))
    client = client_for("ministry")
    response = client.post(reverse("permits:review-move", args=[approval.pk, "start_review"]))
    assert response.status_code == 302
    fresh = Approval.objects.get(pk=approval.pk)
    assert (fresh.state, fresh.assigned_to) == (S.UNDER_REVIEW, personas["ministry"])
    response = client.post(
        reverse("permits:review-move", args=[approval.pk, "approve_with_conditions"]),
        {
            "approve_with_conditions-conditions_ko": "매일 보고",
            "approve_with_conditions-conditions_en": "Report daily",
        },
    )
    assert response.status_code == 302
    assert Approval.objects.get(pk=approval.pk).state == S.APPROVED_WITH_CONDITIONS


@pytest.mark.parametrize(
    "data", [{}, {"refuse-reasons_ko": "서류 미비"}, {"refuse-reasons_en": "Missing"}]
)
def test_a_refusal_without_reasons_comes_back_on_its_form(personas, client_for, data):
    approval = one(submitted(personas, state="under_review"))
    response = client_for("ministry").post(
        reverse("permits:review-move", args=[approval.pk, "refuse"]), data
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="move-refuse"' in html
    missing = [f for f in ("reasons_ko", "reasons_en") if f"refuse-{f}" not in data]
    for name in missing:  # the problem is on the field left empty
        assert (
            f'name="refuse-{name}" cols="40" rows="3" maxlength="4000" aria-invalid="true"' in html
        )
    for typed in data.values():
        assert typed in html  # what was typed is kept
    assert Approval.objects.get(pk=approval.pk).state == S.UNDER_REVIEW


def test_a_revocation_is_confirmed_first_and_is_a_supervisors(personas, client_for):
    approval = one(submitted(personas, state="approved"))
    url = reverse("permits:review-move", args=[approval.pk, "revoke"])
    data = {"revoke-reasons_ko": "조건 위반", "revoke-reasons_en": "Conditions broken"}
    assert client_for("ministry").post(url, data).status_code == 403
    client = client_for("supervisor")
    response = client.post(url, data)
    assert response.status_code == 200 and 'name="confirm"' in response.content.decode()
    assert Approval.objects.get(pk=approval.pk).state == S.APPROVED
    response = client.post(url, {**data, "confirm": "yes"})
    assert response.status_code == 302
    assert Approval.objects.get(pk=approval.pk).state == S.REVOKED


def test_a_move_the_state_does_not_allow_is_refused_with_nothing_changed(personas, client_for):
    approval = one(submitted(personas))
    response = client_for("ministry").post(
        reverse("permits:review-move", args=[approval.pk, "approve"])
    )
    assert response.status_code == 422
    assert Approval.objects.get(pk=approval.pk).state == S.SUBMITTED
    response = client_for("ministry").post(
        reverse("permits:review-move", args=[approval.pk, "teleport"])
    )
    assert response.status_code == 404


def test_assigning_from_the_page(personas, client_for):
    approval = one(submitted(personas))
    url = reverse("permits:review-assign", args=[approval.pk])
    client = client_for("ministry")
    assert client.post(url, {"officer": personas["supervisor"].pk}).status_code == 302
    assert Approval.objects.get(pk=approval.pk).assigned_to == personas["supervisor"]
    response = client.post(url, {"officer": personas["firm"].pk})
    assert response.status_code == 422  # not one of the officers offered
    assert Approval.objects.get(pk=approval.pk).assigned_to == personas["supervisor"]


def test_an_exception_without_reasons_comes_back_on_its_form(personas, client_for):
    from ..models import PolicyMeasure

    approval = one(submitted(personas))
    measure = PolicyMeasure.objects.get(code="2010-05-24")
    url = reverse("permits:review-exception", args=[approval.pk])
    response = client_for("supervisor").post(url, {"measure": measure.pk, "reason_ko": "사유"})
    assert response.status_code == 422
    assert 'id="exception-form"' in response.content.decode()
    assert not AuditEntry.objects.filter(action="permits.policy.exception").exists()
    response = client_for("supervisor").post(
        url, {"measure": measure.pk, "reason_ko": "사유", "reason_en": "Reason"}
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="permits.policy.exception").count() == 1
    assert client_for("ministry").post(url, {"measure": measure.pk}).status_code == 403


@pytest.mark.parametrize("who", ["viewer", "firm", "redcross_n", "aid"])
def test_the_review_pages_are_refused_to_others(personas, client_for, who):
    approval = one(submitted(personas, state="under_review"))
    client = client_for(who)
    for url in (
        reverse("permits:review-queues"),
        reverse("permits:review-queue", args=["visit"]),
        reverse("permits:review-approval", args=[approval.pk]),
        reverse("permits:review-statistics"),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("permits:review-move", args=[approval.pk, "refuse"]),
        {"refuse-reasons_ko": "x", "refuse-reasons_en": "x"},
    )
    assert response.status_code == 403
    assert Approval.objects.get(pk=approval.pk).state == S.UNDER_REVIEW


def test_the_statistics_page(personas, client_for):
    submitted(personas, state="approved", people=2)
    response = client_for("ministry").get(reverse("permits:review-statistics"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="no-official-series"' in html
    assert 'data-series="approvals" data-count="1"' in html
    assert "<td>2</td>" in html  # two visitors this year
    assert (
        client_for("ministry").get(reverse("permits:review-statistics"), {"year": "x"}).status_code
        == 200
    )


def test_the_north_partner_sees_its_invitations_and_nothing_else(personas, client_for):
    application = submitted(
        personas, ["visit", "goods"], north_organisation_id=north_organisation().pk
    )
    approval = one(application)
    response = client_for("redcross_n").get(reverse("permits:review-invitations"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-invitation="{approval.pk}"' in html and "정민호" in html
    traveller = application.travellers.get()
    for secret in (
        traveller.document_number,
        traveller.birth_date.isoformat(),
        traveller.phone,
        application.reference,
        "rice",
    ):
        assert secret not in html, secret
    for who in ("ministry", "firm", "viewer", "liaison_s"):
        assert client_for(who).get(reverse("permits:review-invitations")).status_code == 403


def test_the_review_pages_speak_korean_and_english(personas, client_for):
    approval = one(submitted(personas))
    client = client_for("ministry")
    url = reverse("permits:review-approval", args=[approval.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "심사 시작" in html and "상태 변경 기록" in html
    client.post(reverse("web:language"), {"language": "en", "next": "/"})
    html = client.get(url).content.decode()
    assert "Start review" in html and "History of its states" in html


HOSTILE = ["", "abc", "\x00", "<script>x</script>", "9" * 30, "-1", "' OR 1=1 --", "가" * 5000]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_input_is_refused_never_a_500(personas, client_for, value):
    approval = one(submitted(personas, state="under_review"))
    client = client_for("supervisor")
    queue = reverse("permits:review-queue", args=["visit"])
    review = reverse("permits:review-approval", args=[approval.pk])
    for response in (
        client.get(queue, {"state": value, "assigned": value, "after": value}),
        client.get(reverse("permits:review-statistics"), {"year": value}),
        client.post(queue, {"approvals": [value], "move": value, "ko": value, "en": value}),
        client.post(
            queue, {"approvals": [approval.pk], "move": "refuse", "ko": value, "en": value}
        ),
        client.post(
            reverse("permits:review-move", args=[approval.pk, "refuse"]),
            {"refuse-reasons_ko": value, "refuse-reasons_en": value},
        ),
        client.post(reverse("permits:review-assign", args=[approval.pk]), {"officer": value}),
        client.post(
            reverse("permits:review-exception", args=[approval.pk]),
            {"measure": value, "reason_ko": value, "reason_en": value},
        ),
    ):
        assert response.status_code < 500
    assert client.get(review).status_code == 200
