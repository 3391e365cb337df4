"""API shapes of the applicants' operations: the combined application as filed (each kind's own
terms in an object of its own), and an application as the applicant reads it back: every
approval's state in Korean and English, its history, the officer's words, its people, vehicles
and goods."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django_fsm_log.models import StateLog
from ninja import Field, Schema
from pydantic import BeforeValidator, StrictFloat, StrictInt
from pydantic_core import PydanticCustomError

from panmun.common.api_schemas import BodyIn, Bool, Int, IsoDate, OneOf, QueryIn, offset_field

from .models import (
    AfterReason,
    Application,
    Approval,
    ApprovalKind,
    ApprovalState,
    ContactMethod,
    ContactTiming,
    Destination,
    Direction,
    DocumentKind,
    EntryPoint,
    GoodsDirection,
    Sex,
    Traveller,
    Vehicle,
    VehicleKind,
)
from .services.applications import KIND_FIELDS, ApplicationData, ContactExemption

_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(:[0-9]{2})?")


def _time_text(value: Any) -> Any:
    if isinstance(value, dt.time):
        return value
    if not isinstance(value, str) or not _TIME.fullmatch(value):
        raise PydanticCustomError("time_type", "Input should be a time of day as HH:MM")
    return value


#: A time of day written as HH:MM (or HH:MM:SS), never a number of seconds.
TimeOfDay = Annotated[dt.time, BeforeValidator(_time_text)]


def _one_of(values: list[str]) -> Any:
    return Annotated[str, OneOf(values, blank=True)]


class VisitTermsIn(BodyIn):
    multiple: Bool = Field(False, description="Several visits within the period")


class ContactTermsIn(BodyIn):
    contact_date: IsoDate | None = None
    contact_method: _one_of(ContactMethod.values) = ""  # type: ignore[valid-type]
    contact_counterpart: str = ""
    contact_timing: _one_of(ContactTiming.values) = ""  # type: ignore[valid-type]
    after_reason: _one_of(AfterReason.values) = ""  # type: ignore[valid-type]


class GoodsTermsIn(BodyIn):
    goods_direction: _one_of(GoodsDirection.values) = ""  # type: ignore[valid-type]
    comprehensive: Bool = False
    humanitarian: Bool = False


class ProjectTermsIn(BodyIn):
    project_title: str = ""
    project_partner: str = ""
    land_lease: Bool = False
    lease_signed_on: IsoDate | None = None


class VehicleTermsIn(BodyIn):
    pass


class CrossingTermsIn(BodyIn):
    crossing_date: IsoDate | None = None
    crossing_slot: TimeOfDay | None = None
    crossing_direction: _one_of(Direction.values) = ""  # type: ignore[valid-type]


class TermsIn(BodyIn):
    """Each kind's own terms, for the kinds the application asks for."""

    visit: VisitTermsIn | None = None
    contact: ContactTermsIn | None = None
    goods: GoodsTermsIn | None = None
    project: ProjectTermsIn | None = None
    vehicle: VehicleTermsIn | None = None
    crossing: CrossingTermsIn | None = None


class ApplicationsQuery(QueryIn):
    limit: int = Field(100, ge=1, le=500)
    offset: int = offset_field()


Kind = Annotated[str, OneOf(ApprovalKind.values)]
Exemption = Annotated[str, OneOf(list(ContactExemption.WORDS), blank=True)]


class ApplicationChangeIn(BodyIn):
    """An application's facts as typed (an amendment: the kinds stay as filed)."""

    purpose: str = Field(..., description="At most 4,000 characters")
    direction: Annotated[str, OneOf(Direction.values)] = Direction.TO_NORTH
    destination: Annotated[str, OneOf(Destination.values)] = Destination.GAESEONG
    destination_detail: str = ""
    entry_point: Annotated[str, OneOf(EntryPoint.values)] = EntryPoint.GYEONGUI
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    north_partner: str = ""
    north_organisation_id: Int | None = Field(
        None, ge=1, description="An organisation of the North"
    )
    terms: TermsIn = Field(default_factory=TermsIn)
    contact_exemption: Exemption = Field(
        "",
        description="A contact the Act needs no report for: refused, saying no report is needed",
    )


class ApplicationIn(ApplicationChangeIn):
    kinds: list[Kind] = Field(..., min_length=1, max_length=len(ApprovalKind.values))


