"""The gate's pages: the gate itself (a key scanned or typed, the direction, a person's vehicle;
the answer big and clear — let through, or refused with the reason and every flag's
instructions — the typed values kept on a refusal; events from the paper list typed in with
their real times), the day's events, the live headcount board (by firm, people and vehicles,
residents apart, refreshed every few seconds by htmx) and the flags. Reads through `access`
and `selectors_gate`, writes through the gate's services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.fields.json import KT
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from panmun.accounts.access import get_or_404, require
from panmun.accounts.requests import AuthedRequest
from panmun.common.errors import DomainError, invalid
from panmun.common.language import request_language
from panmun.common.pages import post_action, refusal_on_form
from panmun.jobs.access import jobs_for_user
from panmun.jobs.models import Job, JobState
from panmun.jobs.services import job_start

from ..access import (
    can_keep_flags,
    can_read_gate,
    can_read_headcount,
    can_work_gate,
    firms_for_user,
    is_firm_officer,
)
from ..models.crossings import CrossingDirection, EventOutcome, GateFlag, Subject
from ..selectors_gate import events_of_day, flags_for, headcount, inside
from ..services import gate as gate_service
from ..services import gate_flags as flag_service
from ..tasks import MAX_MERGE_BYTES

EVENTS_PER_PAGE = 200
INSIDE_SHOWN = 500
SOURCES = [
    ("scan", pgettext_lazy("gate event source", "Scanned")),
    ("typed", pgettext_lazy("gate event source", "Typed")),
    ("paper", pgettext_lazy("gate event source", "From the paper list")),
]


class GateForm(forms.Form):
    subject = forms.ChoiceField(
        label=gettext_lazy("Who crosses"), choices=Subject.choices, initial=Subject.PERSON
    )
    key = forms.CharField(
        label=gettext_lazy("Document number or plate"),
        max_length=60,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )
    direction = forms.ChoiceField(
        label=gettext_lazy("Direction"),
        choices=CrossingDirection.choices,
        widget=forms.RadioSelect,
        initial=CrossingDirection.OUT,
    )
    vehicle_key = forms.CharField(
        label=gettext_lazy("Vehicle (plate), if in one"), max_length=60, required=False
    )
    source = forms.ChoiceField(
        label=pgettext_lazy("gate event source", "Recorded"), choices=SOURCES, initial="typed"
    )
    occurred_at = forms.DateTimeField(
        label=gettext_lazy("Real time (paper list only)"),
        required=False,
        help_text="YYYY-MM-DD HH:MM",
    )
    terminal = forms.CharField(label=gettext_lazy("Terminal"), max_length=60, required=False)
    inspected = forms.BooleanField(
        label=gettext_lazy("Quarantine inspection seen (needed while the epidemic mode is on)"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        paper = data.get("source") == "paper"
        if paper and not data.get("occurred_at"):
            self.add_error("occurred_at", _("An event from the paper list needs its real time."))
        if not paper and data.get("occurred_at"):
            self.add_error(
                "occurred_at",
                _("A scanned or typed event happens now: only a paper event gives its time."),
            )
        return data


class FlagForm(forms.Form):
    subject = forms.ChoiceField(
        label=gettext_lazy("Who"), choices=Subject.choices, initial=Subject.PERSON
    )
    key = forms.CharField(label=gettext_lazy("Document number or plate"), max_length=60)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)
    instructions = forms.CharField(
        label=gettext_lazy("Instructions for the gate staff"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MergeForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("The offline terminal's file (.json)"),
        help_text=gettext_lazy(
            'A list of events (or {"events": [...]}), each with its uid, subject, key, '
            "direction and occurred_at (ISO 8601 with its zone). All of it is merged, or "
            "nothing and every bad row is named."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )


class LiftForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)


def _nav(request: AuthedRequest) -> dict[str, bool]:
    """Which of the gate's pages the crumbs link to: those `request.user` may open."""
    return {"gate_worker": can_work_gate(request.user), "gate_reader": can_read_gate(request.user)}


# --- the gate ---------------------------------------------------------------------------------


def gate_page_of(
    request: AuthedRequest,
    *,
    form: GateForm | None = None,
    answer: gate_service.GateAnswer | None = None,
    status: int = 200,
) -> HttpResponse:
    require(can_work_gate(request.user))
    today = timezone.localdate()
    context = {
        "form": form or GateForm(),
        "answer": answer,
        "answer_text": answer.message(request_language(request)) if answer else "",
        "recent": list(events_of_day(request.user, today).order_by("-occurred_at", "-id")[:20]),
        "today": today,
        **_nav(request),
    }
    template = "complex/_gate_panel.html" if request.headers.get("HX-Request") else None
    return render(request, template or "complex/gate.html", context, status=status)


