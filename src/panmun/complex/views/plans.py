"""The day plans' pages: a day's slots with their plans (counts, state, the gate officer's build
and send buttons), a plan with its lines, the printed list of a day (the paper fallback: a
column to tick and one for the real time), and the North's page where the bureau consents to
the plans sent to it or refuses them with a note. Reads through `access`, writes through
`services.plans` by `post_action`: a refused form comes back (422) with what was typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from panmun.accounts.access import get_or_404, require
from panmun.accounts.requests import AuthedRequest
from panmun.common.pages import post_action

from ..access import (
    can_answer_plans,
    can_build_plans,
    can_read_plans,
    dayplans_for_user,
    get_dayplan,
    get_dayplan_for_answer,
    get_dayplan_for_build,
    planlines_for_user,
)
from ..models import DayPlan, PlanState
from ..selectors_plans import PlanRow, rows_for_user, slots_on, timetable_on, window_of
from ..services import plans as plan_service
from ..services import plans_north

FIRST_DAY, LAST_DAY = plan_service.FIRST_DAY, plan_service.LAST_DAY
#: Plans shown waiting for the North's answer, at most.
MAX_WAITING = 200


class DayField(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(label=gettext_lazy("Day"), help_text="YYYY-MM-DD", **kwargs)

    def clean(self, value: Any) -> Any:
        day = super().clean(value)
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(_("A day in 2000–2099."))
        return day


class DayForm(forms.Form):
    day = DayField()


class AnswerForm(forms.Form):
    consent = forms.TypedChoiceField(
        label=gettext_lazy("Answer"),
        choices=[("yes", gettext_lazy("Consent")), ("no", gettext_lazy("Refuse"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=plan_service.MAX_NOTE,
        required=False,
        help_text=gettext_lazy("Required when refusing: say why."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LineAddForm(forms.Form):
    subject = forms.ChoiceField(
        label=gettext_lazy("Person or vehicle"),
        choices=[("person", gettext_lazy("Person")), ("vehicle", gettext_lazy("Vehicle"))],
    )
    key = forms.CharField(
        label=gettext_lazy("Document or plate"),
        max_length=40,
        help_text=gettext_lazy(
            "Of an application with a crossing plan in force for this day and direction."
        ),
    )


def _day_of(request: AuthedRequest) -> tuple[dt.date, DayForm]:
    """The day asked for (`?day=`), today when none or a bad one (the form shows why)."""
    form = DayForm(request.GET or None)
    if request.GET.get("day") and form.is_valid():
        return form.cleaned_data["day"], form
    today = timezone.localdate()
    if not request.GET.get("day"):
        form = DayForm(initial={"day": today})
    return today, form


def _slot_rows(day: dt.date, rows: list[PlanRow]) -> list[dict[str, Any]]:
    """Each slot (or RFID window) of the day with its plan's row, if built; and any plan whose
    slot is not of the day's timetable any more."""
    by_slot = {(r.plan.direction, r.plan.slot_id): r for r in rows}
    rfid = any(r.plan.slot_id is None for r in rows)
    table = timetable_on(day)
    if table is not None and table.mode == "rfid":
        rfid = True
    out = []
    for slot in slots_on(day):
        key = (slot.direction, None if rfid else slot.pk)
        out.append({"slot": slot, "row": by_slot.pop(key, None)})
    out.extend({"slot": window_of(r.plan), "row": r} for r in by_slot.values())
    return out


