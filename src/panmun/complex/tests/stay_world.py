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
