"""The food loans (식량차관): their terms, the schedule computed from them (`aid.loans`),
repayments, instalments missed with their overdue charge, and the notices sent about them.
The ministry's officers keep them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import AuditEntry, User
from panmun.common.errors import DomainError, ErrorCode, invalid
from panmun.korean.dates import korea_today
from panmun.liaison.access import can_write_liaison
from panmun.liaison.services.messages import message_send

from .. import loans as loan_math
from ..access import can_keep_ledger
from ..models import Activity, Loan, LoanInstalment, LoanNotice


def _terms(loan: Loan) -> loan_math.LoanTerms:
    return loan_math.LoanTerms(
        principal=loan.principal,
        annual_rate=loan.annual_rate,
        grace_years=loan.grace_years,
        repayment_years=loan.repayment_years,
        overdue_rate=loan.overdue_rate,
        disbursed_on=loan.disbursed_on,
    )


def _check_terms(
    *,
    reference: str,
    principal: Decimal,
    annual_rate: Decimal,
    grace_years: int,
    repayment_years: int,
    overdue_rate: Decimal,
    signed_on: dt.date,
    disbursed_on: dt.date,
) -> None:
    problems = []
    if not reference.strip():
        problems.append(("reference", "참조 번호를 적어 주십시오.", "Give a reference."))
    elif Loan.objects.filter(reference=reference.strip()).exists():
        problems.append(("reference", "이미 있는 참조 번호입니다.", "That reference is taken."))
    if principal <= 0:
        problems.append(("principal", "원금은 0보다 커야 합니다.", "The principal is over 0."))
    for name, rate in (("annual_rate", annual_rate), ("overdue_rate", overdue_rate)):
        if not (0 <= rate < 1):
            problems.append((name, "이율은 0 이상 1 미만입니다.", "A rate from 0 to under 1."))
    if not (0 <= grace_years <= 50):
        problems.append(("grace_years", "거치 기간은 0–50년입니다.", "0 to 50 years of grace."))
    if not (1 <= repayment_years <= 50):
        problems.append(
            ("repayment_years", "상환 기간은 1–50년입니다.", "1 to 50 years of repayment.")
        )
    if disbursed_on < signed_on:
        problems.append(
            ("disbursed_on", "제공일은 서명일 이후입니다.", "Disbursed on or after signing.")
        )
    if problems:
        field, ko, en = problems[0]
        raise invalid(
            ko=ko,
            en=en,
            field=field,
            errors=[{"field": f, "reason_ko": k, "reason_en": e} for f, k, e in problems],
        )


@transaction.atomic
def loan_create(
    *,
    actor: User,
    reference: str,
    name_ko: str,
    name_en: str,
    lender: str,
    borrower: str,
    signed_on: dt.date,
    disbursed_on: dt.date,
    principal: Decimal,
    annual_rate: Decimal,
    grace_years: int,
    repayment_years: int,
    overdue_rate: Decimal,
    currency: str = "USD",
    goods: str = "",
    activity: Activity | None = None,
) -> Loan:
    """A loan on its terms, with its schedule written (`loan_schedule`)."""
    require(can_keep_ledger(actor))
    _check_terms(
        reference=reference,
        principal=principal,
        annual_rate=annual_rate,
        grace_years=grace_years,
        repayment_years=repayment_years,
        overdue_rate=overdue_rate,
        signed_on=signed_on,
        disbursed_on=disbursed_on,
    )
    if activity is not None and Loan.objects.filter(activity=activity).exists():
        raise invalid(
            ko="이 지원 사업에는 이미 차관이 있습니다.",
            en="That activity already has a loan.",
            field="activity",
        )
    loan = Loan(
        activity=activity,
        reference=reference.strip(),
        name_ko=name_ko,
        name_en=name_en,
        lender=lender,
        borrower=borrower,
        signed_on=signed_on,
        disbursed_on=disbursed_on,
        currency=currency,
        principal=principal,
        annual_rate=annual_rate,
        grace_years=grace_years,
        repayment_years=repayment_years,
        overdue_rate=overdue_rate,
        goods=goods,
    )
    loan.full_clean()
    loan.save()
    audit.record(
        actor=actor,
        action="aid.loan.create",
        obj=loan,
        changes={
            "principal": str(principal),
            "currency": currency,
            "annual_rate": str(annual_rate),
            "grace_years": grace_years,
            "repayment_years": repayment_years,
            "overdue_rate": str(overdue_rate),
            "disbursed_on": disbursed_on.isoformat(),
        },
    )
    loan_schedule(actor=actor, loan=loan)
    return loan


@transaction.atomic
def loan_schedule(*, actor: User, loan: Loan) -> list[LoanInstalment]:
    """Write the loan's instalments as computed from its terms. Refused once a repayment or a
    notice is recorded (the record of what happened is not recomputed away); a published
    figure kept beside an instalment stays with it."""
    require(can_keep_ledger(actor))
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    existing = {i.seq: i for i in loan.instalments.all()}
    if (
        any(i.paid_on is not None for i in existing.values())
        or LoanNotice.objects.filter(instalment__loan=loan).exists()
    ):
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "상환이나 통지가 기록된 차관의 일정은 다시 계산하지 않습니다.",
            "A loan with repayments or notices recorded keeps its schedule.",
        )
    published = {
        seq: (i.published_amount, i.published_source)
        for seq, i in existing.items()
        if i.published_amount is not None
    }
    loan.instalments.all().delete()
    rows = []
    for item in loan_math.schedule(_terms(loan)):
        amount, source = published.get(item.seq, (None, ""))
        rows.append(
            LoanInstalment(
                loan=loan,
                seq=item.seq,
                due_on=item.due_on,
                principal=item.principal,
                interest=item.interest,
                published_amount=amount,
                published_source=source,
            )
        )
    LoanInstalment.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        action="aid.loan.schedule",
        obj=loan,
        changes={
            "instalments": len(rows),
            "first_due_on": rows[0].due_on.isoformat(),
            "first_amount": str(rows[0].principal + rows[0].interest),
        },
    )
    return list(loan.instalments.all())


@transaction.atomic
def instalment_publish(
    *, actor: User, instalment: LoanInstalment, amount: Decimal, source: str
) -> LoanInstalment:
    """Keep a published source's figure for an instalment beside the computed one."""
    require(can_keep_ledger(actor))
    if amount <= 0 or not source.strip():
        raise invalid(
            ko="발표된 금액과 출처를 적어 주십시오.",
            en="Give the published amount and its source.",
            field="published_amount" if amount <= 0 else "published_source",
        )
    instalment.published_amount = amount
    instalment.published_source = source.strip()[:300]
    instalment.save(update_fields=["published_amount", "published_source"])
    audit.record(
        actor=actor,
        action="aid.loan.published",
        obj=instalment,
        changes={"amount": str(amount), "source": instalment.published_source},
    )
    return instalment


