"""Stays and lines for the stay and communications tests, made through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from ..models import Firm, PhoneLine, Stay
from ..services import comms as comms_service
from ..services import stay as stay_service
from .factories import make_firm, persona_firm

KST = ZoneInfo("Asia/Seoul")


def at(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=KST)  # type: ignore[misc]


def arrive(
    personas: dict[str, Any],
    *,
    firm: Firm | None = None,
    number: str = "M12345678",
    arrived_at: dt.datetime | None = None,
    **changes: Any,
) -> Stay:
    return stay_service.stay_arrive(
        actor=personas["gic"],
        document_number=number,
        name=changes.pop("name", "김체류"),
        arrived_at=arrived_at or at(2010, 3, 5, 9),
        firm=firm or persona_firm(personas),
        **changes,
    )


def other_firm() -> Firm:
    return make_firm("다른기업(주)")


def line(personas: dict[str, Any], firm: Firm | None = None, **changes: Any) -> PhoneLine:
    return comms_service.phone_line_install(
        actor=personas["gic"],
        firm=firm or persona_firm(personas),
        number=changes.pop("number", "1234"),
        installed_on=changes.pop("installed_on", dt.date(2010, 3, 10)),
        **changes,
    )


def gaeseong_visit(
    personas: dict[str, Any], number: str = "M12345678", start: dt.date = dt.date(2015, 6, 1)
) -> Any:
    """A visit to the complex approved by the ministry (from `start`, for three days: before the
    2016 suspension, filed ten days ahead) of one traveller with document `number`, made by the
    permits services."""
    import time_machine

    with time_machine.travel(dt.datetime.combine(start - dt.timedelta(days=10), dt.time(9), KST)):
        return _visit(personas, number, start)


def _visit(personas: dict[str, Any], number: str, start: dt.date) -> Any:
    from panmun.permits.models import Approval, Traveller
    from panmun.permits.services.applications import application_create, application_submit
    from panmun.permits.services.moves import approval_transition
    from panmun.permits.tests.factories import data_for

    application = application_create(
        actor=personas["firm"], data=data_for(["visit"], destination="gaeseong", start=start)
    )
    traveller = Traveller(
        application=application,
        name_ko="김철수",
        name_latin="KIM CHEOLSU",
        sex="M",
        birth_date=dt.date(1950, 3, 1),
        document_kind="passport",
        document_number=number,
        nationality="KR",
        row=1,
    )
    traveller.full_clean()
    traveller.save()
    application_submit(actor=personas["firm"], application=application)
    visit = Approval.objects.get(application=application, kind="visit")
    for move in ("start_review", "approve"):
        visit = approval_transition(actor=personas["ministry"], approval=visit, move=move)
    return Approval.objects.select_related("application").get(pk=visit.pk)
