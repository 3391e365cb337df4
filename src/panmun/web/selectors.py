"""What each persona's home page shows: first the work waiting for them (a queue of tasks, each
with a count, a date and a link), then the panels of their programme.

Every read goes through the apps' access helpers (`<app>.access`, or a helper built on one), and
a task is only offered to a user who may open its link and do the work there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from panmun.accounts import signoffs
from panmun.accounts.access import audit_entries_for_user, can_view_audit
from panmun.accounts.models import OrganisationKind, SignOffState, User
from panmun.common.apps import app_work_queues
from panmun.common.work import SINCE, Task, local_date, waiting
from panmun.dialogue.access import (
    agreements_for_user,
    can_change_agreement_status,
    can_edit_dialogue,
)
from panmun.dialogue.models import Topic
from panmun.dialogue.selectors import TimelineFilters, timeline
from panmun.jobs.access import can_run_jobs, jobs_for_user
from panmun.jobs.models import JobState

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
    for work in app_work_queues():  # the apps' own (panmun.common.apps)
        tasks += work(user)
    tasks += _job_tasks(user)
    return tasks


def _approval_tasks(user: User) -> list[Task]:

    tasks = waiting(
        "signoffs-waiting",
        _("Approvals (결재) waiting for your decision"),
        signoffs.signoffs_waiting_for(user),
        "requested_at",
        reverse("web:signoffs"),
    )
    mine = signoffs.signoffs_asked_by(user)
    for approved in mine.filter(state=SignOffState.APPROVED).order_by("decided_at")[:5]:
        tasks.append(
            Task(
                "signoff-approved",
                str(_("Approved: carry out the step")),
                1,
                approved.link or reverse("web:signoffs"),
                local_date(approved.decided_at),
                SINCE,
                approved.object_label,
            )
        )
    refused = mine.filter(
        state=SignOffState.REFUSED, decided_at__gte=timezone.now() - RECENT
    ).aggregate(n=Count("pk"), last=Max("decided_at"))
    if refused["n"]:
        tasks.append(
            Task(
                "signoffs-refused",
                str(_("Your approval requests that were refused")),
                refused["n"],
                reverse("web:signoffs"),
                local_date(refused["last"]),
                SINCE,
            )
        )
    return tasks


def _job_tasks(user: User) -> list[Task]:
    failed = jobs_for_user(user).filter(
        created_by=user, state=JobState.FAILED, created_at__gte=timezone.now() - RECENT
    )
    summary = failed.aggregate(n=Count("pk"), last=Max("finished_at"))
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
            local_date(summary["last"]),
            SINCE,
        )
    ]


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
