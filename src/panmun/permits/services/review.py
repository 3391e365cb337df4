"""The ministry's writes on approvals: assigning an approval to an officer, an officer's
decisions (taking an approval up assigns it to them), decisions on a list in one go (all or
nothing) and the daily sweep that ends approvals whose period has passed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from panmun.accounts import audit
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode, invalid, invalid_fields
from panmun.common.findings import Finding

from ..access import can_review
from ..models import IN_FORCE, Approval, ApprovalState
from .moves import MOVES, approval_transition

S = ApprovalState
#: The states in which an approval may be assigned (before its decision).
ASSIGNABLE = (S.SUBMITTED, S.UNDER_REVIEW, S.INFO_REQUESTED)
#: What an officer decides from the review page and the API, in the order the page offers it.
REVIEW_MOVES = (
    "start_review",
    "request_info",
    "approve",
    "approve_with_conditions",
    "refuse",
    "revoke",
)
#: What may be decided for a list at once.
BULK_MOVES = ("start_review", "approve", "refuse")
BULK_LIMIT = 500


@transaction.atomic
def approval_assign(*, actor: User, approval: Approval, officer: User | None) -> Approval:
    """Give `approval` to `officer` (a ministry officer; None: to nobody), before its decision;
    audited."""
    require_authenticated(actor)
    require(can_review(actor))
    if officer is not None and not (officer.is_active and can_review(officer)):
        raise invalid_fields(
            "배정하지 않았습니다.",
            "Not assigned.",
            [
                (
                    "officer",
                    "통일부 담당관에게만 배정할 수 있습니다.",
                    "Only an officer of the ministry can be assigned.",
                )
            ],
        )
    locked = Approval.objects.select_for_update().get(pk=approval.pk)
    if locked.state not in ASSIGNABLE:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"'{locked.get_state_display()}' 상태의 승인은 배정할 수 없습니다.",
            f"An approval that is '{locked.get_state_display()}' cannot be assigned.",
            {"state": locked.state},
        )
    before = locked.assigned_to_id
    locked.assigned_to = officer
    locked.save(update_fields=["assigned_to"])
    audit.record(
        actor=actor,
        action="permits.approval.assign",
        obj=locked,
        changes={"assigned_to": [before, officer.pk if officer else None]},
    )
    return locked


@transaction.atomic
def approval_decide(
    *, actor: User, approval: Approval, move: str, ko: str = "", en: str = ""
) -> Approval:
    """An officer's move on `approval` (`REVIEW_MOVES`, through `moves.approval_transition`);
    taking it up (start_review) gives it to them if nobody has it yet."""
    require_authenticated(actor)
    if move not in REVIEW_MOVES:
        raise invalid(
            ko=f"알 수 없는 처리입니다: {move[:40]}",
            en=f"Unknown step: {move[:40]}",
            field="move",
            allowed=sorted(REVIEW_MOVES),
        )
    moved = approval_transition(actor=actor, approval=approval, move=move, ko=ko, en=en)
    if move == "start_review" and moved.assigned_to_id is None:
        moved.assigned_to = actor
        moved.save(update_fields=["assigned_to"])
        audit.record(
            actor=actor,
            action="permits.approval.assign",
            obj=moved,
            changes={"assigned_to": [None, actor.pk]},
        )
    return moved


def _bulk_ids(approval_ids: Iterable[int]) -> list[int]:
    ids = list(dict.fromkeys(approval_ids))
    if not ids:
        raise invalid(
            ko="승인을 하나 이상 고르십시오.", en="Choose one or more approvals.", field="approvals"
        )
    if len(ids) > BULK_LIMIT:
        raise invalid(
            ko=f"한 번에 {BULK_LIMIT}건까지 처리할 수 있습니다.",
            en=f"At most {BULK_LIMIT} approvals at once.",
            field="approvals",
        )
    return ids


@transaction.atomic
def approvals_decide_bulk(
    *, actor: User, approval_ids: Iterable[int], move: str, ko: str = "", en: str = ""
) -> list[Approval]:
    """The same move (`BULK_MOVES`) for each of a list of approvals, all or nothing: each is
    tried as `approval_decide` would; if any one is refused, nothing changes and the refusal
    names each approval refused and why."""
    require_authenticated(actor)
    require(can_review(actor))
    if move not in BULK_MOVES:
        raise invalid(
            ko=f"한꺼번에 할 수 없는 처리입니다: {move[:40]}",
            en=f"Not a step for a list: {move[:40]}",
            field="move",
            allowed=list(BULK_MOVES),
        )
    ids = _bulk_ids(approval_ids)
    spec = MOVES[move]
    if spec.text:  # the reasons once for all, checked before any approval is touched
        missing = [
            (
                f"{spec.text}_{lang}",
                "한국어와 영어로 모두 적어 주십시오.",
                "Write it in Korean and in English.",
            )
            for lang, value in (("ko", ko), ("en", en))
            if not value.strip()
        ]
        if missing:
            raise invalid_fields("사유를 확인해 주십시오.", "Check what you wrote.", missing)
    found = {a.pk: a for a in Approval.objects.filter(pk__in=ids).select_related("application")}
    done: list[Approval] = []
    problems: list[Finding] = []
    for row, pk in enumerate(ids, start=1):
        approval = found.get(pk)
        if approval is None:
            problems.append(
                Finding(
                    "not_found",
                    ko=f"승인({pk})을 찾을 수 없습니다.",
                    en=f"Approval {pk} was not found.",
                    row=row,
                    field="approvals",
                )
            )
            continue
        try:
            done.append(approval_decide(actor=actor, approval=approval, move=move, ko=ko, en=en))
        except DomainError as err:
            if err.code == ErrorCode.PERMISSION_DENIED:
                raise
            problems.append(
                Finding(
                    err.code,
                    ko=f"{approval.application.reference} ({approval.kind}): {err.message_ko}",
                    en=f"{approval.application.reference} ({approval.kind}): {err.message_en}",
                    row=row,
                    field="approvals",
                )
            )
    if problems:
        raise DomainError.from_findings(
            problems,
            ko=f"{len(problems)}건을 처리할 수 없어 아무것도 바꾸지 않았습니다.",
            en=f"{len(problems)} of the approvals could not be moved: nothing was changed.",
            code=ErrorCode.INVALID_TRANSITION,
            refused=[p.row for p in problems],
        )
    return done


def expiring(today: dt.date) -> Q:
    """Approvals in force whose application's period (or its only day) ended before `today`."""
    return Q(state__in=IN_FORCE) & (
        Q(application__end_date__lt=today)
        | Q(application__end_date__isnull=True, application__start_date__lt=today)
    )


@transaction.atomic
def approvals_expire(*, today: dt.date) -> list[Approval]:
    """The daily sweep: every approval in force whose period has passed moves to expired (the
    system's move, no actor), each with its log and audit entries."""
    return [
        approval_transition(actor=None, approval=approval, move="expire")
        for approval in Approval.objects.filter(expiring(today)).order_by("pk")
    ]


__all__ = [
    "BULK_LIMIT",
    "BULK_MOVES",
    "REVIEW_MOVES",
    "approval_assign",
    "approval_decide",
    "approvals_decide_bulk",
    "approvals_expire",
]
