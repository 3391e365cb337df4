"""What each persona's home page shows: first the work waiting for them (a queue of tasks, each
with a count, a date and a link), then the panels of their programme.

Every read goes through the apps' access helpers (`<app>.access`, or a helper built on one), and
a task is only offered to a user who may open its link and do the work there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from panmun.accounts import signoffs
from panmun.accounts.access import audit_entries_for_user, can_view_audit
from panmun.accounts.models import OrganisationKind, SignOffState, User
from panmun.common.apps import served_kinds
from panmun.dialogue.access import (
    agreements_for_user,
    can_change_agreement_status,
    can_edit_dialogue,
)
from panmun.dialogue.models import Topic
from panmun.dialogue.selectors import TimelineFilters, timeline
from panmun.families.access import (
    can_edit_registry,
    can_enter_replies,
    can_read_registry,
    duplicates_for_user,
    is_tracing_counterpart,
    tracing_rounds_for_user,
)
from panmun.families.models import LINKED, DuplicateState, LinkState, RoundStatus
from panmun.jobs.access import can_run_jobs, jobs_for_user
from panmun.jobs.models import JobState
from panmun.liaison.access import (
    can_write_liaison,
    contact_calls_for_user,
    liaison_entries_for_user,
)
from panmun.liaison.models import CallState, Entry, Kind
from panmun.liaison.services.messages import signs_here
from panmun.reunion.access import can_run_selection, reunion_rounds_for_user, video_letters_for_user
from panmun.reunion.models import (
    Health,
    LetterDirection,
    LetterStatus,
    RoundKind,
    Stage,
    Willingness,
)

if TYPE_CHECKING:
    from panmun.families.models import TracingRound

# The part of the record each kind of organisation works on.
TOPIC_OF_ORGANISATION: dict[str, Topic] = {
    OrganisationKind.RED_CROSS: Topic.FAMILIES,
    OrganisationKind.LIAISON_OFFICE: Topic.LIAISON,
    OrganisationKind.COMPLEX_MANAGEMENT: Topic.COMPLEX,
    OrganisationKind.FIRM: Topic.COMPLEX,
    OrganisationKind.AID_ORGANISATION: Topic.AID,
}

#: How far back a failed job or a refused approval request is still news.
RECENT = dt.timedelta(days=30)


@dataclass
class Task:
    """One line of the work queue: what to do, how many, by when, and where."""

    key: str  # the kind of work, stable for tests and styles: "tracing-replies-due"
    label: str
    count: int
    url: str
    date: dt.date | None = None
    date_means: str = ""  # DUE: due by then; SINCE: waiting since then; STARTS: the reunion
    detail: str = ""  # which record: a round's name

    @property
    def overdue(self) -> bool:
        return self.date_means == DUE and self.date is not None and self.date < timezone.localdate()


DUE, SINCE, STARTS = "due", "since", "starts"


@dataclass
class HomePanel:
    key: str
    title: Any
    items: list[Any] = field(default_factory=list)
    actions: list[tuple[Any, str]] = field(default_factory=list)
    empty: Any = ""


# --- the work queue ------------------------------------------------------------------------------


def work_queue(user: User) -> list[Task]:
    """The work waiting for `user`, most pressing first: approvals, then each programme's."""
    tasks: list[Task] = []
    tasks += _approval_tasks(user)
    if can_edit_registry(user):
        tasks += _tracing_tasks_south(user)
        tasks += _duplicate_tasks(user)
        tasks += _letter_tasks(user)
    elif is_tracing_counterpart(user) and can_enter_replies(user):
        tasks += _tracing_tasks_north(user)
    if can_read_registry(user) or is_tracing_counterpart(user):
        tasks += _reunion_tasks(user)
    if can_write_liaison(user):
        tasks += _liaison_tasks(user)
    tasks += _job_tasks(user)
    return tasks


