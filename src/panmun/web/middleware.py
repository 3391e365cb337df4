"""Request-wide concerns: the language, the API's size limit and unknown paths, and turning a
DomainError raised under a page into the right error page."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from panmun.common.errors import DomainError, ErrorCode
from panmun.common.language import page_language, request_language

from .errors import api_error_json, error_response, payload_too_large


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
        translation.activate(page_language(request))
        request.LANGUAGE_CODE = language
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
        response.headers.setdefault(
            "Content-Language", content_language(translation.get_language())
        )
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
    """NUL characters where no database column can hold them: in the query string of any
    request, and in the form of an API request. A page's form is let through with them, so that
    its view re-renders it with the field named (Django's form fields refuse NUL) and the rest
    of the typing kept; only NUL in a form field's name, which no page sends, is refused."""
    if any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
    ):
        return True
    if request.method != "POST" or request.content_type not in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return False
    if request.path.startswith("/api/"):
        return any(
            "\x00" in key or any("\x00" in v for v in values)
            for key, values in request.POST.lists()
        )
    return any("\x00" in key for key in request.POST)


def content_language(code: str | None) -> str:
    """A language code as HTTP and HTML write it: ko, en, ko-KP."""
    base, _sep, region = (code or "ko").partition("-")
    return f"{base}-{region.upper()}" if region else base


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


# --- idle sign-out -------------------------------------------------------------------------------

#: The session keys: when the signed-in user was last seen (seconds since the epoch), and the
#: flag that tells the sign-in page the session ended for inactivity.
LAST_SEEN = "panmun_last_seen"
IDLE_FLAG = "panmun_signed_out_idle"
#: The last-seen time is written at most this often, so that a page's requests do not each
#: write the session.
LAST_SEEN_PRECISION = 60


class IdleSignOutMiddleware:
    """A session ends after `PANMUN_IDLE_MINUTES` minutes without a request (0: never).

    Placed after the authentication and language middleware. A page asked for after the
    limit is answered with the sign-in page (which says why, and returns to the page after
    signing in); an htmx request is sent there with HX-Redirect; the API then answers 401.
    Requests signed with an API token carry no session and are not touched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:

        minutes = int(getattr(settings, "PANMUN_IDLE_MINUTES", 0) or 0)
        user = getattr(request, "user", None)
        if minutes <= 0 or user is None or not user.is_authenticated:
            return self.get_response(request)
        now = time.time()
        last = request.session.get(LAST_SEEN)
        if isinstance(last, int | float) and now - last > minutes * 60:
            logout(request)
            request.session[IDLE_FLAG] = True
            if getattr(request, "htmx", False) or request.headers.get("HX-Request") == "true":
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("web:login")
                return response
            return self.get_response(request)
        if not isinstance(last, int | float) or now - last >= LAST_SEEN_PRECISION:
            request.session[LAST_SEEN] = int(now)
        return self.get_response(request)
