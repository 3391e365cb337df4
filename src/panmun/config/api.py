"""The HTTP API under /api/v1/: one NinjaAPI, token or session auth, one error body for every 4xx.

Every error is ``{"code": ..., "message": ..., "details": ...}`` with the message in the caller's
language (Accept-Language, else the user's saved language, else Korean).
"""

from __future__ import annotations

import json
import logging
import math
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from panmun.accounts.api_auth import PanmunSessionAuth, TokenAuth
from panmun.common.api_schemas import NO_NUL
from panmun.common.errors import DomainError, ErrorCode
from panmun.common.findings import Finding
from panmun.web.errors import api_error_json, payload_too_large

log = logging.getLogger(__name__)


class JsonRenderer(JSONRenderer):
    """JSON with Korean text as UTF-8, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class UnsafeJson(ValueError):
    """A JSON body Panmun refuses although Python's json module reads it."""

    def __init__(self, reason_ko: str, reason_en: str, path: str = "") -> None:
        super().__init__(reason_en)
        self.reason_ko, self.reason_en, self.path = reason_ko, reason_en, path


def _refuse_constant(name: str) -> Any:
    raise UnsafeJson(f"JSON이 아닌 값 {name}은(는) 쓸 수 없습니다.", f"{name} is not JSON.")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise UnsafeJson("숫자가 너무 큽니다.", f"The number {text[:40]} is too large.")
    return value


MAX_JSON_DEPTH = 32


