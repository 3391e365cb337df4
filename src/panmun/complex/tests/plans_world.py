"""Approved crossing plans for the day-plan tests: applications of the demo firm (visit, vehicle
and crossing approvals, destination Gaeseong), their approvals set to approved."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from panmun.permits.models import Application, Approval, Traveller
from panmun.permits.tests.factories import complete_application

_serial = {"n": 0}


def crossing_application(
    actor: Any,
    day: dt.date,
    *,
    slot: dt.time | None = dt.time(9, 30),
    direction: str = "to_north",
    people: int = 1,
    vehicle: bool = True,
    approved: bool = True,
) -> Application:
    """An application of `actor`'s organisation to cross on `day` at `slot` in `direction`,
    with `people` travellers (document numbers of their own) and a vehicle."""
    kinds = ["visit", "vehicle", "crossing"] if vehicle else ["visit", "crossing"]
    application = complete_application(
        actor, kinds, people=0, start=day, destination="gaeseong", purpose="개성공단 출입"
    )
    _serial["n"] += 1
    n = _serial["n"]
    Traveller.objects.bulk_create(
        Traveller(
            application=application,
            row=i + 1,
            name_ko=f"출입자{n}-{i}",
            sex="M",
            birth_date=dt.date(1975, 3, 1),
            document_kind="passport",
            document_number=f"K{n:03d}-{i:05d}",
            nationality="KR",
        )
        for i in range(people)
    )
    if vehicle:
        application.vehicles.update(plate_number=f"{n:02d}가 {1000 + n}")
    Approval.objects.filter(application=application, kind="crossing").update(
        crossing_date=day, crossing_slot=slot, crossing_direction=direction
    )
    if approved:
        Approval.objects.filter(application=application).update(state="approved")
    return application


def future_day(days: int = 10) -> dt.date:
    """A day ahead (the RFID timetable of 2015 is in force from then on)."""
    return timezone.localdate() + dt.timedelta(days=days)
