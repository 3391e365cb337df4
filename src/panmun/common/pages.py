"""What the pages of every app share: a refused write shown on its form or as messages, and a
file sent as a download."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from panmun.common.errors import DomainError

from .language import in_page_words, request_language

MAX_PROBLEMS = 200


def _problem_lines(err: DomainError, language: str) -> list[str]:
    """Each problem of a refused write, `file row field: reason`, in the page's language."""
    details = err.details if isinstance(err.details, dict) else {}
    lines = []
    for e in details.get("errors", [])[:MAX_PROBLEMS]:
        reason = e.get("reason_en" if language == "en" else "reason_ko", "")
        where = " ".join(str(x) for x in (e.get("file"), e.get("row"), e.get("field")) if x)
        lines.append(f"{where}: {reason}" if where else reason)
    return lines


def refusal_on_form(form: Any, err: DomainError, request: HttpRequest) -> None:
    """A refused write, shown on the form it came from: the message and every problem."""
    language = request_language(request)
    form.add_error(None, in_page_words(request, err.message(language)))
    for line in _problem_lines(err, language):
        form.add_error(None, in_page_words(request, line))


def refusal_as_messages(request: HttpRequest, err: DomainError) -> None:
    """A refused write from a button or a small form: the message and every problem, as the
    messages the next page shows."""
    language = request_language(request)
    messages.error(request, in_page_words(request, err.message(language)))
    for line in _problem_lines(err, language):
        messages.error(request, in_page_words(request, line))


def attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- a step that cannot be undone: confirm it first ------------------------------------------


def confirmed(request: HttpRequest) -> bool:
    """True when the form came from the confirmation page (`confirm_page`)."""
    return request.POST.get("confirm") == "yes"


def confirm_page(
    request: HttpRequest,
    *,
    title: str,
    facts: list[str],
    action: str,
    back: str,
    button: str,
    warnings: list[str] | None = None,
    hidden: dict[str, str] | None = None,
) -> HttpResponse:
    """The page that asks "are you sure?" before an irreversible step: what the step will do
    (`facts`), what is worrying about it (`warnings`), and a button that posts the same form
    again with `confirm=yes` to `action`; Cancel goes `back`."""
    from django.shortcuts import render

    return render(
        request,
        "web/confirm.html",
        {
            "title": title,
            "facts": facts,
            "warnings": warnings or [],
            "action": action,
            "back": back,
            "button": button,
            "hidden": sorted((hidden or {}).items()),
        },
    )