def _approval_tasks(user: User) -> list[Task]:

    tasks = []
    waiting = signoffs.signoffs_waiting_for(user)
    summary = waiting.aggregate(n=Count("pk"), oldest=_min("requested_at"))
    if summary["n"]:
        tasks.append(
            Task(
                "signoffs-waiting",
                str(_("Approvals (결재) waiting for your decision")),
                summary["n"],
                reverse("web:signoffs"),
                _local_date(summary["oldest"]),
                SINCE,
            )
        )
    mine = signoffs.signoffs_asked_by(user)
    for approved in mine.filter(state=SignOffState.APPROVED).order_by("decided_at")[:5]:
        tasks.append(
            Task(
                "signoff-approved",
                str(_("Approved: carry out the step")),
                1,
                approved.link or reverse("web:signoffs"),
                _local_date(approved.decided_at),
                SINCE,
                approved.object_label,
            )
        )
    refused = mine.filter(
        state=SignOffState.REFUSED, decided_at__gte=timezone.now() - RECENT
    ).aggregate(n=Count("pk"), last=_max("decided_at"))
    if refused["n"]:
        tasks.append(
            Task(
                "signoffs-refused",
                str(_("Your approval requests that were refused")),
                refused["n"],
                reverse("web:signoffs"),
                _local_date(refused["last"]),
                SINCE,
            )
        )
    return tasks


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

    found = (
        duplicates_for_user(user)
        .filter(state=DuplicateState.OPEN)
        .aggregate(n=Count("pk"), oldest=_min("found_at"))
    )
    if not found["n"]:
        return []
    return [
        Task(
            "duplicates-open",
            str(_("Possible duplicates waiting for review")),
            found["n"],
            reverse("families:duplicates"),
            _local_date(found["oldest"]),
            SINCE,
        )
    ]


def _letter_tasks(user: User) -> list[Task]:

    letters = video_letters_for_user(user).order_by()
    to_send = letters.filter(
        direction=LetterDirection.OUTGOING, status=LetterStatus.RECORDED
    ).aggregate(n=Count("pk"), oldest=_min("recorded_on"))
    to_deliver = (
        letters.filter(direction=LetterDirection.INCOMING)
        .exclude(status=LetterStatus.DELIVERED)
        .aggregate(n=Count("pk"), oldest=_min("recorded_on"))
    )
    tasks = []
    if to_send["n"]:
        tasks.append(
            Task(
                "letters-send",
                str(_("Video letters to send to the other side")),
                to_send["n"],
                reverse("reunion:letters") + "?status=recorded",
                to_send["oldest"],
                SINCE,
            )
        )
    if to_deliver["n"]:
        tasks.append(
            Task(
                "letters-deliver",
                str(_("Video letters from the other side to deliver to families")),
                to_deliver["n"],
                reverse("reunion:letters"),
                to_deliver["oldest"],
                SINCE,
            )
        )
    return tasks


def _reunion_tasks(user: User) -> list[Task]:
    """A round whose current stage waits for this user: the supervisor sets the criteria,
    freezes, draws and fixes the final list; officers check the drawn candidates, start the
    inquiry and prepare the event; the other side's Red Cross gives its relatives."""

    tasks = []
    supervisor = can_run_selection(user)
    editor = can_edit_registry(user)
    north = is_tracing_counterpart(user) and can_enter_replies(user)
    rounds = reunion_rounds_for_user(user).select_related("tracing_round")
    for r in rounds.order_by("starts_on"):
        url = reverse("reunion:round", args=[r.pk])
        task: tuple[str, Any, int] | None = None
        if r.stage == Stage.DRAFT and supervisor:
            task = ("reunion-freeze", _("Set the criteria and freeze the pool"), 1)
        elif r.stage == Stage.FROZEN and supervisor:
            task = ("reunion-draw", _("Run the draw"), 1)
        elif r.stage in (Stage.DRAWN, Stage.CHECKING) and editor:
            pending = (
                r.candidates.filter(drawn=True)
                .filter(Q(willingness=Willingness.PENDING) | Q(health=Health.PENDING))
                .count()
            )
            if pending:
                task = (
                    "reunion-checks",
                    _("Drawn candidates to check (willingness, health)"),
                    pending,
                )
            else:
                task = ("reunion-inquiry", _("Checks done: start the tracing inquiry"), 1)
        elif r.stage == Stage.TRACING:
            applied = r.tracing_round is not None and r.tracing_round.status == RoundStatus.APPLIED
            if applied and supervisor:
                task = ("reunion-final", _("Answers applied: fix the final list"), 1)
        elif r.stage == Stage.FINAL:
            if north:
                missing = r.participants.filter(north_relatives__isnull=True).count()
                if missing:
                    task = (
                        "reunion-north-list",
                        _("Families on the final list without their relatives in the North"),
                        missing,
                    )
            elif editor and r.starts_on >= timezone.localdate():
                if r.kind == RoundKind.IN_PERSON:
                    unplaced = r.participants.filter(table="").count()
                    if unplaced:
                        task = ("reunion-places", _("Families without a table and room"), unplaced)
                else:
                    unscheduled = r.participants.filter(video_day__isnull=True).count()
                    if unscheduled:
                        task = ("reunion-schedule", _("Families without a video slot"), unscheduled)
            elif editor:
                unrecorded = r.participants.filter(attended__isnull=True).count()
                if unrecorded:
                    task = ("reunion-attendance", _("Attendance to record"), unrecorded)
        if task is not None:
            key, label, count = task
            tasks.append(Task(key, str(label), count, url, r.starts_on, STARTS, r.name))
    return tasks


