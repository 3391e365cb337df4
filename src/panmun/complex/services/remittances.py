"""The remittance of a firm's approved payrolls in USD to the North's Central Special Zone
Development Guidance Bureau: recorded by the firm (or the committee) with the bank and its
reference, for exactly the sum of the payrolls it covers; the bureau confirms receipt, or
records what it received instead, with a note."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode

from .. import wages as core
from ..access import can_confirm_remittance, firms_for_edit
from ..models import Firm, PayrollMonth, PayrollState, Remittance, RemittanceState


def _invalid(field: str, ko: str, en: str, **details: object) -> DomainError:
    return DomainError(ErrorCode.INVALID_INPUT, ko, en, {"field": field, **details})


@transaction.atomic
def remittance_record(
    *,
    actor: User,
    firm: Firm,
    payrolls: list[PayrollMonth],
    amount_usd: Decimal,
    bank: str,
    bank_reference: str,
    remitted_on: dt.date,
) -> Remittance:
    """The firm's approved payrolls `payrolls` remitted: the amount must be their total."""
    require(firms_for_edit(actor).filter(pk=firm.pk).exists())
    bank, bank_reference = bank.strip(), bank_reference.strip()
    problems = []
    if not bank:
        problems.append(("bank", "은행을 적어 주십시오.", "Name the bank."))
    if not bank_reference:
        problems.append(("bank_reference", "은행 참조번호를 적어 주십시오.", "Give the reference."))
    if len(bank) > 200 or len(bank_reference) > 100:
        problems.append(("bank_reference", "너무 깁니다.", "Too long."))
    if core.day_problem("remitted_on", remitted_on) is not None:
        problems.append(("remitted_on", "날짜는 2000–2099년입니다.", "A date in 2000–2099."))
    if not payrolls:
        problems.append(("payrolls", "송금할 노임을 고르십시오.", "Choose the payrolls remitted."))
    if problems:
        field, ko, en = problems[0]
        raise _invalid(
            field,
            ko,
            en,
            errors=[{"field": f, "reason_ko": k, "reason_en": e} for f, k, e in problems],
        )
    ids = sorted({p.pk for p in payrolls})
    locked = list(PayrollMonth.objects.select_for_update().filter(pk__in=ids).order_by("month"))
    for payroll in locked:
        if payroll.firm_id != firm.pk:
            raise _invalid(
                "payrolls",
                "다른 기업의 노임입니다.",
                "A payroll of another firm.",
                payroll=payroll.pk,
            )
        if payroll.state != PayrollState.APPROVED:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION,
                f"{payroll.month:%Y-%m} 노임은 승인된 상태가 아닙니다: 승인된 노임만 송금합니다.",
                f"The payroll of {payroll.month:%Y-%m} is {payroll.state}: only an approved "
                "payroll is remitted.",
                {"field": "payrolls", "payroll": payroll.pk, "state": payroll.state},
            )
    due = sum((p.total_usd for p in locked), Decimal(0))
    if not amount_usd.is_finite() or amount_usd != core.usd(amount_usd) or amount_usd != due:
        raise _invalid(
            "amount_usd",
            f"송금액 {amount_usd}달러가 승인된 노임의 합계 {due}달러와 다릅니다.",
            f"The amount {amount_usd} is not the approved payrolls' total, {due} USD.",
            due=str(due),
        )
    if Remittance.objects.filter(bank=bank, bank_reference=bank_reference).exists():
        raise _invalid(
            "bank_reference",
            "그 은행의 참조번호가 이미 기록되어 있습니다.",
            "That bank reference is already recorded.",
        )
    remittance = Remittance.objects.create(
        firm=firm,
        amount_usd=due,
        bank=bank,
        bank_reference=bank_reference,
        remitted_on=remitted_on,
        recorded_by=actor,
    )
    for payroll in locked:
        payroll.remit()
        payroll.remittance = remittance
        payroll.save()
    audit.record(
        actor=actor,
        action="complex.remittance.record",
        obj=remittance,
        changes={
            "amount_usd": due,
            "payrolls": [f"{p.month:%Y-%m}" for p in locked],
            "bank_reference": bank_reference,
        },
    )
    return remittance


@transaction.atomic
def remittance_confirm(
    *,
    actor: User,
    remittance: Remittance,
    received_usd: Decimal | None = None,
    note: str = "",
) -> Remittance:
    """The bureau confirms receipt: of the amount sent (no `received_usd`, or the same), or of
    another amount, which must come with a note saying why."""
    require(can_confirm_remittance(actor))
    remittance = Remittance.objects.select_for_update().get(pk=remittance.pk)
    if remittance.state != RemittanceState.SENT:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "이미 수령을 확인한 송금입니다.",
            "Receipt of this remittance is already confirmed.",
            {"state": remittance.state},
        )
    received = remittance.amount_usd if received_usd is None else received_usd
    if not received.is_finite() or received < 0 or received != core.usd(received):
        raise _invalid(
            "received_usd",
            "받은 금액은 0 이상, 소수점 아래 세 자리까지입니다.",
            "The amount received is 0 or more, with at most three decimals.",
        )
    note = note.strip()
    if received != remittance.amount_usd and not note:
        raise _invalid(
            "note",
            "보낸 금액과 다르면 그 이유를 적어 주십시오.",
            "Say why the amount received differs from the amount sent.",
        )
    if len(note) > 4000:
        raise _invalid("note", "메모는 4,000자까지입니다.", "The note is at most 4,000 characters.")
    remittance.state = RemittanceState.CONFIRMED
    remittance.received_usd = received
    remittance.bureau_note = note
    remittance.confirmed_by = actor
    remittance.confirmed_at = timezone.now()
    remittance.save()
    for payroll in PayrollMonth.objects.select_for_update().filter(remittance=remittance):
        payroll.confirm()
        payroll.save()
    audit.record(
        actor=actor,
        action="complex.remittance.confirm",
        obj=remittance,
        changes={"received_usd": received, **({"note": note} if note else {})},
    )
    return remittance
