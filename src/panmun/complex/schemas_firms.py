"""The API's shapes for firms, land and output. Amounts travel as decimal strings ("1234.5",
at most three places), never as JSON numbers, so that no dollar passes through a float."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from panmun.common.api_schemas import NO_NUL, BodyIn, Int, IsoDate, OneOf, QueryIn, offset_field

from .models import BuildingKind, FirmKind, Sector

Text = Annotated[str, Field(pattern=NO_NUL, max_length=300)]
#: A USD amount: digits, at most three places.
USD = Annotated[
    str,
    Field(pattern=r"^[0-9]{1,13}(\.[0-9]{1,3})?$", description='USD as a decimal string, "1234.5"'),
]
AREA = Annotated[
    str, Field(pattern=r"^[0-9]{1,12}(\.[0-9]{1,2})?$", description='a decimal string, "3305.8"')
]
RATE = Annotated[
    str, Field(pattern=r"^0(\.[0-9]{1,6})?$", description='a share of the sale price, "0.0156"')
]


class ComplexFirmIn(BodyIn):
    name_ko: Annotated[str, Field(pattern=NO_NUL, max_length=200)]
    kind: Annotated[str, OneOf(FirmKind.values)]
    name_en: Annotated[str, Field(pattern=NO_NUL, max_length=200)] = ""
    sector: Annotated[str, OneOf(Sector.values, blank=True)] = ""
    tenant_id: Int | None = Field(None, ge=1, description="A subcontractor's tenant")
    organisation_id: Int | None = Field(
        None, ge=1, description="The firm's organisation in Panmun (its officers' logins)"
    )
    business_number: Annotated[str, Field(pattern=NO_NUL, max_length=20)] = ""
    representative: Text = ""
    contact_name: Text = ""
    contact_phone: Annotated[str, Field(pattern=NO_NUL, max_length=40)] = ""
    contact_email: Text = ""
    started_on: IsoDate | None = None
    closed_on: IsoDate | None = None


class ComplexContactsIn(BodyIn):
    representative: Text = ""
    contact_name: Text = ""
    contact_phone: Annotated[str, Field(pattern=NO_NUL, max_length=40)] = ""
    contact_email: Text = ""


class ComplexApprovalLinkIn(BodyIn):
    approval_id: Int | None = Field(
        None, ge=1, description="A cooperation-project approval (Art. 17); null unlinks it"
    )


class ComplexFirmOut(Schema):
    id: int
    name_ko: str
    name_en: str
    kind: str
    sector: str
    tenant_id: int | None
    organisation_id: int | None
    project_approval_id: int | None
    project_approval_state: str | None
    operates: bool = Field(..., description="Its cooperation-project approval is in force")
    business_number: str
    representative: str
    contact_name: str
    contact_phone: str
    contact_email: str
    started_on: dt.date | None
    closed_on: dt.date | None


class ComplexFirmsQuery(QueryIn):
    kind: Annotated[str, OneOf(FirmKind.values, blank=True)] = ""
    sector: Annotated[str, OneOf(Sector.values, blank=True)] = ""
    q: Annotated[str, Field(pattern=NO_NUL, max_length=200, description="A part of the name")] = ""
    offset: int = offset_field()
    limit: int = Field(200, ge=1, le=1000)


class ComplexOutputIn(BodyIn):
    month: Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}$", description="YYYY-MM")]
    production_usd: USD
    shipped_south_usd: USD = "0"
    exported_usd: USD = "0"


class ComplexOutputOut(Schema):
    firm_id: int
    month: dt.date
    production_usd: Decimal
    shipped_south_usd: Decimal
    exported_usd: Decimal


class ComplexFeeYearOut(Schema):
    sublease_id: int
    parcel: str
    year: int
    lease_year: int
    rate: Decimal
    fee_usd: Decimal
    due_on: dt.date


class ComplexFeesQuery(QueryIn):
    first_year: int = Field(2015, ge=2004, le=2100)
    last_year: int = Field(2025, ge=2004, le=2100)


class ComplexMonthOut(Schema):
    month: dt.date
    production_usd: Decimal
    shipped_south_usd: Decimal
    exported_usd: Decimal
    firms: int


class ComplexYearQuery(QueryIn):
    year: int = Field(..., ge=2004, le=2100)


class ComplexYearOut(Schema):
    year: int
    recorded_usd: Decimal | None
    published_usd: Decimal | None
    firms: int | None
    workers: int | None
    as_of: str
    note: str
    source: str


class ComplexLeaseIn(BodyIn):
    title: Text
    developer_id: Int = Field(..., ge=1)
    lessor: Text
    signed_on: IsoDate
    starts_on: IsoDate
    ends_on: IsoDate
    area_pyeong: AREA
    price_usd: USD


class ComplexLeaseOut(Schema):
    id: int
    title: str
    developer_id: int
    lessor: str
    signed_on: dt.date
    starts_on: dt.date
    ends_on: dt.date
    area_pyeong: Decimal
    price_usd: Decimal


class ComplexParcelIn(BodyIn):
    lease_id: Int = Field(..., ge=1)
    number: Annotated[str, Field(pattern=NO_NUL, max_length=40)]
    area_m2: AREA
    use: Annotated[str, Field(pattern=NO_NUL, max_length=100)] = ""


class ComplexParcelOut(Schema):
    id: int
    lease_id: int
    number: str
    area_m2: Decimal
    area_pyeong: Decimal
    use: str


class ComplexSubleaseIn(BodyIn):
    firm_id: Int = Field(..., ge=1)
    parcel_id: Int = Field(..., ge=1)
    signed_on: IsoDate
    use_from: IsoDate
    ends_on: IsoDate
    sale_price_usd: USD


class ComplexSubleaseOut(Schema):
    id: int
    firm_id: int
    parcel_id: int
    signed_on: dt.date
    use_from: dt.date
    ends_on: dt.date
    sale_price_usd: Decimal
    ended_on: dt.date | None


class ComplexBuildingIn(BodyIn):
    firm_id: Int = Field(..., ge=1)
    parcel_id: Int = Field(..., ge=1)
    kind: Annotated[str, OneOf(BuildingKind.values)]
    floor_area_m2: AREA
    completed_on: IsoDate | None = None


class ComplexBuildingOut(Schema):
    id: int
    firm_id: int
    parcel_id: int
    kind: str
    floor_area_m2: Decimal
    completed_on: dt.date | None


class ComplexFeeRuleIn(BodyIn):
    from_year: Int = Field(..., ge=2004, le=2100)
    rate: RATE
    agreed_on: IsoDate | None = None
    note: Text = ""


class ComplexFeeRuleOut(Schema):
    id: int
    from_year: int
    rate: Decimal
    due_month: int
    due_day: int
    charged_from_lease_year: int
    agreed_on: dt.date | None
    note: str
