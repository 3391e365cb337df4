"""The HTTP API under /api/v1/: one NinjaAPI, token or session auth, one error body for every 4xx.

Every error is ``{"code": ..., "message": ..., "details": ...}`` with the message in the caller's
language (Accept-Language, else the user's saved language, else Korean).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, SessionAuth

from panmun.accounts.services import user_for_token
from panmun.errors import DomainError, ErrorCode
from panmun.web.language import request_language

log = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer pmn_...` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class PanmunSessionAuth(SessionAuth):
    """The signed-in page session (CSRF-checked for writes)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


class JsonRenderer(JSONRenderer):
    """JSON with Korean text as UTF-8, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=JsonRenderer(),
    title="Panmun API",
    version="1",
    description="Panmun: inter-Korean exchange and cooperation. Errors: "
    '{"code": ..., "message": ..., "details": ...}.',
    auth=[TokenAuth(), PanmunSessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error_response(request: HttpRequest, err: DomainError) -> HttpResponse:
    return api.create_response(request, err.body(request_language(request)), status=err.status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error_response(request, exc)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for e in exc.errors:
        loc = [str(p) for p in e.get("loc", [])]
        parts = loc[1:]
        # Our operations name their body `payload` and their query `q`: not part of the field.
        if len(parts) > 1 and parts[0] in ("payload", "q"):
            parts = parts[1:]
        errors.append(
            {
                "field": ".".join(parts),
                "location": loc[0] if loc else "",
                "type": e.get("type", ""),
                "reason": e.get("msg", ""),
            }
        )
    return error_response(
        request,
        DomainError(
            ErrorCode.INVALID_INPUT,
            "입력값이 올바르지 않습니다. details에 항목별 오류가 있습니다.",
            "The input is not valid; see details for each field.",
            {"errors": errors},
        ),
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        request,
        DomainError(
            ErrorCode.NOT_AUTHENTICATED,
            "로그인하거나 유효한 API 토큰을 보내야 합니다.",
            "Sign in or send a valid API token.",
        ),
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    cause = exc.__cause__
    if isinstance(cause, RequestDataTooBig):
        err = payload_too_large()
    elif exc.status_code == 400:
        err = DomainError(
            ErrorCode.MALFORMED_JSON,
            "요청 본문을 JSON으로 읽을 수 없습니다.",
            "The request body is not valid JSON.",
            {"reason": str(cause)[:200] if cause else ""},
        )
    elif exc.status_code == 403:  # Ninja's CSRF check of a session-authenticated write
        err = DomainError(
            ErrorCode.PERMISSION_DENIED,
            "보안 확인(CSRF)에 실패했습니다. X-CSRFToken 헤더를 보내거나 API 토큰을 쓰십시오.",
            "The CSRF check failed: send the X-CSRFToken header or use an API token.",
        )
    elif exc.status_code == 429:
        err = DomainError(ErrorCode.RATE_LIMITED, "요청이 너무 많습니다.", "Too many requests.")
    else:
        err = DomainError(
            ErrorCode.INVALID_INPUT,
            "요청을 처리할 수 없습니다.",
            "The request cannot be processed.",
            {"status": exc.status_code},
        )
        return api.create_response(
            request, err.body(request_language(request)), status=exc.status_code
        )
    return error_response(request, err)


@api.exception_handler(Http404)
def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(
        request, DomainError(ErrorCode.NOT_FOUND, "찾을 수 없습니다.", "Not found.")
    )


@api.exception_handler(PermissionDenied)
def on_403(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(
        request,
        DomainError(
            ErrorCode.PERMISSION_DENIED,
            "이 작업을 할 권한이 없습니다.",
            "You do not have permission to do this.",
        ),
    )


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("API error on %s %s", request.method, request.path)
    return error_response(
        request,
        DomainError(
            ErrorCode.INTERNAL_ERROR,
            "서버 내부 오류입니다. 관리자에게 알려 주십시오.",
            "Internal server error. Please tell the administrator.",
        ),
    )


def payload_too_large() -> DomainError:
    from django.conf import settings

    limit = settings.API_MAX_BODY_BYTES
    return DomainError(
        ErrorCode.PAYLOAD_TOO_LARGE,
        f"요청 본문이 너무 큽니다(최대 {limit:,}바이트).",
        f"The request body is too large (at most {limit:,} bytes).",
        {"max_bytes": limit},
    )


def api_error_json(request: HttpRequest, err: DomainError) -> HttpResponse:
    """For middleware that answers before the API runs (size limit, unknown /api/ paths)."""
    return HttpResponse(
        json.dumps(err.body(request_language(request)), ensure_ascii=False),
        status=err.status,
        content_type="application/json; charset=utf-8",
    )


api.add_router("/", "panmun.accounts.api.router")
api.add_router("/dialogue", "panmun.dialogue.api.router")
api.add_router("/jobs", "panmun.jobs.api.router")
