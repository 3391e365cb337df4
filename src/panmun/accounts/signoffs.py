"""결재 (sign-off): a second person approves an irreversible step before it is carried out.

The app whose step it is asks through `signoff_request` (after checking that the asker may take
the step), shows the request on its page, and calls `signoff_use` inside the step's own
transaction: the step runs only with an approval that still holds. An approval holds while the
facts the asker saw (`summary`) are unchanged; if the record changed, the step is refused and
the officer asks again.

Who decides: a supervisor (or above) of the asker's side, never the asker.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from panmun.common.errors import DomainError, ErrorCode, permission_denied
from panmun.common.findings import Finding

from . import audit
from .access import require_authenticated, supervises_programmes
from .models import SignOff, SignOffState, User


def basis_of(summary: dict[str, Any]) -> str:
    """A fingerprint of the facts an approval was given on."""
    text = json.dumps(audit._plain(summary), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _ref(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def signoff_open(action: str, obj: models.Model) -> SignOff | None:
    """The request for this step on this record that is waiting or approved, if any."""
    object_type, object_id = _ref(obj)
    return (
        SignOff.objects.filter(
            action=action,
            object_type=object_type,
            object_id=object_id,
            state__in=[SignOffState.REQUESTED, SignOffState.APPROVED],
        )
        .select_related("requested_by", "decided_by")
        .first()
    )


def signoffs_of(action: str, obj: models.Model) -> QuerySet[SignOff]:
    """Every request for this step on this record, newest first."""
    object_type, object_id = _ref(obj)
    return SignOff.objects.filter(
        action=action, object_type=object_type, object_id=object_id
    ).select_related("requested_by", "decided_by")


def can_decide(user: User, signoff: SignOff) -> bool:
    """A supervisor (or above) of the asker's side, who is not the asker."""
    if not user.is_authenticated or user.pk == signoff.requested_by_id:
        return False
    if not supervises_programmes(user):
        return False
    return user.side_code == signoff.requested_by.side_code


def signoffs_waiting_for(user: User) -> QuerySet[SignOff]:
    """Requests this user may decide, oldest first."""
    if not user.is_authenticated or not supervises_programmes(user):
        return SignOff.objects.none()
    side = user.side_code
    return (
        SignOff.objects.filter(state=SignOffState.REQUESTED)
        .exclude(requested_by=user)
        .filter(requested_by__organisation__side__code=side)
        .select_related("requested_by")
        .order_by("requested_at")
    )


def signoffs_asked_by(user: User) -> QuerySet[SignOff]:
    return SignOff.objects.filter(requested_by=user).select_related("decided_by")


@transaction.atomic
def signoff_request(
    *,
    actor: User,
    action: str,
    obj: models.Model,
    summary: dict[str, Any],
    link: str = "",
    note: str = "",
) -> SignOff:
    """Ask for approval of `action` on `obj`. The caller has checked that `actor` may take it."""
    require_authenticated(actor)
    object_type, object_id = _ref(obj)
    if signoff_open(action, obj) is not None:
        raise DomainError(
            ErrorCode.CONFLICT,
            "이 단계는 이미 결재를 요청했습니다.",
            "Approval for this step has already been asked for.",
            {"action": action, "object_id": object_id},
        )
    signoff = SignOff(
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=str(obj)[:300],
        link=link[:300],
        summary=audit._plain(summary),
        basis=basis_of(summary),
        requested_by=actor,
        note=(note or "").strip()[:500],
    )
    signoff.full_clean()
    signoff.save()
    audit.record(
        actor=actor,
        action="accounts.signoff.request",
        obj=signoff,
        changes={"step": action, "object": f"{object_type} {object_id}", "summary": summary},
    )
    return signoff