def _liaison_tasks(user: User) -> list[Task]:
    """The other side's messages this side has not answered, and its calls still ringing."""

    if not signs_here(user):
        return []
    side = user.side_code or ""
    answered = Entry.objects.filter(in_reply_to=OuterRef("pk"), from_side=side)
    waiting = (
        liaison_entries_for_user(user)
        .order_by()
        .filter(kind__in=[Kind.NOTICE, Kind.LETTER, Kind.PROPOSAL, Kind.COUNTER_PROPOSAL])
        .exclude(from_side=side)
        .filter(~Exists(answered))
        .aggregate(n=Count("pk"), oldest=_min("sent_at"))
    )
    tasks = []
    if waiting["n"]:
        other = "north" if side == "south" else "south"
        tasks.append(
            Task(
                "liaison-answer",
                str(_("Notices and proposals of the other side not yet answered")),
                waiting["n"],
                reverse("liaison:threads") + f"?side={other}",
                _local_date(waiting["oldest"]),
                SINCE,
            )
        )
    calls = (
        contact_calls_for_user(user)
        .order_by()
        .filter(state=CallState.PLACED)
        .exclude(calling_side=side)
        .aggregate(n=Count("pk"), oldest=_min("scheduled_at"))
    )
    if calls["n"]:
        oldest = _local_date(calls["oldest"])
        month = f"?month={oldest:%Y-%m}" if oldest else ""
        tasks.append(
            Task(
                "liaison-calls",
                str(_("Contact calls waiting for your side's answer")),
                calls["n"],
                reverse("liaison:calls") + month,
                oldest,
                SINCE,
            )
        )
    return tasks


def _job_tasks(user: User) -> list[Task]:
    failed = jobs_for_user(user).filter(
        created_by=user, state=JobState.FAILED, created_at__gte=timezone.now() - RECENT
    )
    summary = failed.aggregate(n=Count("pk"), last=_max("finished_at"))
    if not summary["n"]:
        return []
    latest = failed.order_by("-created_at").first()
    url = (
        reverse("jobs:detail", args=[latest.pk])
        if summary["n"] == 1 and latest
        else reverse("jobs:list")
    )
    return [
        Task(
            "jobs-failed",
            ngettext(
                "Your job that failed (an import or export): see why",
                "Your jobs that failed (imports or exports): see why",
                summary["n"],
            ),
            summary["n"],
            url,
            _local_date(summary["last"]),
            SINCE,
        )
    ]


def _min(name: str) -> Any:

    return Min(name)


def _max(name: str) -> Any:

    return Max(name)


