"""/api/v1/complex/: wage rules and disputes, payrolls and remittances. The same services and
access helpers as the pages: the committee keeps the rules and approves, a firm computes,
submits and remits its own payrolls, the ministry reads, the bureau reads payroll totals and
remittances (never the lines) and confirms receipt."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpResponse
from ninja import Query, Router, Status

from panmun.accounts.access import get_or_404, require
from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import RecordId, responds
from panmun.common.errors import not_found
from panmun.common.pages import attachment

from . import wages as core
from .access import (
    can_confirm_remittance,
    can_keep_rules,
    can_read_payroll_lines,
    can_see_wages,
    firms_for_edit,
    get_firm_for_edit,
    is_committee,
    is_firm_officer,
    payrolls_for_user,
    remittances_for_user,
)
from .models import PayrollLine, PayrollMonth, Remittance, WageDispute, WageRule
from .schemas_payroll import (
    ComplexPayrollComputeIn,
    ComplexPayrollLineOut,
    ComplexPayrollOut,
    ComplexPayrollSendBackIn,
    ComplexPayrollsQuery,
    ComplexRemittanceConfirmIn,
    ComplexRemittanceIn,
    ComplexRemittanceOut,
    ComplexWageDemandIn,
    ComplexWageDisputeOut,
    ComplexWageRuleIn,
    ComplexWageRuleOut,
    ComplexWageSettleIn,
    ComplexWageWithdrawIn,
)
from .services import payroll as payroll_service
from .services import remittances as remittance_service
from .services import wages as wage_service

router = Router()
SEEING = permitted(can_see_wages)
COMMITTEE = permitted(can_keep_rules)
KEEPERS = permitted(lambda u: is_committee(u) or is_firm_officer(u))
BUREAU = permitted(can_confirm_remittance)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(text: str) -> dt.date:
    return dt.date(int(text[:4]), int(text[5:7]), 1)


def _payroll(request: ApiRequest, payroll_id: int) -> PayrollMonth:
    return get_or_404(
        payrolls_for_user(request.auth).select_related("rule"), payroll_id, "노임", "payroll"
    )


@router.get(
    "/wage-rules",
    response=responds(list[ComplexWageRuleOut]),
    summary="The wage rules: each row restates every rule in force from its day",
    auth=SEEING,
)
def list_wage_rules(request: ApiRequest) -> QuerySet[WageRule]:
    return WageRule.objects.order_by("effective_from")


@router.post(
    "/wage-rules",
    response=responds(ComplexWageRuleOut, 201),
    summary="Record a minimum wage both sides agreed (refused above the cap in force)",
    auth=COMMITTEE,
)
def agree_wage_rule(request: ApiRequest, payload: ComplexWageRuleIn) -> Status[WageRule]:
    rule = wage_service.wage_rule_agree(
        actor=request.auth,
        effective_from=payload.effective_from,
        minimum_wage_usd=Decimal(payload.minimum_wage_usd),
        agreed_on=payload.agreed_on,
        basis=payload.basis,
        allowances_insured=payload.allowances_insured,
    )
    return Status(201, rule)


@router.get(
    "/wage-disputes",
    response=responds(list[ComplexWageDisputeOut]),
    summary="The wage disputes, open and closed, with the months they affect",
    auth=SEEING,
)
def list_wage_disputes(request: ApiRequest) -> QuerySet[WageDispute]:
    return WageDispute.objects.select_related("demanded_by").order_by("-demanded_on", "-pk")


@router.post(
    "/wage-disputes",
    response=responds(ComplexWageDisputeOut, 201),
    summary="Record a side's wage demand as an open dispute (refused while the cap forbids it)",
    auth=COMMITTEE,
)
def record_wage_demand(request: ApiRequest, payload: ComplexWageDemandIn) -> Status[WageDispute]:
    dispute = wage_service.wage_demand_record(
        actor=request.auth,
        demanded_on=payload.demanded_on,
        effective_from=payload.effective_from,
        effective_to=payload.effective_to,
        demanded_wage_usd=Decimal(payload.demanded_wage_usd),
        side=payload.side,
        note=payload.note,
    )
    return Status(201, dispute)


def _dispute(dispute_id: int) -> WageDispute:
    return get_or_404(
        WageDispute.objects.select_related("demanded_by"), dispute_id, "임금 분쟁", "wage dispute"
    )


@router.post(
    "/wage-disputes/{dispute_id}/settle",
    response=responds(ComplexWageDisputeOut),
    summary="Settle a dispute: the agreed wage becomes a rule from its first month",
    auth=COMMITTEE,
)
def settle_wage_dispute(
    request: ApiRequest, dispute_id: RecordId, payload: ComplexWageSettleIn
) -> WageDispute:
    return wage_service.wage_dispute_settle(
        actor=request.auth,
        dispute=_dispute(dispute_id),
        agreed_wage_usd=Decimal(payload.agreed_wage_usd),
        settled_on=payload.settled_on,
        basis=payload.basis,
    )


@router.post(
    "/wage-disputes/{dispute_id}/withdraw",
    response=responds(ComplexWageDisputeOut),
    summary="Record that the demand was withdrawn",
    auth=COMMITTEE,
)
def withdraw_wage_dispute(
    request: ApiRequest, dispute_id: RecordId, payload: ComplexWageWithdrawIn
) -> WageDispute:
    return wage_service.wage_dispute_withdraw(
        actor=request.auth,
        dispute=_dispute(dispute_id),
        withdrawn_on=payload.withdrawn_on,
        note=payload.note,
    )


@router.get(
    "/payrolls",
    response=responds(list[ComplexPayrollOut]),
    summary="Payrolls' totals (the committee, the ministry and the bureau all; a firm its own)",
    auth=SEEING,
)
def list_payrolls(request: ApiRequest, q: Query[ComplexPayrollsQuery]) -> QuerySet[PayrollMonth]:
    rows = payrolls_for_user(request.auth).select_related("rule")
    if q.month:
        rows = rows.filter(month=_month(q.month))
    if q.firm:
        rows = rows.filter(firm_id=q.firm)
    if q.state:
        rows = rows.filter(state=q.state)
    return rows.order_by("-month", "firm_id")[q.offset : q.offset + q.limit]


@router.get(
    "/payrolls/{payroll_id}",
    response=responds(ComplexPayrollOut),
    summary="A payroll's totals",
    auth=SEEING,
)
def get_payroll(request: ApiRequest, payroll_id: RecordId) -> PayrollMonth:
    return _payroll(request, payroll_id)


@router.get(
    "/payrolls/{payroll_id}/lines",
    response=responds(list[ComplexPayrollLineOut]),
    summary="A payroll's lines, one a worker (the firm's record: not for the bureau)",
    auth=permitted(can_read_payroll_lines),
)
def list_payroll_lines(request: ApiRequest, payroll_id: RecordId) -> QuerySet[PayrollLine]:
    payroll = _payroll(request, payroll_id)
    return payroll.lines.select_related("worker").order_by("worker__number")


@router.get(
    "/payrolls/{payroll_id}/export",
    response=responds(None),
    summary="A payroll as an Excel file in Korean",
    auth=permitted(can_read_payroll_lines),
)
def export_payroll(request: ApiRequest, payroll_id: RecordId) -> HttpResponse:
    payroll = _payroll(request, payroll_id)
    data = payroll_service.payroll_export(payroll)
    return attachment(data, f"payroll-{payroll.firm_id}-{payroll.month:%Y-%m}.xlsx", XLSX)


@router.post(
    "/firms/{firm_id}/payrolls",
    response=responds(ComplexPayrollOut, 201),
    summary="Compute (again) a firm's draft payroll of a month from its roster and the inputs "
    "given (refused, naming each rule broken)",
    auth=KEEPERS,
)
def compute_payroll(
    request: ApiRequest, firm_id: RecordId, payload: ComplexPayrollComputeIn
) -> Status[PayrollMonth]:
    firm = get_firm_for_edit(request.auth, firm_id)
    inputs = {
        line.number: core.LineInput(
            days_worked=None if line.days_worked is None else Decimal(line.days_worked),
            overtime_hours=Decimal(line.overtime_hours),
            night_hours=Decimal(line.night_hours),
            allowances_usd=Decimal(line.allowances_usd),
        )
        for line in payload.lines
    }
    payroll = payroll_service.payroll_compute(
        actor=request.auth, firm=firm, month=_month(payload.month), inputs=inputs
    )
    return Status(201, PayrollMonth.objects.select_related("rule").get(pk=payroll.pk))


@router.post(
    "/payrolls/{payroll_id}/submit",
    response=responds(ComplexPayrollOut),
    summary="Submit a draft payroll for the committee's approval",
    auth=KEEPERS,
)
def submit_payroll(request: ApiRequest, payroll_id: RecordId) -> PayrollMonth:
    payroll = _payroll(request, payroll_id)
    require(firms_for_edit(request.auth).filter(pk=payroll.firm_id).exists())
    return payroll_service.payroll_submit(actor=request.auth, payroll=payroll)


@router.post(
    "/payrolls/{payroll_id}/approve",
    response=responds(ComplexPayrollOut),
    summary="Approve a submitted payroll (the committee)",
    auth=COMMITTEE,
)
def approve_payroll(request: ApiRequest, payroll_id: RecordId) -> PayrollMonth:
    return payroll_service.payroll_approve(
        actor=request.auth, payroll=_payroll(request, payroll_id)
    )


@router.post(
    "/payrolls/{payroll_id}/send-back",
    response=responds(ComplexPayrollOut),
    summary="Send a submitted payroll back to the firm, with the reason (the committee)",
    auth=COMMITTEE,
)
def send_back_payroll(
    request: ApiRequest, payroll_id: RecordId, payload: ComplexPayrollSendBackIn
) -> PayrollMonth:
    return payroll_service.payroll_send_back(
        actor=request.auth, payroll=_payroll(request, payroll_id), reason=payload.reason
    )


@router.get(
    "/remittances",
    response=responds(list[ComplexRemittanceOut]),
    summary="The remittances to the bureau (a firm its own)",
    auth=SEEING,
)
def list_remittances(request: ApiRequest) -> QuerySet[Remittance]:
    return remittances_for_user(request.auth).order_by("-remitted_on", "-pk")[:1000]


@router.post(
    "/remittances",
    response=responds(ComplexRemittanceOut, 201),
    summary="Record the remittance of a firm's approved payrolls (the amount is their total)",
    auth=KEEPERS,
)
def record_remittance(request: ApiRequest, payload: ComplexRemittanceIn) -> Status[Remittance]:
    firm = get_firm_for_edit(request.auth, payload.firm)
    found = list(payrolls_for_user(request.auth).filter(pk__in=payload.payrolls))
    if len(found) != len(set(payload.payrolls)):
        missing = sorted(set(payload.payrolls) - {p.pk for p in found})
        raise not_found("노임", "payroll", missing[0])
    remittance = remittance_service.remittance_record(
        actor=request.auth,
        firm=firm,
        payrolls=found,
        amount_usd=Decimal(payload.amount_usd),
        bank=payload.bank,
        bank_reference=payload.bank_reference,
        remitted_on=payload.remitted_on,
    )
    return Status(201, remittance)


@router.post(
    "/remittances/{remittance_id}/confirm",
    response=responds(ComplexRemittanceOut),
    summary="Confirm receipt of a remittance, or record the amount received instead (the bureau)",
    auth=BUREAU,
)
def confirm_remittance(
    request: ApiRequest, remittance_id: RecordId, payload: ComplexRemittanceConfirmIn
) -> Remittance:
    remittance = get_or_404(remittances_for_user(request.auth), remittance_id, "송금", "remittance")
    return remittance_service.remittance_confirm(
        actor=request.auth,
        remittance=remittance,
        received_usd=None if payload.received_usd is None else Decimal(payload.received_usd),
        note=payload.note,
    )
