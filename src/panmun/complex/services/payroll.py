"""A firm's monthly payroll: computed from its roster that month and what the firm enters for
each worker (a form, or a timesheet file: days worked, overtime and night hours, allowances;
full attendance where nothing is entered), under the wage rules in force that month
(`panmun.complex.wages`). The firm computes and submits it; the committee approves it or sends
it back with a reason. While a wage dispute over the month is open, the payroll also carries its
total at the demanded wage; once settled, an approved payroll shows the arrears."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common.bulk import Insert
from panmun.common.errors import DomainError, ErrorCode
from panmun.common.findings import Finding
from panmun.common.spreadsheets.reading import SpreadsheetError, read_table
from panmun.common.spreadsheets.writing import write_xlsx_to

from .. import wages as core
from ..access import can_approve_payroll, firms_for_edit
from ..models import (
    DisputeState,
    Firm,
    PayrollLine,
    PayrollMonth,
    PayrollState,
    WageDispute,
    WageRule,
    Worker,
)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
SUMS = ("base_usd", "overtime_usd", "allowances_usd", "insurance_usd", "total_usd")

#: A timesheet's columns: each name it may have (Korean or English) → the field.
COLUMNS: dict[str, str] = {
    "근로자번호": "number",
    "번호": "number",
    "number": "number",
    "worker number": "number",
    "근무일": "days_worked",
    "출근일수": "days_worked",
    "days worked": "days_worked",
    "days_worked": "days_worked",
    "연장근무시간": "overtime_hours",
    "연장 근무 시간": "overtime_hours",
    "overtime hours": "overtime_hours",
    "overtime_hours": "overtime_hours",
    "야간근무시간": "night_hours",
    "야간 근무 시간": "night_hours",
    "night hours": "night_hours",
    "night_hours": "night_hours",
    "가급금": "allowances_usd",
    "allowances": "allowances_usd",
    "allowances_usd": "allowances_usd",
}


def facts_of(rule: WageRule) -> core.RuleFacts:
    return core.RuleFacts(
        effective_from=rule.effective_from,
        minimum_wage_usd=rule.minimum_wage_usd,
        insurance_rate=rule.insurance_rate,
        allowances_insured=rule.allowances_insured,
        overtime_premium=rule.overtime_premium,
        night_premium=rule.night_premium,
        monthly_hours=rule.monthly_hours,
        raise_cap=rule.raise_cap,
        agreed_on=rule.agreed_on,
        basis=rule.basis,
    )


def rule_in_force(day: dt.date) -> WageRule | None:
    return WageRule.objects.filter(effective_from__lte=day).order_by("-effective_from").first()


def open_dispute_for(month: dt.date) -> WageDispute | None:
    """The open dispute whose months include `month` (the latest demanded)."""
    return (
        WageDispute.objects.filter(
            state=DisputeState.OPEN, effective_from__lte=core.month_end(month)
        )
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=month))
        .order_by("-effective_from", "-pk")
        .first()
    )


def roster(firm: Firm, month: dt.date) -> QuerySet[Worker]:
    """The firm's workers on its roster some day of `month`."""
    return Worker.objects.filter(firm=firm, hired_on__lte=core.month_end(month)).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=month)
    )


def _refused(problems: list[Finding], *, month: dt.date) -> DomainError:
    first = problems[0]
    return DomainError.from_findings(
        problems,
        ko=f"{month:%Y-%m} 노임이 규정에 맞지 않습니다: {first.ko}",
        en=f"The payroll of {month:%Y-%m} breaks the wage rules: {first.en}",
        month=f"{month:%Y-%m}",
    )


#: The columns of a payroll line as `_write` inserts them (after the payroll's and worker's ids).
LINE_COLUMNS = (
    "payroll_id",
    "worker_id",
    "days_worked",
    "overtime_hours",
    "night_hours",
    "allowances_usd",
    "base_usd",
    "overtime_usd",
    "insurance_usd",
    "total_usd",
)


def line_cells(amounts: core.LineAmounts) -> tuple[str, ...]:
    """A line's amounts as the database takes them (decimal strings)."""
    return tuple(str(getattr(amounts, name)) for name in LINE_COLUMNS[2:])


