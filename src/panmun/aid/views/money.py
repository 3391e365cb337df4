"""The ledger's money, page by page: an activity's transactions (each in its own currency with
the rate used, its source, KRW and USD; pledges shown and marked not counted; a form to add
one; remove), its transactions file (download, and upload all or nothing), and the exchange
rates (the list, and a rates file to upload). Reads through `access`, writes through
`services.money` by `post_action`: a refused form comes back with what was typed and every
problem on its field; a refused file names every bad row by file, row and column."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from panmun.accounts.access import get_or_404, require
from panmun.accounts.requests import AuthedRequest
from panmun.common.language import request_language
from panmun.common.pages import attachment, post_action

from ..access import (
    activities_for_edit,
    can_add_activity,
    can_keep_ledger,
    can_read_ledger,
    get_activity_for_edit,
    get_activity_for_user,
)
from ..models import PLEDGES, Activity, ExchangeRate, Transaction, TransactionType
from ..services import money

RATES_PAGE = 100


class TransactionForm(forms.Form):
    type = forms.TypedChoiceField(
        label=gettext_lazy("Type"), choices=TransactionType.choices, coerce=int
    )
    date = forms.DateField(label=gettext_lazy("Transaction date"), help_text="YYYY-MM-DD")
    value = forms.CharField(
        label=gettext_lazy("Amount"),
        max_length=40,
        help_text=gettext_lazy("In the currency below, e.g. 500000000 or 1234.50"),
    )
    currency = forms.CharField(
        label=gettext_lazy("Currency"), max_length=3, help_text=gettext_lazy("ISO 4217, e.g. KRW")
    )
    value_date = forms.DateField(
        label=gettext_lazy("Value date"),
        help_text=gettext_lazy("The day whose exchange rate converts it"),
    )
    ref = forms.CharField(label=gettext_lazy("Reference"), max_length=100, required=False)
    description_ko = forms.CharField(
        label=gettext_lazy("Description (Korean)"), max_length=4000, required=False
    )
    description_en = forms.CharField(
        label=gettext_lazy("Description (English)"), max_length=4000, required=False
    )
    provider_org_ref = forms.CharField(
        label=gettext_lazy("Provider (IATI ref)"), max_length=100, required=False
    )
    provider_org_name_ko = forms.CharField(
        label=gettext_lazy("Provider (Korean name)"), max_length=300, required=False
    )
    receiver_org_ref = forms.CharField(
        label=gettext_lazy("Receiver (IATI ref)"), max_length=100, required=False
    )
    receiver_org_name_ko = forms.CharField(
        label=gettext_lazy("Receiver (Korean name)"), max_length=300, required=False
    )
    receiver_activity_id = forms.CharField(
        label=gettext_lazy("Receiving activity (IATI identifier)"), max_length=200, required=False
    )
    passes_on = forms.TypedChoiceField(
        label=gettext_lazy("Passes on"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=gettext_lazy(
            "The money addressed to this activity that this transaction receives or spends: "
            "it is then counted once, in the activity that sent it."
        ),
    )

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"].initial = activity.default_currency
        incoming = money.addressed_to(activity).select_related("activity").order_by("date", "pk")
        passes_on = self.fields["passes_on"]
        assert isinstance(passes_on, forms.TypedChoiceField)
        passes_on.choices = [
            ("", "—"),
            *(
                (
                    t.pk,
                    f"{t.activity.identifier} · {t.get_type_display()} · {t.date} · "
                    f"{t.value} {t.currency}",
                )
                for t in incoming[:200]
            ),
        ]


class TransactionsFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Transactions file (.csv or .xlsx)"),
        help_text=gettext_lazy(
            "The columns of the download; one transaction a row. All of it is saved, or nothing "
            "and every bad row is named."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    replace = forms.BooleanField(
        label=gettext_lazy("Replace this activity's transactions"), required=False
    )


class RatesFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Rates file (.csv or .xlsx)"),
        help_text=gettext_lazy(
            "Columns date, currency, krw, usd, source: won and dollars for one unit from that "
            "day on. All of it is saved, or nothing and every bad row is named."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


def _back(activity: Activity) -> HttpResponse:
    return redirect("aid:transactions", pk=activity.pk)


def _can_edit(request: AuthedRequest, activity: Activity) -> bool:
    return (
        can_add_activity(request.user)
        and activities_for_edit(request.user).filter(pk=activity.pk).exists()
    )


#: Transactions shown on one page of an activity's list (totals cover them all).
TRANSACTIONS_PER_PAGE = 200


def transactions_page_of(
    request: AuthedRequest, activity: Activity, *, status: int = 200, **forms_given: Any
) -> HttpResponse:
    editable = _can_edit(request, activity)
    everything = activity.transactions.order_by("date", "pk")
    page = Paginator(
        everything.select_related("passes_on__activity"), TRANSACTIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    rows = [
        {
            "t": t,
            "pledge": t.type in PLEDGES,
            "counted": t.type in money.SPEND and t.passes_on_id is None,
            "passes_on": t.passes_on,
        }
        for t in page
    ]
    counted = everything.filter(type__in=money.SPEND, passes_on__isnull=True)
    sums = counted.aggregate(krw=Sum("value_krw"), usd=Sum("value_usd"))
    context: dict[str, Any] = {
        "activity": activity,
        "rows": rows,
        "page": page,
        "total_krw": sums["krw"] or Decimal(0),
        "total_usd": sums["usd"] or Decimal(0),
        "unconverted": counted.filter(value_krw__isnull=True).count(),
        "can_edit": editable,
    }
    if editable:
        context["form"] = forms_given.get("form") or TransactionForm(
            activity=activity, prefix="transaction"
        )
        context["file_form"] = forms_given.get("file_form") or TransactionsFileForm(prefix="file")
    return render(request, "aid/money_transactions.html", context, status=status)


@login_required
@require_GET
def transactions_page(request: AuthedRequest, pk: int) -> HttpResponse:
    require(can_read_ledger(request.user))
    return transactions_page_of(request, get_activity_for_user(request.user, pk))


@login_required
@require_POST
def transaction_add(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_edit(request.user, pk)
    form = TransactionForm(request.POST, activity=activity, prefix="transaction")
    if form.is_valid():
        facts = dict(form.cleaned_data)
        value, problem = money.parse_amount(facts.pop("value"))
        if problem:
            english = request_language(request).startswith("en")
            form.add_error("value", problem[2] if english else problem[1])
        else:
            assert value is not None
            done = post_action(
                request,
                lambda: money.transaction_add(
                    actor=request.user, activity=activity, value=value, **facts
                ),
                success=lambda t: (
                    _("The transaction has been recorded (%(krw)s KRW).")
                    % {"krw": f"{t.value_krw:,}" if t.value_krw is not None else "—"}
                ),
                then=lambda _t: _back(activity),
                form=form,
            )
            if done:
                return done
    return transactions_page_of(request, activity, status=422, form=form)


@login_required
@require_POST
def transaction_remove(request: AuthedRequest, pk: int, transaction_pk: int) -> HttpResponse:
    activity = get_activity_for_edit(request.user, pk)
    found: Transaction = get_or_404(
        activity.transactions.all(), transaction_pk, "거래", "Transaction"
    )
    return post_action(
        request,
        lambda: money.transaction_remove(actor=request.user, transaction=found),
        success=_("The transaction has been removed."),
        then=_back(activity),
    )


@login_required
@require_GET
def transactions_export(request: AuthedRequest, pk: int) -> HttpResponse:
    require(can_read_ledger(request.user))
    activity = get_activity_for_user(request.user, pk)
    form = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    data = money.transactions_export(Activity.objects.filter(pk=activity.pk), format=form)
    content_type = (
        "text/csv; charset=utf-8"
        if form == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return attachment(data, f"{activity.identifier}-transactions.{form}", content_type)


@login_required
@require_POST
def transactions_import(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_edit(request.user, pk)
    form = TransactionsFileForm(request.POST, request.FILES, prefix="file")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(money.MAX_FILE_BYTES + 1)
        done = post_action(
            request,
            lambda: money.transactions_import(
                actor=request.user,
                data=data,
                file=upload.name or "transactions",
                replace=form.cleaned_data["replace"],
                only=activity,
            ),
            success=lambda s: _("%(count)s transactions read from the file.") % {"count": s.added},
            then=lambda _s: _back(activity),
            form=form,
        )
        if done:
            return done
    return transactions_page_of(request, activity, status=422, file_form=form)


def rates_page_of(
    request: AuthedRequest, *, status: int = 200, form: RatesFileForm | None = None
) -> HttpResponse:
    require(can_read_ledger(request.user))
    currency = (request.GET.get("currency") or "").strip().upper()[:3]
    rates = ExchangeRate.objects.order_by("currency", "-day")
    if currency:
        rates = rates.filter(currency=currency)
    page = Paginator(rates, RATES_PAGE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {"page": page, "currency": currency}
    if can_keep_ledger(request.user):
        context["form"] = form or RatesFileForm()
    return render(request, "aid/money_rates.html", context, status=status)


@login_required
@require_GET
def rates_page(request: AuthedRequest) -> HttpResponse:
    return rates_page_of(request)


@login_required
@require_POST
def rates_import(request: AuthedRequest) -> HttpResponse:
    require(can_keep_ledger(request.user))
    form = RatesFileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(money.MAX_FILE_BYTES + 1)
        done = post_action(
            request,
            lambda: money.rates_import(actor=request.user, data=data, file=upload.name or "rates"),
            success=lambda n: _("%(count)s rates read from the file.") % {"count": n},
            then=lambda _n: redirect("aid:rates"),
            form=form,
        )
        if done:
            return done
    return rates_page_of(request, status=422, form=form)
