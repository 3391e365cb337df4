"""결재: a second person approves an irreversible step, and the step runs only with an approval
that still holds."""

from __future__ import annotations

import pytest
from django.db import transaction

from panmun.accounts import signoffs
from panmun.accounts.models import AuditEntry, SignOff, SignOffState
from panmun.common.errors import DomainError, ErrorCode

pytestmark = pytest.mark.django_db

STEP = "families.round.apply"


def _summary(unanswered: int = 46) -> dict:
    return {
        "unanswered": unanswered,
        "lines": [{"ko": f"미회보 {unanswered}건", "en": f"{unanswered} unanswered"}],
    }


def _ask(personas, obj=None, **kw):
    officer = personas["redcross_s"]
    return signoffs.signoff_request(
        actor=officer, action=STEP, obj=obj or officer, summary=_summary(**kw)
    )


def _use(personas, obj=None, **kw):
    with transaction.atomic():
        return signoffs.signoff_use(
            actor=personas["redcross_s"],
            action=STEP,
            obj=obj or personas["redcross_s"],
            summary=_summary(**kw),
        )


def test_a_step_without_approval_is_refused_and_marks_nothing(personas):
    with pytest.raises(DomainError) as err:
        _use(personas)
    assert err.value.code == ErrorCode.INVALID_TRANSITION
    assert err.value.details["signoff"] == "none"
    signoff = _ask(personas)
    with pytest.raises(DomainError) as err:
        _use(personas)
    assert err.value.details["signoff"] == "requested"
    signoff.refresh_from_db()
    assert signoff.state == SignOffState.REQUESTED


def test_approved_by_another_supervisor_then_carried_out_once(personas):
    signoff = _ask(personas)
    signoffs.signoff_decide(actor=personas["supervisor"], signoff=signoff, approve=True)
    used = _use(personas)
    assert used.pk == signoff.pk and used.state == SignOffState.USED
    assert used.decided_by == personas["supervisor"]
    with pytest.raises(DomainError):
        _use(personas)  # a second run needs a second approval
    actions = list(
        AuditEntry.objects.filter(object_type="accounts.signoff").values_list("action", flat=True)
    )
    assert sorted(actions) == [
        "accounts.signoff.approve",
        "accounts.signoff.request",
        "accounts.signoff.use",
    ]


@pytest.mark.parametrize("decider", ["redcross_s", "ministry", "viewer", "redcross_n"])
def test_only_a_supervisor_of_the_same_side_other_than_the_asker_decides(personas, decider):
    signoff = _ask(personas)
    with pytest.raises(DomainError) as err:
        signoffs.signoff_decide(actor=personas[decider], signoff=signoff, approve=True)
    assert err.value.code == ErrorCode.PERMISSION_DENIED
    signoff.refresh_from_db()
    assert signoff.state == SignOffState.REQUESTED and signoff.decided_by is None


def test_a_supervisor_cannot_approve_their_own_request(personas):
    signoff = signoffs.signoff_request(
        actor=personas["supervisor"], action=STEP, obj=personas["supervisor"], summary={}
    )
    with pytest.raises(DomainError):
        signoffs.signoff_decide(actor=personas["supervisor"], signoff=signoff, approve=True)
    signoffs.signoff_decide(actor=personas["admin"], signoff=signoff, approve=True)


def test_an_approval_no_longer_holds_when_the_record_changed(personas):
    signoff = _ask(personas, unanswered=46)
    signoffs.signoff_decide(actor=personas["supervisor"], signoff=signoff, approve=True)
    with pytest.raises(DomainError) as err:
        _use(personas, unanswered=40)
    assert err.value.code == ErrorCode.CONFLICT
    signoff.refresh_from_db()
    assert signoff.state == SignOffState.APPROVED
    signoffs.signoff_withdraw(actor=personas["redcross_s"], signoff=signoff)
    again = _ask(personas, unanswered=40)
    assert again.pk != signoff.pk


def test_a_refusal_needs_a_reason_and_one_request_is_open_at_a_time(personas):
    signoff = _ask(personas)
    with pytest.raises(DomainError) as err:
        _ask(personas)
    assert err.value.code == ErrorCode.CONFLICT
    with pytest.raises(DomainError) as err:
        signoffs.signoff_decide(actor=personas["supervisor"], signoff=signoff, approve=False)
    assert err.value.code == ErrorCode.INVALID_INPUT
    signoffs.signoff_decide(
        actor=personas["supervisor"], signoff=signoff, approve=False, note="회보를 더 기다림"
    )
    assert SignOff.objects.get(pk=signoff.pk).state == SignOffState.REFUSED
    assert _ask(personas).state == SignOffState.REQUESTED  # may ask again after a refusal


def test_the_approvals_page_lists_what_waits_and_decides_it(personas, client_for):
    signoff = _ask(personas)
    supervisor = client_for("supervisor")
    page = supervisor.get("/signoffs/").content.decode()
    assert "미회보 46건" in page and f"/signoffs/{signoff.pk}/decide/" in page
    # Refusing without a reason keeps the request and says why.
    response = supervisor.post(f"/signoffs/{signoff.pk}/decide/", {"decision": "refuse"})
    assert response.status_code == 302
    assert SignOff.objects.get(pk=signoff.pk).state == SignOffState.REQUESTED
    supervisor.post(f"/signoffs/{signoff.pk}/decide/", {"decision": "approve"})
    assert SignOff.objects.get(pk=signoff.pk).state == SignOffState.APPROVED


def test_someone_else_cannot_see_or_decide_the_request(personas, client_for):
    signoff = _ask(personas)
    before = AuditEntry.objects.count()
    for who in ("ministry", "redcross_n", "viewer"):
        response = client_for(who).post(f"/signoffs/{signoff.pk}/decide/", {"decision": "approve"})
        assert response.status_code == 404
        assert f"/signoffs/{signoff.pk}/" not in client_for(who).get("/signoffs/").content.decode()
    assert SignOff.objects.get(pk=signoff.pk).state == SignOffState.REQUESTED
    assert AuditEntry.objects.count() == before
