"""The complex's pages on stays and telephone lines: the stays (open ones, each with what is due
or overdue now; the committee's and the firms' arrival form), a stay (its registrations and fees;
the committee's registration, fee and departure forms), the lines with their dial strings, the
calls' import and the monthly bills (the committee keeps them; a firm reads its own). Reads
through `access`, writes through the services by `post_action`: a refused form comes back (422)
with what was typed and the problem on its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from panmun.accounts.access import require
from panmun.accounts.requests import AuthedRequest
from panmun.common.pages import post_action

from .. import comms_rules, stay_rules
from ..access import (
    bills_for_user,
    can_file_stays,
    can_keep_lines,
    can_read_lines,
    can_register_stays,
    firms_for_edit,
    firms_for_user,
    get_line,
    get_stay,
    lines_for_user,
    stays_for_user,
)
from ..models import Firm, StayRegistration, StayStep
from ..services import comms as comms_service
from ..services import stay as stay_service
from .payroll import MonthField

REGISTER = {
    StayStep.REGISTRATION: stay_service.stay_register,
    StayStep.EXTENSION: stay_service.stay_extend,
    StayStep.RESIDENCE: stay_service.stay_residence_register,
}


DEADLINE_LABELS = {
    stay_rules.REGISTRATION: pgettext_lazy("stay deadline", "Registration"),
    stay_rules.EXTENSION: pgettext_lazy("stay deadline", "Extension requested by"),
    stay_rules.EXPIRY: pgettext_lazy("stay deadline", "Stay expired"),
    stay_rules.RESIDENCE_DUE: pgettext_lazy("stay deadline", "Residence registration"),
}


def shown(deadlines: list[stay_rules.Deadline], language: str) -> list[dict[str, Any]]:
    """The deadlines as a page shows them: what, in words, and the rule in the page's
    language."""
    rows = []
    for d in deadlines:
        ko, en = stay_rules.RULES[d.rule]
        rows.append(
            {
                "kind": d.kind,
                "state": d.state,
                "overdue": d.overdue,
                "due_on": d.due_on,
                "due_at": d.due_at,
                "label": DEADLINE_LABELS[d.kind],
                "rule": ko if language.startswith("ko") else en,
            }
        )
    return rows


def _firm_field(required: bool = True) -> forms.ModelChoiceField[Firm]:
    return forms.ModelChoiceField(
        label=pgettext_lazy("complex stay", "Firm"), queryset=Firm.objects.none(), required=required
    )


class ArriveForm(forms.Form):
    document_number = forms.CharField(
        label=pgettext_lazy("complex stay", "Document number"), max_length=60
    )
    name = forms.CharField(label=pgettext_lazy("complex stay", "Name"), max_length=200)
    firm = _firm_field()
    arrived_at = forms.DateTimeField(
        label=pgettext_lazy("complex stay", "Arrived at"), help_text="YYYY-MM-DD HH:MM"
    )
    planned_departure = forms.DateField(
        label=pgettext_lazy("complex stay", "Planned departure"),
        required=False,
        help_text=gettext_lazy("YYYY-MM-DD; leaving within 7 days: no registration needed"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["firm"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = firms_for_edit(user).order_by("name_ko")


class RegisterForm(forms.Form):
    step = forms.ChoiceField(label=pgettext_lazy("complex stay", "What"), choices=StayStep.choices)
    valid_until = forms.DateField(
        label=pgettext_lazy("complex stay", "Last day of the stay"), help_text="YYYY-MM-DD"
    )
    requested_on = forms.DateField(
        label=pgettext_lazy("complex stay", "Requested on"),
        required=False,
        help_text=pgettext_lazy("complex stay", "YYYY-MM-DD; empty: today"),
    )


class FeeForm(forms.Form):
    registration = forms.ModelChoiceField(
        label=pgettext_lazy("complex stay", "Registration"),
        queryset=StayRegistration.objects.none(),
    )
    paid_on = forms.DateField(
        label=pgettext_lazy("complex stay", "Paid on"), help_text="YYYY-MM-DD"
    )
    receipt = forms.CharField(label=pgettext_lazy("complex stay", "Receipt"), max_length=100)

    def __init__(self, *args: Any, stay: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["registration"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = stay.registrations.filter(fee_paid_on__isnull=True)


class DepartForm(forms.Form):
    departed_at = forms.DateTimeField(
        label=pgettext_lazy("complex stay", "Left at"), help_text="YYYY-MM-DD HH:MM"
    )


class LineForm(forms.Form):
    firm = _firm_field()
    number = forms.CharField(
        label=pgettext_lazy("complex stay", "Line number"),
        max_length=20,
        help_text=gettext_lazy("4 to 8 digits; from the South it is dialled 001-8585 + number"),
    )
    installed_on = forms.DateField(
        label=pgettext_lazy("complex stay", "Installed on"), help_text="YYYY-MM-DD"
    )
    note = forms.CharField(
        label=pgettext_lazy("complex stay", "Note"), max_length=300, required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["firm"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = firms_for_user(user).order_by("name_ko")


class RemoveForm(forms.Form):
    removed_on = forms.DateField(
        label=pgettext_lazy("complex stay", "Taken out on"), help_text="YYYY-MM-DD"
    )


class CallsImportForm(forms.Form):
    file = forms.FileField(
        label=pgettext_lazy("complex stay", "Call records (.csv)"),
        help_text=gettext_lazy(
            "Columns: line, dialled, started_at, duration_seconds. At most 2 MB and 20,000 "
            "rows; all of it is recorded, or nothing and every bad row is named."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
    )


class BillForm(forms.Form):
    firm = _firm_field()
    month = MonthField(label=pgettext_lazy("complex stay", "Month"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["firm"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = firms_for_user(user).order_by("name_ko")


# --- stays ---------------------------------------------------------------------------------


def stays_page_of(request: AuthedRequest, *, status: int = 200, **given: Any) -> HttpResponse:
    rows = stays_for_user(request.user).select_related("firm")
    show_all = request.GET.get("all") == "1"
    if not show_all:
        rows = rows.filter(departed_at__isnull=True)
    page = Paginator(rows.order_by("-arrived_at", "pk"), 100).get_page(request.GET.get("page"))
    now = timezone.now()
    context: dict[str, Any] = {
        "page": page,
        "rows": [
            (stay, shown(stay_service.stay_deadlines(stay, now), get_language() or "ko"))
            for stay in page
        ],
        "show_all": show_all,
        "rules": stay_rules.RULES,
        "fees": stay_rules.FEES,
        "can_file": can_file_stays(request.user),
    }
    if context["can_file"]:
        context["form"] = given.get("form") or ArriveForm(user=request.user, prefix="arrive")
    return render(request, "complex/stays.html", context, status=status)


@login_required
@require_GET
def stays(request: AuthedRequest) -> HttpResponse:
    return stays_page_of(request)


@login_required
@require_POST
def stay_arrive(request: AuthedRequest) -> HttpResponse:
    require(can_file_stays(request.user))
    form = ArriveForm(request.POST, user=request.user, prefix="arrive")
    if form.is_valid():
        data = form.cleaned_data
        done = post_action(
            request,
            lambda: stay_service.stay_arrive(
                actor=request.user,
                document_number=data["document_number"],
                name=data["name"],
                firm=data["firm"],
                arrived_at=data["arrived_at"],
                planned_departure=data["planned_departure"],
            ),
            success=_("The arrival has been recorded."),
            then=lambda stay: redirect("complex:stay", stay.pk),
            form=form,
        )
        if done:
            return done
    return stays_page_of(request, status=422, form=form)


def stay_page_of(
    request: AuthedRequest, pk: int, *, status: int = 200, **given: Any
) -> HttpResponse:
    stay = get_stay(request.user, pk)
    context: dict[str, Any] = {
        "stay": stay,
        "deadlines": shown(stay_service.stay_deadlines(stay), get_language() or "ko"),
        "registrations": list(stay.registrations.order_by("pk")),
        "rules": stay_rules.RULES,
        "can_register": can_register_stays(request.user) and stay.departed_at is None,
        "can_depart": can_file_stays(request.user) and stay.departed_at is None,
    }
    if context["can_register"]:
        context["register_form"] = given.get("register_form") or RegisterForm(prefix="reg")
        context["fee_form"] = given.get("fee_form") or FeeForm(stay=stay, prefix="fee")
    if context["can_depart"]:
        context["depart_form"] = given.get("depart_form") or DepartForm(prefix="dep")
    return render(request, "complex/stay.html", context, status=status)


@login_required
@require_GET
def stay_page(request: AuthedRequest, pk: int) -> HttpResponse:
    return stay_page_of(request, pk)


@login_required
@require_POST
def stay_register(request: AuthedRequest, pk: int) -> HttpResponse:
    stay = get_stay(request.user, pk)
    require(can_register_stays(request.user))
    form = RegisterForm(request.POST, prefix="reg")
    if form.is_valid():
        data = form.cleaned_data
        done = post_action(
            request,
            lambda: REGISTER[data["step"]](
                actor=request.user,
                stay=stay,
                valid_until=data["valid_until"],
                requested_on=data["requested_on"],
            ),
            success=_("The stay has been registered."),
            then=redirect("complex:stay", stay.pk),
            form=form,
        )
        if done:
            return done
    return stay_page_of(request, pk, status=422, register_form=form)


@login_required
@require_POST
def stay_fee(request: AuthedRequest, pk: int) -> HttpResponse:
    stay = get_stay(request.user, pk)
    require(can_register_stays(request.user))
    form = FeeForm(request.POST, stay=stay, prefix="fee")
    if form.is_valid():
        data = form.cleaned_data
        done = post_action(
            request,
            lambda: stay_service.stay_fee_record(
                actor=request.user,
                registration=data["registration"],
                paid_on=data["paid_on"],
                receipt=data["receipt"],
            ),
            success=_("The fee has been recorded as paid."),
            then=redirect("complex:stay", stay.pk),
            form=form,
        )
        if done:
            return done
    return stay_page_of(request, pk, status=422, fee_form=form)


@login_required
@require_POST
def stay_depart(request: AuthedRequest, pk: int) -> HttpResponse:
    stay = get_stay(request.user, pk)
    require(can_file_stays(request.user))
    form = DepartForm(request.POST, prefix="dep")
    if form.is_valid():
        done = post_action(
            request,
            lambda: stay_service.stay_depart(
                actor=request.user, stay=stay, departed_at=form.cleaned_data["departed_at"]
            ),
            success=_("The departure has been recorded."),
            then=redirect("complex:stay", stay.pk),
            form=form,
        )
        if done:
            return done
    return stay_page_of(request, pk, status=422, depart_form=form)


# --- telephone lines -----------------------------------------------------------------------


def phones_page_of(request: AuthedRequest, *, status: int = 200, **given: Any) -> HttpResponse:
    require(can_read_lines(request.user))
    lines = lines_for_user(request.user).select_related("firm").order_by("firm__name_ko", "number")
    bills = bills_for_user(request.user).select_related("firm").order_by("-month", "firm__name_ko")
    context: dict[str, Any] = {
        "lines": [(line, comms_rules.dial_from_south(line.number)) for line in lines[:1000]],
        "bills": bills[:200],
        "tariffs": comms_rules.TARIFFS,
        "to_south": comms_rules.TO_SOUTH_PREFIX,
        "can_keep": can_keep_lines(request.user),
        "failed_pk": given.get("failed_pk"),
    }
    if context["can_keep"]:
        context["line_form"] = given.get("line_form") or LineForm(user=request.user, prefix="line")
        context["import_form"] = given.get("import_form") or CallsImportForm(prefix="calls")
        context["bill_form"] = given.get("bill_form") or BillForm(user=request.user, prefix="bill")
        context["remove_form"] = given.get("remove_form") or RemoveForm(prefix="remove")
    return render(request, "complex/phones.html", context, status=status)


@login_required
@require_GET
def phones(request: AuthedRequest) -> HttpResponse:
    return phones_page_of(request)


@login_required
@require_POST
def phone_line_install(request: AuthedRequest) -> HttpResponse:
    require(can_keep_lines(request.user))
    form = LineForm(request.POST, user=request.user, prefix="line")
    if form.is_valid():
        data = form.cleaned_data
        done = post_action(
            request,
            lambda: comms_service.phone_line_install(
                actor=request.user,
                firm=data["firm"],
                number=data["number"],
                installed_on=data["installed_on"],
                note=data["note"],
            ),
            success=_("The line has been installed."),
            then=redirect("complex:phone-lines"),
            form=form,
        )
        if done:
            return done
    return phones_page_of(request, status=422, line_form=form)


@login_required
@require_POST
def phone_line_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    line = get_line(request.user, pk)
    require(can_keep_lines(request.user))
    form = RemoveForm(request.POST, prefix="remove")
    if form.is_valid():
        done = post_action(
            request,
            lambda: comms_service.phone_line_remove(
                actor=request.user, line=line, removed_on=form.cleaned_data["removed_on"]
            ),
            success=_("The line has been taken out."),
            then=redirect("complex:phone-lines"),
            form=form,
        )
        if done:
            return done
    return phones_page_of(request, status=422, remove_form=form, failed_pk=line.pk)


@login_required
@require_POST
def phone_calls_import(request: AuthedRequest) -> HttpResponse:
    require(can_keep_lines(request.user))
    form = CallsImportForm(request.POST, request.FILES, prefix="calls")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        done = post_action(
            request,
            lambda: comms_service.phone_calls_import(
                actor=request.user,
                name=upload.name or "calls.csv",
                data=upload.read(comms_service.MAX_FILE_BYTES + 1),
            ),
            success=lambda count: _("%(count)d calls have been recorded.") % {"count": count},
            then=redirect("complex:phone-lines"),
            form=form,
        )
        if done:
            return done
    return phones_page_of(request, status=422, import_form=form)


@login_required
@require_POST
def phone_bill_compute(request: AuthedRequest) -> HttpResponse:
    require(can_keep_lines(request.user))
    form = BillForm(request.POST, user=request.user, prefix="bill")
    if form.is_valid():
        data = form.cleaned_data
        done = post_action(
            request,
            lambda: comms_service.phone_bill_compute(
                actor=request.user, firm=data["firm"], month=data["month"]
            ),
            success=_("The bill has been computed."),
            then=redirect("complex:phone-lines"),
            form=form,
        )
        if done:
            return done
    return phones_page_of(request, status=422, bill_form=form)
