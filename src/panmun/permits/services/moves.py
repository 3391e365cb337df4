"""Each approval's moves through its states (`models.Approval`'s transitions), each with its
audit entry in the same transaction. A move that the state machine or the user's role does not
allow changes nothing; a submission is checked first (`checks.check_submission`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from panmun.accounts import audit
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode, invalid, invalid_fields

from ..access import can_review, can_revoke, is_applicant_of
from ..certificates import certificates_issue
from ..models import Approval
from ..notify import notify_move
from .checks import check_submission

MAX_TEXT = 4000  # characters of a reason, a condition or a question, in each language


@dataclass(frozen=True)
class Move:
    """A transition as the services offer it: who may make it, and which text it needs (the
    reasons of a refusal, the conditions of an approval, the officer's questions)."""

    allowed: Callable[[User | None, Approval], bool]
    text: str = ""  # "reasons", "conditions" or "questions": required in Korean and English
    decision: bool = False  # records who decided, and when


def _applicant(user: User | None, approval: Approval) -> bool:
    return user is not None and is_applicant_of(user, approval.application)


def _reviewer(user: User | None, approval: Approval) -> bool:
    return user is not None and can_review(user)


def _revoker(user: User | None, approval: Approval) -> bool:
    return user is not None and can_revoke(user)


def _system(user: User | None, approval: Approval) -> bool:
    return user is None  # the daily sweep of validity, never a person


MOVES: dict[str, Move] = {
    "submit": Move(_applicant),
    "start_review": Move(_reviewer),
    "request_info": Move(_reviewer, text="questions"),
    "resubmit": Move(_applicant),
    "approve": Move(_reviewer, decision=True),
    "approve_with_conditions": Move(_reviewer, text="conditions", decision=True),
    "refuse": Move(_reviewer, text="reasons", decision=True),
    "withdraw": Move(_applicant),
    "reopen": Move(_applicant),
    "revoke": Move(_revoker, text="reasons", decision=True),
    "expire": Move(_system),
}


def _texts(move: Move, ko: str, en: str) -> tuple[str, str]:
    ko, en = ko.strip(), en.strip()
    if not move.text:
        return "", ""
    problems = []
    for field, value in ((f"{move.text}_ko", ko), (f"{move.text}_en", en)):
        if not value:
            problems.append(
                (field, "한국어와 영어로 모두 적어 주십시오.", "Write it in Korean and in English.")
            )
        elif len(value) > MAX_TEXT:
            problems.append(
                (
                    field,
                    f"{MAX_TEXT:,}자 이내로 적어 주십시오.",
                    f"At most {MAX_TEXT:,} characters.",
                )
            )
    if problems:
        raise invalid_fields("사유를 확인해 주십시오.", "Check what you wrote.", problems)
    return ko, en


@transaction.atomic
def approval_transition(
    *, actor: User | None, approval: Approval, move: str, ko: str = "", en: str = ""
) -> Approval:
    """Move `approval` by the transition `move` (see `MOVES`): who may, then whether the state
    machine allows it from the approval's state now, then the texts it needs — and only then
    the change, its log entry (django-fsm-log) and its audit entry. A refusal, a revocation,
    conditions and questions need their text in Korean and in English."""
    spec = MOVES.get(move)
    if spec is None:
        raise invalid(
            ko=f"알 수 없는 처리입니다: {move[:40]}",
            en=f"Unknown step: {move[:40]}",
            field="move",
            allowed=sorted(MOVES),
        )
    if actor is not None:
        require_authenticated(actor)
    locked = Approval.objects.select_for_update().select_related("application").get(pk=approval.pk)
    require(spec.allowed(actor, locked))
    method = getattr(locked, move)
    if not can_proceed(method):
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"'{locked.get_state_display()}' 상태에서는 할 수 없습니다.",
            f"Not possible while the approval is '{locked.get_state_display()}'.",
            {"state": locked.state, "move": move},
        )
    ko_text, en_text = _texts(spec, ko, en)
    if move == "submit":
        check_submission(locked.application, [locked], today=timezone.localdate())
        locked.submitted_at = timezone.now()
    elif move == "reopen":
        locked.submitted_at = timezone.now()
        locked.decided_by, locked.decided_at = None, None
    before = locked.state
    if spec.text:
        setattr(locked, f"{spec.text}_ko", ko_text)
        setattr(locked, f"{spec.text}_en", en_text)
    method(by=actor)
    if spec.decision:
        locked.decided_by = actor
        locked.decided_at = timezone.now()
    locked.full_clean(exclude=["state"])  # the state is the transitions' (protected)
    locked.save()
    if move in ("approve", "approve_with_conditions"):
        certificates_issue(approval=locked)  # a visit's certificates, one a traveller
    notify_move(locked)
    audit.record(
        actor=actor,
        action="permits.approval.move",
        obj=locked,
        changes={"move": move, "state": [before, locked.state]},
    )
    return locked


__all__ = ["MOVES", "approval_transition"]