@login_required
@require_GET
def gate_page(request: AuthedRequest) -> HttpResponse:
    return gate_page_of(request)


@login_required
@require_POST
def gate_check(request: AuthedRequest) -> HttpResponse:
    """One check at the gate: the answer on the page. A refusal keeps what was typed; a
    crossing let through leaves the form ready for the next one (same direction)."""
    require(can_work_gate(request.user))
    form = GateForm(request.POST)
    if not form.is_valid():
        return gate_page_of(request, form=form, status=422)
    data = form.cleaned_data
    try:
        answer = gate_service.gate_check(
            actor=request.user,
            subject=data["subject"],
            key=data["key"],
            direction=data["direction"],
            at=data["occurred_at"] or timezone.now(),
            source=data["source"],
            terminal=data["terminal"],
            vehicle_key=data["vehicle_key"],
            inspected=data["inspected"],
        )
    except DomainError as err:
        refusal_on_form(form, err, request)
        return gate_page_of(request, form=form, status=422)
    if answer.passed:
        form = GateForm(
            initial={
                "direction": data["direction"],
                "source": data["source"],
                "subject": data["subject"],
                "terminal": data["terminal"],
            }
        )
    return gate_page_of(request, form=form, answer=answer)


# --- the offline gate's file ------------------------------------------------------------------

MERGE_KIND = "complex.gate_merge"


def _merge_job(request: AuthedRequest) -> Job | None:
    """The merge job named by `?job=` (one of the officer's own, or anyone's for a supervisor),
    or None for none or for a value that names no such job."""
    wanted = request.GET.get("job", "")
    try:
        return _merge_jobs(request).filter(pk=wanted).first()
    except (ValueError, ValidationError):
        return None


def _merge_jobs(request: AuthedRequest) -> QuerySet[Job]:
    """The merge jobs `request.user` sees, without their files (up to 4 MB each): the file's
    name alone read (`filename`)."""
    return (
        jobs_for_user(request.user)
        .filter(kind=MERGE_KIND)
        .defer("params")
        .annotate(filename=KT("params__filename"))
    )


