"""What each persona's home page shows: the work in front of them, from the data we hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from panmun.accounts.access import (
    agreements_for_user,
    audit_entries_for_user,
    can_change_agreement_status,
    can_edit_dialogue,
    can_run_jobs,
    can_view_audit,
    jobs_for_user,
)
from panmun.accounts.models import OrganisationKind, User
from panmun.dialogue.models import Topic
from panmun.dialogue.selectors import TimelineFilters, timeline
from panmun.jobs.models import JobState

# The part of the record each kind of organisation works on.
TOPIC_OF_ORGANISATION: dict[str, Topic] = {
    OrganisationKind.RED_CROSS: Topic.FAMILIES,
    OrganisationKind.LIAISON_OFFICE: Topic.LIAISON,
    OrganisationKind.COMPLEX_MANAGEMENT: Topic.COMPLEX,
    OrganisationKind.FIRM: Topic.COMPLEX,
    OrganisationKind.AID_ORGANISATION: Topic.AID,
}


@dataclass
class HomePanel:
    key: str
    title: Any
    items: list[Any] = field(default_factory=list)
    actions: list[tuple[Any, str]] = field(default_factory=list)
    empty: Any = ""


def home_panels(user: User) -> list[HomePanel]:
    from django.urls import reverse

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
    jobs = jobs_for_user(user)
    unfinished = list(jobs.filter(state__in=[JobState.QUEUED, JobState.RUNNING])[:5])
    failed = list(jobs.filter(state=JobState.FAILED)[:5])
    if can_run_jobs(user) or unfinished or failed:
        panels.append(
            HomePanel(
                "jobs",
                _("Jobs running or failed"),
                items=unfinished + failed,
                actions=[(_("All jobs"), reverse("jobs:list"))],
                empty=_("No job is running and none has failed."),
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