class ApplicationPatchIn(BodyIn):
    """Only the facts given change; each kind's terms given change only the terms given."""

    purpose: str | None = None
    direction: Annotated[str, OneOf(Direction.values)] | None = None
    destination: Annotated[str, OneOf(Destination.values)] | None = None
    destination_detail: str | None = None
    entry_point: Annotated[str, OneOf(EntryPoint.values)] | None = None
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    north_partner: str | None = None
    north_organisation_id: Int | None = Field(None, ge=1)
    terms: TermsIn | None = None
    contact_exemption: Exemption | None = None


_FACTS = (
    "purpose",
    "direction",
    "destination",
    "destination_detail",
    "entry_point",
    "start_date",
    "end_date",
    "north_partner",
    "north_organisation_id",
)


#: The facts a PATCH may clear with null.
_NULLABLE = ("start_date", "end_date", "north_organisation_id")


def _terms(terms: TermsIn | None, *, only_given: bool) -> dict[str, dict[str, Any]]:
    if terms is None:
        return {}
    found = {}
    for kind in KIND_FIELDS:
        given = getattr(terms, kind)
        if given is not None:
            found[kind] = given.model_dump(exclude_unset=only_given)
    return found


def application_data(payload: ApplicationIn) -> ApplicationData:
    return ApplicationData(
        kinds=list(payload.kinds),
        terms=_terms(payload.terms, only_given=False),
        contact_exemption=payload.contact_exemption,
        **{name: getattr(payload, name) for name in _FACTS},
    )


def data_of(application: Application) -> ApplicationData:
    """An application as it stands, as the service takes it."""
    approvals = list(application.approvals.all())
    return ApplicationData(
        kinds=[a.kind for a in approvals],
        terms={a.kind: {n: getattr(a, n) for n in KIND_FIELDS[a.kind]} for a in approvals},
        **{name: getattr(application, name) for name in _FACTS},
    )


def changed_data(
    application: Application, payload: ApplicationChangeIn | ApplicationPatchIn
) -> ApplicationData:
    """An amendment: PUT gives every fact (each kind's terms given replace that kind's);
    PATCH only those it names."""
    data = data_of(application)
    patch = isinstance(payload, ApplicationPatchIn)
    given = payload.model_fields_set if patch else set(_FACTS) | {"contact_exemption"}
    for name in _FACTS:
        if name in given:
            value = getattr(payload, name)
            if patch and value is None and name not in _NULLABLE:
                continue
            setattr(data, name, value)
    if "contact_exemption" in given and payload.contact_exemption is not None:
        data.contact_exemption = payload.contact_exemption
    for kind, terms in _terms(payload.terms, only_given=patch).items():
        data.terms.setdefault(kind, {}).update(terms)
    return data


# --- what is read back ----------------------------------------------------------------------


def _words(label: Any) -> dict[str, str]:
    words = {}
    for language in ("ko", "en"):
        with translation.override(language):
            words[language] = str(label)
    return words


class StateOut(Schema):
    code: Annotated[str, OneOf(ApprovalState.values)]
    ko: str
    en: str


def state_out(code: str | None) -> dict[str, str] | None:
    if not code or code not in ApprovalState.values:
        return None
    return {"code": code, **_words(ApprovalState(code).label)}


class HistoryOut(Schema):
    at: dt.datetime
    by: str | None
    transition: str
    source: StateOut | None
    target: StateOut


class GoodsLineOut(Schema):
    id: int
    row: int
    hs_code: str
    description: str
    quantity: Decimal
    unit: str
    value: Decimal
    currency: str


class CertificateOut(Schema):
    number: str
    traveller_id: int
    valid_from: dt.date
    valid_to: dt.date
    multiple: bool


class ApprovalOut(Schema):
    id: int
    application_id: int
    kind: Annotated[str, OneOf(ApprovalKind.values)]
    state: StateOut
    terms: dict[str, Any]
    questions_ko: str
    questions_en: str
    conditions_ko: str
    conditions_en: str
    reasons_ko: str
    reasons_en: str
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    history: list[HistoryOut]
    goods_lines: list[GoodsLineOut]
    certificates: list[CertificateOut]

    @staticmethod
    def resolve_state(approval: Approval) -> dict[str, str] | None:
        return state_out(approval.state)

    @staticmethod
    def resolve_terms(approval: Approval) -> dict[str, Any]:
        values = {n: getattr(approval, n) for n in KIND_FIELDS.get(approval.kind, ())}
        return {
            n: v.isoformat() if isinstance(v, dt.date | dt.time) else v for n, v in values.items()
        }

    @staticmethod
    def resolve_history(approval: Approval) -> list[dict[str, Any]]:
        logs = (
            StateLog.objects.filter(
                content_type=ContentType.objects.get_for_model(Approval), object_id=approval.pk
            )
            .select_related("by")
            .order_by("timestamp", "pk")
        )
        return [
            {
                "at": log.timestamp,
                "by": str(log.by) if log.by else None,
                "transition": log.transition,
                "source": state_out(log.source_state),
                "target": state_out(log.state),
            }
            for log in logs
        ]

    @staticmethod
    def resolve_goods_lines(approval: Approval) -> list[Any]:
        return list(approval.goods_lines.all())

    @staticmethod
    def resolve_certificates(approval: Approval) -> list[Any]:
        return list(approval.certificates.all())


