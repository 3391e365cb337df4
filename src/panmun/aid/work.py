"""The aid ledger's lines of the home page's work queue (`common.work`): for the North's
recipient organisation, the shipments sent to it that wait for its acknowledgement; for those
who keep shipments (the ministry's officers, an aid organisation), the shipments whose goods
approval is in force and that wait to be sent, and those sent and not yet received; for the
ministry, the loan instalments fallen due and unpaid."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from panmun.accounts.models import User
from panmun.common.work import DUE, Task, waiting
from panmun.permits.models import IN_FORCE

from .access import (
    activities_editable,
    can_read_loans,
    is_north_recipient,
    shipments_for_user,
)
from .models import LoanInstalment, Shipment, ShipmentState


def work_queue(user: User) -> list[Task]:
    if not getattr(user, "is_authenticated", False):
        return []
    if is_north_recipient(user):
        sent = shipments_for_user(user).filter(state=ShipmentState.SENT)
        return waiting(
            "aid-receipts",
            _("Aid shipments sent to you, to acknowledge"),
            sent,
            "sent_on",
            reverse("aid:received"),
        )
    editable = activities_editable(user)
    tasks: list[Task] = []
    if editable.exists():
        mine = Shipment.objects.filter(activity__in=editable)
        ready = mine.filter(state=ShipmentState.IN_PROCESS).filter(
            Q(approval__isnull=True) | Q(approval__state__in=IN_FORCE)
        )
        url = reverse("aid:shipments")
        tasks += waiting(
            "aid-shipments-to-send", _("Aid shipments ready to send"), ready, "planned_on", url
        )
        tasks += waiting(
            "aid-shipments-unreceived",
            _("Aid shipments sent, not yet acknowledged by the North"),
            mine.filter(state=ShipmentState.SENT),
            "sent_on",
            url,
        )
    if can_read_loans(user) and editable.exists():
        today = timezone.localdate()
        unpaid = LoanInstalment.objects.filter(due_on__lt=today, paid_on__isnull=True)
        first = unpaid.order_by("due_on").first()
        if first is not None:
            tasks.append(
                Task(
                    "aid-instalments-missed",
                    str(_("Food loan instalments fallen due and unpaid")),
                    unpaid.count(),
                    reverse("aid:loans"),
                    first.due_on,
                    DUE,
                )
            )
    return tasks
