"""The ledger's reports: aid per year by channel from 1995 beside the policy measures' dates
(a server-drawn chart), tonnages by commodity, loans outstanding, the ministry's table with the
figures its sources give differently; the loans and their schedules; the history's load form;
a year's report as a PDF in Korean. Reads through `access` and `selectors`; writes through
`services.history`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from panmun.accounts.access import require
from panmun.accounts.requests import AuthedRequest
from panmun.common.pages import attachment, post_action
from panmun.korean.dates import korea_today

from .. import selectors
from ..access import (
    activities_for_user,
    can_keep_ledger,
    can_read_loans,
    can_read_reports,
    get_loan_for_user,
    loans_for_user,
    shipments_for_user,
)
from ..models import HistoryYear, Loan, LoanInstalment, ShipmentState
from ..report_files import year_report_pdf
from ..selectors_shipments import receipt_status, unmonitored
from ..services.history import history_facts_load, history_load
from ..services.loans import (
    instalment_pay,
    instalment_state,
    loan_notice_send,
    overdue_charge,
)

MAX_UPLOAD = 1024 * 1024
#: The latest shipments received the reports page lists with their receipts.
RECEIPTS_SHOWN = 50


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=pgettext_lazy("aid report", "Year"), min_value=1995, max_value=2200
    )


class HistoryFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("The ministry's table by year (.csv or .xlsx)"),
        help_text=gettext_lazy(
            "Columns year, gov_by_government, gov_via_ngos, gov_via_intl_orgs, gov_free_total, "
            "gov_food_loans, gov_total, ngo_total, grand_total, note; the published total row "
            "last. All of it is loaded, or nothing and every problem is named."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


def _reports_context(request: AuthedRequest) -> dict[str, object]:
    today = korea_today()
    series = selectors.combined_series(today=today)
    tonnes, other_units = selectors.tonnages()
    table_sources = sorted(
        set(
            HistoryYear.objects.filter(gov_free_total__isnull=False).values_list(
                "source", flat=True
            )
        )
    )
    context: dict[str, object] = {
        "today": today,
        "series": series,
        "chart": selectors.yearly_chart(series, selectors.policy_measures()),
        "measures": selectors.policy_measures(),
        "tonnes": tonnes,
        "other_units": other_units,
        "figures": selectors.history_figures(),
        "totals": [t for s in table_sources if (t := selectors.history_totals(source=s))],
        "history": HistoryYear.objects.order_by("year"),
        "can_read_loans": can_read_loans(request.user),
        "year_form": YearForm(initial={"year": today.year}),
    }
    received = (
        shipments_for_user(request.user)
        .filter(state=ShipmentState.RECEIVED)
        .select_related("receipt_entry__log")
        .order_by("-received_on", "-pk")[:RECEIPTS_SHOWN]
    )
    context["received"] = [{"shipment": s, "receipt": receipt_status(s)} for s in received]
    context["unmonitored"] = unmonitored(activities_for_user(request.user))
    if can_read_loans(request.user):
        context["loans"] = selectors.loans_outstanding(loans_for_user(request.user), on=today)
    return context


@login_required
@require_GET
def reports_page(request: AuthedRequest) -> HttpResponse:
    require(can_read_reports(request.user))
    return render(request, "aid/reports.html", _reports_context(request))


@login_required
@require_GET
def report_pdf(request: AuthedRequest) -> HttpResponse:
    """`?year=YYYY`: the year's report, A4 in Korean. A wrong year re-shows the reports page
    with the field named and what was typed kept."""
    require(can_read_reports(request.user))
    form = YearForm(request.GET)
    if not form.is_valid():
        context = _reports_context(request)
        context["year_form"] = form
        return render(request, "aid/reports.html", context, status=422)
    year = form.cleaned_data["year"]
    report = selectors.year_report(year, today=korea_today())
    return attachment(year_report_pdf(report), f"aid-report-{year}.pdf", "application/pdf")


@login_required
@require_GET
def loans_page(request: AuthedRequest) -> HttpResponse:
    loans = loans_for_user(request.user)
    positions = selectors.loans_outstanding(loans, on=korea_today())
    return render(request, "aid/loans.html", {"positions": positions})


class InstalmentChoice(forms.Form):
    """Which instalment of the loan (its number in the schedule)."""

    seq = forms.TypedChoiceField(label=gettext_lazy("Instalment"), choices=[], coerce=int)

    def __init__(self, *args: Any, loan: Loan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["seq"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (i.seq, f"{i.seq} ({i.due_on:%Y-%m-%d})") for i in loan.instalments.order_by("seq")
        ]


class RepaymentForm(InstalmentChoice):
    paid_on = forms.DateField(
        label=gettext_lazy("Paid on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Amount paid"), max_digits=20, decimal_places=2, min_value=0
    )


class NoticeForm(InstalmentChoice):
    sent_on = forms.DateField(
        label=gettext_lazy("Sent on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    text_ko = forms.CharField(
        label=gettext_lazy("Notice (Korean)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    text_en = forms.CharField(
        label=gettext_lazy("Notice (English)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


def _instalment(loan: Loan, form: InstalmentChoice) -> LoanInstalment:
    return loan.instalments.get(seq=form.cleaned_data["seq"])


@login_required
@require_POST
def instalment_pay_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The ministry's officer records a repayment of one instalment."""
    loan = get_loan_for_user(request.user, pk)
    require(can_keep_ledger(request.user))
    form = RepaymentForm(request.POST, loan=loan, prefix="pay")
    if form.is_valid():
        done = post_action(
            request,
            lambda: instalment_pay(
                actor=request.user,
                instalment=_instalment(loan, form),
                paid_on=form.cleaned_data["paid_on"],
                amount=form.cleaned_data["amount"],
            ),
            success=_("The repayment has been recorded."),
            then=lambda _i: redirect("aid:loan", pk=loan.pk),
            form=form,
        )
        if done:
            return done
    return _loan_page(request, loan, pay_form=form, status=422)


