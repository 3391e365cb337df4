"""The day plans sent to the North and its answer (see `services.plans` for the plans and how
they are built): a plan goes to the North as a signed `list` entry in the South's liaison log
(`dayplan_send`); the bureau answers it with a `reply` entry, consent true or false, where this
node writes the North's log (`dayplan_answer`), or the reply comes from the North's own node and
is recorded after each liaison round (`dayplan_answer_receive`, `dayplan_answers_collect`: the
complex's `after_liaison_round`). No consent, no crossing."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode
from panmun.liaison import node
from panmun.liaison.models import Entry, Kind
from panmun.liaison.services import log as liaison_log
from panmun.liaison.services.sending import entry_send

from ..access import can_answer_plans, can_build_plans
from ..models import DayPlan, LineState, PlanState
from .plans import MAX_NOTE, plan_invalid, plan_label, plan_lock

logger = logging.getLogger(__name__)


def _listed(plan: DayPlan) -> set[tuple[str, str]]:
    """The (subject, key) of the lines the plan's last list sent to the North named."""
    if plan.sent_entry is None:
        return set()
    return {
        (str(i.get("subject")), str(i.get("key"))) for i in plan.sent_entry.body.get("items", [])
    }


def needs_sending(plan: DayPlan) -> bool:
    """A plan is sent when it never was, was refused, or has changed since its last list: a
    line added or changed, or a line withdrawn that the list still names."""
    if plan.state in (PlanState.DRAFT, PlanState.REFUSED):
        return True
    if plan.lines.filter(state=LineState.CHANGED).exists():
        return True
    listed = _listed(plan)
    return any(
        (line.subject, line.key) in listed for line in plan.lines.filter(state=LineState.WITHDRAWN)
    )


def plan_items(plan: DayPlan) -> list[dict[str, Any]]:
    """The lines the North is asked to consent to (not the withdrawn ones), as the list's
    items."""
    items = []
    for line in plan.lines.exclude(state=LineState.WITHDRAWN).select_related("firm"):
        items.append(
            {
                "subject": line.subject,
                "key": line.key,
                "name": line.name,
                "firm": line.firm.name_ko if line.firm else "",
            }
        )
    return items


@transaction.atomic
def dayplan_send(*, actor: User, plan: DayPlan) -> DayPlan:
    """Send the plan to the North: a signed `list` entry in the South's log naming its lines.
    Refused for a plan with no line, one already sent and unchanged, or where this node does
    not write the South's log."""
    require(can_build_plans(actor))
    plan = plan_lock(plan)
    if not node.is_local("south"):
        raise liaison_log.node_not_writer("south")
    if not needs_sending(plan):
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "이미 보낸 계획이고, 그 뒤로 바뀐 것이 없습니다.",
            "The plan was already sent and has not changed since.",
            {"plan": plan.pk, "state": plan.state},
        )
    items = plan_items(plan)
    if not items:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "보낼 사람이나 차량이 없는 계획입니다.",
            "The plan names no one and no vehicle to send.",
            {"plan": plan.pk},
        )
    label = plan_label(plan)
    window = plan.slot
    body = {
        "list_kind": "other",
        "title": f"개성공업지구 출입계획 / Gaeseong crossing plan: {label}",
        "items": items,
        "source": {"app": "complex", "ref": f"dayplan/{plan.pk}"},
        "day": plan.day.isoformat(),
        "direction": plan.direction,
        "slot": f"{window.opens_at:%H:%M}-{window.closes_at:%H:%M}" if window else None,
    }
    entry = entry_send(side="south", kind=Kind.LIST, body=body, author=actor)
    resent = plan.sent_entry_id is not None
    plan.state = PlanState.SENT
    plan.sent_entry = entry
    plan.sent_at = timezone.now()
    plan.answer_entry = None
    plan.answered_at = None
    plan.answer_note = ""
    plan.save()
    audit.record(
        actor=actor,
        action="complex.dayplan.send",
        obj=plan,
        changes={"entry": f"south/{entry.index}", "lines": len(items), "again": resent},
    )
    return plan