@dataclass
class Computed:
    #: (worker id, the line's cells) for each worker.
    lines: list[tuple[int, tuple[str, ...]]]
    sums: dict[str, Decimal]
    disputed_total: Decimal | None


def _compute(
    firm: Firm,
    month: dt.date,
    rule: WageRule,
    inputs: Mapping[str, core.LineInput],
    dispute: WageDispute | None,
    *,
    source: str = "",
    rows: Mapping[str, int] | None = None,
    workers: Iterable[tuple[int, str, Decimal | None]] | None = None,
) -> Computed:
    """Every line of the firm's month, or DomainError naming every broken rule."""
    facts = facts_of(rule)
    people = list(
        workers
        if workers is not None
        else roster(firm, month).order_by("number").values_list("pk", "number", "base_wage_usd")
    )
    problems: list[Finding] = []
    known = {number for _pk, number, _wage in people}
    for number in sorted(set(inputs) - known):
        problems.append(
            Finding(
                "payroll_unknown_worker",
                ko=f"근로자 {number}은(는) 이 달 명부에 없습니다",
                en=f"worker {number} is not on the roster this month",
                file=source,
                row=(rows or {}).get(number),
                field="number",
            )
        )
    lines: list[tuple[int, tuple[str, ...]]] = []
    sums = dict.fromkeys(SUMS, Decimal(0))
    disputed = Decimal(0)
    default = core.LineInput()
    # Most workers of a firm share their wage and inputs: each pair is computed once.
    checked: dict[tuple[Decimal | None, core.LineInput], list[core.Problem]] = {}
    cache: dict[
        tuple[Decimal | None, core.LineInput], tuple[core.LineAmounts, Decimal, tuple[str, ...]]
    ] = {}
    for pk, number, wage in people:
        given = inputs.get(number, default)
        key = (wage, given)
        found = checked.get(key)
        if found is None:
            found = checked[key] = core.line_problems(facts, month, wage, given)
        if found:
            for p in found:
                problems.append(
                    Finding(
                        "payroll_rule",
                        ko=f"근로자 {number}: {p.ko}",
                        en=f"worker {number}: {p.en}",
                        file=source,
                        row=(rows or {}).get(number),
                        field=p.field,
                    )
                )
            continue
        known_amounts = cache.get(key)
        if known_amounts is None:
            amounts = core.line_amounts(facts, month, wage, given)
            demanded = (
                core.line_amounts(
                    facts, month, wage, given, minimum=dispute.demanded_wage_usd
                ).total_usd
                if dispute is not None
                else Decimal(0)
            )
            known_amounts = cache[key] = (amounts, demanded, line_cells(amounts))
        amounts, demanded, cells = known_amounts
        for name in SUMS:
            sums[name] += getattr(amounts, name)
        disputed += demanded
        lines.append((pk, cells))
    if not people:
        problems.append(
            Finding(
                "payroll_no_workers",
                ko="이 달 명부에 근로자가 없습니다",
                en="no worker is on the roster this month",
                field="month",
            )
        )
    if problems:
        raise _refused(problems, month=month)
    return Computed(lines, sums, disputed if dispute is not None else None)


def _write(
    payroll: PayrollMonth, computed: Computed, rule: WageRule, dispute: WageDispute | None
) -> None:
    payroll.rule = rule
    payroll.workers = len(computed.lines)
    for name in SUMS:
        setattr(payroll, name, computed.sums[name])
    payroll.wages_usd = (
        computed.sums["base_usd"] + computed.sums["overtime_usd"] + computed.sums["allowances_usd"]
    )
    payroll.dispute = dispute
    payroll.disputed_total_usd = computed.disputed_total
    payroll.computed_at = timezone.now()
    payroll.save()
    PayrollLine.objects.filter(payroll=payroll).delete()
    # Many rows at once (`common.bulk`): bulk_create spends its time preparing each value.
    insert = Insert(PayrollLine, LINE_COLUMNS)
    pk = payroll.pk
    rows = [(pk, worker, *cells) for worker, cells in computed.lines]
    for start in range(0, len(rows), 5000):
        insert.write(rows[start : start + 5000])


