"""/api/v1: who am I, organisations, my API tokens, and the audit log (supervisors)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Query, Router, Schema, Status

from panmun.accounts.api_auth import PanmunSessionAuth
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import (
    BodyIn,
    Int,
    IsoDate,
    OneOf,
    QueryIn,
    RecordId,
    offset_field,
    responds,
)

from . import services
from .access import require_authenticated, tokens_for_user
from .models import ApiToken, AuditEntry, Organisation, OrganisationKind, Role, SideCode, TokenScope
from .selectors import audit_search

router = Router(tags=["accounts"])


class OrganisationOut(Schema):
    id: int
    name_ko: str
    name_en: str
    kind: Annotated[str, OneOf(OrganisationKind.values)]
    side: Annotated[str, OneOf(SideCode.values)] | None


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
    expired: bool
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


class AuditQuery(QueryIn):
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    since: IsoDate | None = None
    until: IsoDate | None = None
    limit: int = Field(100, ge=1, le=1000)
    offset: int = offset_field()


def org_out(org: Organisation | None) -> dict[str, Any] | None:
    if org is None:
        return None
    return {
        "id": org.pk,
        "name_ko": org.name_ko,
        "name_en": org.name_en,
        "kind": org.kind,
        "side": org.side.code if org.side else None,
    }


def token_out(t: ApiToken) -> dict[str, Any]:
    return {
        "id": t.pk,
        "name": t.name,
        "prefix": t.prefix,
        "scope": t.scope,
        "created_at": t.created_at,
        "expires_at": t.expires_at,
        "expired": t.is_expired,
        "last_used_at": t.last_used_at,
        "revoked_at": t.revoked_at,
    }


@router.get("/me", response=responds(MeOut), summary="The signed-in user")
def me(request: ApiRequest) -> dict[str, Any]:
    user = require_authenticated(request.auth)
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "language": user.language,
        "organisation": org_out(user.organisation),
    }


@router.get(
    "/organisations",
    response=responds(list[OrganisationOut]),
    summary="Organisations of both sides",
)
def organisations(request: ApiRequest) -> list[dict[str, Any]]:
    require_authenticated(request.auth)
    return [org_out(o) for o in Organisation.objects.select_related("side")]  # type: ignore[misc]


@router.get("/tokens", response=responds(list[TokenOut]), summary="Your API tokens")
def list_tokens(request: ApiRequest) -> list[dict[str, Any]]:
    return [token_out(t) for t in tokens_for_user(request.auth)]


@router.post(
    "/tokens",
    response=responds(TokenCreatedOut, 201),
    summary="Create an API token (signed in, not with a token)",
    description="A token is made by a person signed in (a session, with its CSRF token), never "
    "by another token: a leaked token must not be able to outlive its revocation by minting "
    "more. With a token this answers 401.",
    auth=[PanmunSessionAuth()],
)
def create_token(request: ApiRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    token, raw = services.api_token_create(
        actor=request.auth, name=payload.name, days=payload.expires_in_days, scope=payload.scope
    )
    return Status(201, {**token_out(token), "token": raw})


@router.delete(
    "/tokens/{token_id}", response=responds(TokenOut), summary="Revoke one of your API tokens"
)
def revoke_token(request: ApiRequest, token_id: RecordId) -> dict[str, Any]:
    return token_out(services.api_token_revoke(actor=request.auth, token_id=token_id))


@router.get("/audit", response=responds(list[AuditOut]), summary="The audit log (supervisors)")
def audit(request: ApiRequest, q: Query[AuditQuery]) -> list[dict[str, Any]]:
    params = q.dict()
    limit, offset = params.pop("limit"), params.pop("offset")
    rows: list[AuditEntry] = list(audit_search(request.auth, **params)[offset : offset + limit])
    return [
        {
            "id": e.pk,
            "at": e.at,
            "actor": e.actor_label,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "object_label": e.object_label,
            "changes": e.changes,
        }
        for e in rows
    ]
