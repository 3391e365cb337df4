"""API shapes of accounts: the signed-in user, organisations, API tokens and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AliasChoices

from panmun.common.api_schemas import BodyIn, Int, IsoDate, OneOf, QueryIn, offset_field

from . import services
from .models import AuditEntry, Organisation, OrganisationKind, Role, SideCode, TokenScope


class OrganisationOut(Schema):
    id: int
    name_ko: str
    name_en: str
    kind: Annotated[str, OneOf(OrganisationKind.values)]
    side: Annotated[str, OneOf(SideCode.values)] | None

    @staticmethod
    def resolve_side(org: Organisation) -> str | None:
        return org.side.code if org.side else None


class MeOut(Schema):
    username: str
    display_name: str
    role: Annotated[str, OneOf(Role.values)]
    language: str
    organisation: OrganisationOut | None


class TokenIn(BodyIn):
    name: str = Field(min_length=1, max_length=100)
    expires_in_days: Int = Field(
        services.TOKEN_DAYS_DEFAULT,
        ge=1,
        le=services.TOKEN_DAYS_MAX,
        description="How many days the token is valid (1 to 365; 90 if not given).",
    )
    scope: Literal["read", "read_write"] = Field(
        "read_write",
        description="read: GET, HEAD and OPTIONS only; read_write: every operation the user may.",
    )


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scope: Annotated[str, OneOf(TokenScope.values)]
    created_at: dt.datetime
    expires_at: dt.datetime
    # `is_expired` on the row; `expired` when a TokenOut is read again (TokenCreatedOut).
    expired: bool = Field(validation_alias=AliasChoices("is_expired", "expired"))
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The token itself. Shown only in this response.")


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object_label: str
    changes: dict[str, Any]

    @staticmethod
    def resolve_actor(entry: AuditEntry) -> str:
        return entry.actor_label


class AuditQuery(QueryIn):
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    since: IsoDate | None = None
    until: IsoDate | None = None
    limit: int = Field(100, ge=1, le=1000)
    offset: int = offset_field()
