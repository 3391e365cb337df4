"""The API's shapes for the rosters: a worker, one added, a leaving, a roster file read, and the
list's query. Dates are YYYY-MM-DD; a wage travels as a decimal string, never a float."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from panmun.common.api_schemas import NO_NUL, BodyIn, Int, IsoDate, OneOf, QueryIn, offset_field

from .models import WorkerSex
from .selectors_workers import STATUSES

Text = Annotated[str, Field(pattern=NO_NUL)]


class ComplexWorkerOut(Schema):
    id: int
    firm_id: int
    number: str = Field(..., description="The labour agency's worker number, unique in the firm")
    name: str = Field(..., description="As the roster writes it (the North's spelling)")
    sex: str = Field(..., description="M or F")
    birth_year: int
    job: str
    hired_on: dt.date
    left_on: dt.date | None
    base_wage_usd: str | None = Field(
        None, description="A base wage above the minimum, USD with three decimals"
    )

    @staticmethod
    def resolve_base_wage_usd(obj: object) -> str | None:
        wage = getattr(obj, "base_wage_usd", None)
        return None if wage is None else str(wage)


class ComplexWorkersQuery(QueryIn):
    q: str = Field(
        "",
        max_length=100,
        pattern=NO_NUL,
        description="A name in either orthography (리영철 finds 이영철), or the start of a number",
    )
    status: Annotated[str, OneOf(STATUSES[1:], blank=True)] = Field(
        "", description="on_roster (no leaving date), left, or empty for everyone"
    )
    offset: int = offset_field()
    limit: int = Field(100, ge=1, le=1000)


class ComplexWorkerIn(BodyIn):
    number: str = Field(..., max_length=40, pattern=NO_NUL)
    name: str = Field(..., max_length=200, pattern=NO_NUL, description="As written")
    sex: Annotated[str, OneOf(WorkerSex.values)] = Field(..., description="M or F")
    birth_year: Int = Field(..., ge=1900, le=2100)
    hired_on: IsoDate
    job: Text = Field("", max_length=200)
    base_wage_usd: str | None = Field(
        None, max_length=20, pattern=NO_NUL, description='USD as a decimal string ("80.500")'
    )


class ComplexWorkerLeaveIn(BodyIn):
    left_on: IsoDate


class ComplexRosterImportedOut(Schema):
    file: str
    rows: int
    added: int
    updated: int
    unchanged: int
    left: int


class ComplexRosterExportQuery(QueryIn):
    format: Annotated[str, OneOf(("xlsx", "csv"))] = "xlsx"
