"""The ledger's activities: the list (filtered by channel, status and year) and each
activity's page. Reads through `access`, writes through `services.activities`."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.accounts.requests import AuthedRequest
from panmun.common.errors import DomainError
from panmun.common.language import in_page_words, request_language
from panmun.common.pages import problems_of, refusal_on_form

from ..access import (
    activities_editable,
    activities_for_user,
    can_add_activity,
    can_grant_exception,
    can_keep_ledger,
    can_read_ledger,
    can_read_loans,
    can_read_reports,
    get_activity_for_edit,
    get_activity_for_user,
    shipments_for_user,
)
from ..forms import (
    ActivityForm,
    ParticipantFormSet,
    SectorFormSet,
    participant_lines,
    sector_lines,
)
from ..models import Activity, Channel, TargetGroup
from ..services.activities import activity_create, activity_update, data_of

PAGE_SIZE = 50


def ledger_links(user: User) -> list[dict[str, str]]:
    """The ledger's other pages that `user` may open, for the heading of its pages."""
    links = [
        (True, "aid:shipments", _("Shipments")),
        (can_read_reports(user), "aid:reports", _("Reports")),
        (can_read_loans(user), "aid:loans", _("Food loans")),
        (can_read_ledger(user), "aid:rates", _("Exchange rates")),
        (can_keep_ledger(user), "aid:history", _("History by year")),
        (can_read_ledger(user), "aid:iati", _("IATI files")),
    ]
    return [{"url": reverse(name), "label": str(label)} for shown, name, label in links if shown]


@login_required
@require_GET
def activities_page(request: AuthedRequest) -> HttpResponse:
    require(can_read_ledger(request.user))
    activities = (
        activities_for_user(request.user)
        .select_related("parent")
        .order_by("-planned_start", "identifier")
    )
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "aid/activities.html",
        {
            "page": page,
            "can_add": can_add_activity(request.user),
            "links": ledger_links(request.user),
        },
    )


# --- one activity ----------------------------------------------------------------------------


@login_required
@require_GET
def activity_page(request: AuthedRequest, pk: int) -> HttpResponse:
    require(can_read_ledger(request.user))
    activity = get_activity_for_user(request.user, pk)
    return render(
        request,
        "aid/activity.html",
        {
            "activity": activity,
            "sectors": activity.sectors.all(),
            "target_groups": [
                TargetGroup(g).label for g in activity.target_groups if g in TargetGroup.values
            ],
            "participants": activity.participants.all(),
            "children": activities_for_user(request.user).filter(parent=activity),
            "parent": (
                activities_for_user(request.user).filter(pk=activity.parent_id).first()
                if activity.parent_id
                else None
            ),
            "can_edit": activities_editable(request.user).filter(pk=activity.pk).exists(),
            "shipments": shipments_for_user(request.user).filter(activity=activity),
            "exceptions": activity.policy_exceptions.select_related("measure", "granted_by"),
        },
    )


# --- the form: file, change ------------------------------------------------------------------

LINE = re.compile(r"^(sectors|participants)\.(\d+)\.(\w+)$")


def _parents(user: User) -> list[Activity]:
    """The activities a new one may sit under: any for the ministry; for an aid organisation,
    those that name it among their participants."""
    if can_keep_ledger(user):
        return list(Activity.objects.order_by("identifier")[:500])
    named = Activity.objects.filter(participants__organisation=user.organisation)
    return list(named.distinct().order_by("identifier")[:500])


