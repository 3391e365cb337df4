"""The API's shapes for IATI import (names prefixed `Aid`, unique across the project)."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

from panmun.common.api_schemas import QueryIn


class AidIatiImportedOut(Schema):
    activities: int
    transactions: int
    identifiers: list[str]


class AidIatiExportQuery(QueryIn):
    activity: list[str] = Field(
        default_factory=list, description="IATI identifiers (repeat); none: every one you see"
    )