def dayplans_page_of(
    request: AuthedRequest, *, status: int = 200, build_form: DayForm | None = None
) -> HttpResponse:
    require(can_read_plans(request.user))
    day, day_form = _day_of(request)
    if build_form is not None and build_form.is_valid():
        day = build_form.cleaned_data["day"]  # a build refused by the service: its day
    rows = rows_for_user(request.user, dayplans_for_user(request.user).filter(day=day))
    can_build = can_build_plans(request.user)
    sendable = {r.plan.pk for r in rows if can_build and plans_north.needs_sending(r.plan)}
    context: dict[str, Any] = {
        "day": day,
        "day_form": day_form,
        "timetable": timetable_on(day),
        "slot_rows": _slot_rows(day, rows),
        "sendable": sendable,
        "can_build": can_build,
        "previous": day - dt.timedelta(days=1),
        "next": day + dt.timedelta(days=1),
    }
    if not rows:  # nothing that day: the nearest days with plans, before and after
        seen = dayplans_for_user(request.user)
        context["earlier"] = (
            seen.filter(day__lt=day).order_by("-day").values_list("day", flat=True).first()
        )
        context["later"] = (
            seen.filter(day__gt=day).order_by("day").values_list("day", flat=True).first()
        )
    if can_build:
        context["build_form"] = build_form or DayForm(initial={"day": day}, prefix="build")
    return render(request, "complex/dayplans.html", context, status=status)


@login_required
@require_GET
def dayplans(request: AuthedRequest) -> HttpResponse:
    return dayplans_page_of(request)


@login_required
@require_POST
def dayplans_build(request: AuthedRequest) -> HttpResponse:
    require(can_build_plans(request.user))
    form = DayForm(request.POST, prefix="build")
    if form.is_valid():
        day = form.cleaned_data["day"]

        def done(result: plan_service.BuildResult) -> str:
            text = _("%(plans)s plans built: %(added)s added, %(withdrawn)s withdrawn.") % {
                "plans": len(result.plans),
                "added": result.added,
                "withdrawn": result.withdrawn,
            }
            for skipped in result.skipped:
                what = skipped.get("application") or skipped.get("plan", "")
                reason = skipped["reason_en" if request.LANGUAGE_CODE == "en" else "reason_ko"]
                text += " " + _("Left out: %(what)s — %(reason)s") % {
                    "what": what,
                    "reason": reason,
                }
            return text

        response = post_action(
            request,
            lambda: plan_service.dayplans_build(actor=request.user, day=day),
            success=done,
            then=redirect(f"{reverse('complex:dayplans')}?day={day:%Y-%m-%d}"),
            form=form,
        )
        if response:
            return response
    return dayplans_page_of(request, status=422, build_form=form)


def dayplan_page_of(
    request: AuthedRequest,
    plan: DayPlan,
    *,
    status: int = 200,
    line_form: LineAddForm | None = None,
) -> HttpResponse:
    lines = planlines_for_user(request.user, plan).select_related("firm", "approval__application")
    page = Paginator(lines.order_by("subject", "key"), 500).get_page(request.GET.get("page"))
    can_build = can_build_plans(request.user)
    context: dict[str, Any] = {
        "plan": plan,
        "window": window_of(plan),
        "page": page,
        "can_build": can_build,
        # The bureau does not read the South's list of plans: its way back is its own page.
        "reads_plans": can_read_plans(request.user),
        "can_send": can_build and plans_north.needs_sending(plan),
        "can_change": can_build
        and (plan.sent_entry_id is None or plan_service.change_problem(plan) is None),
        "label": plan_service.plan_label(plan),
    }
    if context["can_change"] or line_form is not None:
        context["line_form"] = line_form or LineAddForm(prefix="line")
    return render(request, "complex/dayplan.html", context, status=status)


@login_required
@require_GET
def dayplan(request: AuthedRequest, pk: int) -> HttpResponse:
    return dayplan_page_of(request, get_dayplan(request.user, pk))