def _forms(request: AuthedRequest, activity: Activity | None) -> tuple[ActivityForm, Any, Any]:
    ministry = can_keep_ledger(request.user)
    supervisor = can_grant_exception(request.user)
    parents = _parents(request.user)
    if request.method == "POST":
        return (
            ActivityForm(
                request.POST,
                parents=parents,
                ministry=ministry,
                supervisor=supervisor,
                activity=activity,
            ),
            SectorFormSet(request.POST, prefix="sector"),
            ParticipantFormSet(request.POST, prefix="participant"),
        )
    if activity is not None:
        data = data_of(activity)
        return (
            ActivityForm(
                initial=ActivityForm.initial_of(data),
                parents=parents,
                ministry=ministry,
                activity=activity,
            ),
            SectorFormSet(
                initial=[
                    {"code": s.code, "vocabulary": s.vocabulary, "percentage": s.percentage or None}
                    for s in data.sectors
                ],
                prefix="sector",
            ),
            ParticipantFormSet(
                initial=[
                    {
                        "role": p.role,
                        "name_ko": p.name_ko,
                        "name_en": p.name_en,
                        "ref": p.ref,
                        "org_type": p.org_type,
                    }
                    for p in data.participants
                ],
                prefix="participant",
            ),
        )
    org = request.user.organisation
    initial: dict[str, Any] = {}
    if not ministry and org is not None:
        initial = {
            "reporting_org_type": "22",
            "reporting_org_name_ko": org.name_ko,
            "reporting_org_name_en": org.name_en,
            "reporting_org_ref": "",
            "channel": Channel.NGO_OWN,
        }
    elif org is not None:
        initial = {"reporting_org_name_ko": org.name_ko, "reporting_org_name_en": org.name_en}
    return (
        ActivityForm(initial=initial, parents=parents, ministry=ministry, supervisor=supervisor),
        SectorFormSet(prefix="sector"),
        ParticipantFormSet(prefix="participant"),
    )


def _refusal_on_forms(
    request: AuthedRequest,
    err: DomainError,
    form: ActivityForm,
    formsets: dict[str, tuple[Any, list[int]]],
) -> None:
    """A refusal on the forms: a problem of the n-th sector or participant goes on the row it
    came from; the rest on the activity's form."""
    language = request_language(request)
    rest = []
    for problem in problems_of(err):
        match = LINE.match(str(problem.get("field") or ""))
        if match:
            formset, rows = formsets[match.group(1)]
            n, name = int(match.group(2)), match.group(3)
            if 0 < n <= len(rows):
                row_form = formset.forms[rows[n - 1]]
                reason = problem.get(f"reason_{language}") or problem.get("reason_ko", "")
                row_form.add_error(
                    name if name in row_form.fields else None, in_page_words(request, reason)
                )
                continue
        rest.append(problem)
    details = dict(err.details) if isinstance(err.details, dict) else {}
    details["errors"] = rest
    refusal_on_form(form, DomainError(err.code, err.message_ko, err.message_en, details), request)


def _form_page(
    request: AuthedRequest,
    form: ActivityForm,
    sectors: Any,
    participants: Any,
    activity: Activity | None = None,
) -> HttpResponse:
    return render(
        request,
        "aid/activity_form.html",
        {"form": form, "sectors": sectors, "participants": participants, "activity": activity},
        status=422 if form.is_bound else 200,
    )


def _save(request: AuthedRequest, activity: Activity | None) -> HttpResponse:
    form, sectors, participants = _forms(request, activity)
    if request.method == "POST":
        valid = form.is_valid()
        valid = sectors.is_valid() and valid
        valid = participants.is_valid() and valid
        if valid:
            sector_list, sector_rows = sector_lines(sectors)
            participant_list, participant_rows = participant_lines(participants)
            data = form.activity_data(sector_list, participant_list)
            try:
                if activity is None:
                    saved = activity_create(actor=request.user, data=data)
                    messages.success(request, _("The aid activity has been filed."))
                else:
                    saved = activity_update(actor=request.user, activity=activity, data=data)
                    messages.success(request, _("The aid activity has been changed."))
            except DomainError as err:
                _refusal_on_forms(
                    request,
                    err,
                    form,
                    {
                        "sectors": (sectors, sector_rows),
                        "participants": (participants, participant_rows),
                    },
                )
            else:
                return redirect("aid:activity", pk=saved.pk)
    return _form_page(request, form, sectors, participants, activity)


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: AuthedRequest) -> HttpResponse:
    require(can_add_activity(request.user))
    return _save(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    require(can_read_ledger(request.user))
    return _save(request, get_activity_for_edit(request.user, pk))
