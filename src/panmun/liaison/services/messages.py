"""What officers send: notices (통지문), letters (서한), proposals and their answers, lists,
agreement texts and meeting records. Each is one signed entry in the sender's side's log.

- Answers (`reply`, `acceptance`, `counter_proposal`) answer an entry of the other side.
- A proposal is answered once, by an acceptance or a counter-proposal; a counter-proposal is a
  proposal in its turn, so arrangements run proposal → counter → … → acceptance.
- A meeting record may create a dialogue record (talks) or change an agreement's status; the
  entry names what it created or changed, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode
from panmun.dialogue.access import get_agreement_for_user
from panmun.dialogue.models import Topic
from panmun.dialogue.services import agreement_change_status, talks_create
from panmun.liaison.access import can_write_liaison

from .. import node
from ..ledger import entries
from ..models import Entry, Kind
from . import log as logs
from . import sending

#: Kinds an officer writes with `message_send`; calls and key rotations have their own services.
SENDABLE = (
    Kind.NOTICE,
    Kind.LETTER,
    Kind.PROPOSAL,
    Kind.ACCEPTANCE,
    Kind.COUNTER_PROPOSAL,
    Kind.REPLY,
    Kind.LIST,
    Kind.AGREEMENT_TEXT,
)
ANSWERS = (Kind.REPLY, Kind.ACCEPTANCE, Kind.COUNTER_PROPOSAL)
PROPOSALS = (Kind.PROPOSAL, Kind.COUNTER_PROPOSAL)


def _refuse(ko: str, en: str, code: ErrorCode = ErrorCode.INVALID_INPUT, **details: Any) -> None:
    raise DomainError(code, ko, en, details or None)


def signs_here(user: User) -> bool:
    """The user signs for a side whose log this node writes."""
    return can_write_liaison(user) and node.is_local(user.side_code or "")


def answer_kinds(actor: User, entry: Entry) -> tuple[str, ...]:
    """The answers `actor` may send to `entry`: those `message_validate` lets through."""
    allowed = []
    for kind in (Kind.ACCEPTANCE, Kind.COUNTER_PROPOSAL, Kind.REPLY):
        try:
            message_validate(actor, kind, entry)
        except DomainError:
            continue
        allowed.append(kind)
    return tuple(allowed)


def message_validate(actor: User, kind: str, in_reply_to: Entry | None) -> str:
    """The side the actor writes for, once the kind and what it answers are allowed."""
    require_authenticated(actor)
    require(can_write_liaison(actor))
    side = actor.side_code or ""
    if not node.is_local(side):
        raise logs.node_not_writer(side)
    if kind not in SENDABLE:
        _refuse(
            f"이 화면에서 보낼 수 없는 종류입니다: {kind}",
            f"That kind cannot be sent here: {kind}",
            field="kind",
            allowed=list(SENDABLE),
        )
    if kind in ANSWERS and in_reply_to is None:
        _refuse(
            "어느 통지에 대한 답인지 지정해야 합니다.",
            "Say which entry this answers.",
            field="in_reply_to",
        )
    if in_reply_to is not None:
        if in_reply_to.kind in (Kind.CONTACT_CALL, Kind.KEY_ROTATION):
            _refuse(
                "통화나 키 교체 기록에는 답할 수 없습니다.",
                "A call or key rotation entry cannot be answered here.",
                field="in_reply_to",
            )
        if kind in ANSWERS and in_reply_to.from_side == side:
            _refuse(
                "상대측이 보낸 기록에만 답할 수 있습니다.",
                "Only an entry from the other side can be answered.",
                field="in_reply_to",
            )
    if kind in (Kind.ACCEPTANCE, Kind.COUNTER_PROPOSAL):
        assert in_reply_to is not None
        if in_reply_to.kind not in PROPOSALS:
            _refuse(
                "수락이나 수정 제의는 제의에 대해서만 할 수 있습니다.",
                "Only a proposal can be accepted or countered.",
                field="in_reply_to",
            )
        if in_reply_to.replies.filter(kind__in=(Kind.ACCEPTANCE, Kind.COUNTER_PROPOSAL)).exists():
            _refuse(
                "이미 수락되었거나 수정 제의가 나온 제의입니다.",
                "That proposal has already been accepted or countered.",
                ErrorCode.INVALID_TRANSITION,
                field="in_reply_to",
            )
    return side


@transaction.atomic
def message_send(
    *, actor: User, kind: str, body: Mapping[str, Any], in_reply_to: Entry | None = None
) -> Entry:
    """Sign and send one message from the actor's side."""
    side = message_validate(actor, kind, in_reply_to)
    return sending.entry_send(
        side=side, kind=kind, body=body, in_reply_to=in_reply_to, author=actor
    )


