"""The complex's pages on firms, land and output, and the dashboard.

- /complex/: the dashboard (the committee's and the ministry's; a firm sees its own figures).
- /complex/firms/: the firms (filters kind, sector, a name), with counts; a firm officer sees
  their own firm and its subcontractors. /complex/firms/new/ and …/edit/: the committee's form.
- /complex/firms/<pk>/: a firm: contacts (kept by the firm or the committee), the
  cooperation-project approval and its state, subcontractors, sites, buildings, the fee
  schedule, monthly output (recorded here by the firm or the committee).
- /complex/land/: the lease, the parcels (m² and 평), the subleases, the fee rules; the
  committee adds to each.

Reads through `access`, writes through the services by `post_action`: a refused form comes
back (422) with what was typed and every problem on its field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from panmun.accounts.access import require
from panmun.accounts.models import Organisation, OrganisationKind
from panmun.accounts.requests import AuthedRequest
from panmun.common.pages import post_action
from panmun.permits.models import Approval

from ..access import (
    can_edit_firm,
    can_keep_rules,
    can_read_complex,
    can_read_land,
    firms_for_user,
    get_firm,
    get_firm_for_edit,
    is_committee,
    is_ministry_reader,
    own_firm,
)
from ..models import (
    BuildingKind,
    FeeRule,
    Firm,
    FirmKind,
    LandLease,
    Parcel,
    Sector,
    Sublease,
)
from ..selectors_dashboard import dashboard as dashboard_of
from ..selectors_firms import FirmFilters, counts_by, firm_list, firm_page, land
from ..services import firms as firm_services
from ..services import land as land_services
from ..services import output as output_services
from ..wages import parse_month

FIRMS_PER_PAGE = 100
USD_FIELD: dict[str, Any] = {"max_digits": 16, "decimal_places": 3, "min_value": Decimal(0)}


# --- forms ------------------------------------------------------------------------------------


class FirmForm(forms.Form):
    name_ko = forms.CharField(label=gettext_lazy("Name (Korean)"), max_length=200)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of firm"), choices=FirmKind.choices)
    sector = forms.ChoiceField(
        label=gettext_lazy("Sector"), choices=[("", "—"), *Sector.choices], required=False
    )
    tenant = forms.ModelChoiceField(
        label=gettext_lazy("Works for (a subcontractor's tenant)"),
        queryset=Firm.objects.filter(kind=FirmKind.TENANT).order_by("name_ko"),
        required=False,
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation in Panmun (its officers sign in as the firm)"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.FIRM).order_by("name_ko"),
        required=False,
    )
    business_number = forms.CharField(
        label=gettext_lazy("Business registration number"),
        max_length=20,
        required=False,
        help_text="123-45-67890",
    )
    representative = forms.CharField(
        label=gettext_lazy("Representative"), max_length=100, required=False
    )
    contact_name = forms.CharField(
        label=gettext_lazy("Contact person"), max_length=100, required=False
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("Contact telephone"), max_length=40, required=False
    )
    contact_email = forms.CharField(
        label=gettext_lazy("Contact e-mail"), max_length=254, required=False
    )
    started_on = forms.DateField(
        label=gettext_lazy("Production began"), required=False, help_text="YYYY-MM-DD"
    )
    closed_on = forms.DateField(
        label=gettext_lazy("Closed on"), required=False, help_text="YYYY-MM-DD"
    )

    def data_of(self) -> firm_services.FirmData:
        return firm_services.FirmData(**self.cleaned_data)


class ContactsForm(forms.Form):
    representative = forms.CharField(
        label=gettext_lazy("Representative"), max_length=100, required=False
    )
    contact_name = forms.CharField(
        label=gettext_lazy("Contact person"), max_length=100, required=False
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("Contact telephone"), max_length=40, required=False
    )
    contact_email = forms.CharField(
        label=gettext_lazy("Contact e-mail"), max_length=254, required=False
    )


class ApprovalLinkForm(forms.Form):
    approval = forms.IntegerField(
        label=gettext_lazy("Cooperation project approval (its number)"),
        min_value=1,
        required=False,
        help_text=gettext_lazy("Empty: no approval linked"),
    )

    def clean_approval(self) -> Approval | None:
        number = self.cleaned_data.get("approval")
        if number is None:
            return None
        found = Approval.objects.filter(pk=number).first()
        if found is None:
            raise forms.ValidationError(_("There is no approval of that number."))
        return found


class OutputForm(forms.Form):
    month = forms.CharField(label=gettext_lazy("Month"), max_length=7, help_text="YYYY-MM")
    production_usd = forms.DecimalField(label=gettext_lazy("Production (USD)"), **USD_FIELD)
    shipped_south_usd = forms.DecimalField(
        label=gettext_lazy("Shipped to the South (USD)"), required=False, **USD_FIELD
    )
    exported_usd = forms.DecimalField(
        label=gettext_lazy("Exported abroad (USD)"), required=False, **USD_FIELD
    )

    def clean_month(self) -> dt.date:
        month = parse_month(self.cleaned_data["month"])
        if month is not None:  # the months output may be recorded for: services.output
            return month
        raise forms.ValidationError(_("Write the month as YYYY-MM, e.g. 2015-03."))


class LeaseForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    developer = forms.ModelChoiceField(
        label=gettext_lazy("Developer"),
        queryset=Firm.objects.filter(kind=FirmKind.DEVELOPER).order_by("name_ko"),
    )
    lessor = forms.CharField(label=gettext_lazy("Lessor (North)"), max_length=200)
    signed_on = forms.DateField(label=gettext_lazy("Signed on"))
    starts_on = forms.DateField(label=gettext_lazy("Starts on"))
    ends_on = forms.DateField(label=gettext_lazy("Sites usable to"))
    area_pyeong = forms.DecimalField(
        label=gettext_lazy("Area (pyeong)"), max_digits=14, decimal_places=2, min_value=0
    )
    price_usd = forms.DecimalField(label=gettext_lazy("Price (USD)"), **USD_FIELD)


class ParcelForm(forms.Form):
    lease = forms.ModelChoiceField(
        label=gettext_lazy("Land lease"), queryset=LandLease.objects.order_by("signed_on")
    )
    number = forms.CharField(label=gettext_lazy("Parcel number"), max_length=40)
    area_m2 = forms.DecimalField(
        label=gettext_lazy("Area (m²)"), max_digits=14, decimal_places=2, min_value=0
    )
    use = forms.CharField(label=gettext_lazy("Use"), max_length=100, required=False)


class SubleaseForm(forms.Form):
    firm = forms.ModelChoiceField(
        label=gettext_lazy("Tenant firm"),
        queryset=Firm.objects.filter(kind=FirmKind.TENANT).order_by("name_ko"),
    )
    parcel = forms.ModelChoiceField(
        label=gettext_lazy("Parcel"), queryset=Parcel.objects.order_by("number")
    )
    signed_on = forms.DateField(label=gettext_lazy("Signed on"))
    use_from = forms.DateField(label=gettext_lazy("Site used from"))
    ends_on = forms.DateField(label=gettext_lazy("Ends on"))
    sale_price_usd = forms.DecimalField(label=gettext_lazy("Sale price (USD)"), **USD_FIELD)


class BuildingForm(forms.Form):
    firm = forms.ModelChoiceField(
        label=gettext_lazy("Tenant firm"),
        queryset=Firm.objects.filter(kind=FirmKind.TENANT).order_by("name_ko"),
    )
    parcel = forms.ModelChoiceField(
        label=gettext_lazy("Parcel"), queryset=Parcel.objects.order_by("number")
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind of building"), choices=BuildingKind.choices)
    floor_area_m2 = forms.DecimalField(
        label=gettext_lazy("Floor area (m²)"), max_digits=14, decimal_places=2, min_value=0
    )
    completed_on = forms.DateField(label=gettext_lazy("Completed on"), required=False)


class FeeRuleForm(forms.Form):
    from_year = forms.IntegerField(
        label=gettext_lazy("In force from the year"), min_value=2004, max_value=2100
    )
    rate = forms.DecimalField(
        label=gettext_lazy("Rate (share of the sale price)"),
        max_digits=8,
        decimal_places=6,
        help_text=gettext_lazy("1.56 per cent is 0.0156"),
    )
    agreed_on = forms.DateField(label=gettext_lazy("Agreed on"), required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


# --- the dashboard ----------------------------------------------------------------------------


def _year(request: AuthedRequest) -> int | None:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2004 <= int(text) <= 2100 else None


@login_required
@require_GET
def dashboard(request: AuthedRequest) -> HttpResponse:
    require(can_read_complex(request.user))
    whole = is_committee(request.user) or is_ministry_reader(request.user)
    board = dashboard_of(
        firms_for_user(request.user),
        whole_complex=whole,
        today=timezone.localdate(),
        year=_year(request),
    )
    return render(
        request, "complex/dashboard.html", {"board": board, "own_firm": own_firm(request.user)}
    )


# --- firms ------------------------------------------------------------------------------------


@login_required
@require_GET
def firms(request: AuthedRequest) -> HttpResponse:
    visible = firms_for_user(request.user)
    filters = FirmFilters.of(request.GET.dict())
    found = firm_list(visible, filters)
    page = Paginator(found, FIRMS_PER_PAGE).get_page(request.GET.get("page"))
    base = firm_list(visible, FirmFilters(q=filters.q))
    return render(
        request,
        "complex/firms.html",
        {
            "page": page,
            "filters": filters,
            "total": found.count(),
            "by_kind": counts_by(base.order_by(), "kind", FirmKind.choices),
            "by_sector": counts_by(base.order_by(), "sector", Sector.choices),
            "kinds": FirmKind.choices,
            "sectors": Sector.choices,
            "can_add": can_keep_rules(request.user),
        },
    )


def _firm_form_page(
    request: AuthedRequest, form: FirmForm, firm: Firm | None = None
) -> HttpResponse:
    return render(
        request,
        "complex/firm_form.html",
        {"form": form, "firm": firm},
        status=422 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def firm_new(request: AuthedRequest) -> HttpResponse:
    require(can_keep_rules(request.user))
    if request.method != "POST":
        return _firm_form_page(request, FirmForm(initial={"kind": FirmKind.TENANT}))
    form = FirmForm(request.POST)
    if form.is_valid():
        done = post_action(
            request,
            lambda: firm_services.firm_create(actor=request.user, data=form.data_of()),
            success=_("The firm has been recorded."),
            then=lambda firm: redirect("complex:firm", pk=firm.pk),
            form=form,
        )
        if done:
            return done
    return _firm_form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def firm_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    firm = get_firm(request.user, pk)
    require(can_keep_rules(request.user))
    if request.method != "POST":
        initial = {name: getattr(firm, name) for name in firm_services.FIRM_FIELDS}
        return _firm_form_page(request, FirmForm(initial=initial), firm)
    form = FirmForm(request.POST)
    if form.is_valid():
        done = post_action(
            request,
            lambda: firm_services.firm_update(actor=request.user, firm=firm, data=form.data_of()),
            success=_("The firm's record has been changed."),
            then=lambda f: redirect("complex:firm", pk=f.pk),
            form=form,
        )
        if done:
            return done
    return _firm_form_page(request, form, firm)


def firm_page_of(
    request: AuthedRequest, firm: Firm, *, status: int = 200, **given: Any
) -> HttpResponse:
    page = firm_page(firm, today=timezone.localdate())
    editable = can_edit_firm(request.user, firm)
    committee = can_keep_rules(request.user)
    context: dict[str, Any] = {
        "page": page,
        "firm": firm,
        "can_edit": committee,
        "can_keep": editable,
    }
    if editable:
        context["contacts_form"] = given.get("contacts_form") or ContactsForm(
            initial={name: getattr(firm, name) for name in firm_services.CONTACT_FIELDS},
            prefix="contacts",
        )
        context["output_form"] = given.get("output_form") or OutputForm(prefix="output")
    if committee:
        context["approval_form"] = given.get("approval_form") or ApprovalLinkForm(
            initial={"approval": firm.project_approval_id}, prefix="approval"
        )
    return render(request, "complex/firm.html", context, status=status)


@login_required
@require_GET
def firm_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return firm_page_of(request, get_firm(request.user, pk))


def _back(firm: Firm) -> HttpResponse:
    return redirect("complex:firm", pk=firm.pk)


@login_required
@require_POST
def firm_contacts(request: AuthedRequest, pk: int) -> HttpResponse:
    firm = get_firm_for_edit(request.user, pk)
    form = ContactsForm(request.POST, prefix="contacts")
    if form.is_valid():
        done = post_action(
            request,
            lambda: firm_services.firm_contacts_update(
                actor=request.user,
                firm=firm,
                contacts=firm_services.Contacts(**form.cleaned_data),
            ),
            success=_("The contacts have been changed."),
            then=lambda f: _back(f),
            form=form,
        )
        if done:
            return done
    return firm_page_of(request, firm, status=422, contacts_form=form)


@login_required
@require_POST
def firm_approval(request: AuthedRequest, pk: int) -> HttpResponse:
    firm = get_firm(request.user, pk)
    require(can_keep_rules(request.user))
    form = ApprovalLinkForm(request.POST, prefix="approval")
    if form.is_valid():
        done = post_action(
            request,
            lambda: firm_services.firm_link_approval(
                actor=request.user, firm=firm, approval=form.cleaned_data["approval"]
            ),
            success=_("The cooperation project approval has been linked."),
            then=lambda f: _back(f),
            form=form,
        )
        if done:
            return done
    return firm_page_of(request, firm, status=422, approval_form=form)


@login_required
@require_POST
def output_record(request: AuthedRequest, pk: int) -> HttpResponse:
    firm = get_firm_for_edit(request.user, pk)
    form = OutputForm(request.POST, prefix="output")
    if form.is_valid():
        facts = form.cleaned_data
        done = post_action(
            request,
            lambda: output_services.output_record(
                actor=request.user,
                firm=firm,
                month=facts["month"],
                production_usd=facts["production_usd"],
                shipped_south_usd=facts["shipped_south_usd"] or Decimal(0),
                exported_usd=facts["exported_usd"] or Decimal(0),
            ),
            success=_("The month's output has been recorded."),
            then=lambda _row: _back(firm),
            form=form,
        )
        if done:
            return done
    return firm_page_of(request, firm, status=422, output_form=form)


# --- land -------------------------------------------------------------------------------------

LAND_FORMS: dict[str, type[forms.Form]] = {
    "lease": LeaseForm,
    "parcel": ParcelForm,
    "sublease": SubleaseForm,
    "building": BuildingForm,
    "fee_rule": FeeRuleForm,
}


def land_page_of(request: AuthedRequest, *, status: int = 200, **given: Any) -> HttpResponse:
    require(can_read_land(request.user))
    leases, parcels = land()
    page = Paginator(parcels, FIRMS_PER_PAGE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "leases": leases,
        "page": page,
        "rules": list(FeeRule.objects.order_by("from_year")),
        "subleases": Sublease.objects.count(),
        "can_keep": can_keep_rules(request.user),
    }
    if context["can_keep"]:
        for name, form_class in LAND_FORMS.items():
            context[f"{name}_form"] = given.get(name) or form_class(prefix=name)
    return render(request, "complex/land.html", context, status=status)


@login_required
@require_GET
def land_page(request: AuthedRequest) -> HttpResponse:
    return land_page_of(request)


def _land_add(request: AuthedRequest, name: str, act: Any, success: str) -> HttpResponse:
    require(can_keep_rules(request.user))
    form = LAND_FORMS[name](request.POST, prefix=name)
    if form.is_valid():
        done = post_action(
            request,
            lambda: act(actor=request.user, **form.cleaned_data),
            success=success,
            then=lambda _obj: redirect("complex:land"),
            form=form,
        )
        if done:
            return done
    return land_page_of(request, status=422, **{name: form})


@login_required
@require_POST
def lease_add(request: AuthedRequest) -> HttpResponse:
    return _land_add(request, "lease", land_services.lease_create, _("The land lease is recorded."))


@login_required
@require_POST
def parcel_add(request: AuthedRequest) -> HttpResponse:
    return _land_add(request, "parcel", land_services.parcel_create, _("The parcel is recorded."))


@login_required
@require_POST
def sublease_add(request: AuthedRequest) -> HttpResponse:
    return _land_add(
        request, "sublease", land_services.sublease_create, _("The sublease is recorded.")
    )


@login_required
@require_POST
def building_add(request: AuthedRequest) -> HttpResponse:
    return _land_add(
        request, "building", land_services.building_create, _("The building is recorded.")
    )


@login_required
@require_POST
def fee_rule_add(request: AuthedRequest) -> HttpResponse:
    return _land_add(
        request, "fee_rule", land_services.fee_rule_create, _("The land-use fee rule is recorded.")
    )
