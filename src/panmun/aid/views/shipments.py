"""The shipments' pages: the list (the ministry's all, an aid organisation's own), a new
shipment under an activity, a shipment's page (its state and history, its carry-out approval,
the North's receipt with its signature state in the liaison log, monitoring), its moves as
buttons, a supervisor's exception to a measure that stops it; and the North's page of the
shipments addressed to its organisation, to acknowledge. Reads through `access`, writes through
`services.shipments`, `services.monitoring` and `policy`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_fsm import can_proceed

from panmun.accounts.access import require
from panmun.accounts.models import Organisation
from panmun.accounts.requests import AuthedRequest
from panmun.common.errors import DomainError, ErrorCode
from panmun.common.pages import post_action
from panmun.liaison.access import can_read_liaison
from panmun.permits.access import can_review, is_applicant_of
from panmun.permits.models import PolicyMeasure

from ..access import (
    activities_for_edit,
    can_acknowledge,
    can_grant_exception,
    can_keep_ledger,
    can_read_ledger,
    get_activity_for_edit,
    get_shipment_for_edit,
    get_shipment_for_user,
    is_aid_organisation,
    is_north_recipient,
    shipments_for_user,
)
from ..models import (
    Commodity,
    MonitoringOutcome,
    PolicyException,
    Route,
    Shipment,
    ShipmentState,
    TargetGroup,
    Unit,
)
from ..policy import exception_grant
from ..selectors_shipments import history, measures_against, monitored_state, receipt_status
from ..services.monitoring import monitoring_record
from ..services.shipments import shipment_acknowledge, shipment_create, shipment_move

PAGE_SIZE = 50
MOVE_LABELS = {
    "send": gettext_lazy("Record as sent"),
    "cancel": gettext_lazy("Cancel the shipment"),
    "send_back": gettext_lazy("Record as coming back"),
    "suspend": gettext_lazy("Suspend"),
    "resume": gettext_lazy("Resume"),
}


class ShipmentForm(forms.Form):
    commodity = forms.ChoiceField(label=gettext_lazy("Commodity"), choices=Commodity.choices)
    description = forms.CharField(label=gettext_lazy("Description"), required=False)
    quantity = forms.DecimalField(
        label=gettext_lazy("Quantity"), max_digits=16, decimal_places=3, min_value=0
    )
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=Unit.choices)
    target_groups = forms.MultipleChoiceField(
        label=gettext_lazy("Target groups"),
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    route = forms.ChoiceField(label=gettext_lazy("Route"), choices=Route.choices)
    port_of_loading = forms.CharField(label=gettext_lazy("Port of loading"), required=False)
    port_of_discharge = forms.CharField(label=gettext_lazy("Port of discharge"), required=False)
    vessel = forms.CharField(label=gettext_lazy("Vessel or vehicles"), required=False)
    packaging = forms.CharField(label=gettext_lazy("Packaging"), required=False)
    markings = forms.CharField(label=gettext_lazy("Markings"), required=False)
    planned_on = forms.DateField(
        label=gettext_lazy("Planned date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    recipient_organisation = forms.ModelChoiceField(
        label=gettext_lazy("Recipient organisation (North)"),
        queryset=Organisation.objects.filter(side__code="north").order_by("name_ko"),
        required=False,
    )


class ExceptionForm(forms.Form):
    measure = forms.ModelChoiceField(
        label=gettext_lazy("Measure"), queryset=PolicyMeasure.objects.all(), to_field_name="code"
    )
    shipment = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    reason_ko = forms.CharField(label=gettext_lazy("Reason (Korean)"), widget=forms.Textarea)
    reason_en = forms.CharField(label=gettext_lazy("Reason (English)"), widget=forms.Textarea)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class SendForm(forms.Form):
    sent_on = forms.DateField(
        label=gettext_lazy("Sent on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    vessel = forms.CharField(label=gettext_lazy("Vessel or vehicles"), required=False)


class MonitoringForm(forms.Form):
    place = forms.CharField(label=gettext_lazy("Place"))
    planned_on = forms.DateField(
        label=gettext_lazy("Planned date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=MonitoringOutcome.choices)
    visited_on = forms.DateField(
        label=gettext_lazy("Visited on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    seen_ko = forms.CharField(
        label=gettext_lazy("What was seen (Korean)"), required=False, widget=forms.Textarea
    )
    seen_en = forms.CharField(
        label=gettext_lazy("What was seen (English)"), required=False, widget=forms.Textarea
    )
    photo_file = forms.CharField(label=gettext_lazy("Photo (file)"), required=False)
    photo_sha256 = forms.CharField(label=gettext_lazy("Photo's SHA-256"), required=False)

    def photos(self) -> list[dict[str, str]]:
        ref = self.cleaned_data["photo_file"].strip()
        digest = self.cleaned_data["photo_sha256"].strip()
        return [{"file_ref": ref, "sha256": digest}] if ref or digest else []


class AcknowledgeForm(forms.Form):
    received_quantity = forms.DecimalField(
        label=gettext_lazy("Received quantity"), max_digits=16, decimal_places=3, min_value=0
    )
    received_on = forms.DateField(
        label=gettext_lazy("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    difference_reason = forms.CharField(
        label=gettext_lazy("Reason for the difference"), required=False, widget=forms.Textarea
    )


def _editable(request: AuthedRequest, activity_id: int) -> bool:
    """Whether the user keeps the activity (a viewer keeps none)."""
    user = request.user
    if not (can_keep_ledger(user) or is_aid_organisation(user)):
        return False
    return activities_for_edit(user).filter(pk=activity_id).exists()


# --- the list ------------------------------------------------------------------------------------


@login_required
@require_GET
def shipments_page(request: AuthedRequest) -> HttpResponse:
    require(can_read_ledger(request.user))
    rows = (
        shipments_for_user(request.user)
        .select_related("activity", "recipient_organisation", "receipt_entry")
        .order_by("-planned_on", "reference")
    )
    state = request.GET.get("state", "")
    if state in ShipmentState.values:
        rows = rows.filter(state=state)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "aid/shipments.html",
        {
            "page": page,
            "states": ShipmentState.choices,
            "state": state,
            "activities": (
                activities_for_edit(request.user).order_by("identifier")[:200]
                if can_keep_ledger(request.user) or is_aid_organisation(request.user)
                else []
            ),
        },
    )


# --- a new shipment ------------------------------------------------------------------------------


def _exception_forms(
    request: AuthedRequest, codes: list[str], shipment_id: int | None
) -> list[ExceptionForm]:
    if not can_grant_exception(request.user):
        return []
    return [
        ExceptionForm(
            initial={"measure": code, "shipment": shipment_id, "next": request.get_full_path()},
            auto_id=f"id_exc_{code}_%s",
        )
        for code in codes
    ]


@login_required
@require_http_methods(["GET", "POST"])
def shipment_new(request: AuthedRequest, activity: int) -> HttpResponse:
    act = get_activity_for_edit(request.user, activity)
    form = ShipmentForm(
        request.POST or None,
        initial={
            "target_groups": act.target_groups,
            "recipient_organisation": act.recipient_organisation_id,
            "planned_on": timezone.localdate(),
        },
    )
    refused_by: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data

            def act_() -> Shipment:
                try:
                    return shipment_create(
                        actor=request.user,
                        activity=act,
                        commodity=data["commodity"],
                        quantity=data["quantity"],
                        unit=data["unit"],
                        route=data["route"],
                        planned_on=data["planned_on"],
                        target_groups=data["target_groups"],
                        recipient_organisation=data["recipient_organisation"],
                        **{
                            k: data[k]
                            for k in (
                                "description",
                                "packaging",
                                "markings",
                                "port_of_loading",
                                "port_of_discharge",
                                "vessel",
                            )
                        },
                    )
                except DomainError as err:
                    if err.code == ErrorCode.POLICY_FORBIDS and isinstance(err.details, dict):
                        refused_by.extend(err.details.get("measures", []))
                    raise

            done = post_action(
                request,
                act_,
                form=form,
                success=lambda s: _("Shipment %(ref)s recorded.") % {"ref": s.reference},
                then=lambda s: redirect("aid:shipment", pk=s.pk),
            )
            if done:
                return done
        status = 422
    else:
        status = 200
    return render(
        request,
        "aid/shipment_new.html",
        {
            "activity": act,
            "form": form,
            "refused_by": PolicyMeasure.objects.filter(code__in=refused_by),
            "exception_forms": _exception_forms(request, refused_by, None),
        },
        status=status,
    )


# --- one shipment --------------------------------------------------------------------------------


def _moves(request: AuthedRequest, shipment: Shipment) -> list[tuple[str, Any]]:
    """The moves the user may try now (the service decides again when one is pressed)."""
    if not _editable(request, shipment.activity_id):
        return []
    found = []
    for move, label in MOVE_LABELS.items():
        if move in ("suspend", "resume") and not can_keep_ledger(request.user):
            continue
        if move == "resume":
            possible = can_proceed(shipment.resume) or can_proceed(shipment.resume_sent)
        else:
            possible = can_proceed(getattr(shipment, move))
        if possible:
            found.append((move, label))
    return found


def _approval_link(request: AuthedRequest, shipment: Shipment) -> str:
    approval = shipment.approval
    if approval is None:
        return ""
    if can_review(request.user):
        return reverse("permits:review-approval", args=[approval.pk])
    if is_applicant_of(request.user, approval.application):
        return reverse("permits:application", args=[approval.application_id])
    return ""  # a reader of the ledger who neither reviews nor applied: the reference alone


def _shipment_page(
    request: AuthedRequest,
    shipment: Shipment,
    *,
    send_form: SendForm | None = None,
    monitoring_form: MonitoringForm | None = None,
    status: int = 200,
) -> HttpResponse:
    editable = _editable(request, shipment.activity_id)
    day = timezone.localdate()
    against = (
        measures_against(shipment, day)
        if shipment.state in (ShipmentState.IN_PROCESS, ShipmentState.SUSPENDED)
        else []
    )
    receipt = receipt_status(shipment)
    return render(
        request,
        "aid/shipment.html",
        {
            "shipment": shipment,
            "activity": shipment.activity,
            "log": history(shipment),
            "moves": _moves(request, shipment),
            "send_form": send_form or SendForm(initial={"sent_on": day}),
            "approval_link": _approval_link(request, shipment),
            "receipt": receipt,
            "receipt_link": (
                reverse("liaison:thread", args=[receipt.side, receipt.index])
                if receipt and can_read_liaison(request.user)
                else ""
            ),
            "against": against,
            "exception_forms": _exception_forms(request, [m.code for m in against], shipment.pk),
            "exceptions": PolicyException.objects.filter(
                activity=shipment.activity, what="shipment"
            ).select_related("measure", "granted_by"),
            "visits": shipment.monitoring.prefetch_related("photos"),
            "monitored": monitored_state(shipment),
            "monitoring_form": (
                (monitoring_form or MonitoringForm(initial={"planned_on": day}))
                if editable
                else None
            ),
        },
        status=status,
    )


@login_required
@require_GET
def shipment_page(request: AuthedRequest, pk: int) -> HttpResponse:
    require(can_read_ledger(request.user))
    shipment = get_shipment_for_user(request.user, pk)
    return _shipment_page(request, shipment)


@login_required
@require_POST
def shipment_move_view(request: AuthedRequest, pk: int, move: str) -> HttpResponse:
    shipment = get_shipment_for_edit(request.user, pk)
    if move not in MOVE_LABELS:
        raise Http404
    here = redirect("aid:shipment", pk=shipment.pk)
    if move == "send":
        form = SendForm(request.POST)
        if not form.is_valid():
            return _shipment_page(request, shipment, send_form=form, status=422)
        data = form.cleaned_data
        done = post_action(
            request,
            lambda: shipment_move(
                actor=request.user,
                shipment=shipment,
                move="send",
                sent_on=data["sent_on"],
                vessel=data["vessel"],
            ),
            form=form,
            success=_("The shipment is recorded as sent."),
            then=here,
        )
        if done:
            return done
        return _shipment_page(request, shipment, send_form=form, status=422)
    return post_action(
        request,
        lambda: shipment_move(actor=request.user, shipment=shipment, move=move),
        success=_("Done: %(move)s.") % {"move": MOVE_LABELS[move]},
        then=here,
    )


@login_required
@require_POST
def monitoring_new(request: AuthedRequest, pk: int) -> HttpResponse:
    shipment = get_shipment_for_edit(request.user, pk)
    form = MonitoringForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = post_action(
            request,
            lambda: monitoring_record(
                actor=request.user,
                activity=shipment.activity,
                shipment=shipment,
                place=data["place"],
                planned_on=data["planned_on"],
                outcome=data["outcome"],
                visited_on=data["visited_on"],
                seen_ko=data["seen_ko"],
                seen_en=data["seen_en"],
                photos=form.photos(),
            ),
            form=form,
            success=_("The monitoring visit is recorded."),
            then=redirect("aid:shipment", pk=shipment.pk),
        )
        if done:
            return done
    return _shipment_page(request, shipment, monitoring_form=form, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def policy_exception(request: AuthedRequest, activity: int) -> HttpResponse:
    """A supervisor's exception to a measure for a new shipment of the activity, or for one
    shipment (`shipment`). The refused pages carry its form; a wrong value comes back here, on
    its own page, with what was typed."""
    require(can_grant_exception(request.user))
    act = get_activity_for_edit(request.user, activity)
    if request.method == "GET":
        form = ExceptionForm(initial=request.GET.dict())
        return render(request, "aid/policy_exception.html", {"activity": act, "form": form})
    form = ExceptionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        shipment_id = data["shipment"]
        back = reverse("aid:shipments")
        if shipment_id is not None:
            target = get_shipment_for_edit(request.user, shipment_id)
            if target.activity_id != act.pk:
                raise Http404
            back = reverse("aid:shipment", args=[target.pk])
        nxt = data["next"]
        if nxt.startswith("/aid/") and "//" not in nxt:
            back = nxt
        done = post_action(
            request,
            lambda: exception_grant(
                actor=request.user,
                activity=act,
                measure=data["measure"],
                what="shipment",
                what_id=shipment_id,
                reason_ko=data["reason_ko"],
                reason_en=data["reason_en"],
            ),
            form=form,
            success=_("The exception is recorded."),
            then=redirect(back),
        )
        if done:
            return done
    return render(request, "aid/policy_exception.html", {"activity": act, "form": form}, status=422)


# --- the North's recipient ----------------------------------------------------------------------


@login_required
@require_GET
def received_page(request: AuthedRequest) -> HttpResponse:
    require(is_north_recipient(request.user))
    rows = (
        shipments_for_user(request.user)
        .select_related("activity")
        .order_by("state", "-sent_on", "reference")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "aid/received.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def received_shipment(request: AuthedRequest, pk: int) -> HttpResponse:
    require(is_north_recipient(request.user))
    shipment = get_shipment_for_user(request.user, pk)
    may = can_acknowledge(request.user, shipment) and shipment.state == ShipmentState.SENT
    form = AcknowledgeForm(request.POST or None, initial={"received_quantity": shipment.quantity})
    status = 200
    if request.method == "POST":
        require(can_acknowledge(request.user, shipment))
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            done = post_action(
                request,
                lambda: shipment_acknowledge(
                    actor=request.user,
                    shipment=shipment,
                    received_quantity=data["received_quantity"],
                    received_on=data["received_on"],
                    difference_reason=data["difference_reason"],
                ),
                form=form,
                success=lambda s: (
                    _("Receipt of %(ref)s acknowledged.") % {"ref": s.reference}
                    if s.receipt_entry_id
                    else _(
                        "Receipt of %(ref)s acknowledged. This node does not keep your side's "
                        "liaison log: the receipt is not signed here."
                    )
                    % {"ref": s.reference}
                ),
                then=redirect("aid:received-shipment", pk=shipment.pk),
            )
            if done:
                return done
    return render(
        request,
        "aid/received_shipment.html",
        {
            "shipment": shipment,
            "form": form if may else None,
            "receipt": receipt_status(shipment),
        },
        status=status,
    )
