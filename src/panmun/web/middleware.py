"""Request-wide concerns: the language, the API's size limit and unknown paths, and turning a
DomainError raised under a page into the right error page."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from panmun.errors import DomainError, ErrorCode

from .errors import api_error_json, error_response, payload_too_large
from .language import request_language


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            limit = settings.API_MAX_BODY_BYTES
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return api_error_json(request, payload_too_large())
        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        if _has_nul(request):
            response = self._refuse(
                request,
                DomainError(
                    ErrorCode.INVALID_INPUT,
                    "요청에 NUL 문자가 들어 있습니다.",
                    "The request contains a NUL character.",
                ),
            )
        else:
            response = self.get_response(request)
        if request.path.startswith("/api/"):
            response = _json_api_error(request, response)
        elif response.status_code == 405 and not response.content:
            allow = response.get("Allow", "")
            response = (
                self.process_exception(
                    request,
                    DomainError(
                        ErrorCode.METHOD_NOT_ALLOWED,
                        "이 주소는 그 메서드를 받지 않습니다.",
                        "This address does not accept that method.",
                    ),
                )
                or response
            )
            if allow:
                response["Allow"] = allow
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response

    def _refuse(self, request: HttpRequest, err: DomainError) -> HttpResponse:
        return error_response(request, err)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        # Under /api/ the API's own handlers answer; elsewhere a DomainError becomes its page.
        if not isinstance(exc, DomainError) or request.path.startswith("/api/"):
            return None
        return error_response(request, exc)


def _has_nul(request: HttpRequest) -> bool:
    """NUL characters in the query or a form: no database column can hold them."""
    sources = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        sources.append(request.POST)
    return any(
        "\x00" in key or any("\x00" in v for v in values)
        for source in sources
        for key, values in source.lists()
    )


# Statuses that Django or Ninja may answer on their own, with their codes and messages.
_PLAIN_ERRORS = {
    405: (
        ErrorCode.METHOD_NOT_ALLOWED,
        "이 주소는 그 메서드를 받지 않습니다.",
        "This address does not accept that method.",
    ),
    404: (ErrorCode.NOT_FOUND, "찾을 수 없습니다.", "Not found."),
    403: (
        ErrorCode.PERMISSION_DENIED,
        "이 작업을 할 권한이 없습니다.",
        "You do not have permission to do this.",
    ),
    400: (ErrorCode.INVALID_INPUT, "잘못된 요청입니다.", "Bad request."),
}


def _json_api_error(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Every API error has the JSON error body, even one answered before our handlers ran."""
    if response.status_code < 400 or response.get("Content-Type", "").startswith(
        "application/json"
    ):
        return response
    code, ko, en = _PLAIN_ERRORS.get(
        response.status_code,
        (ErrorCode.INVALID_INPUT, "요청을 처리할 수 없습니다.", "The request cannot be processed."),
    )
    err = DomainError(code, ko, en, {"status": response.status_code})
    fixed = api_error_json(request, err)
    fixed.status_code = response.status_code
    if "Allow" in response:
        fixed["Allow"] = response["Allow"]
    return fixed
