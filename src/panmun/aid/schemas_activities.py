"""The API's shapes for aid activities (names prefixed `Aid`: Ninja's schema names are
project-wide)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from panmun.common.api_schemas import BodyIn, Bool, Int, IsoDate, OneOf, QueryIn, offset_field

from .models import Activity, Channel, TargetGroup
from .services.activities import MAX_LINES, ActivityData, ParticipantLine, SectorLine


class AidSectorIn(BodyIn):
    code: str = Field(..., max_length=40, description="DAC 5-digit purpose code, e.g. 52010")
    vocabulary: str = Field("1", max_length=10)
    percentage: Decimal | None = Field(None, ge=0, le=100, decimal_places=2)


class AidParticipantIn(BodyIn):
    role: Int = Field(
        ..., ge=1, le=4, description="1 funding, 2 accountable, 3 extending, 4 implementing"
    )
    name_ko: str = Field("", max_length=300)
    name_en: str = Field("", max_length=300)
    ref: str = Field("", max_length=100)
    org_type: str = Field("", max_length=4, description="IATI OrganisationType, e.g. 10, 22, 40")


class AidActivityChangeIn(BodyIn):
    """An activity's facts (everything but its identifier)."""

    reporting_org_ref: str = Field(..., max_length=100, description="e.g. KR-MOU")
    reporting_org_type: str = Field("10", max_length=4)
    reporting_org_name_ko: str = Field("", max_length=300)
    reporting_org_name_en: str = Field("", max_length=300)
    title_ko: str = Field(..., max_length=400)
    title_en: str = Field(..., max_length=400)
    description_ko: str = Field("", max_length=8000)
    description_en: str = Field("", max_length=8000)
    channel: Annotated[str, OneOf(Channel.values)]
    status: Int = Field(1, ge=1, le=6, description="IATI ActivityStatus 1–6")
    planned_start: IsoDate | None = None
    planned_end: IsoDate | None = None
    actual_start: IsoDate | None = None
    actual_end: IsoDate | None = None
    humanitarian: Bool = True
    target_groups: list[Annotated[str, OneOf(TargetGroup.values)]] = Field(
        default_factory=list, max_length=len(TargetGroup.values)
    )
    default_currency: str = Field("KRW", min_length=3, max_length=3)
    region: str = Field("", max_length=100)
    recipient_organisation_id: Int | None = Field(
        None, ge=1, description="An organisation of the North"
    )
    recipient_name_ko: str = Field("", max_length=300)
    recipient_name_en: str = Field("", max_length=300)
    parent_id: Int | None = Field(None, ge=1)
    organisation_id: Int | None = Field(None, ge=1, description="The ministry only")
    sectors: list[AidSectorIn] = Field(default_factory=list, max_length=MAX_LINES)
    participants: list[AidParticipantIn] = Field(default_factory=list, max_length=MAX_LINES)


class AidActivityIn(AidActivityChangeIn):
    identifier: str = Field(
        ..., max_length=200, description="Begins with reporting_org_ref and '-'"
    )


class AidActivitiesQuery(QueryIn):
    channel: Annotated[str, OneOf(Channel.values, blank=True)] = ""
    status: int | None = Field(None, ge=1, le=6)
    year: int | None = Field(None, ge=1900, le=2100, description="Activities running that year")
    limit: int = Field(100, ge=1, le=500)
    offset: int = offset_field()


class AidSectorOut(Schema):
    vocabulary: str
    code: str
    percentage: Decimal | None


class AidParticipantOut(Schema):
    role: int
    org_type: str
    ref: str
    name_ko: str
    name_en: str


class AidActivityOut(Schema):
    id: int
    identifier: str
    title_ko: str
    title_en: str
    channel: str
    status: int
    planned_start: IsoDate | None
    actual_start: IsoDate | None
    planned_end: IsoDate | None
    actual_end: IsoDate | None
    humanitarian: bool
    organisation_id: int | None
    parent_id: int | None


class AidActivityDetailOut(AidActivityOut):
    description_ko: str
    description_en: str
    reporting_org_ref: str
    reporting_org_type: str
    reporting_org_name_ko: str
    reporting_org_name_en: str
    target_groups: list[str]
    default_currency: str
    region: str
    recipient_organisation_id: int | None
    recipient_name_ko: str
    recipient_name_en: str
    sectors: list[AidSectorOut]
    participants: list[AidParticipantOut]

    @staticmethod
    def resolve_sectors(obj: Activity) -> list[AidSectorOut]:
        return [
            AidSectorOut(vocabulary=s.vocabulary, code=s.code, percentage=s.percentage)
            for s in obj.sectors.all()
        ]

    @staticmethod
    def resolve_participants(obj: Activity) -> list[AidParticipantOut]:
        return [
            AidParticipantOut(
                role=p.role, org_type=p.org_type, ref=p.ref, name_ko=p.name_ko, name_en=p.name_en
            )
            for p in obj.participants.all()
        ]


def sector_lines(payload: AidActivityChangeIn) -> list[SectorLine]:
    return [
        SectorLine(s.code, s.vocabulary, "" if s.percentage is None else str(s.percentage))
        for s in payload.sectors
    ]


def participant_lines(payload: AidActivityChangeIn) -> list[ParticipantLine]:
    return [
        ParticipantLine(p.role, p.name_ko, p.name_en, p.ref, p.org_type)
        for p in payload.participants
    ]


__all__ = [
    "ActivityData",
    "AidActivitiesQuery",
    "AidActivityChangeIn",
    "AidActivityDetailOut",
    "AidActivityIn",
    "AidActivityOut",
    "participant_lines",
    "sector_lines",
]
