"""What the reunion pages share: a refusal's problems on a form's own fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest

from panmun.common.errors import DomainError
from panmun.common.language import request_language


def problems_of(err: DomainError) -> list[dict[str, Any]]:
    details = err.details if isinstance(err.details, dict) else {}
    return [p for p in details.get("errors", []) if isinstance(p, dict)]


def refusal_on_fields(form: forms.Form, err: DomainError, request: HttpRequest) -> None:
    """A refused write on the form it came from: each problem on its field where the form has
    one (`field` in the problem, or the details' own `field`), the rest and the message above
    the form."""
    language = request_language(request)
    form.add_error(None, err.message(language))
    details = err.details if isinstance(err.details, dict) else {}
    problems = problems_of(err)
    if not problems and details.get("field") in form.fields:
        form.add_error(details["field"], err.message(language))
        return
    for problem in problems:
        reason = str(problem.get("reason_en" if language == "en" else "reason_ko", ""))
        field = problem.get("field")
        if field in form.fields:
            form.add_error(field, reason)
        else:
            where = " ".join(str(x) for x in (problem.get("file"), problem.get("row"), field) if x)
            form.add_error(None, f"{where}: {reason}" if where else reason)
