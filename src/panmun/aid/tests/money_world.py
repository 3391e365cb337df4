"""Records the money tests and the permission matrix start from: the ministry's grant to the aid
organisation (a parent activity) and the organisation's infant-formula project (its child), both
humanitarian aid to infants in 2026 (no measure in force forbids it), and demo-like rates.

The activities are made with the ORM and checked with `full_clean`: the activities' service is
the lead's part, not this one's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from panmun.accounts.models import Organisation, User

from ..models import Activity, Channel, TargetGroup
from ..services.money import rates_import

PARENT = "KR-MOU-TEST-GRANT"
CHILD = "KR-NANUM-TEST-FORMULA"
RATES_CSV = (
    b"date,currency,krw,usd,source\n"
    b"2025-01-02,USD,1470.50,1,test rates\n"
    b"2026-01-02,USD,1350,1,test rates\n"
    b"2026-01-02,EUR,1480.25,1.0964,test rates\n"
    b"2026-01-02,JPY,9.1234,0.006758,test rates\n"
    b"2026-07-01,USD,1400,1,test rates (July)\n"
)


def activity(
    identifier: str, organisation: Organisation | None, parent: Activity | None = None, **extra: Any
) -> Activity:
    made = Activity(
        identifier=identifier,
        title_ko="시험 사업",
        title_en="Test activity",
        organisation=organisation,
        reporting_org_ref="KR-GOV-010" if parent is None else "KR-NGO-TEST",
        reporting_org_type="10" if parent is None else "22",
        parent=parent,
        channel=Channel.VIA_NGO if parent is None else Channel.NGO_OWN,
        planned_start=dt.date(2026, 1, 1),
        humanitarian=True,
        target_groups=[TargetGroup.INFANTS_CHILDREN],
        **extra,
    )
    made.full_clean()
    made.save()
    return made


def money_world(personas: dict[str, User]) -> dict[str, Activity]:
    """The ministry's grant and the aid organisation's child project, with the test rates."""
    ministry = personas["ministry"]
    parent = activity(PARENT, ministry.organisation)
    child = activity(CHILD, personas["aid"].organisation, parent=parent)
    rates_import(actor=ministry, data=RATES_CSV, file="rates.csv")
    return {"parent": parent, "child": child}
