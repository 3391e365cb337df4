"""The approvals' state machine (issue 18, acceptance 1): every allowed transition, by whom it is
allowed; every other one refused with nothing changed; a refusal (or a revocation, conditions,
questions) without its text in both languages impossible — in the service and in the database."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django_fsm_log.models import StateLog

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError, ErrorCode

from ..models import Approval, ApprovalState
from ..services.applications import ApplicationData, application_create
from ..services.moves import MOVES, approval_transition
from .factories import complete_application

S = ApprovalState
TEXT = {"ko": "사유", "en": "A reason"}

#: move → (the states it may start from, the state it ends in, who makes it)
ALLOWED = {
    "submit": ([S.DRAFT], S.SUBMITTED, "firm"),
    "start_review": ([S.SUBMITTED], S.UNDER_REVIEW, "ministry"),
    "request_info": ([S.UNDER_REVIEW], S.INFO_REQUESTED, "ministry"),
    "resubmit": ([S.INFO_REQUESTED], S.UNDER_REVIEW, "firm"),
    "approve": ([S.UNDER_REVIEW], S.APPROVED, "ministry"),
    "approve_with_conditions": ([S.UNDER_REVIEW], S.APPROVED_WITH_CONDITIONS, "ministry"),
    "refuse": ([S.UNDER_REVIEW], S.REFUSED, "ministry"),
    "withdraw": (
        [S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.INFO_REQUESTED],
        S.WITHDRAWN,
        "firm",
    ),
    "reopen": ([S.APPROVED, S.APPROVED_WITH_CONDITIONS], S.SUBMITTED, "firm"),
    "revoke": ([S.APPROVED, S.APPROVED_WITH_CONDITIONS], S.REVOKED, "supervisor"),
    "expire": ([S.APPROVED, S.APPROVED_WITH_CONDITIONS], S.EXPIRED, None),
}
#: A path from a draft to each state, with who makes each step.
PATH = {
    S.DRAFT: [],
    S.SUBMITTED: ["submit"],
    S.UNDER_REVIEW: ["submit", "start_review"],
    S.INFO_REQUESTED: ["submit", "start_review", "request_info"],
    S.APPROVED: ["submit", "start_review", "approve"],
    S.APPROVED_WITH_CONDITIONS: ["submit", "start_review", "approve_with_conditions"],
    S.REFUSED: ["submit", "start_review", "refuse"],
    S.WITHDRAWN: ["withdraw"],
    S.REVOKED: ["submit", "start_review", "approve", "revoke"],
    S.EXPIRED: ["submit", "start_review", "approve", "expire"],
}


def test_every_move_is_listed():
    assert set(ALLOWED) == set(MOVES)


def _approval(personas, state: str) -> Approval:
    application = complete_application(personas["firm"])
    approval = application.approvals.get()
    for move in PATH[state]:
        who = ALLOWED[move][2]
        approval = approval_transition(
            actor=personas[who] if who else None, approval=approval, move=move, **TEXT
        )
    assert approval.state == state
    return approval


CASES = [(move, state) for move in ALLOWED for state in S.values]


@pytest.mark.parametrize(("move", "state"), CASES)
def test_each_move_from_each_state(personas, move, state):
    sources, target, who = ALLOWED[move]
    approval = _approval(personas, state)
    actor = personas[who] if who else None
    moves = AuditEntry.objects.filter(action="permits.approval.move")
    logs, audits = StateLog.objects.count(), moves.count()
    if state in sources:
        done = approval_transition(actor=actor, approval=approval, move=move, **TEXT)
        assert done.state == target
        assert Approval.objects.get(pk=approval.pk).state == target  # (protected: no refresh)
        assert StateLog.objects.count() == logs + 1
        log = StateLog.objects.order_by("-pk").first()
        assert log is not None and (log.source_state, log.state, log.transition) == (
            state,
            target,
            move,
        )
        assert log.by_id == (actor.pk if actor else None)
        assert moves.count() == audits + 1
    else:
        before = Approval.objects.filter(pk=approval.pk).values().get()
        with pytest.raises(DomainError) as info:
            approval_transition(actor=actor, approval=approval, move=move, **TEXT)
        assert info.value.code == ErrorCode.INVALID_TRANSITION
        assert Approval.objects.filter(pk=approval.pk).values().get() == before
        assert (StateLog.objects.count(), moves.count()) == (logs, audits)


@pytest.mark.parametrize("move", sorted(ALLOWED))
def test_only_the_right_people_make_each_move(personas, move):
    sources, _target, who = ALLOWED[move]
    approval = _approval(personas, sources[0])
    before = Approval.objects.filter(pk=approval.pk).values().get()
    for other in ["aid", "redcross_s", "redcross_n", "viewer", "ministry", "firm", "supervisor"]:
        if other == who or (who == "ministry" and other == "supervisor"):
            continue  # a ministry supervisor is also one of its officers
        with pytest.raises(DomainError) as info:
            approval_transition(actor=personas[other], approval=approval, move=move, **TEXT)
        assert info.value.code == ErrorCode.PERMISSION_DENIED, other
    if who is not None:  # nobody but the system lets an approval expire, and the system no other
        with pytest.raises(DomainError):
            approval_transition(actor=None, approval=approval, move=move, **TEXT)
    assert Approval.objects.filter(pk=approval.pk).values().get() == before


@pytest.mark.parametrize("move", ["refuse", "revoke", "approve_with_conditions", "request_info"])
@pytest.mark.parametrize(("ko", "en"), [("", ""), ("사유", ""), ("", "A reason"), ("  ", " ")])
def test_a_decision_without_its_words_in_both_languages_is_refused(personas, move, ko, en):
    sources, _target, who = ALLOWED[move]
    approval = _approval(personas, sources[0])
    before = Approval.objects.filter(pk=approval.pk).values().get()
    with pytest.raises(DomainError) as info:
        approval_transition(actor=personas[who], approval=approval, move=move, ko=ko, en=en)
    assert info.value.code == ErrorCode.INVALID_INPUT
    fields = {e["field"] for e in info.value.details["errors"]}
    assert fields <= {f"{ALLOWED_TEXT[move]}_ko", f"{ALLOWED_TEXT[move]}_en"} and fields
    assert Approval.objects.filter(pk=approval.pk).values().get() == before


ALLOWED_TEXT = {
    "refuse": "reasons",
    "revoke": "reasons",
    "approve_with_conditions": "conditions",
    "request_info": "questions",
}


def test_the_database_refuses_a_refusal_without_reasons(personas):
    approval = _approval(personas, S.UNDER_REVIEW)
    with pytest.raises(IntegrityError), transaction.atomic():
        Approval.objects.filter(pk=approval.pk).update(
            state=S.REFUSED, reasons_ko="", reasons_en=""
        )


def test_the_state_cannot_be_set_by_hand(personas):
    approval = _approval(personas, S.DRAFT)
    with pytest.raises(AttributeError):
        approval.state = S.APPROVED  # protected: only the transitions move it


def test_a_decision_records_who_and_the_words(personas):
    approval = _approval(personas, S.UNDER_REVIEW)
    done = approval_transition(
        actor=personas["ministry"],
        approval=approval,
        move="refuse",
        ko="서류 미비",
        en="Papers missing",
    )
    assert (done.reasons_ko, done.reasons_en) == ("서류 미비", "Papers missing")
    assert done.decided_by == personas["ministry"] and done.decided_at is not None


def test_an_unknown_move_is_refused(personas):
    approval = _approval(personas, S.DRAFT)
    with pytest.raises(DomainError) as info:
        approval_transition(actor=personas["firm"], approval=approval, move="teleport")
    assert info.value.code == ErrorCode.INVALID_INPUT


def test_an_application_needs_a_purpose_and_known_kinds(personas):
    for purpose, kinds in [("", ["visit"]), ("x", []), ("x", ["visit", "teleport"])]:
        with pytest.raises(DomainError) as info:
            application_create(
                actor=personas["firm"], data=ApplicationData(purpose=purpose, kinds=kinds)
            )
        assert info.value.code == ErrorCode.INVALID_INPUT
    with pytest.raises(DomainError) as info:
        application_create(
            actor=personas["ministry"], data=ApplicationData(purpose="x", kinds=["visit"])
        )
    assert info.value.code == ErrorCode.PERMISSION_DENIED


def test_a_combined_application_fans_out_into_one_approval_per_kind(personas):
    application = application_create(
        actor=personas["firm"],
        data=ApplicationData(
            purpose="개성공단 출입", kinds=["visit", "vehicle", "crossing", "visit"]
        ),
    )
    assert sorted(application.approvals.values_list("kind", flat=True)) == [
        "crossing",
        "vehicle",
        "visit",
    ]
    assert set(application.approvals.values_list("state", flat=True)) == {S.DRAFT}