def _check_month(month: dt.date) -> WageRule:
    if core.day_problem("month", month) is not None:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "달은 2000–2099년이어야 합니다.",
            "The month must be in 2000–2099.",
            {"field": "month"},
        )
    rule = rule_in_force(month)
    if rule is None:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"{month:%Y-%m}에 시행 중인 임금 규정이 없습니다.",
            f"No wage rule is in force in {month:%Y-%m}.",
            {"field": "month"},
        )
    return rule


def _draft_or_new(firm: Firm, month: dt.date, rule: WageRule) -> PayrollMonth:
    payroll = PayrollMonth.objects.select_for_update().filter(firm=firm, month=month).first()
    if payroll is None:
        return PayrollMonth(firm=firm, month=month, rule=rule)
    if payroll.state != PayrollState.DRAFT:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"{month:%Y-%m} 노임은 이미 {payroll.get_state_display()} 상태입니다: 초안만 다시 "
            "계산합니다.",
            f"The payroll of {month:%Y-%m} is {payroll.state}: only a draft is computed again.",
            {"state": payroll.state},
        )
    return payroll


@transaction.atomic
def payroll_compute(
    *,
    actor: User,
    firm: Firm,
    month: dt.date,
    inputs: Mapping[str, core.LineInput] | None = None,
    source: str = "",
    rows: Mapping[str, int] | None = None,
) -> PayrollMonth:
    """The firm's payroll of `month` (a draft, written or written again) from its roster and
    `inputs` by worker number (full attendance for the others). Refused, writing nothing, with
    every broken rule named (by `source` file and row where the inputs came from a file)."""
    require(firms_for_edit(actor).filter(pk=firm.pk).exists())
    month = core.month_start(month)
    rule = _check_month(month)
    payroll = _draft_or_new(firm, month, rule)
    dispute = open_dispute_for(month)
    computed = _compute(firm, month, rule, inputs or {}, dispute, source=source, rows=rows)
    created = payroll.pk is None
    _write(payroll, computed, rule, dispute)
    audit.record(
        actor=actor,
        action="complex.payroll.compute",
        obj=payroll,
        changes={
            "month": f"{month:%Y-%m}",
            "workers": payroll.workers,
            "total_usd": payroll.total_usd,
            "created": created,
            **({"file": source} if source else {}),
        },
    )
    return payroll


def kept_inputs(payroll: PayrollMonth) -> dict[str, core.LineInput]:
    """The inputs a payroll's lines hold, by worker number."""
    return {
        number: core.LineInput(days, overtime, night, allowances)
        for number, days, overtime, night, allowances in payroll.lines.values_list(
            "worker__number", "days_worked", "overtime_hours", "night_hours", "allowances_usd"
        )
    }


