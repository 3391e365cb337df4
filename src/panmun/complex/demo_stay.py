"""The demo's stays and telephone lines: the persona firm's people in the complex now, each with
a deadline to show (a registration overdue and flagged at the gate, an extension coming, a long
stay registered, a stay nearing a year), and a line for each of the first firms with a month of
calls (December 2015) and its bill. Made through the services; idempotent (a stay whose
document number is open, a line whose number exists, is left as it is)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from panmun.accounts.models import User
from panmun.common.apps import DemoRun

from .models import Firm, PhoneCall, PhoneLine, Stay
from .services import comms as comms_service
from .services import stay as stay_service

DECEMBER = dt.date(2015, 12, 1)

#: (document number, name, days since arrival, registered for days (0: not), planned days).
PEOPLE = [
    ("DEMO0001", "박체류", 3, 0, None),
    ("DEMO0002", "최연장", 60, 64, None),
    ("DEMO0003", "정장기", 20, 120, None),
    ("DEMO0004", "한거주", 340, 360, None),
    ("DEMO0005", "윤단기", 2, 0, 5),
]


def load(run: DemoRun) -> None:
    gic = User.objects.filter(username="gic").first()
    firm_user = User.objects.filter(username="firm").first()
    if gic is None:
        return
    firm = None
    if firm_user is not None and firm_user.organisation_id is not None:
        firm = Firm.objects.filter(organisation_id=firm_user.organisation_id).first()
    with transaction.atomic():
        stays = _stays(gic, firm) if firm is not None else 0
        lines = _lines(gic)
    run.say(f"Gaeseong complex: {stays} stays, {lines} telephone lines.")


def _stays(gic: User, firm: Firm) -> int:
    made = 0
    today = timezone.localdate()
    for number, name, days_in, registered_for, planned in PEOPLE:
        if Stay.objects.filter(key=number, departed_at__isnull=True).exists():
            continue
        # At nine in the morning, Korea's time, `days_in` days ago: counted from a time of
        # day, the deadlines would fall a day earlier whenever the demo is loaded in the first
        # hours after midnight.
        arrived_on = today - dt.timedelta(days=days_in)
        arrived = timezone.make_aware(dt.datetime.combine(arrived_on, dt.time(9)))
        stay = stay_service.stay_arrive(
            actor=gic,
            document_number=number,
            name=name,
            arrived_at=arrived,
            firm=firm,
            planned_departure=None if planned is None else arrived_on + dt.timedelta(planned),
        )
        if registered_for:
            stay_service.stay_register(
                actor=gic,
                stay=stay,
                valid_until=arrived_on + dt.timedelta(days=registered_for - 1),
                requested_on=arrived_on + dt.timedelta(days=1),
            )
        made += 1
    stay_service.stay_reminders_list(days=7)
    return made


def _lines(gic: User) -> int:
    made = 0
    for n, firm in enumerate(Firm.objects.order_by("pk")[:5], start=1):
        number = f"{2000 + n}"
        if PhoneLine.objects.filter(number=number).exists():
            continue
        line = comms_service.phone_line_install(
            actor=gic, firm=firm, number=number, installed_on=dt.date(2006, 1, 2 + n)
        )
        tz = timezone.get_current_timezone()
        PhoneCall.objects.bulk_create(
            PhoneCall(
                line=line,
                dialled="0215551234",
                started_at=dt.datetime(2015, 12, day, 10, n, tzinfo=tz),
                duration_seconds=45 + 37 * day,
                source="demo",
                recorded_by=gic,
            )
            for day in range(1, 29)
        )
        comms_service.phone_bill_compute(actor=gic, firm=firm, month=DECEMBER)
        made += 1
    return made
