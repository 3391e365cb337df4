"""The daily contact calls (개시 통화 09:00, 마감 통화 17:00, weekdays, Korea time).

The calling side places each call as an entry in its own log; the other side answers with an
entry in its log that points at the call; if no answer has come when the wait is over, the
caller's log records the call as unanswered, pointing at the call too. So the caller's log
proves the call was placed and when, and — the other side's log holding no answer to it — that
it went unanswered.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode
from panmun.liaison.access import can_write_liaison

from .. import node
from ..ledger import entries
from ..models import CallName, CallState, ContactCall, Kind
from . import sending

KST = ZoneInfo("Asia/Seoul")
CALL_TIMES = {CallName.OPENING: dt.time(9, 0), CallName.CLOSING: dt.time(17, 0)}


def scheduled(day: dt.date, call: str) -> dt.datetime:
    """When a call is due on a day, in Korea time."""
    return dt.datetime.combine(day, CALL_TIMES[CallName(call)], tzinfo=KST)


def due_calls(now: dt.datetime) -> list[tuple[str, dt.datetime]]:
    """Today's calls (Korea time) whose time has come: weekdays only."""
    today = now.astimezone(KST).date()
    if today.weekday() >= 5:
        return []
    return [(c, scheduled(today, c)) for c in CallName.values if scheduled(today, c) <= now]


def wait() -> dt.timedelta:
    return dt.timedelta(minutes=settings.PANMUN_LIAISON_CALL_WAIT_MINUTES)


@transaction.atomic
def call_place(
    *, side: str, call: str, scheduled_at: dt.datetime, at: dt.datetime | None = None
) -> ContactCall:
    """Place a call from a local side: its entry in the caller's log."""
    if ContactCall.objects.filter(calling_side=side, scheduled_at=scheduled_at).exists():
        raise DomainError(
            ErrorCode.CONFLICT,
            "그 시각의 통화는 이미 걸었습니다.",
            "That call has already been placed.",
            {"scheduled_at": scheduled_at.isoformat()},
        )
    body = {"call": call, "scheduled_at": entries.format_time(scheduled_at), "state": "placed"}
    entry = sending.entry_send(side=side, kind=Kind.CONTACT_CALL, body=body, at=at)
    return ContactCall.objects.get(placed=entry)


@transaction.atomic
def call_answer(*, actor: User, call: ContactCall, at: dt.datetime | None = None) -> ContactCall:
    """The called side answers: a signed entry in its log pointing at the call."""
    require_authenticated(actor)
    require(can_write_liaison(actor))
    call = ContactCall.objects.select_for_update().get(pk=call.pk)
    side = actor.side_code or ""
    if side == call.calling_side:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "자기 측이 건 통화에는 응답할 수 없습니다.",
            "A side cannot answer its own call.",
            {"field": "call"},
        )
    if call.state != CallState.PLACED:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "이미 응답했거나 무응답으로 기록된 통화입니다.",
            "The call has already been answered or recorded as unanswered.",
            {"state": call.state},
        )
    body = {**call.placed.body, "state": "answered"}
    sending.entry_send(
        side=side, kind=Kind.CONTACT_CALL, body=body, in_reply_to=call.placed, author=actor, at=at
    )
    call.refresh_from_db()
    return call


@transaction.atomic
def call_close_unanswered(*, call: ContactCall, now: dt.datetime) -> ContactCall:
    """Record a call of a local side as unanswered once the wait is over."""
    call = ContactCall.objects.select_for_update().get(pk=call.pk)
    if call.state != CallState.PLACED or now < call.placed.sent_at + wait():
        return call
    waited = int((now - call.placed.sent_at).total_seconds())
    body = {**call.placed.body, "state": "unanswered", "waited_seconds": waited}
    sending.entry_send(
        side=call.calling_side,
        kind=Kind.CONTACT_CALL,
        body=body,
        in_reply_to=call.placed,
        at=now,
    )
    call.refresh_from_db()
    return call


def calls_tick(now: dt.datetime | None = None) -> dict[str, int]:
    """Place the calls due today and close those left unanswered (the `run` loop, each
    minute). Only for the calling side, and only where this node writes its log."""
    now = now or timezone.now()
    side = settings.PANMUN_LIAISON_CALLING_SIDE
    placed = closed = 0
    if node.is_local(side):
        for call, at in due_calls(now):
            if not ContactCall.objects.filter(calling_side=side, scheduled_at=at).exists():
                call_place(side=side, call=call, scheduled_at=at, at=now)
                placed += 1
    for waiting in ContactCall.objects.filter(
        state=CallState.PLACED, calling_side__in=node.local_sides()
    ):
        if call_close_unanswered(call=waiting, now=now).state == CallState.UNANSWERED:
            closed += 1
    return {"placed": placed, "closed": closed}
