"""The complex's pages on an evacuation: the board (who and what is still inside, by firm; the
allowed-to-stay apart; the countdown; the return plan by slot; who crossed back; refreshed by
htmx every few seconds, or replayed at a past moment with `?at=`), the orders to leave (the
form of the committee and the ministry's supervisors, closing, sending the manifest), and the
assets each firm left behind (registered by the firm or the committee; totals; Excel file).
Reads through `access`, writes through `services.evacuation` by `post_action`: a refused form
comes back (422) with what was typed and the problem on its field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from panmun.accounts.access import get_or_404, require
from panmun.accounts.requests import AuthedRequest
from panmun.common.pages import attachment, post_action

from ..access import (
    can_order_evacuation,
    can_read_assets_left,
    can_record_assets_left,
    can_see_evacuation,
    evacuation_firms,
    firms_for_edit,
    firms_for_user,
)
from ..models import AssetCategory, AssetLeft, EvacuationOrder, Firm
from ..selectors_evacuation import asset_totals, evacuation_board, order_in_force
from ..services import evacuation as service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: How often the live board asks for itself again (seconds).
REFRESH_SECONDS = 5


def parse_moment(text: str) -> dt.datetime | None:
    """`?at=` as typed: YYYY-MM-DDTHH:MM[:SS] (Seoul time unless a zone is given); None when
    it does not read as one."""
    text = (text or "").strip()
    if len(text) > 40:
        return None
    try:
        moment = parse_datetime(text)
    except ValueError:
        return None
    if moment is None or not 2000 <= moment.year <= 2099:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


# --- forms -------------------------------------------------------------------------------


class OrderForm(forms.Form):
    issued_at = forms.DateTimeField(
        label=gettext_lazy("Order given at"), help_text="YYYY-MM-DD HH:MM (Seoul)"
    )
    deadline = forms.DateTimeField(
        label=gettext_lazy("Everyone out by"), help_text="YYYY-MM-DD HH:MM (Seoul)"
    )
    issued_by_ko = forms.CharField(label=gettext_lazy("Given by (Korean)"), max_length=300)
    issued_by_en = forms.CharField(
        label=gettext_lazy("Given by (English)"), max_length=300, required=False
    )
    terms = forms.CharField(
        label=gettext_lazy("Terms"), max_length=4000, required=False, widget=forms.Textarea
    )
    may_take = forms.CharField(
        label=gettext_lazy("What may be taken"),
        max_length=4000,
        required=False,
        widget=forms.Textarea,
    )
    allowed_to_stay = forms.CharField(
        label=gettext_lazy("Allowed to stay"),
        required=False,
        max_length=60000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One a line: the document number, or the number and the name after a comma; "
            "“vehicle:” before a plate."
        ),
    )


class AssetForm(forms.Form):
    firm = forms.ModelChoiceField(label=gettext_lazy("Firm"), queryset=Firm.objects.none())
    order = forms.ModelChoiceField(
        label=gettext_lazy("Order to leave"),
        queryset=EvacuationOrder.objects.all(),
        required=False,
    )
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=AssetCategory.choices)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=500)
    quantity = forms.DecimalField(
        label=gettext_lazy("Quantity"), min_value=Decimal("0.001"), max_digits=15, decimal_places=3
    )
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=20, required=False)
    value_krw = forms.DecimalField(
        label=gettext_lazy("Value (KRW)"), min_value=0, max_digits=16, decimal_places=0
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["firm"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = firms_for_edit(user).order_by("name_ko")


# --- the board ---------------------------------------------------------------------------


@login_required
@require_GET
def board_page(request: AuthedRequest) -> HttpResponse:
    firms = evacuation_firms(request.user)
    given_at = request.GET.get("at", "")
    at = parse_moment(given_at) if given_at else None
    bad_at = bool(given_at) and at is None
    order = None
    given_order = request.GET.get("order", "")
    if given_order:
        order = get_or_404(
            EvacuationOrder.objects.all(), given_order, "철수 명령", "Order to leave"
        )
    board = evacuation_board(at=at, order=order, firms=firms)
    context: dict[str, Any] = {
        "board": board,
        "bad_at": bad_at,
        "given_at": given_at,
        "given_order": order.pk if order else "",
        "refresh": REFRESH_SECONDS,
        "own_firm_only": firms is not None,
        "can_order": can_order_evacuation(request.user),
        "assets_link": can_read_assets_left(request.user),
    }
    template = "complex/_evacuation_board.html" if request.htmx else "complex/evacuation_board.html"
    return render(request, template, context)


# --- orders ------------------------------------------------------------------------------


def orders_page_of(request: AuthedRequest, *, status: int = 200, **given: Any) -> HttpResponse:
    require(can_see_evacuation(request.user))
    orders = EvacuationOrder.objects.select_related("manifest_entry__log").annotate(
        stay_count=Count("stays")
    )
    context: dict[str, Any] = {
        "page": Paginator(orders.order_by("-issued_at"), 50).get_page(request.GET.get("page")),
        "in_force": order_in_force(),
        "can_order": can_order_evacuation(request.user),
        "assets_link": can_read_assets_left(request.user),
    }
    if context["can_order"]:
        context["form"] = given.get("form") or OrderForm(prefix="order")
    return render(request, "complex/evacuation_orders.html", context, status=status)


@login_required
@require_GET
def orders_page(request: AuthedRequest) -> HttpResponse:
    return orders_page_of(request)


@login_required
@require_POST
def order_record(request: AuthedRequest) -> HttpResponse:
    require(can_order_evacuation(request.user))
    form = OrderForm(request.POST, prefix="order")
    if form.is_valid():
        data = form.cleaned_data
        done = post_action(
            request,
            lambda: service.evacuation_order_record(
                actor=request.user,
                issued_at=data["issued_at"],
                deadline=data["deadline"],
                issued_by_ko=data["issued_by_ko"],
                issued_by_en=data["issued_by_en"],
                terms=data["terms"],
                may_take=data["may_take"],
                allowed_to_stay=service.stays_parse(data["allowed_to_stay"]),
            ),
            success=_("The order to leave has been recorded: the complex is in evacuation mode."),
            then=redirect("complex:evacuation-board"),
            form=form,
        )
        if done:
            return done
    return orders_page_of(request, status=422, form=form)


def _order(pk: int) -> EvacuationOrder:
    return get_or_404(EvacuationOrder.objects.all(), pk, "철수 명령", "Order to leave")


@login_required
@require_POST
def order_close(request: AuthedRequest, pk: int) -> HttpResponse:
    require(can_order_evacuation(request.user))
    order = _order(pk)
    return post_action(
        request,
        lambda: service.evacuation_order_close(actor=request.user, order=order),
        success=_("The order to leave has been closed."),
        then=redirect("complex:evacuation-orders"),
    )


@login_required
@require_POST
def manifest_send(request: AuthedRequest, pk: int) -> HttpResponse:
    require(can_order_evacuation(request.user))
    order = _order(pk)
    return post_action(
        request,
        lambda: service.evacuation_manifest_send(actor=request.user, order=order),
        success=lambda e: (
            _("The manifest has been sent to the other side as liaison entry %(ref)s.")
            % {"ref": f"{e.log.side}/{e.index}"}
        ),
        then=redirect("complex:evacuation-orders"),
    )


# --- assets left behind ------------------------------------------------------------------


def _assets(request: AuthedRequest) -> QuerySet[AssetLeft]:
    require(can_read_assets_left(request.user))
    return AssetLeft.objects.filter(firm__in=firms_for_user(request.user))


def assets_page_of(request: AuthedRequest, *, status: int = 200, **given: Any) -> HttpResponse:
    assets = _assets(request)
    context: dict[str, Any] = {
        "page": Paginator(
            assets.select_related("firm", "order", "recorded_by").order_by(
                "firm__name_ko", "category", "pk"
            ),
            100,
        ).get_page(request.GET.get("page")),
        "totals": asset_totals(assets),
        "grand_total": assets.aggregate(v=Sum("value_krw"))["v"] or 0,
        "firm_count": assets.values("firm").distinct().count(),
        "can_record": can_record_assets_left(request.user),
        "assets_link": True,
    }
    if context["can_record"]:
        context["form"] = given.get("form") or AssetForm(user=request.user, prefix="asset")
    return render(request, "complex/evacuation_assets.html", context, status=status)


@login_required
@require_GET
def assets_page(request: AuthedRequest) -> HttpResponse:
    return assets_page_of(request)


@login_required
@require_POST
def asset_record(request: AuthedRequest) -> HttpResponse:
    require(can_record_assets_left(request.user))
    form = AssetForm(request.POST, user=request.user, prefix="asset")
    if form.is_valid():
        data = form.cleaned_data
        done = post_action(
            request,
            lambda: service.asset_left_record(actor=request.user, **data),
            success=_("The asset left behind has been recorded."),
            then=redirect("complex:evacuation-assets"),
            form=form,
        )
        if done:
            return done
    return assets_page_of(request, status=422, form=form)


@login_required
@require_GET
def assets_export(request: AuthedRequest) -> HttpResponse:
    assets = _assets(request)
    return attachment(service.assets_export(assets), "assets-left-behind.xlsx", XLSX)