@transaction.atomic
def signoff_decide(*, actor: User, signoff: SignOff, approve: bool, note: str = "") -> SignOff:
    """Approve or refuse a request. A refusal says why."""
    require_authenticated(actor)
    signoff = SignOff.objects.select_for_update().select_related("requested_by").get(pk=signoff.pk)
    if not can_decide(actor, signoff):
        raise permission_denied({"reason": "signoff_decider"})
    if signoff.state != SignOffState.REQUESTED:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "이미 결정된 결재 요청입니다.",
            "This request has already been decided.",
            {"state": signoff.state},
        )
    note = (note or "").strip()[:500]
    if not approve and not note:
        required = Finding("signoff_note_required", ko="필수", en="required", field="note")
        raise DomainError.from_findings(
            [required], ko="반려하는 이유를 적으십시오.", en="Say why you refuse."
        )
    signoff.state = SignOffState.APPROVED if approve else SignOffState.REFUSED
    signoff.decided_by = actor
    signoff.decided_at = timezone.now()
    signoff.decision_note = note
    signoff.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit.record(
        actor=actor,
        action="accounts.signoff.approve" if approve else "accounts.signoff.refuse",
        obj=signoff,
        changes={"step": signoff.action, "note": note},
    )
    return signoff


@transaction.atomic
def signoff_withdraw(*, actor: User, signoff: SignOff) -> SignOff:
    """The asker (or a supervisor of the side) takes back an open request."""
    require_authenticated(actor)
    signoff = SignOff.objects.select_for_update().select_related("requested_by").get(pk=signoff.pk)
    if actor.pk != signoff.requested_by_id and not can_decide(actor, signoff):
        raise permission_denied({"reason": "signoff_withdraw"})
    if not signoff.is_open:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "진행 중인 결재 요청이 아닙니다.",
            "This request is no longer open.",
            {"state": signoff.state},
        )
    signoff.state = SignOffState.WITHDRAWN
    signoff.save(update_fields=["state"])
    audit.record(actor=actor, action="accounts.signoff.withdraw", obj=signoff)
    return signoff


def signoff_use(*, actor: User, action: str, obj: models.Model, summary: dict[str, Any]) -> SignOff:
    """Inside the step's transaction: the approval that lets it run, marked as carried out.

    Refused (and nothing is marked) when no approval is held, or when the facts changed since
    the approval was given.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("signoff_use() must run inside the step's transaction")
    object_type, object_id = _ref(obj)
    signoff = (
        SignOff.objects.select_for_update()
        .filter(
            action=action,
            object_type=object_type,
            object_id=object_id,
            state__in=[SignOffState.REQUESTED, SignOffState.APPROVED],
        )
        .first()
    )
    if signoff is None or signoff.state != SignOffState.APPROVED:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "이 단계는 결재(다른 감독관의 승인)를 받아야 진행할 수 있습니다.",
            "This step needs approval by another supervisor (결재) first.",
            {"signoff": signoff.state if signoff else "none", "action": action},
        )
    if signoff.basis != basis_of(summary):
        raise DomainError(
            ErrorCode.CONFLICT,
            "결재 뒤에 기록이 바뀌었습니다. 요청을 거두고 다시 결재를 받으십시오.",
            "The record changed after it was approved. Withdraw the request and ask again.",
            {"approved": signoff.summary, "now": audit._plain(summary)},
        )
    signoff.state = SignOffState.USED
    signoff.used_at = timezone.now()
    signoff.save(update_fields=["state", "used_at"])
    audit.record(
        actor=actor,
        action="accounts.signoff.use",
        obj=signoff,
        changes={"step": action, "approved_by": signoff.decided_by_id},
    )
    return signoff


def signoff_context(user: Any, action: str, obj: Any) -> dict[str, Any]:
    """What an object page shows of a step that needs 결재: the open request (if any), whether
    this user may decide it, and the earlier requests."""
    current = signoff_open(action, obj)
    return {
        "signoff": current,
        "signoff_can_decide": bool(current and can_decide(user, current)),
        "signoff_history": list(signoffs_of(action, obj)[:10]),
    }
