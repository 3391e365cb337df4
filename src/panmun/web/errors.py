"""Answering a refused request, the one way for every layer: the API's JSON error body under
/api/, the message alone for an htmx request, the sign-in page for someone not signed in, and
the error page otherwise."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from panmun.common.errors import DomainError, ErrorCode
from panmun.common.language import in_page_words, request_language


def api_error_json(
    request: HttpRequest, err: DomainError, status: int | None = None
) -> HttpResponse:
    """`{"code", "message", "details"}` with the message in the caller's language."""
    return HttpResponse(
        json.dumps(err.body(request_language(request)), ensure_ascii=False),
        status=status or err.status,
        content_type="application/json; charset=utf-8",
    )


def error_response(
    request: HttpRequest, err: DomainError, status: int | None = None
) -> HttpResponse:
    if request.path.startswith("/api/"):
        return api_error_json(request, err, status)
    if err.code == ErrorCode.NOT_AUTHENTICATED:
        return redirect_to_login(request.get_full_path())
    # An htmx request gets the message alone, to show where its result would have gone.
    partial = getattr(request, "htmx", False)
    return render(
        request,
        "web/_error_box.html" if partial else "web/error.html",
        {
            "status": status or err.status,
            "message": in_page_words(request, err.message(request_language(request))),
            "details": err.details,
        },
        status=status or err.status,
    )


def payload_too_large() -> DomainError:
    limit = settings.API_MAX_BODY_BYTES
    return DomainError(
        ErrorCode.PAYLOAD_TOO_LARGE,
        f"요청 본문이 너무 큽니다(최대 {limit:,}바이트).",
        f"The request body is too large (at most {limit:,} bytes).",
        {"max_bytes": limit},
    )
