"""Records the firms, land and output tests start from, made through the real services: a
cooperation-project approval (filed by the `firm` persona, decided by the ministry), the
persona's firm operating under it, another tenant, and the land (the 2004 lease, a parcel,
the firm's sublease, the 2015 fee rule)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from panmun.accounts.models import User
from panmun.permits.models import Approval
from panmun.permits.services.moves import approval_transition
from panmun.permits.tests.factories import complete_application

from ..models import FeeRule, Firm, FirmKind, LandLease, Parcel, Sector, Sublease
from ..services import firms as firm_services
from ..services import land
from .factories import make_firm, persona_firm

TEXT = {"ko": "사유", "en": "A reason"}


def project_approval(personas: dict[str, User], *, approved: bool = True) -> Approval:
    """A cooperation-project approval (Art. 17) of the `firm` persona: in force, or submitted."""
    application = complete_application(personas["firm"], ["project"])
    approval = application.approvals.get()
    moves = [("submit", "firm")]
    if approved:
        moves += [("start_review", "ministry"), ("approve", "ministry")]
    for move, who in moves:
        approval = approval_transition(actor=personas[who], approval=approval, move=move, **TEXT)
    return approval


def operating_firm(personas: dict[str, User]) -> Firm:
    """The persona `firm`'s firm with its project approval in force."""
    firm = persona_firm(personas)
    return firm_services.firm_link_approval(
        actor=personas["gic"], firm=firm, approval=project_approval(personas)
    )


def other_tenant(name: str = "다른전자(주)") -> Firm:
    return make_firm(name, sector=Sector.ELECTRIC_ELECTRONIC)


def developer() -> Firm:
    return Firm.objects.filter(kind=FirmKind.DEVELOPER).first() or make_firm(
        "한국토지주택공사", kind=FirmKind.DEVELOPER, sector=""
    )


def land_world(personas: dict[str, User], firm: Firm | None = None) -> dict[str, Any]:
    """The 2004 lease, parcel A-1 (10,000 m²) subleased to `firm` (the persona's) from June 2005
    at USD 1,000,000, and the December 2015 fee rule (1.56%)."""
    gic = personas["gic"]
    firm = firm or persona_firm(personas)
    lease: LandLease = land.lease_create(
        actor=gic,
        title="개성공업지구 토지임대차계약",
        developer=developer(),
        lessor="중앙특구개발지도총국",
        signed_on=dt.date(2004, 4, 13),
        starts_on=dt.date(2004, 4, 13),
        ends_on=dt.date(2054, 4, 12),
        area_pyeong=Decimal("1000000"),
        price_usd=Decimal("16000000"),
    )
    parcel: Parcel = land.parcel_create(
        actor=gic, lease=lease, number="A-1", area_m2=Decimal("10000"), use="공장"
    )
    sublease: Sublease = land.sublease_create(
        actor=gic,
        firm=firm,
        parcel=parcel,
        signed_on=dt.date(2005, 3, 2),
        use_from=dt.date(2005, 6, 1),
        ends_on=dt.date(2054, 4, 12),
        sale_price_usd=Decimal("1000000"),
    )
    rule: FeeRule = land.fee_rule_create(
        actor=gic, from_year=2015, rate=Decimal("0.0156"), agreed_on=dt.date(2015, 12, 14)
    )
    return {"lease": lease, "parcel": parcel, "sublease": sublease, "rule": rule, "firm": firm}