@transaction.atomic
def instalment_pay(
    *, actor: User, instalment: LoanInstalment, paid_on: dt.date, amount: Decimal
) -> LoanInstalment:
    """Record a repayment of an instalment (once)."""
    require(can_keep_ledger(actor))
    instalment = LoanInstalment.objects.select_for_update().get(pk=instalment.pk)
    if instalment.paid_on is not None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "이미 상환이 기록된 회차입니다.",
            "That instalment's repayment is already recorded.",
        )
    if amount <= 0:
        raise invalid(ko="금액은 0보다 커야 합니다.", en="An amount over 0.", field="amount")
    if paid_on > korea_today():
        raise invalid(
            ko="상환일은 앞날일 수 없습니다.",
            en="A repayment cannot be dated in the future.",
            field="paid_on",
        )
    instalment.paid_on = paid_on
    instalment.paid_amount = amount
    instalment.save(update_fields=["paid_on", "paid_amount"])
    audit.record(
        actor=actor,
        action="aid.loan.payment",
        obj=instalment,
        changes={"paid_on": paid_on.isoformat(), "amount": str(amount)},
    )
    return instalment


def instalment_state(instalment: LoanInstalment, today: dt.date) -> str:
    """Paid, missed (due and unpaid after its date) or not yet due."""
    if instalment.paid_on is not None:
        return "paid"
    return "missed" if instalment.due_on < today else "due"


def overdue_charge(instalment: LoanInstalment, on: dt.date) -> Decimal:
    """The overdue rate on a missed instalment's amount, from its due date to `on`."""
    if instalment.paid_on is not None or instalment.due_on >= on:
        return Decimal(0)
    rate = instalment.loan.overdue_rate
    return loan_math.overdue_charge(instalment.amount, rate, instalment.due_on, on)


@transaction.atomic
def instalments_mark_missed(*, actor: User, today: dt.date) -> list[LoanInstalment]:
    """The instalments fallen due before `today` and unpaid. Each is recorded in the audit log
    the first time it is found missed, with its overdue charge on `today`; run again (a daily
    timer), it records only the newly missed. The state itself is computed
    (`instalment_state`), so a repayment recorded later ends it."""
    require(can_keep_ledger(actor))
    missed = list(
        LoanInstalment.objects.filter(paid_on__isnull=True, due_on__lt=today)
        .select_related("loan")
        .order_by("loan", "seq")
    )
    recorded = set(
        AuditEntry.objects.filter(
            action="aid.loan.missed",
            object_type=LoanInstalment._meta.label_lower,
            object_id__in=[str(i.pk) for i in missed],
        ).values_list("object_id", flat=True)
    )
    for instalment in missed:
        if str(instalment.pk) in recorded:
            continue
        audit.record(
            actor=actor,
            action="aid.loan.missed",
            obj=instalment,
            changes={
                "due_on": instalment.due_on.isoformat(),
                "amount": str(instalment.amount),
                "overdue_charge": str(overdue_charge(instalment, today)),
                "on": today.isoformat(),
            },
        )
    return missed


@transaction.atomic
def loan_notice_send(
    *,
    actor: User,
    instalment: LoanInstalment,
    sent_on: dt.date,
    text_ko: str,
    text_en: str,
) -> LoanNotice:
    """A notice about an instalment (a reminder, a demand), recorded. Sent through the liaison
    office — signed in its log — only where the actor writes for a liaison office; otherwise
    recorded unsent (no entry), and the pages say so."""
    require(can_keep_ledger(actor))
    if not text_ko.strip() or not text_en.strip():
        raise invalid(
            ko="통지문을 한국어와 영어로 적어 주십시오.",
            en="Write the notice in Korean and in English.",
            field="text_ko" if not text_ko.strip() else "text_en",
        )
    entry = None
    if can_write_liaison(actor):
        loan = instalment.loan
        entry = message_send(
            actor=actor,
            kind="notice",
            body={
                "subject": f"{loan.name_ko} {instalment.seq}회차 상환 ({instalment.due_on})",
                "text": text_ko.strip(),
            },
        )
    notice = LoanNotice.objects.create(
        instalment=instalment,
        sent_on=sent_on,
        text_ko=text_ko.strip(),
        text_en=text_en.strip(),
        entry=entry,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="aid.loan.notice",
        obj=notice,
        changes={"instalment": instalment.seq, "liaison_entry": entry.pk if entry else None},
    )
    return notice