class ApprovalSummaryOut(Schema):
    id: int
    kind: Annotated[str, OneOf(ApprovalKind.values)]
    state: StateOut

    @staticmethod
    def resolve_state(approval: Approval) -> dict[str, str] | None:
        return state_out(approval.state)


class PermitPersonOut(Schema):
    id: int
    name_ko: str
    name_latin: str
    sex: Annotated[str, OneOf(Sex.values)]
    birth_date: dt.date
    document_kind: Annotated[str, OneOf(DocumentKind.values)]
    document_number: str
    nationality: str
    phone: str
    email: str


class TravellerOut(PermitPersonOut):
    row: int
    profile_person_id: int | None


class VehicleOut(Schema):
    id: int
    plate_number: str
    vehicle_kind: Annotated[str, OneOf(VehicleKind.values)]
    make_model: str
    driver_id: int | None


class ApplicationOut(Schema):
    id: int
    reference: str
    applicant: str
    organisation_id: int | None
    purpose: str
    direction: Annotated[str, OneOf(Direction.values)]
    destination: Annotated[str, OneOf(Destination.values)]
    destination_detail: str
    entry_point: Annotated[str, OneOf(EntryPoint.values)]
    start_date: dt.date | None
    end_date: dt.date | None
    north_partner: str
    north_organisation_id: int | None
    based_on_id: int | None
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    approvals: list[ApprovalSummaryOut]

    @staticmethod
    def resolve_applicant(application: Application) -> str:
        return str(application.applicant)

    @staticmethod
    def resolve_approvals(application: Application) -> list[Approval]:
        return list(application.approvals.all())


class ApplicationDetailOut(ApplicationOut):
    approvals: list[ApprovalOut]  # type: ignore[assignment]
    travellers: list[TravellerOut]
    vehicles: list[VehicleOut]

    @staticmethod
    def resolve_travellers(application: Application) -> list[Traveller]:
        return list(application.travellers.all())

    @staticmethod
    def resolve_vehicles(application: Application) -> list[Vehicle]:
        return list(application.vehicles.all())


# --- what an application lists; the profile ---------------------------------------------------
# Values go to the services as typed (`people.check_*` reads text, as from a people list), so
# that a refusal names every field at once.

Number = str | StrictInt | StrictFloat


class PersonIn(BodyIn):
    name_ko: str = ""
    name_latin: str = ""
    sex: str = Field("", description="M or F (남/여)")
    birth_date: str = Field("", description="YYYY-MM-DD")
    document_kind: str = Field("", description="passport, resident_id, ...")
    document_number: str = ""
    nationality: str = Field("KR", description="ISO 3166-1 alpha-2, e.g. KR")
    phone: str = ""
    email: str = ""


class VehicleIn(BodyIn):
    plate_number: str = ""
    vehicle_kind: str = Field("", description="car, van, bus, truck or special")
    make_model: str = ""
    driver_id: Int | None = Field(None, ge=1, description="A traveller of the application")


class GoodsIn(BodyIn):
    hs_code: str = Field("", description="HS 2022 subheading, 6 digits")
    description: str = ""
    unit: str = ""
    currency: str = Field("USD", description="ISO 4217")


class GoodsLineIn(GoodsIn):
    quantity: Number = Field("", description="More than 0")
    value: Number = Field("", description="0 or more")


class ProfilePeopleIn(BodyIn):
    people_ids: list[Int] = Field(..., min_length=1, max_length=5_000)


class ImportedOut(Schema):
    added: int


class ProfileVehicleOut(Schema):
    id: int
    plate_number: str
    vehicle_kind: Annotated[str, OneOf(VehicleKind.values)]
    make_model: str


class ProfileGoodsOut(Schema):
    id: int
    hs_code: str
    description: str
    unit: str
    currency: str


class ProfileOut(Schema):
    """The applicant's profile; empty (id null) until something is kept in it."""

    id: int | None
    name_ko: str
    name_en: str
    people: list[PermitPersonOut]
    vehicles: list[ProfileVehicleOut]
    goods: list[ProfileGoodsOut]
