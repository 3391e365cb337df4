"""/api/v1/complex/: firms, land and output. Same services and access helpers as the pages:
the committee keeps firms and land, a firm's officers their own firm's contacts and output,
the ministry reads everything; another firm's records are not found (404) for a firm, and the
North's bureau sees none of them (403)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from ninja import Query, Router, Status

from panmun.accounts.api_auth import permitted
from panmun.accounts.models import Organisation
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import RecordId, responds
from panmun.common.errors import invalid_fields
from panmun.permits.models import Approval

from .access import (
    can_keep_rules,
    can_read_complex,
    can_read_land,
    firms_for_user,
    get_firm,
    get_firm_for_edit,
)
from .models import Building, FeeRule, Firm, LandLease, OutputMonth, Parcel, Sublease
from .schemas_firms import (
    ComplexApprovalLinkIn,
    ComplexBuildingIn,
    ComplexBuildingOut,
    ComplexContactsIn,
    ComplexFeeRuleIn,
    ComplexFeeRuleOut,
    ComplexFeesQuery,
    ComplexFeeYearOut,
    ComplexFirmIn,
    ComplexFirmOut,
    ComplexFirmsQuery,
    ComplexLeaseIn,
    ComplexLeaseOut,
    ComplexMonthOut,
    ComplexOutputIn,
    ComplexOutputOut,
    ComplexParcelIn,
    ComplexParcelOut,
    ComplexSubleaseIn,
    ComplexSubleaseOut,
    ComplexYearOut,
    ComplexYearQuery,
)
from .selectors_firms import (
    FirmFilters,
    MonthRow,
    fee_schedule,
    firm_list,
    output_by_month,
    output_by_year,
)
from .services import firms as firm_services
from .services import land as land_services
from .services import output as output_services

router = Router()
READERS = permitted(can_read_complex)
LAND_READERS = permitted(can_read_land)
COMMITTEE = permitted(can_keep_rules)


def _firm_out(firm: Firm) -> dict[str, Any]:
    approval = firm.project_approval
    return {
        **{f: getattr(firm, f) for f in ComplexFirmOut.model_fields if hasattr(firm, f)},
        "project_approval_state": approval.state if approval else None,
        "operates": firm_services.operates(firm),
    }


def _refer(model: Any, pk: int | None, field: str) -> Any:
    """The record an id in the body names, or the field refused (422)."""
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise invalid_fields(
            "찾을 수 없는 번호입니다.",
            "No record has that id.",
            [(field, f"{pk}번 기록이 없습니다.", f"There is no record {pk}.")],
        )
    return found


def _firm_data(payload: ComplexFirmIn) -> firm_services.FirmData:
    facts = payload.model_dump()
    tenant = _refer(Firm, facts.pop("tenant_id"), "tenant_id")
    organisation = _refer(Organisation, facts.pop("organisation_id"), "organisation_id")
    return firm_services.FirmData(**facts, tenant=tenant, organisation=organisation)


@router.get(
    "/firms",
    response=responds(list[ComplexFirmOut]),
    summary="The firms you see (a firm: its own and its subcontractors), filtered by kind, "
    "sector and a part of the name",
    auth=READERS,
)
def list_firms(request: ApiRequest, q: Query[ComplexFirmsQuery]) -> list[dict[str, Any]]:
    found = firm_list(
        firms_for_user(request.auth), FirmFilters(kind=q.kind, sector=q.sector, q=q.q.strip())
    )
    return [_firm_out(f) for f in found[q.offset : q.offset + q.limit]]


@router.post(
    "/firms",
    response=responds(ComplexFirmOut, 201),
    summary="Record a firm (the committee)",
    auth=COMMITTEE,
)
def create_firm(request: ApiRequest, payload: ComplexFirmIn) -> Status[dict[str, Any]]:
    firm = firm_services.firm_create(actor=request.auth, data=_firm_data(payload))
    return Status(201, _firm_out(firm))


@router.get(
    "/firms/{firm_id}",
    response=responds(ComplexFirmOut),
    summary="A firm, with its cooperation-project approval's state",
    auth=READERS,
)
def get_one_firm(request: ApiRequest, firm_id: RecordId) -> dict[str, Any]:
    return _firm_out(get_firm(request.auth, firm_id))


@router.put(
    "/firms/{firm_id}",
    response=responds(ComplexFirmOut),
    summary="Change a firm's record (the committee)",
    auth=COMMITTEE,
)
def update_firm(request: ApiRequest, firm_id: RecordId, payload: ComplexFirmIn) -> dict[str, Any]:
    firm = get_firm_for_edit(request.auth, firm_id)
    return _firm_out(
        firm_services.firm_update(actor=request.auth, firm=firm, data=_firm_data(payload))
    )


@router.put(
    "/firms/{firm_id}/contacts",
    response=responds(ComplexFirmOut),
    summary="Change who to call at a firm (the firm itself, or the committee)",
    auth=READERS,
)
def update_contacts(
    request: ApiRequest, firm_id: RecordId, payload: ComplexContactsIn
) -> dict[str, Any]:
    firm = get_firm_for_edit(request.auth, firm_id)
    contacts = firm_services.Contacts(**payload.model_dump())
    return _firm_out(
        firm_services.firm_contacts_update(actor=request.auth, firm=firm, contacts=contacts)
    )


@router.put(
    "/firms/{firm_id}/approval",
    response=responds(ComplexFirmOut),
    summary="Link the firm's cooperation-project approval (Art. 17; null unlinks it); the firm "
    "operates while it is in force",
    auth=COMMITTEE,
)
def link_approval(
    request: ApiRequest, firm_id: RecordId, payload: ComplexApprovalLinkIn
) -> dict[str, Any]:
    firm = get_firm_for_edit(request.auth, firm_id)
    approval = _refer(Approval, payload.approval_id, "approval_id")
    return _firm_out(
        firm_services.firm_link_approval(actor=request.auth, firm=firm, approval=approval)
    )


@router.get(
    "/firms/{firm_id}/output",
    response=responds(list[ComplexOutputOut]),
    summary="A firm's monthly output, latest first",
    auth=READERS,
)
def list_output(request: ApiRequest, firm_id: RecordId) -> QuerySet[OutputMonth]:
    return get_firm(request.auth, firm_id).output.order_by("-month")


@router.post(
    "/firms/{firm_id}/output",
    response=responds(ComplexOutputOut),
    summary="Record (or correct) a firm's month: production, shipments to the South, exports "
    "(USD); refused for a firm without its cooperation-project approval in force",
    auth=READERS,
)
def record_output(request: ApiRequest, firm_id: RecordId, payload: ComplexOutputIn) -> OutputMonth:
    firm = get_firm_for_edit(request.auth, firm_id)
    year, month = (int(x) for x in payload.month.split("-"))
    if not 1 <= month <= 12 or year < 1900:
        raise invalid_fields(
            output_services.REFUSED_KO,
            output_services.REFUSED_EN,
            [("month", "YYYY-MM으로 적어 주십시오.", "Write the month as YYYY-MM.")],
        )
    return output_services.output_record(
        actor=request.auth,
        firm=firm,
        month=dt.date(year, month, 1),
        production_usd=Decimal(payload.production_usd),
        shipped_south_usd=Decimal(payload.shipped_south_usd),
        exported_usd=Decimal(payload.exported_usd),
    )


@router.get(
    "/firms/{firm_id}/fees",
    response=responds(list[ComplexFeeYearOut]),
    summary="A firm's land-use fees year by year, from the rules in force (from the 11th "
    "year of each site, due 20 December)",
    auth=READERS,
)
def list_fees(
    request: ApiRequest, firm_id: RecordId, q: Query[ComplexFeesQuery]
) -> list[dict[str, Any]]:
    firm = get_firm(request.auth, firm_id)
    rows = []
    for s in firm.subleases.select_related("parcel").order_by("use_from", "pk"):
        for y in fee_schedule(s, first_year=q.first_year, last_year=q.last_year):
            rows.append({"sublease_id": s.pk, "parcel": s.parcel.number, **y.__dict__})
    return rows


@router.get(
    "/output/months",
    response=responds(list[ComplexMonthOut]),
    summary="Output of the firms you see by month of a year (the whole complex for the "
    "committee and the ministry)",
    auth=READERS,
)
def output_months(request: ApiRequest, q: Query[ComplexYearQuery]) -> list[MonthRow]:
    return output_by_month(firms_for_user(request.auth), q.year)


@router.get(
    "/output/years",
    response=responds(list[ComplexYearOut]),
    summary="Output by year: as recorded in Panmun, and as published since 2005 with the firms, "
    "workers, when they were counted and the source",
    auth=READERS,
)
def output_years(request: ApiRequest) -> list[dict[str, Any]]:
    rows = []
    for y in output_by_year(firms_for_user(request.auth)):
        p = y.published
        rows.append(
            {
                "year": y.year,
                "recorded_usd": y.recorded_usd,
                "published_usd": p.output_usd if p else None,
                "firms": p.firms if p else None,
                "workers": p.workers if p else None,
                "as_of": p.as_of if p else "",
                "note": p.note if p else "",
                "source": p.source if p else "",
            }
        )
    return rows


# --- land ---------------------------------------------------------------------------------------


@router.get(
    "/land/leases",
    response=responds(list[ComplexLeaseOut]),
    summary="The land leases",
    auth=LAND_READERS,
)
def list_leases(request: ApiRequest) -> QuerySet[LandLease]:
    return LandLease.objects.order_by("signed_on", "pk")


@router.post(
    "/land/leases",
    response=responds(ComplexLeaseOut, 201),
    summary="Record a land lease from the North to a developer",
    auth=COMMITTEE,
)
def create_lease(request: ApiRequest, payload: ComplexLeaseIn) -> Status[LandLease]:
    facts = payload.model_dump()
    developer = _refer(Firm, facts.pop("developer_id"), "developer_id")
    lease = land_services.lease_create(
        actor=request.auth,
        developer=developer,
        **{
            **facts,
            "area_pyeong": Decimal(facts["area_pyeong"]),
            "price_usd": Decimal(facts["price_usd"]),
        },
    )
    return Status(201, lease)


@router.get(
    "/land/parcels",
    response=responds(list[ComplexParcelOut]),
    summary="The parcels, with their area in m² and pyeong",
    auth=LAND_READERS,
)
def list_parcels(request: ApiRequest) -> QuerySet[Parcel]:
    return Parcel.objects.order_by("number")


@router.post(
    "/land/parcels",
    response=responds(ComplexParcelOut, 201),
    summary="Record a parcel of the leased land",
    auth=COMMITTEE,
)
def create_parcel(request: ApiRequest, payload: ComplexParcelIn) -> Status[Parcel]:
    lease = _refer(LandLease, payload.lease_id, "lease_id")
    parcel = land_services.parcel_create(
        actor=request.auth,
        lease=lease,
        number=payload.number,
        area_m2=Decimal(payload.area_m2),
        use=payload.use,
    )
    return Status(201, parcel)


@router.get(
    "/land/subleases",
    response=responds(list[ComplexSubleaseOut]),
    summary="The firms' subleases of parcels",
    auth=LAND_READERS,
)
def list_subleases(request: ApiRequest) -> QuerySet[Sublease]:
    return Sublease.objects.order_by("parcel__number", "pk")


@router.post(
    "/land/subleases",
    response=responds(ComplexSubleaseOut, 201),
    summary="Record a tenant's sublease of a parcel (its sale price reckons the land-use fee)",
    auth=COMMITTEE,
)
def create_sublease(request: ApiRequest, payload: ComplexSubleaseIn) -> Status[Sublease]:
    sublease = land_services.sublease_create(
        actor=request.auth,
        firm=_refer(Firm, payload.firm_id, "firm_id"),
        parcel=_refer(Parcel, payload.parcel_id, "parcel_id"),
        signed_on=payload.signed_on,
        use_from=payload.use_from,
        ends_on=payload.ends_on,
        sale_price_usd=Decimal(payload.sale_price_usd),
    )
    return Status(201, sublease)


@router.post(
    "/land/buildings",
    response=responds(ComplexBuildingOut, 201),
    summary="Record a building on a firm's site",
    auth=COMMITTEE,
)
def create_building(request: ApiRequest, payload: ComplexBuildingIn) -> Status[Building]:
    building = land_services.building_create(
        actor=request.auth,
        firm=_refer(Firm, payload.firm_id, "firm_id"),
        parcel=_refer(Parcel, payload.parcel_id, "parcel_id"),
        kind=payload.kind,
        floor_area_m2=Decimal(payload.floor_area_m2),
        completed_on=payload.completed_on,
    )
    return Status(201, building)


@router.get(
    "/land/fee-rules",
    response=responds(list[ComplexFeeRuleOut]),
    summary="The land-use fee rules and their revisions",
    auth=READERS,
)
def list_fee_rules(request: ApiRequest) -> QuerySet[FeeRule]:
    return FeeRule.objects.order_by("from_year")


@router.post(
    "/land/fee-rules",
    response=responds(ComplexFeeRuleOut, 201),
    summary="Record a land-use fee rule or revision: refused, the rule named, within 4 years "
    "of another or moving the rate by more than 20%",
    auth=COMMITTEE,
)
def create_fee_rule(request: ApiRequest, payload: ComplexFeeRuleIn) -> Status[FeeRule]:
    rule = land_services.fee_rule_create(
        actor=request.auth,
        from_year=payload.from_year,
        rate=Decimal(payload.rate),
        agreed_on=payload.agreed_on,
        note=payload.note,
    )
    return Status(201, rule)