@transaction.atomic
def payroll_line_set(
    *, actor: User, payroll: PayrollMonth, number: str, given: core.LineInput
) -> PayrollMonth:
    """One worker's inputs on a draft changed (from the month's page): the draft is computed
    again with them and the other lines' inputs as they were."""
    require(firms_for_edit(actor).filter(pk=payroll.firm_id).exists())
    inputs = kept_inputs(payroll)
    if number not in inputs:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"근로자 {number}은(는) 이 노임에 없습니다.",
            f"Worker {number} is not on this payroll.",
            {"field": "number"},
        )
    inputs[number] = given
    return payroll_compute(actor=actor, firm=payroll.firm, month=payroll.month, inputs=inputs)


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def timesheet_read(data: bytes, filename: str) -> tuple[dict[str, core.LineInput], dict[str, int]]:
    """A timesheet (.xlsx or .csv: worker number, days worked, overtime hours, night hours,
    allowances; Korean or English headers) as inputs by worker number, with each one's row; or
    DomainError naming every bad row by file, row and field."""
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(
            ErrorCode.PAYLOAD_TOO_LARGE,
            "파일이 너무 큽니다.",
            "The file is too large.",
            {"file": filename},
        )
    try:
        table = read_table(data, filename=filename, max_rows=MAX_ROWS)
    except SpreadsheetError as err:
        raise DomainError.from_findings(
            err.problems,
            ko=f"근무표 {filename}을(를) 읽을 수 없습니다.",
            en=f"The timesheet {filename} cannot be read.",
            file=filename,
        ) from err
    problems: list[Finding] = []
    header = [COLUMNS.get(" ".join(h.split()).casefold(), "") for h in (table or [[]])[0]]
    if "number" not in header:
        problems.append(
            Finding(
                "timesheet_no_number",
                ko="근로자번호 열이 없습니다",
                en="there is no worker number column",
                file=filename,
                row=1,
                field="number",
            )
        )
        raise _timesheet_refused(problems, filename)
    inputs: dict[str, core.LineInput] = {}
    rows: dict[str, int] = {}
    for index, cells in enumerate(table[1:], start=2):
        values = {
            field: (cells[i] if i < len(cells) else "").strip()
            for i, field in enumerate(header)
            if field
        }
        if not any(values.values()):
            continue
        number = values.get("number", "")
        if not number:
            problems.append(_bad(filename, index, "number", "근로자번호가 없습니다", "no number"))
            continue
        if number in rows:
            problems.append(
                _bad(
                    filename,
                    index,
                    "number",
                    f"근로자 {number}이(가) {rows[number]}행에도 있습니다",
                    f"worker {number} is also on row {rows[number]}",
                )
            )
            continue
        facts: dict[str, Any] = {}
        for field in ("days_worked", "overtime_hours", "night_hours", "allowances_usd"):
            text = values.get(field, "")
            if not text:
                continue
            value = _decimal(text)
            if value is None:
                problems.append(
                    _bad(
                        filename, index, field, f"숫자가 아닙니다: {text}", f"not a number: {text}"
                    )
                )
            elif value < 0:
                problems.append(
                    _bad(filename, index, field, "음수일 수 없습니다", "cannot be negative")
                )
            elif value != value.quantize(Decimal("0.1") if field != "allowances_usd" else core.MIL):
                problems.append(
                    _bad(
                        filename,
                        index,
                        field,
                        "소수 자릿수가 너무 많습니다",
                        "too many decimal places",
                    )
                )
            elif value >= 10**6:
                problems.append(_bad(filename, index, field, "너무 큽니다", "too large"))
            else:
                facts[field] = value
        rows[number] = index
        inputs[number] = core.LineInput(**facts)
    if problems:
        raise _timesheet_refused(problems, filename)
    return inputs, rows


def _bad(file: str, row: int, field: str, ko: str, en: str) -> Finding:
    return Finding("timesheet_cell", ko=ko, en=en, file=file, row=row, field=field)


def _timesheet_refused(problems: list[Finding], filename: str) -> DomainError:
    return DomainError.from_findings(
        problems,
        ko=f"근무표 {filename}에 문제가 {len(problems)}개 있어 아무것도 기록하지 않았습니다.",
        en=f"The timesheet {filename} has {len(problems)} problems: nothing was recorded.",
        file=filename,
    )


def _transition(
    payroll: PayrollMonth, step: Callable[[], None], wanted: str, ko: str, en: str
) -> None:
    if payroll.state != wanted:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"{ko} ({payroll.get_state_display()})",
            f"{en} (it is {payroll.state}).",
            {"state": payroll.state},
        )
    step()


@transaction.atomic
def payroll_submit(*, actor: User, payroll: PayrollMonth) -> PayrollMonth:
    """The firm (or the committee) submits a computed draft for approval."""
    require(firms_for_edit(actor).filter(pk=payroll.firm_id).exists())
    payroll = PayrollMonth.objects.select_for_update().get(pk=payroll.pk)
    _transition(
        payroll,
        payroll.submit,
        PayrollState.DRAFT,
        "초안만 제출할 수 있습니다",
        "Only a draft is submitted",
    )
    payroll.submitted_at = timezone.now()
    payroll.returned_reason = ""
    payroll.save()
    audit.record(
        actor=actor,
        action="complex.payroll.submit",
        obj=payroll,
        changes={"total_usd": payroll.total_usd},
    )
    return payroll