def list_post(
    *,
    actor: User,
    list_kind: str,
    title: str,
    items: Sequence[Mapping[str, Any]],
    source: Mapping[str, str] | None = None,
) -> Entry:
    """A list sent to the other side (delegation, tracing, video letter manifest): how the
    other apps post through the liaison record."""
    body: dict[str, Any] = {
        "list_kind": list_kind,
        "title": title,
        "items": [dict(i) for i in items],
    }
    body["source"] = dict(source) if source else None
    return message_send(actor=actor, kind=Kind.LIST, body=body)


def manifest_post(
    *,
    actor: User,
    list_kind: str,
    title: str,
    items: Sequence[Mapping[str, Any]],
    source: Mapping[str, str],
) -> Entry | None:
    """What another app has just sent the other side (a tracing round's request list, a
    video letter manifest), recorded as a list in the sending side's log — so the liaison
    record holds it, signed, and the other side's receipt covers it. The app has already
    checked that `actor` may send it; nothing is written where this node does not write that
    side's log."""
    side = actor.side_code or ""
    if not node.is_local(side):
        return None
    body = {
        "list_kind": list_kind,
        "title": title,
        "items": [dict(i) for i in items],
        "source": dict(source),
    }
    return sending.entry_send(side=side, kind=Kind.LIST, body=body, author=actor)


OUTCOME_ACTIONS = ("", "talks", "agreement_status")


@transaction.atomic
def meeting_record_send(
    *,
    actor: User,
    title: str,
    held_at: dt.datetime,
    place: str,
    attendees_south: Sequence[str],
    attendees_north: Sequence[str],
    minutes: str,
    outcomes: Sequence[Mapping[str, Any]],
    in_reply_to: Entry | None = None,
) -> Entry:
    """The record of a meeting (minutes and outcomes). An outcome may carry `action`:
    "talks" records the meeting as talks in the dialogue record; "agreement_status" changes the
    status of agreement `agreement` to `status`. Each outcome's entry names what it touched."""
    require_authenticated(actor)
    require(can_write_liaison(actor))
    side = actor.side_code or ""
    if not node.is_local(side):
        raise logs.node_not_writer(side)
    written = []
    for i, outcome in enumerate(outcomes):
        action = str(outcome.get("action", "") or "")
        text = str(outcome.get("text", "")).strip()
        record = None
        if action not in OUTCOME_ACTIONS:
            _refuse(
                f"알 수 없는 결과 처리입니다: {action}",
                f"Unknown outcome action: {action}",
                field=f"outcomes[{i}].action",
            )
        if action == "talks":
            talks = talks_create(
                actor=actor,
                data={
                    "title_ko": title,
                    "title_en": str(outcome.get("title_en") or title),
                    "level": "liaison",
                    "topic": str(outcome.get("topic") or Topic.LIAISON),
                    "start_date": held_at.date().isoformat(),
                    "place_ko": place,
                    "outcome_ko": text,
                    "source": "panmun liaison meeting record",
                },
                source=f"outcomes[{i}]",
            )
            record = {"kind": "talks", "ref": talks.key}
        elif action == "agreement_status":
            agreement = get_agreement_for_user(actor, outcome.get("agreement"))
            agreement_change_status(
                actor=actor,
                agreement=agreement,
                status=str(outcome.get("status", "")),
                effective_on=held_at.date(),
                note_ko=text,
                source="panmun liaison meeting record",
            )
            record = {"kind": "agreement", "ref": agreement.key or str(agreement.pk)}
        written.append({"text": text, "record": record})
    body = {
        "title": title,
        "held_at": entries.format_time(held_at),
        "place": place,
        "attendees": {"south": list(attendees_south), "north": list(attendees_north)},
        "minutes": minutes,
        "outcomes": written,
    }
    return sending.entry_send(
        side=side, kind=Kind.MEETING_RECORD, body=body, in_reply_to=in_reply_to, author=actor
    )