def _record_answer(plan: DayPlan, entry: Entry, consent: bool, note: str) -> None:
    plan.state = PlanState.CONSENTED if consent else PlanState.REFUSED
    plan.answer_entry = entry
    plan.answered_at = timezone.now()
    plan.answer_note = note
    plan.save()
    if consent:
        # The consent covers the lines its list named; a line changed after it was sent waits.
        listed = _listed(plan)
        for line in plan.lines.filter(state=LineState.CHANGED):
            if (line.subject, line.key) in listed:
                line.state = LineState.PLANNED
                line.save(update_fields=["state"])


def _check_answerable(plan: DayPlan) -> Entry:
    if plan.state != PlanState.SENT or plan.sent_entry is None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "답을 기다리는 계획이 아닙니다.",
            "The plan is not waiting for an answer.",
            {"plan": plan.pk, "state": plan.state},
        )
    return plan.sent_entry


@transaction.atomic
def dayplan_answer(*, actor: User, plan: DayPlan, consent: bool, note: str = "") -> DayPlan:
    """The bureau's answer to a plan sent to it: a signed `reply` in the North's log answering
    the plan's list, where this node writes the North's log. A refusal says why."""
    require(can_answer_plans(actor))
    plan = plan_lock(plan)
    sent = _check_answerable(plan)
    note = note.strip()
    if not consent and not note:
        raise plan_invalid(
            "note", "동의하지 않는 이유를 적어 주십시오.", "Say why the plan is refused."
        )
    if len(note) > MAX_NOTE:
        raise plan_invalid(
            "note", f"메모는 {MAX_NOTE}자까지입니다.", f"The note is at most {MAX_NOTE} characters."
        )
    if not node.is_local("north"):
        raise liaison_log.node_not_writer("north")
    body = {
        "text": note or ("동의합니다." if consent else ""),
        "consent": consent,
        "source": {"app": "complex", "ref": f"dayplan/{plan.pk}"},
    }
    entry = entry_send(side="north", kind=Kind.REPLY, body=body, in_reply_to=sent, author=actor)
    _record_answer(plan, entry, consent, note)
    audit.record(
        actor=actor,
        action="complex.dayplan.answer",
        obj=plan,
        changes={
            "consent": consent,
            "entry": f"north/{entry.index}",
            **({"note": note} if note else {}),
        },
    )
    return plan


@transaction.atomic
def dayplan_answer_receive(*, entry: Entry) -> DayPlan | None:
    """Record the North's answer that came from its own node: a `reply` of the North answering
    a plan's current list, with `consent` true or false in its body. None for an entry that
    answers no plan waiting for one (another message, or a list sent again since)."""
    if entry.kind != Kind.REPLY or entry.from_side != "north" or entry.in_reply_to_id is None:
        return None
    plan = (
        DayPlan.objects.select_for_update(of=("self",))
        .filter(sent_entry_id=entry.in_reply_to_id)
        .first()
    )
    if plan is None or plan.state != PlanState.SENT:
        return None
    consent = entry.body.get("consent") if isinstance(entry.body, dict) else None
    if not isinstance(consent, bool):
        raise plan_invalid(
            "consent",
            "북측 답에 동의 여부(consent)가 없습니다.",
            "The North's reply does not say whether it consents (consent).",
            entry=entry.pk,
        )
    note = str(entry.body.get("text", "")).strip()[:MAX_NOTE]
    _record_answer(plan, entry, consent, note)
    audit.record(
        actor=None,
        action="complex.dayplan.answer_received",
        obj=plan,
        changes={"consent": consent, "entry": f"north/{entry.index}"},
    )
    return plan


def dayplan_answers_collect(plans: Iterable[DayPlan] | None = None) -> int:
    """Record every reply received from the North that answers a plan waiting for one (the
    liaison runner calls it after each round: `ComplexConfig.after_liaison_round`). A reply
    that cannot be read as a consent or a refusal is logged and the plan keeps waiting.
    Returns the plans answered."""
    waiting = plans if plans is not None else DayPlan.objects.filter(state=PlanState.SENT)
    done = 0
    for plan in waiting:
        reply = (
            Entry.objects.filter(
                in_reply_to_id=plan.sent_entry_id, kind=Kind.REPLY, from_side="north"
            )
            .order_by("index")
            .first()
        )
        if reply is None:
            continue
        try:
            answered = dayplan_answer_receive(entry=reply)
        except DomainError as err:  # a reply that says neither yes nor no: the plan waits
            logger.warning(
                "crossing plan %s: the North's reply %s refused: %s", plan.pk, reply.index, err
            )
            continue
        if answered is not None:
            done += 1
    return done
