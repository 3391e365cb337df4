"""/api/v1: who am I, organisations, my API tokens, and the audit log (supervisors)."""

from __future__ import annotations

from django.db.models import QuerySet
from ninja import Query, Router, Status

from panmun.accounts.api_auth import PanmunSessionAuth
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import RecordId, responds

from . import services
from .access import require_authenticated, tokens_for_user
from .models import ApiToken, AuditEntry, Organisation, User
from .schemas import (
    AuditOut,
    AuditQuery,
    MeOut,
    OrganisationOut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
)
from .selectors import audit_search

router = Router(tags=["accounts"])


@router.get("/me", response=responds(MeOut), summary="The signed-in user")
def me(request: ApiRequest) -> User:
    return require_authenticated(request.auth)


@router.get(
    "/organisations",
    response=responds(list[OrganisationOut]),
    summary="Organisations of both sides",
)
def organisations(request: ApiRequest) -> QuerySet[Organisation]:
    require_authenticated(request.auth)
    return Organisation.objects.select_related("side")


@router.get("/tokens", response=responds(list[TokenOut]), summary="Your API tokens")
def list_tokens(request: ApiRequest) -> QuerySet[ApiToken]:
    return tokens_for_user(request.auth)


@router.post(
    "/tokens",
    response=responds(TokenCreatedOut, 201),
    summary="Create an API token (signed in, not with a token)",
    description="A token is made by a person signed in (a session, with its CSRF token), never "
    "by another token: a leaked token must not be able to outlive its revocation by minting "
    "more. With a token this answers 401.",
    auth=[PanmunSessionAuth()],
)
def create_token(request: ApiRequest, payload: TokenIn) -> Status[TokenCreatedOut]:
    token, raw = services.api_token_create(
        actor=request.auth, name=payload.name, days=payload.expires_in_days, scope=payload.scope
    )
    return Status(201, TokenCreatedOut(**TokenOut.from_orm(token).dict(), token=raw))


@router.delete(
    "/tokens/{token_id}", response=responds(TokenOut), summary="Revoke one of your API tokens"
)
def revoke_token(request: ApiRequest, token_id: RecordId) -> ApiToken:
    return services.api_token_revoke(actor=request.auth, token_id=token_id)


@router.get("/audit", response=responds(list[AuditOut]), summary="The audit log (supervisors)")
def audit(request: ApiRequest, q: Query[AuditQuery]) -> list[AuditEntry]:
    params = q.dict()
    limit, offset = params.pop("limit"), params.pop("offset")
    return list(audit_search(request.auth, **params)[offset : offset + limit])
