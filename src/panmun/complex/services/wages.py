"""The wage rules and the disputes over them, kept by the committee: a rule agreed by both
sides (refused above the cap on a year's raise while one is in force), a demand of one side
recorded as an open dispute with the months it affects (refused, as the 2013 rules refused it,
while the cap forbids it), and its settlement (the agreed figure becomes a rule from the
dispute's first month) or withdrawal. Payrolls not yet approved are computed again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import Side, User
from panmun.common.errors import DomainError, ErrorCode

from .. import wages as core
from ..access import can_keep_rules
from ..models import DisputeState, WageDispute, WageRule
from .payroll import recompute_unapproved, rule_in_force


def _invalid(field: str, ko: str, en: str, **details: object) -> DomainError:
    return DomainError(ErrorCode.INVALID_INPUT, ko, en, {"field": field, **details})


def _check_amount(field: str, amount: Decimal) -> None:
    if not amount.is_finite() or amount <= 0:
        raise _invalid(field, "금액은 0보다 커야 합니다.", "The amount must be above 0.")
    if amount != amount.quantize(core.MIL) or amount >= 10**6:
        raise _invalid(
            field,
            "금액은 1,000,000달러 미만, 소수점 아래 세 자리까지입니다.",
            "The amount is under 1,000,000 USD, with at most three decimals.",
        )


def _check_days(**days: dt.date | None) -> None:
    for field, day in days.items():
        problem = None if day is None else core.day_problem(field, day)
        if problem is not None:
            raise _invalid(field, problem.ko + ".", problem.en[:1].upper() + problem.en[1:] + ".")


def cap_check(day: dt.date, amount: Decimal, *, field: str) -> WageRule:
    """The rule in force on `day`; refused when there is none, when `amount` is not a raise,
    or when it is above the cap that rule keeps (the rule named)."""
    previous = rule_in_force(day - dt.timedelta(days=1))
    if previous is None:
        raise _invalid(
            "effective_from",
            "그 날에 앞선 임금 규정이 없습니다.",
            "No wage rule comes before that day.",
        )
    largest = core.raise_over_cap(previous.minimum_wage_usd, amount, previous.raise_cap)
    if largest is not None:
        cap = f"{previous.raise_cap * 100:.0f}%" if previous.raise_cap is not None else ""
        raise DomainError(
            ErrorCode.POLICY_FORBIDS,
            f"최저임금 연 인상 상한 {cap} 규정({previous.effective_from} 시행)에 따라 "
            f"{previous.minimum_wage_usd}달러에서 {largest}달러까지만 올릴 수 있습니다: "
            f"{amount}달러는 허용되지 않습니다.",
            f"The {cap} cap on a year's raise of the minimum wage (the rule in force from "
            f"{previous.effective_from}) allows at most {largest} USD over "
            f"{previous.minimum_wage_usd}: {amount} is refused.",
            {
                "field": field,
                "rule": "raise_cap",
                "cap": str(previous.raise_cap),
                "largest": str(largest),
            },
        )
    return previous


@transaction.atomic
def wage_rule_agree(
    *,
    actor: User,
    effective_from: dt.date,
    minimum_wage_usd: Decimal,
    agreed_on: dt.date,
    basis: str = "",
    allowances_insured: bool | None = None,
) -> WageRule:
    """A minimum wage both sides agreed, in force from `effective_from` (the other rules carried
    over from the rule before it). Refused above the cap in force; drafts and submitted
    payrolls from that month are computed again."""
    require(can_keep_rules(actor))
    _check_days(effective_from=effective_from, agreed_on=agreed_on)
    _check_amount("minimum_wage_usd", minimum_wage_usd)
    if WageRule.objects.filter(effective_from=effective_from).exists():
        raise _invalid(
            "effective_from",
            "그 날부터 시행하는 규정이 이미 있습니다.",
            "A rule already starts on that day.",
        )
    if len(basis) > 300:
        raise _invalid("basis", "근거는 300자까지입니다.", "The basis is at most 300 characters.")
    previous = cap_check(effective_from, minimum_wage_usd, field="minimum_wage_usd")
    rule = WageRule.objects.create(
        effective_from=effective_from,
        minimum_wage_usd=minimum_wage_usd,
        insurance_rate=previous.insurance_rate,
        allowances_insured=(
            previous.allowances_insured if allowances_insured is None else allowances_insured
        ),
        overtime_premium=previous.overtime_premium,
        night_premium=previous.night_premium,
        monthly_hours=previous.monthly_hours,
        raise_cap=previous.raise_cap,
        agreed_on=agreed_on,
        basis=basis.strip(),
    )
    audit.record(
        actor=actor,
        action="complex.wage_rule.agree",
        obj=rule,
        changes={"effective_from": effective_from, "minimum_wage_usd": minimum_wage_usd},
    )
    recompute_unapproved(actor=actor, since=effective_from)
    return rule


@transaction.atomic
def wage_demand_record(
    *,
    actor: User,
    demanded_on: dt.date,
    effective_from: dt.date,
    demanded_wage_usd: Decimal,
    effective_to: dt.date | None = None,
    side: str = "north",
    note: str = "",
) -> WageDispute:
    """A minimum wage one side demands and the other has not agreed: refused while the cap in
    force forbids it (as the rules did before 20 November 2014), else an open dispute over its
    months; drafts and submitted payrolls of those months carry both figures."""
    require(can_keep_rules(actor))
    _check_days(demanded_on=demanded_on, effective_from=effective_from, effective_to=effective_to)
    _check_amount("demanded_wage_usd", demanded_wage_usd)
    effective_from = core.month_start(effective_from)
    if effective_to is not None:
        effective_to = core.month_start(effective_to)
        if effective_to < effective_from:
            raise _invalid(
                "effective_to",
                "끝 달이 첫 달보다 앞섭니다.",
                "The last month comes before the first.",
            )
    demanding = Side.objects.filter(code=side).first()
    if demanding is None:
        raise _invalid("side", "측은 south 또는 north입니다.", "The side is south or north.")
    current = rule_in_force(effective_from)
    if current is not None and demanded_wage_usd <= current.minimum_wage_usd:
        raise _invalid(
            "demanded_wage_usd",
            f"요구액이 시행 중인 최저임금 {current.minimum_wage_usd}달러보다 높지 않습니다.",
            f"The demand is not above the minimum wage in force, {current.minimum_wage_usd}.",
        )
    cap_check(effective_from, demanded_wage_usd, field="demanded_wage_usd")
    if WageDispute.objects.filter(state=DisputeState.OPEN).exists():
        raise DomainError(
            ErrorCode.CONFLICT,
            "열린 임금 분쟁이 이미 있습니다: 먼저 타결하거나 철회하십시오.",
            "A wage dispute is already open: settle or withdraw it first.",
        )
    if len(note) > 4000:
        raise _invalid("note", "메모는 4,000자까지입니다.", "The note is at most 4,000 characters.")
    dispute = WageDispute.objects.create(
        demanded_by=demanding,
        demanded_on=demanded_on,
        effective_from=effective_from,
        effective_to=effective_to,
        demanded_wage_usd=demanded_wage_usd,
        note=note.strip(),
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action="complex.wage_dispute.record",
        obj=dispute,
        changes={"effective_from": effective_from, "demanded_wage_usd": demanded_wage_usd},
    )
    recompute_unapproved(actor=actor, since=effective_from)
    return dispute


def _open(dispute: WageDispute) -> WageDispute:
    dispute = WageDispute.objects.select_for_update().get(pk=dispute.pk)
    if dispute.state != DisputeState.OPEN:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "열린 분쟁이 아닙니다.",
            "The dispute is not open.",
            {"state": dispute.state},
        )
    return dispute


@transaction.atomic
def wage_dispute_settle(
    *,
    actor: User,
    dispute: WageDispute,
    agreed_wage_usd: Decimal,
    settled_on: dt.date,
    basis: str = "",
) -> WageDispute:
    """The dispute settled at `agreed_wage_usd`: a rule from its first month (the other rules
    carried over), payrolls not yet approved computed again at it; approved ones show the
    arrears (`payroll_arrears`)."""
    require(can_keep_rules(actor))
    _check_days(settled_on=settled_on)
    dispute = _open(dispute)
    _check_amount("agreed_wage_usd", agreed_wage_usd)
    if settled_on < dispute.demanded_on:
        raise _invalid(
            "settled_on",
            "타결일이 요구일보다 앞섭니다.",
            "The settlement comes before the demand.",
        )
    previous = rule_in_force(dispute.effective_from)
    assert previous is not None
    if agreed_wage_usd < previous.minimum_wage_usd:
        raise _invalid(
            "agreed_wage_usd",
            f"합의액이 시행 중인 최저임금 {previous.minimum_wage_usd}달러보다 낮습니다.",
            f"The agreed wage is below the minimum in force, {previous.minimum_wage_usd}.",
        )
    text = basis.strip() or f"{settled_on} 타결 (요구 {dispute.demanded_wage_usd}달러)"
    rule, _created = WageRule.objects.update_or_create(
        effective_from=dispute.effective_from,
        defaults={
            "minimum_wage_usd": agreed_wage_usd,
            "insurance_rate": previous.insurance_rate,
            "allowances_insured": previous.allowances_insured,
            "overtime_premium": previous.overtime_premium,
            "night_premium": previous.night_premium,
            "monthly_hours": previous.monthly_hours,
            "raise_cap": previous.raise_cap,
            "agreed_on": settled_on,
            "basis": text[:300],
        },
    )
    # Rules restated after the dispute's start and before its end carry the agreed wage too.
    later = WageRule.objects.filter(
        effective_from__gt=dispute.effective_from, minimum_wage_usd__lt=agreed_wage_usd
    )
    if dispute.effective_to is not None:
        later = later.filter(effective_from__lte=dispute.effective_to)
    later.update(minimum_wage_usd=agreed_wage_usd)
    dispute.state = DisputeState.SETTLED
    dispute.settled_on = settled_on
    dispute.settled_rule = rule
    dispute.save()
    audit.record(
        actor=actor,
        action="complex.wage_dispute.settle",
        obj=dispute,
        changes={"agreed_wage_usd": agreed_wage_usd, "settled_on": settled_on},
    )
    recompute_unapproved(actor=actor, since=dispute.effective_from)
    return dispute


@transaction.atomic
def wage_dispute_withdraw(
    *, actor: User, dispute: WageDispute, withdrawn_on: dt.date, note: str = ""
) -> WageDispute:
    """The demand withdrawn: the rules stay as they are; the payrolls lose the second figure."""
    require(can_keep_rules(actor))
    _check_days(withdrawn_on=withdrawn_on)
    dispute = _open(dispute)
    if withdrawn_on < dispute.demanded_on:
        raise _invalid(
            "withdrawn_on",
            "철회일이 요구일보다 앞섭니다.",
            "The withdrawal comes before the demand.",
        )
    dispute.state = DisputeState.WITHDRAWN
    dispute.settled_on = withdrawn_on
    if note.strip():
        dispute.note = (dispute.note + "\n" + note.strip()).strip()[:4000]
    dispute.save()
    audit.record(
        actor=actor,
        action="complex.wage_dispute.withdraw",
        obj=dispute,
        changes={"withdrawn_on": withdrawn_on},
    )
    recompute_unapproved(actor=actor, since=dispute.effective_from)
    return dispute