@login_required
@require_POST
def dayplan_send(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_dayplan_for_build(request.user, pk)
    return post_action(
        request,
        lambda: plans_north.dayplan_send(actor=request.user, plan=plan),
        success=_("The plan has been sent to the North as a signed list."),
        then=redirect("complex:dayplan", pk=plan.pk),
    )


@login_required
@require_POST
def planline_add(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_dayplan_for_build(request.user, pk)
    form = LineAddForm(request.POST, prefix="line")
    if form.is_valid():

        def add() -> Any:
            traveller, vehicle = plan_service.crossing_subject_find(
                plan, form.cleaned_data["subject"], form.cleaned_data["key"]
            )
            return plan_service.planline_add(
                actor=request.user, plan=plan, traveller=traveller, vehicle=vehicle
            )

        response = post_action(
            request,
            add,
            success=_("The line has been added."),
            then=redirect("complex:dayplan", pk=plan.pk),
            form=form,
        )
        if response:
            return response
    return dayplan_page_of(request, plan, status=422, line_form=form)


@login_required
@require_POST
def planline_withdraw(request: AuthedRequest, pk: int, line: int) -> HttpResponse:
    plan = get_dayplan_for_build(request.user, pk)
    found = get_or_404(planlines_for_user(request.user, plan), line, "계획 줄", "Plan line")
    return post_action(
        request,
        lambda: plan_service.planline_withdraw(actor=request.user, line=found),
        success=_("The line has been withdrawn."),
        then=redirect("complex:dayplan", pk=plan.pk),
    )


@login_required
@require_GET
def dayplans_print(request: AuthedRequest) -> HttpResponse:
    """The day's plans as a printed list: the paper fallback when the gate's terminal is down."""
    require(can_read_plans(request.user))
    day, _form = _day_of(request)
    plans = []
    for row in rows_for_user(request.user, dayplans_for_user(request.user).filter(day=day)):
        lines = (
            planlines_for_user(request.user, row.plan)
            .exclude(state="withdrawn")
            .select_related("firm")
            .order_by("subject", "key")[: plan_service.MAX_LINES_A_DAY]
        )
        plans.append(
            {
                "plan": row.plan,
                "window": window_of(row.plan),
                "label": plan_service.plan_label(row.plan),
                "lines": lines,
            }
        )
    return render(
        request,
        "complex/dayplans_print.html",
        {"day": day, "plans": plans, "printed_at": timezone.localtime()},
    )


# --- the North's page ------------------------------------------------------------------------


def north_page_of(
    request: AuthedRequest,
    *,
    status: int = 200,
    answer_form: AnswerForm | None = None,
    failed_pk: int | None = None,
) -> HttpResponse:
    require(can_answer_plans(request.user))
    plans = dayplans_for_user(request.user)
    # At most the 200 earliest days' plans waiting (a bound; the oldest are answered first).
    first = list(
        plans.filter(state=PlanState.SENT)
        .order_by("day", "pk")
        .values_list("pk", flat=True)[:MAX_WAITING]
    )
    waiting = sorted(
        rows_for_user(request.user, DayPlan.objects.filter(pk__in=first)),
        key=lambda r: (r.plan.day, r.plan.direction != "out"),
    )
    recent = list(
        plans.exclude(state=PlanState.SENT)
        .select_related("slot")
        .order_by("-answered_at", "-pk")[:50]
    )
    context: dict[str, Any] = {
        "waiting": waiting,
        "recent": recent,
        "answer_form": answer_form or AnswerForm(prefix="answer"),
        "failed_pk": failed_pk,
    }
    return render(request, "complex/dayplans_north.html", context, status=status)


@login_required
@require_GET
def dayplans_north(request: AuthedRequest) -> HttpResponse:
    return north_page_of(request)


@login_required
@require_POST
def dayplan_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_dayplan_for_answer(request.user, pk)
    form = AnswerForm(request.POST, prefix="answer")
    if form.is_valid():
        response = post_action(
            request,
            lambda: plans_north.dayplan_answer(
                actor=request.user,
                plan=plan,
                consent=form.cleaned_data["consent"],
                note=form.cleaned_data["note"],
            ),
            success=lambda p: (
                _("Consent has been sent.")
                if p.state == PlanState.CONSENTED
                else _("The refusal has been sent.")
            ),
            then=redirect("complex:dayplans-north"),
            form=form,
        )
        if response:
            return response
    return north_page_of(request, status=422, answer_form=form, failed_pk=plan.pk)