def gate_merge_page_of(
    request: AuthedRequest, *, form: MergeForm | None = None, status: int = 200
) -> HttpResponse:
    job = _merge_job(request)
    result = (job.result or {}) if job is not None and job.state == JobState.SUCCEEDED else {}
    english = request_language(request).startswith("en")
    review = [
        {**r, "message": r.get("message_en" if english else "message_ko", "")}
        for r in result.get("review", [])
        if isinstance(r, dict)
    ]
    error = (job.error or {}) if job is not None else {}
    details = error.get("details")
    context = {
        "form": form or MergeForm(),
        "job": job,
        "result": result,
        "review": review,
        "message": error.get("message_en" if english else "message_ko", ""),
        "details": details if isinstance(details, dict) else {},
        "recent": list(_merge_jobs(request).order_by("-created_at")[:10]),
        **_nav(request),
    }
    if job is not None and request.headers.get("HX-Request"):
        response = render(request, "complex/_gate_merge_job.html", context, status=status)
        if job.is_finished:  # the page once more, its list of merges brought up to date
            response["HX-Refresh"] = "true"
        return response
    return render(request, "complex/gate_merge.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def gate_merge_page(request: AuthedRequest) -> HttpResponse:
    """The offline terminal's file merged as a job (`complex.gate_merge`): the file is checked
    at once (a bad row named, nothing queued), then merged with its progress shown here; what
    was stored, what was already known, and what the rules would have refused, for the officer
    to review."""
    require(can_work_gate(request.user))
    if request.method == "GET":
        return gate_merge_page_of(request)
    form = MergeForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(MAX_MERGE_BYTES + 1)
        name = str(upload.name or "")[:200]

        def start() -> Job:
            if len(data) > MAX_MERGE_BYTES:
                raise invalid(
                    ko=f"{name}: 파일은 {MAX_MERGE_BYTES // 1_000_000}MB까지입니다.",
                    en=f"{name}: the file is at most {MAX_MERGE_BYTES // 1_000_000} MB.",
                    field="file",
                )
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as err:
                raise invalid(
                    ko=f"{name}: UTF-8 JSON 파일이 아닙니다.",
                    en=f"{name}: not a UTF-8 JSON file.",
                    field="file",
                ) from err
            return job_start(
                actor=request.user,
                kind=MERGE_KIND,
                params={"document": text, "filename": name},
            )

        done = post_action(
            request,
            start,
            then=lambda job: redirect(f"{reverse('complex:gate-merge')}?job={job.pk}"),
            form=form,
        )
        if done:
            return done
    return gate_merge_page_of(request, form=form, status=422)


# --- the day's events -------------------------------------------------------------------------


def _day(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        return timezone.localdate()
    return day if dt.date(2000, 1, 1) <= day <= dt.date(2099, 12, 31) else timezone.localdate()


@login_required
@require_GET
def gate_events(request: AuthedRequest) -> HttpResponse:
    require(can_read_gate(request.user))
    day = _day(request.GET.get("day", ""))
    outcome = request.GET.get("outcome", "")
    outcome = outcome if outcome in EventOutcome.values else ""
    rows = events_of_day(request.user, day, outcome=outcome)
    page = Paginator(rows, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    counts = {
        "passed": rows.filter(outcome=EventOutcome.PASSED).count() if not outcome else None,
        "refused": rows.filter(outcome=EventOutcome.REFUSED).count() if not outcome else None,
    }
    return render(
        request,
        "complex/gate_events.html",
        {"page": page, "day": day, "outcome": outcome, "counts": counts, **_nav(request)},
    )


# --- the live headcount -----------------------------------------------------------------------


def _board_context(request: AuthedRequest) -> dict[str, Any]:
    require(can_read_headcount(request.user))
    firm = request.GET.get("firm", "")
    firm_id = int(firm) if firm.isdigit() and len(firm) < 10 else None
    # A firm officer asking for another firm's people sees their own (inside() shows no other).
    officer = is_firm_officer(request.user)
    if firm_id is not None and officer:
        firm_id = firm_id if firms_for_user(request.user).filter(pk=firm_id).exists() else None
    people = inside(request.user, firm_id=firm_id)
    shown = firm_id is not None or officer
    return {
        "count": headcount(request.user),
        "people": list(people[:INSIDE_SHOWN]) if shown else [],
        "people_total": people.count() if shown else 0,
        "shown": shown,
        "firm_id": firm_id,
        "limit": INSIDE_SHOWN,
        **_nav(request),
    }


@login_required
@require_GET
def gate_headcount(request: AuthedRequest) -> HttpResponse:
    return render(request, "complex/gate_headcount.html", _board_context(request))


@login_required
@require_GET
def gate_headcount_board(request: AuthedRequest) -> HttpResponse:
    """The board alone, which the headcount page fetches again every few seconds."""
    return render(request, "complex/_gate_board.html", _board_context(request))


# --- flags ------------------------------------------------------------------------------------


def flags_page_of(
    request: AuthedRequest,
    *,
    form: FlagForm | None = None,
    status: int = 200,
    lifting: tuple[int, LiftForm] | None = None,
) -> HttpResponse:
    """The flags; `lifting`: the flag whose lift was refused and its form, shown again on its
    row with what was typed and why."""
    require(can_read_gate(request.user))
    show_all = request.GET.get("all") == "1"
    page = Paginator(flags_for(request.user, active=not show_all), 100).get_page(
        request.GET.get("page")
    )
    keeps = can_keep_flags(request.user)
    context = {
        "page": page,
        "show_all": show_all,
        "can_keep": keeps,
        "form": (form or FlagForm()) if keeps else None,
        "lift_form": LiftForm(prefix="lift") if keeps else None,
        "lift_pk": lifting[0] if lifting else None,
        "lift_refused": lifting[1] if lifting else None,
        **_nav(request),
    }
    return render(request, "complex/gate_flags.html", context, status=status)


@login_required
@require_GET
def gate_flags(request: AuthedRequest) -> HttpResponse:
    return flags_page_of(request)


@login_required
@require_POST
def gate_flag_raise(request: AuthedRequest) -> HttpResponse:
    require(can_keep_flags(request.user))
    form = FlagForm(request.POST)
    if form.is_valid():
        done = post_action(
            request,
            lambda: flag_service.gate_flag_raise(actor=request.user, **form.cleaned_data),
            success=_("The flag has been raised: the gate stops this person or vehicle."),
            then=redirect("complex:gate-flags"),
            form=form,
        )
        if done:
            return done
    return flags_page_of(request, form=form, status=422)


@login_required
@require_POST
def gate_flag_lift(request: AuthedRequest, pk: int) -> HttpResponse:
    require(can_keep_flags(request.user))
    flag = get_or_404(GateFlag.objects.all(), pk, "출입 제한 표시", "Flag")
    form = LiftForm(request.POST, prefix="lift")
    if form.is_valid():
        note = form.cleaned_data["note"]
        done = post_action(
            request,
            lambda: flag_service.gate_flag_lift(actor=request.user, flag=flag, note=note),
            success=_("The flag has been lifted."),
            then=redirect("complex:gate-flags"),
            form=form,
        )
        if done:
            return done
    return flags_page_of(request, status=422, lifting=(flag.pk, form))
