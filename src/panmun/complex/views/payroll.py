"""The complex's pages on wages, payrolls and remittances: the wage rules with their history and
the disputes (the committee's forms), the payrolls (a firm's own, the committee's queue of
submitted ones, the whole complex's month as a job), a payroll's month (lines, totals, both
figures while disputed, the arrears once settled; compute, submit, approve, send back; the
Excel file in Korean), and the remittances (recorded by the firm, confirmed by the bureau).
Reads through `access`, writes through the services by `post_action`: a refused form comes
back (422) with what was typed and every problem on its field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from panmun.accounts.access import get_or_404, require
from panmun.accounts.requests import AuthedRequest
from panmun.common.pages import attachment, post_action
from panmun.jobs.services import job_start

from .. import wages as core
from ..access import (
    can_approve_payroll,
    can_confirm_remittance,
    can_keep_rules,
    can_read_payroll_lines,
    can_see_wages,
    firms_for_edit,
    is_committee,
    is_firm_officer,
    payrolls_for_user,
    remittances_for_user,
)
from ..models import DisputeState, Firm, PayrollMonth, PayrollState, WageDispute, WageRule
from ..selectors_payroll import month_totals
from ..services import payroll as payroll_service
from ..services import remittances as remittance_service
from ..services import wages as wage_service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def usd_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DecimalField:
    """An amount in USD: at most three decimals, not negative."""
    return forms.DecimalField(
        label=label,
        required=required,
        help_text=help_text,
        min_value=0,
        max_digits=9,
        decimal_places=3,
    )


def _keeper(user: Any) -> bool:
    return is_committee(user) or is_firm_officer(user)


# --- forms -------------------------------------------------------------------------------


class WageRuleForm(forms.Form):
    effective_from = forms.DateField(label=gettext_lazy("In force from"), help_text="YYYY-MM-DD")
    minimum_wage_usd = usd_field(gettext_lazy("Minimum wage (USD a month)"))
    agreed_on = forms.DateField(label=gettext_lazy("Agreed on"), help_text="YYYY-MM-DD")
    basis = forms.CharField(label=gettext_lazy("Basis"), max_length=300, required=False)


class WageDemandForm(forms.Form):
    side = forms.ChoiceField(
        label=gettext_lazy("Demanded by"),
        choices=[("north", gettext_lazy("North")), ("south", gettext_lazy("South"))],
    )
    demanded_on = forms.DateField(label=gettext_lazy("Demanded on"), help_text="YYYY-MM-DD")
    effective_from = forms.DateField(
        label=gettext_lazy("First month it affects"), help_text="YYYY-MM-DD"
    )
    effective_to = forms.DateField(
        label=gettext_lazy("Last month it affects"),
        required=False,
        help_text=gettext_lazy("Empty: until settled"),
    )
    demanded_wage_usd = usd_field(gettext_lazy("Demanded minimum wage (USD)"))
    note = forms.CharField(
        label=gettext_lazy("Note"), max_length=4000, required=False, widget=forms.Textarea
    )


class SettleForm(forms.Form):
    agreed_wage_usd = usd_field(gettext_lazy("Agreed minimum wage (USD)"))
    settled_on = forms.DateField(label=gettext_lazy("Settled on"), help_text="YYYY-MM-DD")
    basis = forms.CharField(label=gettext_lazy("Basis"), max_length=300, required=False)


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=gettext_lazy("Withdrawn on"), help_text="YYYY-MM-DD")
    note = forms.CharField(label=gettext_lazy("Note"), max_length=4000, required=False)


class MonthField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=7, help_text="YYYY-MM", **kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        match = core.parse_month(text)
        if match is None:
            raise forms.ValidationError(_("Write the month as YYYY-MM, e.g. 2015-09."))
        return match


class PayrollComputeForm(forms.Form):
    firm = forms.ModelChoiceField(label=gettext_lazy("Firm"), queryset=Firm.objects.none())
    month = MonthField(label=gettext_lazy("Month"))
    timesheet = forms.FileField(
        label=gettext_lazy("Timesheet (.xlsx or .csv, optional)"),
        required=False,
        help_text=gettext_lazy(
            "Columns: worker number, days worked, overtime hours, night hours, allowances. "
            "Workers not in it: full attendance. All of it is used, or nothing and every bad "
            "row is named."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["firm"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = firms_for_edit(user).order_by("name_ko")


class MonthRunForm(forms.Form):
    month = MonthField(label=gettext_lazy("Month"))


class LineForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Worker number"), max_length=20)
    days_worked = forms.DecimalField(
        label=gettext_lazy("Days worked"),
        required=False,
        max_digits=4,
        decimal_places=1,
        help_text=gettext_lazy("Empty: full attendance"),
    )
    overtime_hours = forms.DecimalField(
        label=gettext_lazy("Overtime hours"), required=False, max_digits=6, decimal_places=1
    )
    night_hours = forms.DecimalField(
        label=gettext_lazy("Night hours"), required=False, max_digits=6, decimal_places=1
    )
    allowances_usd = usd_field(gettext_lazy("Allowances"), required=False)

    def line_input(self) -> core.LineInput:
        data = self.cleaned_data
        zero = Decimal(0)
        return core.LineInput(
            days_worked=data["days_worked"],
            overtime_hours=data["overtime_hours"] or zero,
            night_hours=data["night_hours"] or zero,
            allowances_usd=data["allowances_usd"] or zero,
        )


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why it is sent back"), max_length=2000, widget=forms.Textarea
    )


class PayrollChoiceField(forms.ModelMultipleChoiceField[PayrollMonth]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.firm.name_ko} · {obj.month:%Y-%m} · {obj.total_usd} USD"


class RemittanceForm(forms.Form):
    payrolls = PayrollChoiceField(
        label=gettext_lazy("Approved payrolls remitted"),
        queryset=PayrollMonth.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    amount_usd = usd_field(gettext_lazy("Amount (USD)"))
    bank = forms.CharField(label=gettext_lazy("Bank"), max_length=200)
    bank_reference = forms.CharField(label=gettext_lazy("Bank reference"), max_length=100)
    remitted_on = forms.DateField(label=gettext_lazy("Remitted on"), help_text="YYYY-MM-DD")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["payrolls"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            PayrollMonth.objects.filter(firm__in=firms_for_edit(user), state=PayrollState.APPROVED)
            .select_related("firm")
            .order_by("firm__name_ko", "month")
        )


class ConfirmForm(forms.Form):
    received_usd = usd_field(
        gettext_lazy("Amount received (USD)"),
        required=False,
        help_text=gettext_lazy("Empty: the amount sent"),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=4000, required=False)


# --- wage rules and disputes -----------------------------------------------------------------


def wages_page_of(request: AuthedRequest, *, status: int = 200, **given: Any) -> HttpResponse:
    require(can_see_wages(request.user))
    rules = list(WageRule.objects.order_by("effective_from"))
    rows = []
    for before, rule in zip([None, *rules], rules, strict=False):
        rise = None
        if before is not None and before.minimum_wage_usd:
            rise = (rule.minimum_wage_usd / before.minimum_wage_usd - 1) * 100
        rows.append({"rule": rule, "rise": rise})
    disputes = WageDispute.objects.select_related("demanded_by", "settled_rule")
    context: dict[str, Any] = {
        "rows": rows,
        "disputes": disputes,
        "can_keep": can_keep_rules(request.user),
    }
    if context["can_keep"]:
        context["rule_form"] = given.get("rule_form") or WageRuleForm(prefix="rule")
        context["demand_form"] = given.get("demand_form") or WageDemandForm(prefix="demand")
        context["settle_form"] = given.get("settle_form") or SettleForm(prefix="settle")
        context["withdraw_form"] = given.get("withdraw_form") or WithdrawForm(prefix="withdraw")
        context["open_dispute"] = disputes.filter(state=DisputeState.OPEN).first()
    return render(request, "complex/wages_rules.html", context, status=status)


@login_required
@require_GET
def wages_page(request: AuthedRequest) -> HttpResponse:
    return wages_page_of(request)


@login_required
@require_POST
def wage_rule_agree(request: AuthedRequest) -> HttpResponse:
    require(can_keep_rules(request.user))
    form = WageRuleForm(request.POST, prefix="rule")
    if form.is_valid():
        done = post_action(
            request,
            lambda: wage_service.wage_rule_agree(actor=request.user, **form.cleaned_data),
            success=_("The wage rule has been recorded."),
            then=redirect("complex:wages"),
            form=form,
        )
        if done:
            return done
    return wages_page_of(request, status=422, rule_form=form)


@login_required
@require_POST
def wage_demand_record(request: AuthedRequest) -> HttpResponse:
    require(can_keep_rules(request.user))
    form = WageDemandForm(request.POST, prefix="demand")
    if form.is_valid():
        done = post_action(
            request,
            lambda: wage_service.wage_demand_record(actor=request.user, **form.cleaned_data),
            success=_("The demand has been recorded as an open dispute."),
            then=redirect("complex:wages"),
            form=form,
        )
        if done:
            return done
    return wages_page_of(request, status=422, demand_form=form)


def _dispute(pk: int) -> WageDispute:
    return get_or_404(WageDispute.objects.all(), pk, "임금 분쟁", "Wage dispute")


@login_required
@require_POST
def wage_dispute_settle(request: AuthedRequest, pk: int) -> HttpResponse:
    require(can_keep_rules(request.user))
    dispute = _dispute(pk)
    form = SettleForm(request.POST, prefix="settle")
    if form.is_valid():
        done = post_action(
            request,
            lambda: wage_service.wage_dispute_settle(
                actor=request.user, dispute=dispute, **form.cleaned_data
            ),
            success=_(
                "The dispute has been settled; payrolls not yet approved were computed again."
            ),
            then=redirect("complex:wages"),
            form=form,
        )
        if done:
            return done
    return wages_page_of(request, status=422, settle_form=form)


@login_required
@require_POST
def wage_dispute_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    require(can_keep_rules(request.user))
    dispute = _dispute(pk)
    form = WithdrawForm(request.POST, prefix="withdraw")
    if form.is_valid():
        done = post_action(
            request,
            lambda: wage_service.wage_dispute_withdraw(
                actor=request.user, dispute=dispute, **form.cleaned_data
            ),
            success=_("The demand has been recorded as withdrawn."),
            then=redirect("complex:wages"),
            form=form,
        )
        if done:
            return done
    return wages_page_of(request, status=422, withdraw_form=form)


# --- payrolls ----------------------------------------------------------------------------


def payrolls_page_of(request: AuthedRequest, *, status: int = 200, **given: Any) -> HttpResponse:
    rows = payrolls_for_user(request.user).select_related("firm", "rule")
    queue = request.GET.get("queue") == "1"
    if queue:
        rows = rows.filter(state=PayrollState.SUBMITTED)
    month = core.parse_month(request.GET.get("month", ""))
    if month is not None:
        rows = rows.filter(month=month)
    firm = request.GET.get("firm", "")
    if firm.isdigit() and len(firm) < 10:
        rows = rows.filter(firm_id=int(firm))
    page = Paginator(rows.order_by("-month", "firm__name_ko"), 100).get_page(
        request.GET.get("page")
    )
    context: dict[str, Any] = {
        "page": page,
        "queue": queue,
        "month": request.GET.get("month", "")[:7],
        "firm": firm if firm.isdigit() and len(firm) < 10 else "",
        "can_compute": _keeper(request.user),
        "can_run_month": is_committee(request.user),
        "can_read_lines": can_read_payroll_lines(request.user),
    }
    if context["can_compute"]:
        context["compute_form"] = given.get("compute_form") or PayrollComputeForm(
            user=request.user, prefix="compute"
        )
    if context["can_run_month"]:
        context["run_form"] = given.get("run_form") or MonthRunForm(prefix="run")
    return render(request, "complex/payroll_list.html", context, status=status)


@login_required
@require_GET
def payrolls_page(request: AuthedRequest) -> HttpResponse:
    return payrolls_page_of(request)


@login_required
@require_POST
def payroll_compute(request: AuthedRequest) -> HttpResponse:
    require(_keeper(request.user))
    form = PayrollComputeForm(request.POST, request.FILES, user=request.user, prefix="compute")
    if form.is_valid():
        upload = form.cleaned_data["timesheet"]

        def compute() -> PayrollMonth:
            inputs: dict[str, core.LineInput] = {}
            rows: dict[str, int] = {}
            name = ""
            if upload is not None:
                name = upload.name or "timesheet"
                data = upload.read(payroll_service.MAX_FILE_BYTES + 1)
                inputs, rows = payroll_service.timesheet_read(data, name)
            return payroll_service.payroll_compute(
                actor=request.user,
                firm=form.cleaned_data["firm"],
                month=form.cleaned_data["month"],
                inputs=inputs,
                source=name,
                rows=rows,
            )

        done = post_action(
            request,
            compute,
            success=lambda p: (
                _("The payroll has been computed: %(total)s USD.") % {"total": p.total_usd}
            ),
            then=lambda p: redirect("complex:payroll", pk=p.pk),
            form=form,
        )
        if done:
            return done
    return payrolls_page_of(request, status=422, compute_form=form)


@login_required
@require_POST
def payroll_month_run(request: AuthedRequest) -> HttpResponse:
    require(is_committee(request.user))
    form = MonthRunForm(request.POST, prefix="run")
    if form.is_valid():
        month = form.cleaned_data["month"]
        done = post_action(
            request,
            lambda: job_start(
                actor=request.user,
                kind="complex.payroll_month",
                params={"month": f"{month:%Y-%m}"},
            ),
            then=lambda job: redirect(reverse("jobs:detail", args=[job.pk])),
            form=form,
        )
        if done:
            return done
    return payrolls_page_of(request, status=422, run_form=form)


def _payroll(request: AuthedRequest, pk: int) -> PayrollMonth:
    return get_or_404(
        payrolls_for_user(request.user).select_related("firm", "rule", "dispute", "remittance"),
        pk,
        "노임",
        "Payroll",
    )


def payroll_page_of(
    request: AuthedRequest, payroll: PayrollMonth, *, status: int = 200, **given: Any
) -> HttpResponse:
    lines_allowed = can_read_payroll_lines(request.user)
    page = None
    if lines_allowed:
        page = Paginator(
            payroll.lines.select_related("worker").order_by("worker__number"), 200
        ).get_page(request.GET.get("page"))
    editable = (
        firms_for_edit(request.user).filter(pk=payroll.firm_id).exists()
        if _keeper(request.user)
        else False
    )
    # A form refused because the payroll moved on meanwhile (another officer approved or sent
    # it back) is shown again with its error and what was typed, not dropped.
    context: dict[str, Any] = {
        "payroll": payroll,
        "page": page,
        "can_read_lines": lines_allowed,
        "can_submit": editable and (payroll.state == PayrollState.DRAFT or "line_form" in given),
        "can_decide": can_approve_payroll(request.user)
        and (payroll.state == PayrollState.SUBMITTED or "send_back_form" in given),
        "arrears": payroll_service.payroll_arrears(payroll) if lines_allowed else None,
        "working_days": core.working_days(payroll.month),
    }
    if context["can_submit"]:
        context["line_form"] = given.get("line_form") or LineForm(prefix="line")
    if context["can_decide"]:
        context["send_back_form"] = given.get("send_back_form") or SendBackForm(prefix="back")
    return render(request, "complex/payroll_month.html", context, status=status)


@login_required
@require_GET
def payroll_page(request: AuthedRequest, pk: int) -> HttpResponse:
    return payroll_page_of(request, _payroll(request, pk))


@login_required
@require_POST
def payroll_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _payroll_move(
        request,
        pk,
        allowed=_keeper(request.user),
        move=payroll_service.payroll_submit,
        success=_("The payroll has been submitted to the management committee."),
    )


def _payroll_move(
    request: AuthedRequest, pk: int, *, allowed: bool, move: Any, success: str
) -> HttpResponse:
    """A step of the payroll that takes no form (submit, approve): the service decides."""
    payroll = _payroll(request, pk)
    require(allowed)
    return post_action(
        request,
        lambda: move(actor=request.user, payroll=payroll),
        success=success,
        then=redirect("complex:payroll", pk=payroll.pk),
    )


@login_required
@require_POST
def payroll_line(request: AuthedRequest, pk: int) -> HttpResponse:
    payroll = _payroll(request, pk)
    require(_keeper(request.user))
    form = LineForm(request.POST, prefix="line")
    if form.is_valid():
        done = post_action(
            request,
            lambda: payroll_service.payroll_line_set(
                actor=request.user,
                payroll=payroll,
                number=form.cleaned_data["number"].strip(),
                given=form.line_input(),
            ),
            success=lambda p: (
                _("The payroll has been computed: %(total)s USD.") % {"total": p.total_usd}
            ),
            then=lambda p: redirect("complex:payroll", pk=p.pk),
            form=form,
        )
        if done:
            return done
    return payroll_page_of(request, payroll, status=422, line_form=form)


@login_required
@require_POST
def payroll_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    return _payroll_move(
        request,
        pk,
        allowed=can_approve_payroll(request.user),
        move=payroll_service.payroll_approve,
        success=_("The payroll has been approved."),
    )


@login_required
@require_POST
def payroll_send_back(request: AuthedRequest, pk: int) -> HttpResponse:
    payroll = _payroll(request, pk)
    require(can_approve_payroll(request.user))
    form = SendBackForm(request.POST, prefix="back")
    if form.is_valid():
        done = post_action(
            request,
            lambda: payroll_service.payroll_send_back(
                actor=request.user, payroll=payroll, reason=form.cleaned_data["reason"]
            ),
            success=_("The payroll has been sent back to the firm."),
            then=redirect("complex:payroll", pk=payroll.pk),
            form=form,
        )
        if done:
            return done
    return payroll_page_of(request, payroll, status=422, send_back_form=form)


@login_required
@require_GET
def payroll_export(request: AuthedRequest, pk: int) -> HttpResponse:
    payroll = _payroll(request, pk)
    require(can_read_payroll_lines(request.user))
    data = payroll_service.payroll_export(payroll)
    return attachment(data, f"payroll-{payroll.firm_id}-{payroll.month:%Y-%m}.xlsx", XLSX)


# --- remittances -------------------------------------------------------------------------


def remittances_page_of(request: AuthedRequest, *, status: int = 200, **given: Any) -> HttpResponse:
    rows = remittances_for_user(request.user).select_related("firm")
    page = Paginator(rows.order_by("-remitted_on", "-pk"), 100).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page": page,
        "months": month_totals(payrolls_for_user(request.user)),
        "can_record": _keeper(request.user),
        "can_confirm": can_confirm_remittance(request.user),
    }
    if context["can_record"]:
        context["form"] = given.get("form") or RemittanceForm(user=request.user, prefix="remit")
    if context["can_confirm"]:
        context["confirm_form"] = given.get("confirm_form") or ConfirmForm(prefix="confirm")
        context["failed_pk"] = given.get("failed_pk")
    return render(request, "complex/remittances.html", context, status=status)


@login_required
@require_GET
def remittances(request: AuthedRequest) -> HttpResponse:
    return remittances_page_of(request)


@login_required
@require_POST
def remittance_record(request: AuthedRequest) -> HttpResponse:
    require(_keeper(request.user))
    form = RemittanceForm(request.POST, user=request.user, prefix="remit")
    if form.is_valid():
        chosen = list(form.cleaned_data["payrolls"])
        done = post_action(
            request,
            lambda: remittance_service.remittance_record(
                actor=request.user,
                firm=chosen[0].firm,
                payrolls=chosen,
                amount_usd=form.cleaned_data["amount_usd"],
                bank=form.cleaned_data["bank"],
                bank_reference=form.cleaned_data["bank_reference"],
                remitted_on=form.cleaned_data["remitted_on"],
            ),
            success=_("The remittance has been recorded."),
            then=redirect("complex:remittances"),
            form=form,
        )
        if done:
            return done
    return remittances_page_of(request, status=422, form=form)


@login_required
@require_POST
def remittance_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    require(can_confirm_remittance(request.user))
    remittance = get_or_404(remittances_for_user(request.user), pk, "송금", "Remittance")
    form = ConfirmForm(request.POST, prefix="confirm")
    if form.is_valid():
        done = post_action(
            request,
            lambda: remittance_service.remittance_confirm(
                actor=request.user,
                remittance=remittance,
                received_usd=form.cleaned_data["received_usd"],
                note=form.cleaned_data["note"],
            ),
            success=_("Receipt of the remittance has been confirmed."),
            then=redirect("complex:remittances"),
            form=form,
        )
        if done:
            return done
    return remittances_page_of(request, status=422, confirm_form=form, failed_pk=remittance.pk)
