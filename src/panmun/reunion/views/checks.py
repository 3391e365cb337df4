"""The check sheet of a round (의사·건강 확인): each drawn candidate's row saved on its own
(htmx answers the row again; without JavaScript the page comes back at the same place), and
many rows at once from a spreadsheet, with a template to download."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from panmun.accounts.access import require
from panmun.accounts.requests import AuthedRequest
from panmun.common.errors import not_found
from panmun.common.language import request_language
from panmun.common.pages import attachment, post_action

from ..access import (
    can_export_reunion_lists,
    candidates_for_user,
    get_reunion_round_for_edit,
    get_reunion_round_for_user,
)
from ..checks_file import template_csv, template_xlsx
from ..forms import CandidateCheckForm, ChecksImportForm
from ..models import Candidate, ReunionRound, Stage
from ..services import checks
from ..services.event import list_exported
from .rounds import page_query, round_page
from .sheet import CheckRow, choices_context


def _drawn_candidate(request: AuthedRequest, reunion_round: ReunionRound, pk: int) -> Candidate:
    candidate = candidates_for_user(request.user, reunion_round).filter(pk=pk, drawn=True).first()
    if candidate is None:
        raise not_found("추첨된 후보", "Drawn candidate", pk)
    return candidate


def _row_context(reunion_round: ReunionRound, row: CheckRow, back: str) -> dict[str, Any]:
    return {
        "round": reunion_round,
        "rows": [row],
        "back": back,
        "can_check": reunion_round.stage in (Stage.DRAWN, Stage.CHECKING),
        **choices_context(),
    }


def _check_saved(
    request: AuthedRequest, reunion_round: Any, candidate: Any, back: str
) -> HttpResponse:
    """A row saved: htmx gets it back; a page without JavaScript goes back to the same page of
    the sheet."""
    if request.htmx:
        candidate.refresh_from_db()
        reunion_round.refresh_from_db()
        return render(
            request,
            "reunion/_candidate_rows.html",
            _row_context(reunion_round, CheckRow.of(candidate, saved=True), back),
        )
    messages.success(
        request,
        _("The check of %(name)s has been saved.") % {"name": candidate.applicant.display_name},
    )
    url = reverse("reunion:round", args=[reunion_round.pk])
    return redirect(
        f"{url}?{back}#candidate-{candidate.pk}" if back else f"{url}#candidate-{candidate.pk}"
    )


@login_required
@require_POST
def candidate_check(request: AuthedRequest, pk: int, candidate_pk: int) -> HttpResponse:
    """Save one row. htmx gets the row back (saved, or refused with its problems and the
    values as typed); a page without JavaScript goes back to the same page of the sheet, or
    gets the page again with the row as typed."""
    reunion_round = get_reunion_round_for_edit(request.user, pk)
    candidate = _drawn_candidate(request, reunion_round, candidate_pk)
    where = page_query(QueryDict(request.POST.get("back", "")))
    back = urlencode(where)
    form = CandidateCheckForm(request.POST)
    typed = CheckRow(
        candidate,
        request.POST.get("willingness", ""),
        request.POST.get("health", ""),
        request.POST.get("note", ""),
    )
    if form.is_valid():
        done = post_action(
            request,
            lambda: checks.candidate_check(
                actor=request.user,
                reunion_round=reunion_round,
                candidate=candidate,
                **form.cleaned_data,
            ),
            then=lambda _saved: _check_saved(request, reunion_round, candidate, back),
            form=form,
        )
        if done:
            return done
    typed.errors = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
    if request.htmx:
        return render(
            request,
            "reunion/_candidate_rows.html",
            _row_context(reunion_round, typed, back),
            status=422,
        )
    messages.error(
        request,
        _("The check of %(name)s was not saved: see its row.")
        % {"name": candidate.applicant.display_name},
    )
    return round_page(request, reunion_round, status=422, query=where, row=typed)


@login_required
@require_POST
def checks_import(request: AuthedRequest, pk: int) -> HttpResponse:
    """Read a filled-in check sheet: all of it is recorded, or nothing and every bad row is
    named (file, row, column) on the form."""
    reunion_round = get_reunion_round_for_edit(request.user, pk)
    form = ChecksImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        done = post_action(
            request,
            lambda: checks.checks_import(
                actor=request.user,
                reunion_round=reunion_round,
                data=upload.read(),
                filename=upload.name or "checks",
            ),
            success=lambda counts: (
                _("%(read)s rows read; %(changed)s candidates' checks changed.")
                % {"read": counts[0], "changed": counts[1]}
            ),
            then=redirect("reunion:round", pk=pk),
            form=form,
        )
        if done:
            return done
    return round_page(request, reunion_round, status=422, import_form=form)


@login_required
def checks_template(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    """The check sheet of the drawn candidates as it stands, to fill in (xlsx or csv), in the
    page's language (both are read back)."""
    reunion_round = get_reunion_round_for_user(request.user, pk)
    require(fmt in ("xlsx", "csv"))
    require(can_export_reunion_lists(request.user))  # names of people, as a file: not a viewer
    language = request_language(request)
    rows = checks.checks_template(
        candidates_for_user(request.user, reunion_round), language=language
    )
    list_exported(
        actor=request.user, reunion_round=reunion_round, what=f"checks.{fmt}", rows=len(rows) - 1
    )
    name = f"checks-{reunion_round.kind}-{reunion_round.number}.{fmt}"
    if fmt == "csv":
        return attachment(template_csv(rows), name, "text/csv; charset=utf-8")
    return attachment(
        template_xlsx(rows, language),
        name,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
