"""Who may start jobs and see them. Built on the primitives of `accounts.access`; a job kind's
own predicate (`registry.JobKind.allowed`) comes from the access module of its app."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from panmun.accounts.access import get_or_404, require_authenticated, supervises_programmes
from panmun.accounts.models import Role, User

from .models import Job


def can_view_all_jobs(user: User) -> bool:
    return supervises_programmes(user)


def can_run_jobs(user: User) -> bool:
    return user.has_role(Role.OFFICER)


def jobs_for_user(user: User) -> QuerySet[Job]:
    """A user sees the jobs they started; supervisors see everyone's."""
    require_authenticated(user)
    qs = Job.objects.select_related("created_by")
    return qs if can_view_all_jobs(user) else qs.filter(created_by=user)


def get_job_for_user(user: User, pk: Any) -> Job:
    return get_or_404(jobs_for_user(user), pk, "작업", "Job")
