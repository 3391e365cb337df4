"""The task worker's way into the ministry's daily sweep: approvals in force whose period has
passed move to expired (`services.review.approvals_expire`). Queued once a day by whatever
schedules the worker's daily work (or run by hand: `expire_approvals.call()`)."""

from django.utils import timezone
from django_tasks import task

from .services.review import approvals_expire


@task()
def expire_approvals() -> int:
    """How many approvals expired today."""
    return len(approvals_expire(today=timezone.localdate()))
