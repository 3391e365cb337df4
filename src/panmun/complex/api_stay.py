"""/api/v1/complex/: stays (arrival, registration, extension, residence, fees, departure, the
deadlines of each and the gate flags of overdue ones) and the telephone lines, calls and monthly
bills. The same services and access helpers as the pages: the committee registers stays and
keeps lines and bills; a firm files its own people's arrivals and reads its own; the ministry
reads all; the gate's officers read the flags."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from panmun.accounts.access import get_or_404, require
from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import RecordId, responds

from . import comms_rules
from .access import (
    bills_for_user,
    calls_for_user,
    can_file_stays,
    can_keep_lines,
    can_read_lines,
    can_read_stay_flags,
    can_read_stays,
    can_register_stays,
    get_firm,
    get_line,
    get_stay,
    get_stay_for_registration,
    lines_for_user,
    stays_for_user,
)
from .models import FlagSource, GateFlag, PhoneBill, PhoneCall, PhoneLine, Stay, StayRegistration
from .schemas_stay import (
    ComplexPhoneBillIn,
    ComplexPhoneBillOut,
    ComplexPhoneBillsQuery,
    ComplexPhoneCallIn,
    ComplexPhoneCallOut,
    ComplexPhoneCallsImportedOut,
    ComplexPhoneCallsQuery,
    ComplexPhoneLineIn,
    ComplexPhoneLineOut,
    ComplexPhoneLineRemoveIn,
    ComplexStayDepartIn,
    ComplexStayFeeIn,
    ComplexStayFlagOut,
    ComplexStayIn,
    ComplexStayOut,
    ComplexStayRegisterIn,
    ComplexStayRegistrationOut,
    ComplexStaysQuery,
)
from .services import comms as comms_service
from .services import stay as stay_service

router = Router()
READERS = permitted(can_read_stays)
FILERS = permitted(can_file_stays)
REGISTRARS = permitted(can_register_stays)
FLAG_READERS = permitted(can_read_stay_flags)
LINE_READERS = permitted(can_read_lines)
LINE_KEEPERS = permitted(can_keep_lines)

REGISTER = {
    "registration": stay_service.stay_register,
    "extension": stay_service.stay_extend,
    "residence": stay_service.stay_residence_register,
}


def _aware(moment: dt.datetime) -> dt.datetime:
    """A moment without a zone is Korea's time."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _month(text: str) -> dt.date:
    return dt.date(int(text[:4]), int(text[5:7]), 1)


def stay_out(stay: Stay, *, full: bool = True) -> dict[str, Any]:
    deadlines = stay_service.stay_deadlines(stay)
    return {
        "id": stay.pk,
        "key": stay.key,
        "name": stay.name,
        "firm_id": stay.firm_id,
        "traveller_id": stay.traveller_id,
        "approval_id": stay.approval_id,
        "arrived_at": stay.arrived_at,
        "planned_departure": stay.planned_departure,
        "departed_at": stay.departed_at,
        "stay_class": stay.stay_class,
        "expires_on": stay.expires_on,
        "deadlines": [d.__dict__ for d in deadlines],
        "registrations": list(stay.registrations.order_by("pk")) if full else [],
    }


@router.get(
    "/stays",
    response=responds(list[ComplexStayOut]),
    summary="Stays (open ones by default) with what is due or overdue for each now",
    auth=READERS,
)
def list_stays(request: ApiRequest, q: Query[ComplexStaysQuery]) -> list[dict[str, Any]]:
    rows = stays_for_user(request.auth)
    if q.open:
        rows = rows.filter(departed_at__isnull=True)
    if q.firm is not None:
        rows = rows.filter(firm=get_firm(request.auth, q.firm))
    page = rows.order_by("-arrived_at", "pk")[q.offset : q.offset + q.limit]
    return [stay_out(stay, full=False) for stay in page]


@router.post(
    "/stays",
    response=responds(ComplexStayOut, 201),
    summary="Record a person's arrival (the committee; a firm for its own people); the open "
    "stay of the same document number is answered as it is",
    auth=FILERS,
)
def arrive(request: ApiRequest, payload: ComplexStayIn) -> Status[dict[str, Any]]:
    firm = None if payload.firm_id is None else get_firm(request.auth, payload.firm_id)
    stay = stay_service.stay_arrive(
        actor=request.auth,
        document_number=payload.document_number,
        name=payload.name,
        arrived_at=_aware(payload.arrived_at),
        firm=firm,
        planned_departure=payload.planned_departure,
    )
    return Status(201, stay_out(stay))