@transaction.atomic
def payroll_approve(*, actor: User, payroll: PayrollMonth) -> PayrollMonth:
    """The committee approves a submitted payroll."""
    require(can_approve_payroll(actor))
    payroll = PayrollMonth.objects.select_for_update().get(pk=payroll.pk)
    _transition(
        payroll,
        payroll.approve,
        PayrollState.SUBMITTED,
        "제출된 노임만 승인할 수 있습니다",
        "Only a submitted payroll is approved",
    )
    payroll.decided_by = actor
    payroll.decided_at = timezone.now()
    payroll.save()
    audit.record(
        actor=actor,
        action="complex.payroll.approve",
        obj=payroll,
        changes={"total_usd": payroll.total_usd},
    )
    return payroll


@transaction.atomic
def payroll_send_back(*, actor: User, payroll: PayrollMonth, reason: str) -> PayrollMonth:
    """The committee sends a submitted payroll back to the firm, saying why."""
    require(can_approve_payroll(actor))
    reason = reason.strip()
    if not reason:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "돌려보내는 이유를 적어 주십시오.",
            "Say why it is sent back.",
            {"field": "reason"},
        )
    if len(reason) > 2000:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "이유는 2,000자까지입니다.",
            "The reason is at most 2,000 characters.",
            {"field": "reason"},
        )
    payroll = PayrollMonth.objects.select_for_update().get(pk=payroll.pk)
    _transition(
        payroll,
        payroll.send_back,
        PayrollState.SUBMITTED,
        "제출된 노임만 돌려보낼 수 있습니다",
        "Only a submitted payroll is sent back",
    )
    payroll.returned_reason = reason
    payroll.decided_by = actor
    payroll.decided_at = timezone.now()
    payroll.save()
    audit.record(
        actor=actor, action="complex.payroll.send_back", obj=payroll, changes={"reason": reason}
    )
    return payroll


def payroll_arrears(payroll: PayrollMonth) -> Decimal | None:
    """For a payroll approved before its month's rule changed (a dispute settled back-dated):
    what the rule now in force owes on top of the approved total; None when nothing is owed."""
    if payroll.state in (PayrollState.DRAFT, PayrollState.SUBMITTED):
        return None
    rule = rule_in_force(payroll.month)
    if rule is None or rule.pk == payroll.rule_id:
        return None
    facts = facts_of(rule)
    total = Decimal(0)
    for line in payroll.lines.select_related("worker"):
        given = core.LineInput(
            line.days_worked, line.overtime_hours, line.night_hours, line.allowances_usd
        )
        wage = line.worker.base_wage_usd
        total += core.line_amounts(facts, payroll.month, wage, given).total_usd
    difference = total - payroll.total_usd
    return difference if difference > 0 else None


def recompute_unapproved(*, actor: User | None, since: dt.date) -> int:
    """Compute again, with the inputs they hold, the drafts and submitted payrolls of the months
    from `since` (after a rule or a dispute changed): a submitted one stays submitted. Runs in
    the caller's transaction. Returns how many."""
    done = 0
    payrolls = PayrollMonth.objects.select_for_update().filter(
        month__gte=core.month_start(since), state__in=(PayrollState.DRAFT, PayrollState.SUBMITTED)
    )
    for payroll in payrolls.select_related("firm"):
        rule = rule_in_force(payroll.month)
        assert rule is not None
        dispute = open_dispute_for(payroll.month)
        kept = {
            number: core.LineInput(days, overtime, night, allowances)
            for number, days, overtime, night, allowances in payroll.lines.values_list(
                "worker__number", "days_worked", "overtime_hours", "night_hours", "allowances_usd"
            )
        }
        workers = [
            (pk, number, wage)
            for pk, number, wage in roster(payroll.firm, payroll.month)
            .order_by("number")
            .values_list("pk", "number", "base_wage_usd")
            if number in kept
        ]
        computed = _compute(payroll.firm, payroll.month, rule, kept, dispute, workers=workers)
        _write(payroll, computed, rule, dispute)
        audit.record(
            actor=actor,
            action="complex.payroll.recompute",
            obj=payroll,
            changes={"rule": str(rule.effective_from), "total_usd": payroll.total_usd},
        )
        done += 1
    return done


@dataclass
class MonthSummary:
    month: dt.date
    computed: int
    skipped: int
    workers: int
    total_usd: Decimal
    #: The firms whose payroll a rule refused: (firm id, name, why in Korean, in English).
    refused: list[tuple[int, str, str, str]] = dataclasses.field(default_factory=list)


