"""The registry's lines of the home page's work queue (`common.work`): request lists to send,
replies due and to review, answers to apply; for the other side, requests to answer; possible
duplicates. Named on `FamiliesConfig.work_queue`."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from panmun.accounts.models import User
from panmun.common.work import DUE, SINCE, Task, waiting

from ..access import (
    can_edit_registry,
    can_enter_replies,
    duplicates_for_user,
    is_tracing_counterpart,
    tracing_rounds_for_user,
)
from ..models import LINKED, DuplicateState, LinkState, RoundStatus, TracingRound


def work_queue(user: User) -> list[Task]:
    """The registry's work waiting for `user`."""
    if can_edit_registry(user):
        return _tracing_tasks_south(user) + _duplicate_tasks(user)
    if is_tracing_counterpart(user) and can_enter_replies(user):
        return _tracing_tasks_north(user)
    return []


def _tracing_tasks_south(user: User) -> list[Task]:

    tasks = []
    rounds = tracing_rounds_for_user(user).filter(
        status__in=[RoundStatus.DRAFT, RoundStatus.SENT, RoundStatus.REPLIED]
    )
    for r in rounds.order_by("reply_due", "created_at"):
        url = reverse("families:round", args=[r.pk])
        if r.status == RoundStatus.DRAFT:
            tasks.append(
                Task(
                    "tracing-send",
                    str(_("Request list to check and send to the other side")),
                    r.requests.count(),
                    url,
                    detail=r.name,
                )
            )
        elif r.status == RoundStatus.SENT:
            tasks.append(
                Task(
                    "tracing-replies-due",
                    str(_("Tracing replies due from the other side (requests unanswered)")),
                    _unanswered(r),
                    url,
                    r.reply_due or r.sent_on,
                    DUE if r.reply_due else SINCE,
                    r.name,
                )
            )
        else:
            review = r.replies.filter(link_state=LinkState.REVIEW).count()
            tasks.append(
                Task(
                    "tracing-review",
                    str(_("Reply links to review"))
                    if review
                    else str(_("Replies reviewed: apply the answers to the registry")),
                    review or r.replies.count(),
                    url,
                    r.replied_on,
                    SINCE,
                    r.name,
                )
            )
    return tasks


def _unanswered(tracing_round: TracingRound) -> int:
    """Requests of a round that no linked reply answers yet."""

    sent = tracing_round.requests.count()
    answered = (
        tracing_round.replies.filter(link_state__in=LINKED, request__isnull=False)
        .values("request")
        .distinct()
        .count()
    )
    return max(sent - answered, 0)


def _tracing_tasks_north(user: User) -> list[Task]:
    """The other side's Red Cross: the request lists sent to it, still to answer."""

    tasks = []
    for r in tracing_rounds_for_user(user).filter(status=RoundStatus.SENT).order_by("reply_due"):
        tasks.append(
            Task(
                "tracing-answer",
                str(_("Tracing requests to answer")),
                _unanswered(r),
                reverse("families:round", args=[r.pk]),
                r.reply_due or r.sent_on,
                DUE if r.reply_due else SINCE,
                r.name,
            )
        )
    return tasks


def _duplicate_tasks(user: User) -> list[Task]:
    return waiting(
        "duplicates-open",
        _("Possible duplicates waiting for review"),
        duplicates_for_user(user).filter(state=DuplicateState.OPEN),
        "found_at",
        reverse("families:duplicates"),
    )