@login_required
@require_POST
def loan_notice_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The ministry's officer records a notice about an instalment (sent through the liaison
    office where the officer writes for it)."""
    loan = get_loan_for_user(request.user, pk)
    require(can_keep_ledger(request.user))
    form = NoticeForm(request.POST, loan=loan, prefix="notice")
    if form.is_valid():
        done = post_action(
            request,
            lambda: loan_notice_send(
                actor=request.user,
                instalment=_instalment(loan, form),
                sent_on=form.cleaned_data["sent_on"],
                text_ko=form.cleaned_data["text_ko"],
                text_en=form.cleaned_data["text_en"],
            ),
            success=_("The notice has been recorded."),
            then=lambda _n: redirect("aid:loan", pk=loan.pk),
            form=form,
        )
        if done:
            return done
    return _loan_page(request, loan, notice_form=form, status=422)


@login_required
@require_GET
def loan_page(request: AuthedRequest, pk: int) -> HttpResponse:
    return _loan_page(request, get_loan_for_user(request.user, pk))


def _loan_page(
    request: AuthedRequest,
    loan: Loan,
    *,
    pay_form: RepaymentForm | None = None,
    notice_form: NoticeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = korea_today()
    rows = list(loan.instalments.select_related("loan").prefetch_related("notices"))
    instalments = [
        {
            "row": i,
            "state": instalment_state(i, today),
            "charge": overdue_charge(i, today),
            "notices": list(i.notices.all()),
        }
        for i in rows
    ]
    position = selectors.loans_outstanding(
        loans_for_user(request.user).filter(pk=loan.pk), on=today
    )
    return render(
        request,
        "aid/loan.html",
        {
            "loan": loan,
            "instalments": instalments,
            "position": position[0],
            "today": today,
            "differs": any(i.published_amount is not None for i in rows),
            "can_keep": can_keep_ledger(request.user),
            "pay_form": pay_form or RepaymentForm(loan=loan, prefix="pay"),
            "notice_form": notice_form or NoticeForm(loan=loan, prefix="notice"),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def history_page(request: AuthedRequest) -> HttpResponse:
    """The ministry's officers load its table by year (and the summary and cited figures)."""
    require(can_keep_ledger(request.user))
    form = HistoryFileForm()
    if request.method == "POST":
        if request.POST.get("load") == "facts":
            return post_action(
                request,
                lambda: history_facts_load(actor=request.user),
                success=_("The 2019–2024 summary and the figures by source are loaded."),
                then=redirect("aid:history"),
            )
        form = HistoryFileForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD:
                form.add_error("file", _("The file is too large (at most 1 MB)."))
            else:
                data = upload.read()
                done = post_action(
                    request,
                    lambda: history_load(actor=request.user, data=data, file=upload.name),
                    success=lambda n: _("%(n)d years loaded.") % {"n": n},
                    then=redirect("aid:history"),
                    form=form,
                )
                if done:
                    return done
        return render(request, "aid/history.html", _history_context(form), status=422)
    return render(request, "aid/history.html", _history_context(form))


def _history_context(form: HistoryFileForm) -> dict[str, object]:
    return {"form": form, "history": HistoryYear.objects.order_by("year")}
