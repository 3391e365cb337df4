"""What the pages of every app share: a write tried from a page (`post_action`), a refused
write shown on its form or as messages, and a file sent as a download."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, TypeVar, overload

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from panmun.common.errors import DomainError

from .bilingual import tr
from .language import in_page_words, request_language

MAX_PROBLEMS = 200


def _where(problem: dict[str, Any]) -> str:
    """Where a problem of a file is: the file, the row, the column."""
    parts = []
    if problem.get("file") and problem.get("file") != "form":
        parts.append(str(problem["file"]))
        row = problem.get("row")
        if isinstance(row, str) and row:  # a place in a document: "line 13"
            parts.append(row)
        elif row:
            parts.append(_("row %(row)s") % {"row": row})
    if problem.get("field"):
        parts.append(str(problem["field"]))
    return ", ".join(parts)


def problems_of(err: DomainError) -> list[dict[str, Any]]:
    """The problems listed in a refusal's details (the first MAX_PROBLEMS)."""
    details = err.details if isinstance(err.details, dict) else {}
    return [p for p in details.get("errors") or [] if isinstance(p, dict)][:MAX_PROBLEMS]


def _reason(problem: dict[str, Any], language: str) -> str:
    return str(tr(problem.get("reason_ko", ""), problem.get("reason_en", ""), language))


def _problem_lines(err: DomainError, language: str) -> list[str]:
    """Each problem of a refused write, `file row field: reason`, in the page's language."""
    lines = []
    for e in problems_of(err):
        reason = _reason(e, language)
        where = " ".join(str(x) for x in (e.get("file"), e.get("row"), e.get("field")) if x)
        lines.append(f"{where}: {reason}" if where else reason)
    return lines


def _typed_in(problem: dict[str, Any]) -> bool:
    """A problem of what was typed in the form, not of a file's row: no file, or the file
    "form" (a record typed in: its row is its number), or the translated word for it (a
    dialogue record typed in: a row is then one of its parts, e.g. a delegate)."""
    file = problem.get("file")
    if file in (None, "", "form"):
        return True
    return file == str(_("form")) and not problem.get("row")


def refusal_on_form(form: Any, err: DomainError, request: HttpRequest) -> None:
    """A refused write on the form it came from: each problem of a field the form has goes on
    that field; the rest, and every problem of a file's rows, above the form with its file, row
    and column. A refusal of one field with no list of problems goes on that field."""
    language = request_language(request)

    def add(field: str | None, text: str) -> None:
        form.add_error(field, in_page_words(request, text))

    details = err.details if isinstance(err.details, dict) else {}
    problems = problems_of(err)
    field = details.get("field")
    if not problems and isinstance(field, str) and field in form.fields:
        add(field, err.message(language))
        return
    add(None, err.message(language))
    for problem in problems:
        reason = _reason(problem, language)
        name = problem.get("field") or ""
        if name in form.fields and _typed_in(problem):
            add(name, reason)
        else:
            where = _where(problem)
            add(None, f"{where}: {reason}" if where else reason)


def refusal_as_messages(request: HttpRequest, err: DomainError, *, problems: bool = True) -> None:
    """A refused write from a button or a small form: the message and every problem (unless
    `problems` is False: the sentence alone), as the messages the next page shows."""
    language = request_language(request)
    messages.error(request, in_page_words(request, err.message(language)))
    for line in _problem_lines(err, language) if problems else []:
        messages.error(request, in_page_words(request, line))


T = TypeVar("T")


@overload
def post_action(
    request: HttpRequest,
    act: Callable[[], T],
    *,
    success: str | Callable[[T], str] = "",
    then: HttpResponse | Callable[[T], HttpResponse],
    refused: HttpResponse | None = None,
    passes: Collection[str] = (),
    problems: bool = True,
    form: None = None,
) -> HttpResponse: ...


@overload
def post_action(
    request: HttpRequest,
    act: Callable[[], T],
    *,
    form: BaseForm,
    success: str | Callable[[T], str] = "",
    then: HttpResponse | Callable[[T], HttpResponse],
) -> HttpResponse | None: ...


def post_action(
    request: HttpRequest,
    act: Callable[[], T],
    *,
    form: Any = None,
    success: str | Callable[[T], str] = "",
    then: HttpResponse | Callable[[T], HttpResponse],
    refused: HttpResponse | None = None,
    passes: Collection[str] = (),
    problems: bool = True,
) -> HttpResponse | None:
    """A write from a page, the one way: try `act`; done, say `success` (a sentence, or one
    made from what `act` returned) and go `then` (a response, or one made from what `act`
    returned). Refused (a `DomainError` whose code is not in `passes`): with a `form`, the
    refusal goes on it and the answer is None — the caller shows the form again, with what was
    typed; without one, the refusal becomes the next page's messages (with its problems unless
    `problems` is False) and the answer is `refused`, else `then`."""
    try:
        result = act()
    except DomainError as err:
        if err.code in passes:
            raise
        if form is not None:
            refusal_on_form(form, err, request)
            return None
        refusal_as_messages(request, err, problems=problems)
        if refused is not None:
            return refused
        if isinstance(then, HttpResponse):
            return then
        raise TypeError("post_action: a refusal needs `refused` when `then` is made") from err
    text = success(result) if callable(success) else success
    if text:
        messages.success(request, text)
    return then(result) if callable(then) else then


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