@router.get(
    "/stays/{stay_id}",
    response=responds(ComplexStayOut),
    summary="A stay with its registrations and fees, and what is due now",
    auth=READERS,
)
def read_stay(request: ApiRequest, stay_id: RecordId) -> dict[str, Any]:
    return stay_out(get_stay(request.auth, stay_id))


@router.post(
    "/stays/{stay_id}/registrations",
    response=responds(ComplexStayRegistrationOut, 201),
    summary="Register, extend (at least 3 days before expiry) or register residence (beyond "
    "a year); the fee in force is recorded as due",
    auth=REGISTRARS,
)
def register(
    request: ApiRequest, stay_id: RecordId, payload: ComplexStayRegisterIn
) -> Status[StayRegistration]:
    stay = get_stay_for_registration(request.auth, stay_id)
    made = REGISTER[payload.step](
        actor=request.auth,
        stay=stay,
        valid_until=payload.valid_until,
        requested_on=payload.requested_on,
    )
    return Status(201, made)


@router.post(
    "/stay-registrations/{registration_id}/fee",
    response=responds(ComplexStayRegistrationOut),
    summary="Record a registration's fee as paid",
    auth=REGISTRARS,
)
def fee_paid(
    request: ApiRequest, registration_id: RecordId, payload: ComplexStayFeeIn
) -> StayRegistration:
    registration = get_or_404(
        StayRegistration.objects.filter(stay__in=stays_for_user(request.auth)),
        registration_id,
        "체류등록",
        "registration",
    )
    return stay_service.stay_fee_record(
        actor=request.auth,
        registration=registration,
        paid_on=payload.paid_on,
        receipt=payload.receipt,
    )


@router.post(
    "/stays/{stay_id}/departure",
    response=responds(ComplexStayOut),
    summary="Record the person's departure: the stay ends",
    auth=FILERS,
)
def depart(request: ApiRequest, stay_id: RecordId, payload: ComplexStayDepartIn) -> dict[str, Any]:
    stay = get_stay(request.auth, stay_id)
    stay = stay_service.stay_depart(
        actor=request.auth, stay=stay, departed_at=_aware(payload.departed_at)
    )
    return stay_out(stay)


@router.get(
    "/stay-flags",
    response=responds(list[ComplexStayFlagOut]),
    summary="The gate flags raised for overdue stays, not yet lifted, with the instructions",
    auth=FLAG_READERS,
)
def stay_flags(request: ApiRequest) -> QuerySet[GateFlag]:
    return GateFlag.objects.filter(source=FlagSource.STAY, lifted_at__isnull=True).order_by(
        "-raised_at"
    )[:1000]


# --- communications ---------------------------------------------------------------------------


def line_out(line: PhoneLine) -> dict[str, Any]:
    return {
        "id": line.pk,
        "firm_id": line.firm_id,
        "number": line.number,
        "dial_from_south": comms_rules.dial_from_south(line.number),
        "dial_to_south": comms_rules.TO_SOUTH_PREFIX,
        "installed_on": line.installed_on,
        "removed_on": line.removed_on,
        "note": line.note,
    }


def call_out(call: PhoneCall) -> dict[str, Any]:
    return {
        "id": call.pk,
        "line_id": call.line_id,
        "dialled": call.dialled,
        "dial_string": comms_rules.dial_to_south(call.dialled),
        "started_at": call.started_at,
        "duration_seconds": call.duration_seconds,
        "billed_minutes": comms_rules.billed_minutes(call.duration_seconds),
        "charge_usd": comms_rules.call_charge(
            call.duration_seconds, timezone.localdate(call.started_at)
        ),
    }


@router.get(
    "/phone-lines",
    response=responds(list[ComplexPhoneLineOut]),
    summary="The firms' telephone lines with their dial strings",
    auth=LINE_READERS,
)
def list_lines(request: ApiRequest) -> list[dict[str, Any]]:
    return [line_out(line) for line in lines_for_user(request.auth).order_by("firm", "number")]