def _local_date(value: dt.datetime | dt.date | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value


# --- programmes still being built ------------------------------------------------------------


@dataclass
class Programme:
    """A programme of the user's organisation that Panmun does not run yet, and what the user
    can use today."""

    key: str
    title: Any
    coming: list[Any]
    today: list[tuple[Any, str]]


def programme_being_built(user: User) -> Programme | None:
    """For firms and the complex's management, and for aid organisations: say plainly what is
    being built for them and what they can use now (every link opens for them)."""
    kind = user.organisation.kind if user.organisation else None
    if kind is None or kind in served_kinds():  # an installed app runs it (common.apps)
        return None
    if kind in (OrganisationKind.FIRM, OrganisationKind.COMPLEX_MANAGEMENT):
        key, topic = "complex", Topic.COMPLEX
        title = _("The Gaeseong Industrial Complex in Panmun is being built")
        coming = [
            _("Firms of the complex and their leases of land and buildings"),
            _("Workers, their contracts and their wages"),
            _("Crossings of the border: who goes in and out, and when"),
            _("Customs declarations and permits to stay"),
        ]
    elif kind == OrganisationKind.AID_ORGANISATION:
        key, topic = "aid", Topic.AID
        title = _("Humanitarian aid in Panmun is being built")
        coming = [
            _("The aid ledger: activities, money, goods and loans"),
            _("Shipments: what was sent, when, and where it arrived"),
            _("Publishing the activities in the IATI standard"),
        ]
    else:
        return None
    today: list[tuple[Any, str]] = [
        (
            _("The timeline of your programme in the record of dialogue"),
            reverse("dialogue:timeline") + f"?topic={topic.value}",
        ),
    ]
    if can_run_jobs(user):
        today.append((_("Jobs: export the record of dialogue"), reverse("jobs:list")))
    today += [
        (_("API tokens, for your own programs"), reverse("web:tokens")),
        (_("Change your password"), reverse("web:password")),
    ]
    return Programme(key, title, coming, today)


# --- the panels ------------------------------------------------------------------------------


def home_panels(user: User) -> list[HomePanel]:
    panels: list[HomePanel] = []
    if can_edit_dialogue(user):
        panels.append(
            HomePanel(
                "record",
                _("Keep the record of dialogue"),
                actions=[
                    (_("Record talks"), reverse("dialogue:talks-new")),
                    (_("Record an agreement"), reverse("dialogue:agreement-new")),
                    (_("Export the record (job)"), reverse("jobs:list")),
                ],
                empty=_("Record new talks and agreements as they happen."),
            )
        )
    if can_change_agreement_status(user):
        panels.append(
            HomePanel(
                "agreements",
                _("Agreements to keep current"),
                items=list(agreements_for_user(user).order_by("status", "signed_on")[:10]),
                empty=_("No agreements recorded."),
            )
        )
    if can_view_audit(user):
        panels.append(
            HomePanel(
                "audit",
                _("Latest changes (audit log)"),
                items=list(audit_entries_for_user(user)[:8]),
                actions=[(_("Open the audit log"), reverse("web:audit"))],
                empty=_("No changes yet."),
            )
        )
    running = list(jobs_for_user(user).filter(state__in=[JobState.QUEUED, JobState.RUNNING])[:5])
    if can_run_jobs(user) or running:
        panels.append(
            HomePanel(
                "jobs",
                _("Jobs running"),
                items=running,
                actions=[(_("All jobs"), reverse("jobs:list"))],
                empty=_("No job is running."),
            )
        )
    kind = user.organisation.kind if user.organisation else None
    topic = TOPIC_OF_ORGANISATION.get(kind) if kind else None
    filters = TimelineFilters(topic=topic.value if topic else "")
    items = [i for i in timeline(user, filters) if i.date is not None]
    items.reverse()  # newest first
    title = (
        _("Your programme in the record: %(topic)s") % {"topic": topic.label}
        if topic
        else _("Latest in the record of dialogue")
    )
    panels.append(
        HomePanel(
            "programme",
            title,
            items=items[:8],
            actions=[
                (
                    _("Open the timeline"),
                    reverse("dialogue:timeline") + (f"?topic={topic.value}" if topic else ""),
                )
            ],
            empty=_("Nothing recorded yet."),
        )
    )
    return panels
