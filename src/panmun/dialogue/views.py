"""Pages of the dialogue record. Reads go through the access helpers, writes through services."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from panmun.accounts.access import require
from panmun.accounts.requests import AuthedRequest
from panmun.common.language import request_language
from panmun.common.pages import post_action
from panmun.dialogue.access import (
    agreements_for_user,
    can_change_agreement_status,
    can_edit_dialogue,
    get_agreement_for_user,
    get_event_for_user,
    get_talks_for_edit,
    get_talks_for_user,
)

from . import services
from .forms import AgreementForm, DelegateFormSet, StatusChangeForm, TalksForm
from .models import AgreementStatus, TalksLevel, Topic
from .record import delegate_as_dict
from .selectors import TimelineFilters, chart, timeline


@login_required
def timeline_page(request: AuthedRequest) -> HttpResponse:
    filters = TimelineFilters.from_params(request.GET)
    items = timeline(request.user, filters)
    context = {
        "items": items,
        "chart": chart(items, filters),
        "filters": filters,
        "levels": TalksLevel.choices,
        "topics": Topic.choices,
        "topic_enum": Topic,
        "can_edit": can_edit_dialogue(request.user),
    }
    template = "dialogue/_timeline_results.html" if request.htmx else "dialogue/timeline.html"
    return render(request, template, context)


@login_required
def talks_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    talks = get_talks_for_user(request.user, pk)
    return render(
        request,
        "dialogue/talks_detail.html",
        {
            "talks": talks,
            "delegates": talks.delegates.select_related("side"),
            "agreements": talks.agreements.all(),
            "can_edit": can_edit_dialogue(request.user),
            "levels": TalksLevel,
        },
    )


@login_required
def agreement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _agreement_page(request, get_agreement_for_user(request.user, pk))


def _agreement_page(
    request: AuthedRequest, agreement: Any, status_form: StatusChangeForm | None = None
) -> HttpResponse:
    """The agreement's page; after a refused status change, with that form as it was typed."""
    return render(
        request,
        "dialogue/agreement_detail.html",
        {
            "agreement": agreement,
            "provisions": agreement.provisions.all(),
            "changes": agreement.status_changes.select_related("recorded_by"),
            "talks": agreement.talks.all(),
            "parties": agreement.parties.all(),
            "can_change_status": can_change_agreement_status(request.user),
            "status_form": status_form
            or StatusChangeForm(initial={"status": AgreementStatus.SUSPENDED}),
        },
    )


@login_required
def event_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk)
    return render(request, "dialogue/event_detail.html", {"event": event})


def _agreement_choices(request: AuthedRequest) -> list[tuple[str, str]]:
    lang = request_language(request)
    return [(a.key, a.tr("title", lang)) for a in agreements_for_user(request.user).exclude(key="")]


def _talks_data(form: TalksForm, formset: Any) -> dict[str, Any]:
    data = {k: v for k, v in form.cleaned_data.items()}
    for name in ("start_date", "end_date"):
        data[name] = data[name].isoformat() if data.get(name) else None
    data["delegates"] = [
        {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("name_ko")
    ]
    return data


def _talks_save(request: AuthedRequest, talks: Any, data: dict[str, Any]) -> Any:
    """The talks typed in: recorded anew, or the record of `talks` updated."""
    if talks is None:
        data["key"] = ""
        return services.talks_create(actor=request.user, data=data, source=_("form"))
    data["key"] = talks.key
    data["source_quote"] = talks.source_quote
    return services.talks_update(actor=request.user, talks=talks, data=data, source=_("form"))


def _talks_form_page(request: AuthedRequest, talks: Any = None) -> HttpResponse:
    choices = _agreement_choices(request)
    if request.method == "POST":
        form = TalksForm(request.POST, agreement_choices=choices)
        formset = DelegateFormSet(request.POST, prefix="delegates")
        if form.is_valid() and formset.is_valid():
            data = _talks_data(form, formset)
            done = post_action(
                request,
                lambda: _talks_save(request, talks, data),
                success=_("The talks have been recorded.")
                if talks is None
                else _("The record of the talks has been updated."),
                then=lambda saved: redirect("dialogue:talks", pk=saved.pk),
                form=form,
            )
            if done:
                return done
    else:
        initial: dict[str, Any] = {}
        delegates: list[dict[str, Any]] = []
        if talks is not None:
            initial = {f: getattr(talks, f) for f in TalksForm.base_fields if hasattr(talks, f)}
            initial["agreements"] = list(talks.agreements.values_list("key", flat=True))
            delegates = [delegate_as_dict(d) for d in talks.delegates.select_related("side")]
        form = TalksForm(initial=initial, agreement_choices=choices)
        formset = DelegateFormSet(initial=delegates, prefix="delegates")
    return render(
        request, "dialogue/talks_form.html", {"form": form, "formset": formset, "talks": talks}
    )


@login_required
@require_http_methods(["GET", "POST"])
def talks_new(request: AuthedRequest) -> HttpResponse:
    require(can_edit_dialogue(request.user))
    return _talks_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def talks_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _talks_form_page(request, get_talks_for_edit(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_new(request: AuthedRequest) -> HttpResponse:
    require(can_edit_dialogue(request.user))
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["signed_on"] = data["signed_on"].isoformat() if data.get("signed_on") else None
        done = post_action(
            request,
            lambda: services.agreement_create(actor=request.user, data=data, source=_("form")),
            success=_("The agreement has been recorded."),
            then=lambda agreement: redirect("dialogue:agreement", pk=agreement.pk),
            form=form,
        )
        if done:
            return done
    return render(request, "dialogue/agreement_form.html", {"form": form})


@login_required
@require_POST
def agreement_status(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request.user, pk)
    require(can_change_agreement_status(request.user))
    form = StatusChangeForm(request.POST)
    if form.is_valid():
        done = post_action(
            request,
            lambda: services.agreement_change_status(
                actor=request.user, agreement=agreement, **form.cleaned_data
            ),
            success=_("The status change has been recorded."),
            then=redirect("dialogue:agreement", pk=agreement.pk),
            form=form,
        )
        if done:
            return done
    # Refused: the page again, the form as typed and what is wrong with it (issue 15).
    return _agreement_page(request, agreement, form)