@router.post(
    "/phone-lines",
    response=responds(ComplexPhoneLineOut, 201),
    summary="Install a line for a firm (USD 100 installation, 10 a month from December 2005)",
    auth=LINE_KEEPERS,
)
def install_line(request: ApiRequest, payload: ComplexPhoneLineIn) -> Status[dict[str, Any]]:
    firm = get_firm(request.auth, payload.firm_id)
    line = comms_service.phone_line_install(
        actor=request.auth,
        firm=firm,
        number=payload.number,
        installed_on=payload.installed_on,
        note=payload.note,
    )
    return Status(201, line_out(line))


@router.post(
    "/phone-lines/{line_id}/removal",
    response=responds(ComplexPhoneLineOut),
    summary="Take a line out of service",
    auth=LINE_KEEPERS,
)
def remove_line(
    request: ApiRequest, line_id: RecordId, payload: ComplexPhoneLineRemoveIn
) -> dict[str, Any]:
    line = comms_service.phone_line_remove(
        actor=request.auth, line=get_line(request.auth, line_id), removed_on=payload.removed_on
    )
    return line_out(line)


@router.get(
    "/phone-calls",
    response=responds(list[ComplexPhoneCallOut]),
    summary="Calls, with the minutes billed (every minute begun) and the charge",
    auth=LINE_READERS,
)
def list_calls(request: ApiRequest, q: Query[ComplexPhoneCallsQuery]) -> list[dict[str, Any]]:
    rows = calls_for_user(request.auth)
    if q.line is not None:
        rows = rows.filter(line=get_line(request.auth, q.line))
    if q.month is not None:
        start = _month(q.month)
        end = comms_rules.month_end(start) + dt.timedelta(days=1)
        rows = rows.filter(
            started_at__gte=timezone.make_aware(dt.datetime.combine(start, dt.time())),
            started_at__lt=timezone.make_aware(dt.datetime.combine(end, dt.time())),
        )
    page = rows.order_by("started_at", "pk")[q.offset : q.offset + q.limit]
    return [call_out(call) for call in page]


@router.post(
    "/phone-calls",
    response=responds(ComplexPhoneCallOut, 201),
    summary="Record one call (billed by the minute begun)",
    auth=LINE_KEEPERS,
)
def record_call(request: ApiRequest, payload: ComplexPhoneCallIn) -> Status[dict[str, Any]]:
    call = comms_service.phone_call_record(
        actor=request.auth,
        call=comms_service.CallInput(
            payload.line, payload.dialled, _aware(payload.started_at), payload.duration_seconds
        ),
    )
    return Status(201, call_out(call))


@router.post(
    "/phone-calls/import",
    response=responds(ComplexPhoneCallsImportedOut, 201),
    summary="Read a month's call records (CSV: line,dialled,started_at,duration_seconds; "
    "at most 2 MB and 20,000 rows): all or nothing, every problem named by file, row and field",
    auth=LINE_KEEPERS,
)
def import_calls(request: ApiRequest, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    name = file.name or "calls.csv"
    data = file.read(comms_service.MAX_FILE_BYTES + 1)
    count = comms_service.phone_calls_import(actor=request.auth, name=name, data=data)
    return Status(201, {"file": name[:200], "calls": count})


@router.get(
    "/phone-bills",
    response=responds(list[ComplexPhoneBillOut]),
    summary="The firms' monthly telephone bills in USD",
    auth=LINE_READERS,
)
def list_bills(request: ApiRequest, q: Query[ComplexPhoneBillsQuery]) -> QuerySet[PhoneBill]:
    rows = bills_for_user(request.auth)
    if q.month is not None:
        rows = rows.filter(month=_month(q.month))
    return rows.order_by("-month", "firm_id")[q.offset : q.offset + q.limit]


@router.post(
    "/phone-bills",
    response=responds(ComplexPhoneBillOut, 201),
    summary="Compute a firm's bill of a month (installation in the month installed, the "
    "monthly fee per line in service, the calls); computed again, it is replaced",
    auth=LINE_KEEPERS,
)
def compute_bill(request: ApiRequest, payload: ComplexPhoneBillIn) -> Status[PhoneBill]:
    require(can_keep_lines(request.auth))
    firm = get_firm(request.auth, payload.firm_id)
    bill = comms_service.phone_bill_compute(
        actor=request.auth, firm=firm, month=_month(payload.month)
    )
    return Status(201, bill)
