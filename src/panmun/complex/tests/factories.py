"""Records the complex's tests start from: firms with their organisation and users."""

from __future__ import annotations

import datetime as dt
from typing import Any

from panmun.accounts.models import Organisation, OrganisationKind, Side

from ..models import Firm, FirmKind, Sector


def make_firm(
    name_ko: str = "시험섬유(주)",
    *,
    organisation: Organisation | None = None,
    kind: str = FirmKind.TENANT,
    tenant: Firm | None = None,
    sector: str = Sector.TEXTILES,
    **fields: Any,
) -> Firm:
    """A firm of the complex, validated as the services would."""
    firm = Firm(
        name_ko=name_ko,
        name_en=fields.pop("name_en", ""),
        kind=kind,
        tenant=tenant,
        sector=sector,
        organisation=organisation,
        started_on=fields.pop("started_on", dt.date(2005, 3, 1)),
        **fields,
    )
    firm.full_clean()
    firm.save()
    return firm


def firm_organisation(name_ko: str, name_en: str = "") -> Organisation:
    """A South firm's organisation in Panmun, whose officers sign in as the firm."""
    return Organisation.objects.create(
        name_ko=name_ko,
        name_en=name_en or name_ko,
        kind=OrganisationKind.FIRM,
        side=Side.objects.get(code="south"),
    )


def persona_firm(personas: dict[str, Any]) -> Firm:
    """The demo persona `firm`'s firm (Hanbit Apparel), linked to its organisation."""
    org = personas["firm"].organisation
    existing = Firm.objects.filter(organisation=org).first()
    return existing or make_firm(org.name_ko, name_en=org.name_en, organisation=org)
