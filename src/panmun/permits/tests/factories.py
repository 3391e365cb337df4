"""Complete applications for the permits tests: what an applicant would have filled in, so that
a submission passes every kind's rules (to Pyongyang by the Gyeongui line, under no measure in
force today) unless a test changes it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from panmun.accounts.models import User

from ..models import Application, Approval, Traveller
from ..services.applications import ApplicationData, application_create

PERSON: dict[str, Any] = {
    "name_ko": "정민호",
    "name_latin": "JUNG MINHO",
    "sex": "M",
    "birth_date": dt.date(1975, 3, 1),
    "document_kind": "passport",
    "document_number": "M12345678",
    "nationality": "KR",
    "phone": "01012345678",
    "email": "minho@example.org",
}


def terms_for(kind: str, start: dt.date) -> dict[str, Any]:
    return {
        "visit": {"multiple": False},
        "contact": {
            "contact_date": start,
            "contact_method": "meeting",
            "contact_counterpart": "민족경제협력연합회",
            "contact_timing": "before",
        },
        "goods": {"goods_direction": "carry_out"},
        "project": {"project_title": "협력 사업", "project_partner": "민경련"},
        "vehicle": {},
        "crossing": {
            "crossing_date": start,
            "crossing_slot": dt.time(9, 0),
            "crossing_direction": "to_north",
        },
    }[kind]


def data_for(kinds: list[str], *, start: dt.date | None = None, **changes: Any) -> ApplicationData:
    start = start or timezone.localdate() + dt.timedelta(days=10)
    data = ApplicationData(
        purpose="평양 방문 협의 / talks in Pyongyang",
        kinds=kinds,
        direction="to_north",
        destination="pyongyang",
        entry_point="gyeongui",
        start_date=start,
        end_date=start + dt.timedelta(days=3),
        north_partner="민족경제협력연합회",
        terms={kind: terms_for(kind, start) for kind in kinds},
    )
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def complete_application(
    actor: User, kinds: list[str] | None = None, *, people: int = 1, **changes: Any
) -> Application:
    """An application of `kinds` (a visit by default) with `people` travellers, a vehicle and a
    goods line where its kinds need them."""
    kinds = kinds or ["visit"]
    application = application_create(actor=actor, data=data_for(kinds, **changes))
    for i in range(people):
        Traveller.objects.create(
            application=application,
            row=i + 1,
            **{
                **PERSON,
                "document_number": f"M{12345678 + i:08d}",
                "phone": f"0101234{5678 + i:04d}",
            },
        )
    if "vehicle" in kinds:
        application.vehicles.create(plate_number="12가3456", vehicle_kind="car")
    for approval in application.approvals.filter(kind="goods"):
        goods_line(approval)
    return application


def goods_line(approval: Approval, **changes: Any) -> None:
    values = {
        "row": 1,
        "hs_code": "100630",
        "description": "쌀 / rice",
        "quantity": Decimal("1000"),
        "unit": "kg",
        "value": Decimal("2500.00"),
        "currency": "USD",
        **changes,
    }
    approval.goods_lines.create(**values)
