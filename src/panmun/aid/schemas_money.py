"""The API's shapes for the ledger's money: transactions with their rates, exchange rates, and
the transactions file. Amounts travel as decimal strings ("500000000", "1234.50"), never as
JSON numbers, so that no amount passes through a float."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from panmun.common.api_schemas import NO_NUL, BodyIn, Int, IsoDate, OneOf, QueryIn, offset_field

from .models import Transaction, TransactionType
from .services.money import SPEND

Text = Annotated[str, Field(pattern=NO_NUL)]


class AidTransactionIn(BodyIn):
    type: Int = Field(..., ge=1, le=13, description="IATI TransactionType code, 1 to 13")
    date: IsoDate
    value: str = Field(
        ...,
        max_length=40,
        description='The amount as a decimal string ("500000000", "1234.50"), above 0, at most '
        "the currency's minor units",
    )
    currency: str = Field(..., max_length=3, description="ISO 4217")
    value_date: IsoDate = Field(..., description="The day whose exchange rate converts it")
    ref: Text = ""
    description_ko: Text = ""
    description_en: Text = ""
    provider_org_ref: Text = ""
    provider_org_type: Text = Field("", description="IATI OrganisationType code")
    provider_org_name_ko: Text = ""
    provider_org_name_en: Text = ""
    receiver_org_ref: Text = ""
    receiver_org_type: Text = Field("", description="IATI OrganisationType code")
    receiver_org_name_ko: Text = ""
    receiver_org_name_en: Text = ""
    receiver_activity_id: Text = Field("", description="The receiving activity's IATI identifier")
    passes_on: Int | None = Field(
        None,
        ge=1,
        description="The id of the transaction addressed to this activity that this one passes "
        "on (counted once: this one is left out of totals)",
    )


class AidTransactionOut(Schema):
    id: int
    activity_id: int
    ref: str
    type: Annotated[int, Field(description="IATI TransactionType code")]
    date: dt.date
    value: Decimal
    currency: str
    value_date: dt.date
    rate_krw: Decimal | None
    rate_usd: Decimal | None
    rate_source: str
    value_krw: Decimal | None
    value_usd: Decimal | None
    description_ko: str
    description_en: str
    provider_org_ref: str
    provider_org_type: str
    provider_org_name: dict[str, str]
    receiver_org_ref: str
    receiver_org_type: str
    receiver_org_name: dict[str, str]
    receiver_activity_id: str
    passes_on_id: int | None
    counted: bool = Field(
        ...,
        description="Whether totals add it up: a disbursement or expenditure passing nothing on",
    )
    pledge: bool

    @staticmethod
    def resolve_counted(t: Transaction) -> bool:
        return t.type in SPEND and t.passes_on_id is None

    @staticmethod
    def resolve_pledge(t: Transaction) -> bool:
        return t.type in (TransactionType.OUTGOING_PLEDGE, TransactionType.INCOMING_PLEDGE)


class AidRateOut(Schema):
    id: int
    currency: str
    day: dt.date
    krw: Decimal
    usd: Decimal
    source: str


class AidTransactionsQuery(QueryIn):
    offset: int = offset_field()
    limit: int = Field(1000, ge=1, le=5000)


class AidRatesQuery(QueryIn):
    currency: Annotated[str, Field(max_length=3)] = ""
    offset: int = offset_field()
    limit: int = Field(500, ge=1, le=5000)


class AidRatesImportedOut(Schema):
    added: int


class AidTransactionsImportedOut(Schema):
    added: int
    removed: int
    activities: list[str]


class AidTransactionsExportQuery(QueryIn):
    format: Annotated[str, OneOf(("csv", "xlsx"))] = "csv"
    activity: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(
        default_factory=list, description="Activity ids (all the activities you see if none)"
    )