def _check_strings(value: Any, path: str = "", depth: int = 0) -> None:
    """No NUL characters (PostgreSQL cannot store them) and no absurd nesting."""
    if depth > MAX_JSON_DEPTH:
        raise UnsafeJson(
            "JSON이 너무 깊게 중첩되어 있습니다.", "The JSON is nested too deeply.", path
        )
    if isinstance(value, str):
        if "\x00" in value:
            raise UnsafeJson(
                "NUL 문자(\\u0000)는 쓸 수 없습니다.",
                "NUL characters (\\u0000) are not allowed.",
                path,
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            _check_strings(key, where, depth + 1)
            _check_strings(item, where, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_strings(item, f"{path}.{index}" if path else str(index), depth + 1)


class StrictJsonParser(Parser):
    """JSON bodies as PostgreSQL and our clients expect them: no NaN or Infinity, no numbers
    that overflow to infinity, no NUL characters, bounded nesting."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body, parse_constant=_refuse_constant, parse_float=_finite_float)
        _check_strings(data)
        return data


def _no_nul_in_texts(schema: Any) -> None:
    """Every text of the API refuses NUL characters (`StrictJsonParser` in bodies, the
    middleware in queries): the document says so on each plain string, as a `pattern`."""
    if isinstance(schema, dict):
        if schema.get("type") == "string" and not {"format", "enum", "pattern", "const"} & set(
            schema
        ):
            schema["pattern"] = NO_NUL
        for value in schema.values():
            _no_nul_in_texts(value)
    elif isinstance(schema, list):
        for value in schema:
            _no_nul_in_texts(value)


class PanmunAPI(NinjaAPI):
    """The API, whose OpenAPI document is built once per language and path instead of on
    every request: building it takes 0.3–1 s (every operation's pydantic models walked), and
    the interactive docs and clients ask for it often. Its descriptions are translated, hence
    one per language."""

    _schemas: dict[tuple[str, str | None, str], Any]

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:

        key = (get_language() or "", path_prefix, repr(sorted((path_params or {}).items())))
        cache = self.__dict__.setdefault("_schemas", {})
        if key not in cache:
            document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            _no_nul_in_texts(document.get("paths"))
            _no_nul_in_texts(document.get("components"))
            cache[key] = document
        return cache[key]


api = PanmunAPI(
    renderer=JsonRenderer(),
    parser=StrictJsonParser(),
    title="Panmun API",
    version="1",
    description="Panmun: inter-Korean exchange and cooperation. Errors: "
    '{"code": ..., "message": ..., "details": ...}.',
    auth=[TokenAuth(), PanmunSessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api_error_json(request, exc)


# Pydantic's error types, said in both languages (its own messages are English only).
_REASONS: dict[str, tuple[str, str]] = {
    "missing": ("필수 항목입니다", "is required"),
    "string_type": ("문자열이어야 합니다", "must be a string"),
    "string_too_long": ("너무 깁니다", "is too long"),
    "string_too_short": ("너무 짧습니다", "is too short"),
    "too_long": ("항목이 너무 많습니다", "has too many items"),
    "too_short": ("항목이 너무 적습니다", "has too few items"),
    "int_type": ("정수여야 합니다", "must be a whole number"),
    "int_parsing": ("정수여야 합니다", "must be a whole number"),
    "int_from_float": ("정수여야 합니다", "must be a whole number"),
    "bool_type": ("참/거짓 값이어야 합니다", "must be true or false"),
    "bool_parsing": ("참/거짓 값이어야 합니다", "must be true or false"),
    "date_type": ("YYYY-MM-DD 형식의 날짜여야 합니다", "must be a date as YYYY-MM-DD"),
    "date_parsing": ("YYYY-MM-DD 형식의 날짜여야 합니다", "must be a date as YYYY-MM-DD"),
    "date_from_datetime_parsing": (
        "YYYY-MM-DD 형식의 날짜여야 합니다",
        "must be a date as YYYY-MM-DD",
    ),
    "date_from_datetime_inexact": ("날짜만 적어야 합니다", "must be a date without a time"),
    "literal_error": ("허용된 값이 아닙니다", "is not one of the allowed values"),
    "enum": ("허용된 값이 아닙니다", "is not one of the allowed values"),
    "list_type": ("목록이어야 합니다", "must be a list"),
    "dict_type": ("객체여야 합니다", "must be an object"),
    "model_type": ("객체여야 합니다", "must be an object"),
    "model_attributes_type": ("객체여야 합니다", "must be an object"),
    "greater_than_equal": ("값이 너무 작습니다", "is too small"),
    "greater_than": ("값이 너무 작습니다", "is too small"),
    "less_than_equal": ("값이 너무 큽니다", "is too large"),
    "less_than": ("값이 너무 큽니다", "is too large"),
    "string_pattern_mismatch": ("형식이 맞지 않습니다", "is not in the expected form"),
    "extra_forbidden": ("알 수 없는 항목입니다", "is not a field of this request"),
    "datetime_type": (
        "YYYY-MM-DDTHH:MM:SS+HH:MM 형식의 일시여야 합니다",
        "must be a date and time as YYYY-MM-DDTHH:MM:SS+HH:MM",
    ),
    "datetime_parsing": (
        "YYYY-MM-DDTHH:MM:SS+HH:MM 형식의 일시여야 합니다",
        "must be a date and time as YYYY-MM-DDTHH:MM:SS+HH:MM",
    ),
    "uuid_parsing": ("UUID 형식이 아닙니다", "is not a UUID"),
    "uuid_type": ("UUID 형식이 아닙니다", "is not a UUID"),
}


def validation_reason(error: dict[str, Any]) -> tuple[str, str]:
    kind = str(error.get("type", ""))
    if kind in _REASONS:
        return _REASONS[kind]
    return "값이 올바르지 않습니다", str(error.get("msg", "is not valid"))


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for e in exc.errors:
        loc = [str(p) for p in e.get("loc", [])]
        parts = loc[1:]
        # Our operations name their body `payload` and their query `q`: not part of the field.
        if len(parts) > 1 and parts[0] in ("payload", "q"):
            parts = parts[1:]
        ko, en = validation_reason(e)
        errors.append(
            {
                "field": ".".join(parts),
                "location": loc[0] if loc else "",
                "type": e.get("type", ""),
                "reason_ko": ko,
                "reason_en": en,
            }
        )
    return api_error_json(
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
    return api_error_json(
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
    elif isinstance(cause, UnsafeJson):
        unsafe = Finding("unsafe_json", ko=cause.reason_ko, en=cause.reason_en, field=cause.path)
        err = DomainError.from_findings(
            [unsafe],
            ko=f"입력값을 받을 수 없습니다: {cause.reason_ko}",
            en=f"The input cannot be accepted: {cause.reason_en}",
        )
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
        return api_error_json(request, err, exc.status_code)
    return api_error_json(request, err)


@api.exception_handler(Http404)
def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api_error_json(
        request, DomainError(ErrorCode.NOT_FOUND, "찾을 수 없습니다.", "Not found.")
    )


@api.exception_handler(PermissionDenied)
def on_403(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api_error_json(
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
    return api_error_json(
        request,
        DomainError(
            ErrorCode.INTERNAL_ERROR,
            "서버 내부 오류입니다. 관리자에게 알려 주십시오.",
            "Internal server error. Please tell the administrator.",
        ),
    )


api.add_router("/", "panmun.accounts.api.router")
api.add_router("/dialogue", "panmun.dialogue.api.router")
api.add_router("/jobs", "panmun.jobs.api.router")
api.add_router("/families", "panmun.families.api.router")
api.add_router("/reunion", "panmun.reunion.api.router")
api.add_router("/liaison", "panmun.liaison.api.router")
api.add_router("/permits", "panmun.permits.api.router")
api.add_router("/aid", "panmun.aid.api.router")
api.add_router("/complex", "panmun.complex.api.router")
