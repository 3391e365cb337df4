"""The complex's pages on workers: a firm's roster (search by name in either orthography or by
number, on the roster or left), a worker's record and its leaving, a worker added by hand, the
labour agency's roster file read all or nothing, and the roster as an Excel file in Korean.
Reads through `access`, writes through `services.workers` by `post_action`: a refused form
comes back (422) with what was typed and each problem on its field; a refused file names
every bad row by file, row and column."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from panmun.accounts.access import require
from panmun.accounts.requests import AuthedRequest
from panmun.common.language import request_language
from panmun.common.pages import attachment, post_action

from .. import roster
from ..access import (
    can_keep_roster,
    can_read_complex,
    firms_for_edit,
    get_firm,
    get_firm_for_edit,
    get_worker,
    get_worker_for_edit,
    workers_for_user,
)
from ..models import Firm, Worker, WorkerSex
from ..selectors_workers import roster_counts, search_workers
from ..services import workers as services

WORKERS_PER_PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkerForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Worker number"), max_length=40)
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        help_text=gettext_lazy("As the roster writes it (the North's spelling)"),
    )
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=WorkerSex.choices)
    birth_year = forms.IntegerField(
        label=gettext_lazy("Birth year"), min_value=1900, max_value=2100
    )
    job = forms.CharField(label=gettext_lazy("Job"), max_length=200, required=False)
    hired_on = forms.DateField(label=gettext_lazy("Hired on"), help_text="YYYY-MM-DD")
    base_wage_usd = forms.CharField(
        label=gettext_lazy("Base wage (USD)"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("Only above the minimum wage, e.g. 80.500; empty: the minimum"),
    )


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=gettext_lazy("Left on"), help_text="YYYY-MM-DD")


class RosterFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file (.xlsx or .csv)"),
        help_text=gettext_lazy(
            "The labour agency's roster in Korean: worker number, name, sex, birth year, job, "
            "hiring and leaving dates. New numbers are added, numbers on the roster updated. "
            "All of it is saved, or nothing and every bad row is named."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


def _can_edit(request: AuthedRequest, firm: Firm) -> bool:
    user = request.user
    return can_keep_roster(user) and firms_for_edit(user).filter(pk=firm.pk).exists()


@login_required
@require_GET
def workers_page(request: AuthedRequest, firm_pk: int) -> HttpResponse:
    require(can_read_complex(request.user))
    firm = get_firm(request.user, firm_pk)
    text = (request.GET.get("q") or "").strip()[:100]
    status = request.GET.get("status") or ""
    if status not in ("on_roster", "left"):
        status = ""
    everyone = workers_for_user(request.user).filter(firm=firm)
    found = search_workers(everyone, text, status).order_by("number")
    page = Paginator(found, WORKERS_PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode([(k, v) for k, v in (("q", text), ("status", status)) if v])
    return render(
        request,
        "complex/workers_roster.html",
        {
            "firm": firm,
            "page": page,
            "q": text,
            "status": status,
            "query": query,
            "counts": roster_counts(everyone),
            "can_edit": _can_edit(request, firm),
        },
    )


def _worker_page(
    request: AuthedRequest, worker: Worker, *, status: int = 200, form: LeaveForm | None = None
) -> HttpResponse:
    editable = _can_edit(request, worker.firm)
    context: dict[str, Any] = {"firm": worker.firm, "worker": worker, "can_edit": editable}
    if editable and worker.left_on is None:
        context["form"] = form or LeaveForm()
    return render(request, "complex/workers_record.html", context, status=status)


@login_required
@require_GET
def worker_page(request: AuthedRequest, firm_pk: int, pk: int) -> HttpResponse:
    require(can_read_complex(request.user))
    return _worker_page(request, get_worker(request.user, firm_pk, pk))


@login_required
@require_POST
def worker_leave(request: AuthedRequest, firm_pk: int, pk: int) -> HttpResponse:
    worker = get_worker_for_edit(request.user, firm_pk, pk)
    form = LeaveForm(request.POST)
    if form.is_valid():
        left_on: dt.date = form.cleaned_data["left_on"]
        done = post_action(
            request,
            lambda: services.worker_leave(actor=request.user, worker=worker, left_on=left_on),
            success=_("The leaving has been recorded."),
            then=redirect("complex:worker", firm_pk=worker.firm_id, pk=worker.pk),
            form=form,
        )
        if done:
            return done
    return _worker_page(request, worker, status=422, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def worker_add(request: AuthedRequest, firm_pk: int) -> HttpResponse:
    firm = get_firm_for_edit(request.user, firm_pk)
    if request.method == "GET":
        form = WorkerForm()
        return render(request, "complex/workers_add.html", {"firm": firm, "form": form})
    form = WorkerForm(request.POST)
    if form.is_valid():
        facts = dict(form.cleaned_data)
        wage, problem = roster.parse_wage(facts.pop("base_wage_usd") or "")
        if problem:
            english = request_language(request).startswith("en")
            form.add_error("base_wage_usd", problem.en if english else problem.ko)
        else:
            done = post_action(
                request,
                lambda: services.worker_add(
                    actor=request.user, firm=firm, base_wage_usd=wage, **facts
                ),
                success=lambda w: _("%(name)s has been put on the roster.") % {"name": w.name},
                then=lambda w: redirect("complex:worker", firm_pk=firm.pk, pk=w.pk),
                form=form,
            )
            if done:
                return done
    return render(request, "complex/workers_add.html", {"firm": firm, "form": form}, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request: AuthedRequest, firm_pk: int) -> HttpResponse:
    firm = get_firm_for_edit(request.user, firm_pk)
    if request.method == "GET":
        return render(
            request, "complex/roster_import.html", {"firm": firm, "form": RosterFileForm()}
        )
    form = RosterFileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(roster.MAX_FILE_BYTES + 1)
        done = post_action(
            request,
            lambda: services.roster_import(
                actor=request.user, firm=firm, data=data, file=upload.name or "roster.xlsx"
            ),
            success=lambda s: (
                _(
                    "The roster has been read: %(added)s workers added, %(updated)s updated, "
                    "%(left)s leavings recorded."
                )
                % {"added": s.added, "updated": s.updated, "left": s.left}
            ),
            then=redirect("complex:workers", firm_pk=firm.pk),
            form=form,
        )
        if done:
            return done
    return render(request, "complex/roster_import.html", {"firm": firm, "form": form}, status=422)


@login_required
@require_GET
def roster_export(request: AuthedRequest, firm_pk: int) -> HttpResponse:
    require(can_read_complex(request.user))
    firm = get_firm(request.user, firm_pk)
    data = services.roster_export(workers_for_user(request.user).filter(firm=firm))
    return attachment(data, f"roster-{firm.pk}.xlsx", XLSX)
