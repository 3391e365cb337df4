"""Records the customs tests start from: the persona firm operating under a cooperation-project
approval in force, a goods approval of its own, a draw committed for 2015, good records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from panmun.permits.models import Application, Approval, ApprovalKind, ApprovalState

from .. import customs as rules
from ..models import Firm, LaneDraw
from ..services import customs as svc
from .factories import persona_firm

DAY = dt.date(2015, 9, 14)
SEED = bytes(range(32))


def approval_in_force(
    firm: Firm, user: Any, kind: str = ApprovalKind.PROJECT, **fields: Any
) -> Approval:
    """An approval of `kind` in force for the firm's organisation (as the demo writes them)."""
    n = Approval.objects.count() + Application.objects.count() + 1
    application = Application.objects.create(
        reference=f"EX-TEST-CUSTOMS-{n:05d}",
        applicant=user,
        organisation=firm.organisation,
        purpose="개성공업지구 (customs tests)",
        destination="gaeseong",
        start_date=dt.date(2005, 1, 1),
        end_date=dt.date(2054, 4, 12),
        submitted_at=timezone.now(),
    )
    return Approval.objects.create(
        application=application, kind=kind, state=ApprovalState.APPROVED, **fields
    )


def operating_firm(personas: dict[str, Any]) -> Firm:
    firm = persona_firm(personas)
    if firm.project_approval is None:
        firm.project_approval = approval_in_force(firm, personas["firm"])
        firm.save(update_fields=["project_approval"])
    return firm


def draw_2015(personas: dict[str, Any], rates: rules.Rates | None = None) -> LaneDraw:
    existing = LaneDraw.objects.filter(starts_on=dt.date(2015, 1, 1)).first()
    return existing or svc.lane_draw_commit(
        actor=personas["customs"],
        starts_on=dt.date(2015, 1, 1),
        ends_on=dt.date(2015, 12, 31),
        rates=rates or rules.Rates(2000, 3000, 2000),
        seed=SEED,
    )


def line(hs_code: str = "620342", **changes: Any) -> svc.LineIn:
    values: dict[str, Any] = {
        "hs_code": hs_code,
        "description": "남성용 면바지 / men's cotton trousers",
        "quantity": Decimal("1200"),
        "unit": "pcs",
        "value_usd": Decimal("8400.00"),
        **changes,
    }
    return svc.LineIn(**values)


def stored(personas: dict[str, Any], *lines: svc.LineIn, **fields: Any) -> Any:
    firm = operating_firm(personas)
    return svc.declaration_store(
        actor=personas["firm"],
        firm=firm,
        direction=fields.pop("direction", "carry_in"),
        declared_on=fields.pop("declared_on", DAY),
        lines=list(lines) or [line()],
        **fields,
    )


def registered(personas: dict[str, Any], *lines: svc.LineIn, **fields: Any) -> Any:
    draw_2015(personas)
    return svc.declaration_register(
        actor=personas["customs"], declaration=stored(personas, *lines, **fields)
    )