def complex_month_compute(
    *,
    actor: User,
    month: dt.date,
    firms: QuerySet[Firm] | None = None,
    progress: Any = None,
) -> MonthSummary:
    """Every firm's payroll of `month` (full attendance where a draft holds no inputs; the
    inputs of a draft kept), one firm a transaction; a payroll past draft is skipped. For the
    committee (every firm) or a firm (its own). A firm whose payroll a rule refuses is
    named in the summary and written nothing; the other firms' payrolls are computed."""
    month = core.month_start(month)
    allowed = firms_for_edit(actor)
    chosen = (firms if firms is not None else allowed).filter(pk__in=allowed)
    # Three reads for the whole month: the firms with someone on the roster, the payrolls
    # already there, the inputs the drafts hold.
    on_roster = (
        Worker.objects.filter(firm__in=chosen, hired_on__lte=core.month_end(month))
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=month))
        .values_list("firm_id", flat=True)
        .distinct()
    )
    _check_month(month)
    ids = sorted(set(on_roster))
    states = dict(
        PayrollMonth.objects.filter(month=month, firm_id__in=ids).values_list("firm_id", "state")
    )
    kept: dict[int, dict[str, core.LineInput]] = {}
    drafts = [firm_id for firm_id, state in states.items() if state == PayrollState.DRAFT]
    for firm_id, number, days, overtime, night, allowances in PayrollLine.objects.filter(
        payroll__firm_id__in=drafts, payroll__month=month
    ).values_list(
        "payroll__firm_id",
        "worker__number",
        "days_worked",
        "overtime_hours",
        "night_hours",
        "allowances_usd",
    ):
        kept.setdefault(firm_id, {})[number] = core.LineInput(days, overtime, night, allowances)
    if progress is not None:
        progress.start(len(ids), "payroll")
    summary = MonthSummary(month, 0, 0, 0, Decimal(0))
    for firm in Firm.objects.filter(pk__in=ids).order_by("pk"):
        if states.get(firm.pk, PayrollState.DRAFT) != PayrollState.DRAFT:
            summary.skipped += 1
        else:
            try:
                payroll = payroll_compute(
                    actor=actor, firm=firm, month=month, inputs=kept.get(firm.pk, {})
                )
            except DomainError as refusal:
                summary.refused.append(
                    (firm.pk, firm.name_ko, refusal.message_ko, refusal.message_en)
                )
            else:
                summary.computed += 1
                summary.workers += payroll.workers
                summary.total_usd += payroll.total_usd
        if progress is not None:
            progress.advance()
    return summary


#: The payroll file's columns, in Korean (the firms' and the committee's).
EXPORT_HEADER = (
    "근로자번호",
    "성명",
    "직종",
    "근무일",
    "연장근무시간",
    "야간근무시간",
    "기본임금(USD)",
    "연장·야간(USD)",
    "가급금(USD)",
    "사회보험료(USD)",
    "합계(USD)",
)


def payroll_export(payroll: PayrollMonth) -> bytes:
    """A payroll as an xlsx workbook in Korean: a row per worker, then the totals."""

    def rows() -> Iterable[list[str]]:
        for line in payroll.lines.select_related("worker").order_by("worker__number"):
            yield [
                line.worker.number,
                line.worker.name,
                line.worker.job,
                str(line.days_worked),
                str(line.overtime_hours),
                str(line.night_hours),
                str(line.base_usd),
                str(line.overtime_usd),
                str(line.allowances_usd),
                str(line.insurance_usd),
                str(line.total_usd),
            ]
        yield [
            "합계",
            f"{payroll.workers}명",
            "",
            "",
            "",
            "",
            str(payroll.base_usd),
            str(payroll.overtime_usd),
            str(payroll.allowances_usd),
            str(payroll.insurance_usd),
            str(payroll.total_usd),
        ]
        if payroll.disputed_total_usd is not None:
            yield [
                "요구 임금 기준 합계",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                str(payroll.disputed_total_usd),
            ]

    out = io.BytesIO()
    write_xlsx_to(out, EXPORT_HEADER, rows(), sheet_name=f"노임 {payroll.month:%Y-%m}")
    return out.getvalue()
