"""The complex's lines of the home page's work queue (`common.work`): the stay deadlines the daily
reminders job (`complex.stay_reminders`) listed and that are not yet met, for those who keep
stays (the committee: all; a firm's officers: their own people's), overdue ones apart."""

from __future__ import annotations

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _

from panmun.accounts.models import User
from panmun.common.work import DUE, Task

from .access import can_file_stays, stays_for_user
from .models import StayReminder


def work_queue(user: User) -> list[Task]:
    if not getattr(user, "is_authenticated", False) or not can_file_stays(user):
        return []
    open_reminders = StayReminder.objects.filter(
        done_at__isnull=True, stay__in=stays_for_user(user), stay__departed_at__isnull=True
    )
    tasks: list[Task] = []
    url = reverse("complex:stays")
    for overdue, key, label in (
        (True, "complex-stays-overdue", _("Stays past a deadline (flagged at the gate)")),
        (False, "complex-stays-due", _("Stay deadlines coming (registration, extension)")),
    ):
        summary = (
            open_reminders.filter(overdue=overdue)
            .order_by()
            .aggregate(n=Count("stay", distinct=True), first=Min("due_on"))
        )
        if summary["n"]:
            tasks.append(Task(key, str(label), summary["n"], url, summary["first"], DUE))
    return tasks
