"""Customs declarations at the complex's crossing: a firm stores one (lines by HS 2022 code,
under a goods approval or its cooperation-project approval); the customs officer registers it
(a number of the year, the banned list checked: a banned item stops it with the rule named; the
lane drawn), assesses it, releases it (after quarantine has passed it where needed), or stops
it; a supervisor re-routes it with the reason. Amendments after registration keep the number
and record what changed. Every step is a `DeclarationEvent` with the officer and the time, and
an audit entry. The rules are in `panmun.complex.customs`."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode
from panmun.common.findings import Finding
from panmun.permits.models import (
    IN_FORCE,
    Approval,
    ApprovalKind,
    GoodsDirection,
    PolicyEffect,
    PolicyRule,
)
from panmun.permits.people import hs_subheading
from panmun.permits.policy import rules_against

from .. import customs as rules
from ..access import firms_for_edit, is_customs_officer, is_customs_supervisor
from ..models import (
    CustomsStanding,
    Declaration,
    DeclarationEvent,
    DeclarationEventKind,
    DeclarationLine,
    DeclarationSequence,
    DeclarationState,
    Firm,
    InspectionResult,
    LaneDraw,
    RiskRule,
)
from .quarantine import epidemic_mode_on

MAX_LINES = 200
MAX_TEXT = 2000
D = DeclarationState
E = DeclarationEventKind


def _invalid(field: str, ko: str, en: str, **details: object) -> DomainError:
    return DomainError(ErrorCode.INVALID_INPUT, ko, en, {"field": field, **details})


def _state_error(declaration: Declaration, ko: str, en: str) -> DomainError:
    return DomainError(
        ErrorCode.INVALID_TRANSITION,
        f"{ko} (지금: {declaration.get_state_display()})",
        f"{en} (it is {declaration.state}).",
        {"state": declaration.state},
    )


def _reason(text: str, field: str = "reason") -> str:
    text = text.strip()
    if not text:
        raise _invalid(field, "이유를 적어 주십시오.", "Give the reason.")
    if len(text) > MAX_TEXT:
        raise _invalid(
            field, "이유는 2,000자까지입니다.", "The reason is at most 2,000 characters."
        )
    return text


def _event(
    declaration: Declaration,
    kind: str,
    officer: User,
    *,
    state_from: str = "",
    details: dict[str, Any] | None = None,
) -> DeclarationEvent:
    return DeclarationEvent.objects.create(
        declaration=declaration,
        kind=kind,
        officer=officer,
        at=timezone.now(),
        state_from=state_from,
        state_to=declaration.state,
        details=details or {},
    )


# --- lines -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineIn:
    """A line as typed (text) or given (decimals)."""

    hs_code: str
    description: str
    quantity: str | Decimal
    unit: str
    value_usd: str | Decimal
    magnification: str | Decimal | None = None
    focal_length_mm: str | Decimal | None = None
    harmful: bool = False


@dataclass(frozen=True)
class CleanLine:
    row: int
    hs_code: str
    description: str
    quantity: Decimal
    unit: str
    value_usd: Decimal
    magnification: Decimal | None
    focal_length_mm: Decimal | None
    harmful: bool

    def facts(self) -> rules.LineFacts:
        return rules.LineFacts(self.hs_code, self.magnification, self.focal_length_mm, self.harmful)

    def as_fields(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "hs_code": self.hs_code,
            "description": self.description,
            "quantity": self.quantity,
            "unit": self.unit,
            "value_usd": self.value_usd,
            "magnification": self.magnification,
            "focal_length_mm": self.focal_length_mm,
            "harmful": self.harmful,
        }


def _decimal(
    value: str | Decimal | None, *, places: int, digits: int, positive: bool
) -> tuple[Decimal | None, str, str]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "", ""
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None, "숫자가 아닙니다.", "Not a number."
    if not number.is_finite():
        return None, "숫자가 아닙니다.", "Not a number."
    if number < 0 or (positive and number == 0):
        if positive:
            return None, "0보다 커야 합니다.", "Must be above 0."
        return None, "0 이상이어야 합니다.", "Must be 0 or more."
    too_big = number >= Decimal(10) ** (digits - places)
    if too_big or number != number.quantize(Decimal(1).scaleb(-places)):
        return (
            None,
            f"소수점 아래 {places}자리, {digits - places}자리 정수까지입니다.",
            f"At most {digits - places} digits and {places} decimals.",
        )
    return number, "", ""


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_lines(lines: Sequence[LineIn]) -> list[CleanLine]:
    """The lines cleaned, or DomainError naming each bad field (`line<N>_<field>`, row N)."""
    problems: list[Finding] = []

    def bad(row: int, name: str, ko: str, en: str) -> None:
        problems.append(
            Finding("declaration_line", ko=ko, en=en, row=row, field=f"line{row}_{name}")
        )

    if not lines:
        raise _invalid(
            "line1_hs_code", "품목을 하나 이상 적어 주십시오.", "Give at least one line."
        )
    if len(lines) > MAX_LINES:
        raise _invalid("lines", "품목은 200개까지입니다.", "At most 200 lines.")
    clean: list[CleanLine] = []
    for row, line in enumerate(lines, start=1):
        code, ko, en = hs_subheading(line.hs_code or "")
        if code is None:
            bad(row, "hs_code", ko, en)
        description = (line.description or "").strip()
        unit = (line.unit or "").strip()
        for name, text, limit in (("description", description, 200), ("unit", unit, 20)):
            if not text:
                bad(row, name, "적어 주십시오.", "Required.")
            elif len(text) > limit or _CONTROL.search(text):
                bad(row, name, f"{limit}자 이내, 제어 문자 없이.", f"At most {limit} characters.")
        quantity, ko, en = _decimal(line.quantity, places=3, digits=14, positive=True)
        if quantity is None:
            bad(row, "quantity", ko or "적어 주십시오.", en or "Required.")
        value, ko, en = _decimal(line.value_usd, places=2, digits=16, positive=False)
        if value is None:
            bad(row, "value_usd", ko or "적어 주십시오.", en or "Required.")
        figures: dict[str, Decimal | None] = {}
        for name in ("magnification", "focal_length_mm"):
            figures[name], ko, en = _decimal(
                getattr(line, name),
                places=1,
                digits=7 if name == "focal_length_mm" else 6,
                positive=True,
            )
            if ko:
                bad(row, name, ko, en)
        if code is not None:
            for name in rules.attributes_needed(code):
                if figures[name] is None and not any(
                    p.field == f"line{row}_{name}" for p in problems
                ):
                    label_ko, label_en = rules.ATTRIBUTE_NAMES[name]
                    bad(
                        row,
                        name,
                        f"이 품목(HS {code})은 {label_ko}을(를) 적어야 합니다 (반출입 금지 기준).",
                        f"HS {code} needs its {label_en} (the banned list depends on it).",
                    )
        if code is not None and quantity is not None and value is not None:
            clean.append(
                CleanLine(
                    row,
                    code,
                    description,
                    quantity,
                    unit,
                    value,
                    figures["magnification"],
                    figures["focal_length_mm"],
                    bool(line.harmful),
                )
            )
    if problems:
        raise DomainError.from_findings(
            problems,
            ko=f"신고 품목에 문제가 {len(problems)}개 있습니다: {problems[0].ko}",
            en=f"The declaration's lines have {len(problems)} problem(s): {problems[0].en}",
        )
    return clean


# --- the approval a declaration is made under --------------------------------------------------


def policy_on(day: dt.date) -> tuple[PolicyRule | None, PolicyRule | None]:
    """The measures in force on `day` for goods at the complex: one forbidding them (the
    complex closed from 10 February 2016), one asking for item-by-item approval."""
    found = rules_against("goods", start=day, destination="gaeseong", comprehensive=True)
    forbids = next((r for r in found if r.effect == PolicyEffect.FORBID), None)
    itemises = next((r for r in found if r.effect == PolicyEffect.ITEMISE), None)
    return forbids, itemises


def _approval_for(
    firm: Firm,
    direction: str,
    day: dt.date,
    approval: Approval | None,
    lines: Sequence[CleanLine],
) -> Approval:
    forbids, itemises = policy_on(day)
    if forbids is not None:
        m = forbids.measure
        raise DomainError(
            ErrorCode.POLICY_FORBIDS,
            f"{m.name_ko} ({m.starts_on:%Y-%m-%d})에 따라 이 날에는 반출·반입할 수 없습니다.",
            f"No goods are carried on this day under {m.name_en} ({m.starts_on:%Y-%m-%d}).",
            {"field": "declared_on", "measure": m.code},
        )
    if approval is not None:
        if approval.kind != ApprovalKind.GOODS or approval.state not in IN_FORCE:
            raise _invalid(
                "approval",
                "반출·반입 승인이 유효하지 않습니다.",
                "That is not a goods approval in force.",
            )
        if (
            firm.organisation_id is None
            or approval.application.organisation_id != firm.organisation_id
        ):
            raise _invalid("approval", "이 기업의 승인이 아닙니다.", "Not this firm's approval.")
        if approval.goods_direction and approval.goods_direction != direction:
            raise _invalid(
                "approval",
                "승인의 반출·반입 방향이 다릅니다.",
                "The approval is for the other direction.",
            )
        approved = set(approval.goods_lines.values_list("hs_code", flat=True))
        missing = [line for line in lines if line.hs_code not in approved]
        if missing:
            raise _invalid(
                f"line{missing[0].row}_hs_code",
                f"HS {missing[0].hs_code}은(는) 승인된 품목이 아닙니다.",
                f"HS {missing[0].hs_code} is not an item of the approval.",
            )
        return approval
    if itemises is not None:
        raise _invalid(
            "approval",
            "이 날에는 품목별 반출·반입 승인이 필요합니다 (포괄 승인 불가).",
            "On this day every item needs its own goods approval (no comprehensive approval).",
        )
    project = firm.project_approval
    if project is None or project.state not in IN_FORCE:
        raise _invalid(
            "approval",
            "기업의 협력사업 승인이 유효하지 않습니다: 반출·반입 승인을 지정해 주십시오.",
            "The firm's cooperation project approval is not in force: name a goods approval.",
        )
    return project


def _check_head(direction: str, day: dt.date) -> None:
    if direction not in GoodsDirection.values:
        raise _invalid("direction", "반출 또는 반입입니다.", "Carried out or in.")
    if not dt.date(2000, 1, 1) <= day <= dt.date(2099, 12, 31):
        raise _invalid("declared_on", "날짜는 2000–2099년입니다.", "A date in 2000–2099.")


def _write_lines(declaration: Declaration, lines: Sequence[CleanLine]) -> None:
    declaration.lines.all().delete()
    DeclarationLine.objects.bulk_create(
        DeclarationLine(declaration=declaration, **line.as_fields()) for line in lines
    )
    declaration.value_usd = sum((line.value_usd for line in lines), Decimal(0))


@transaction.atomic
def declaration_store(
    *,
    actor: User,
    firm: Firm,
    direction: str,
    declared_on: dt.date,
    lines: Sequence[LineIn],
    approval: Approval | None = None,
) -> Declaration:
    """A firm's officer stores a declaration (not yet registered: nothing checked by customs)."""
    require(firms_for_edit(actor).filter(pk=firm.pk).exists())
    _check_head(direction, declared_on)
    clean = check_lines(lines)
    firm = Firm.objects.select_related("project_approval").get(pk=firm.pk)
    under = _approval_for(firm, direction, declared_on, approval, clean)
    declaration = Declaration.objects.create(
        firm=firm, direction=direction, declared_on=declared_on, approval=under, created_by=actor
    )
    _write_lines(declaration, clean)
    declaration.save(update_fields=["value_usd"])
    _event(declaration, E.STORED, actor, details={"lines": len(clean)})
    audit.record(
        actor=actor,
        action="complex.declaration.store",
        obj=declaration,
        changes={"lines": len(clean), "value_usd": declaration.value_usd},
    )
    return declaration


def _lines_snapshot(declaration: Declaration) -> list[dict[str, str]]:
    return [
        {
            "hs_code": line.hs_code,
            "description": line.description,
            "quantity": str(line.quantity),
            "unit": line.unit,
            "value_usd": str(line.value_usd),
            "magnification": "" if line.magnification is None else str(line.magnification),
            "focal_length_mm": "" if line.focal_length_mm is None else str(line.focal_length_mm),
            "harmful": "1" if line.harmful else "",
        }
        for line in declaration.lines.order_by("row")
    ]


def _changed(before: list[dict[str, str]], after: list[dict[str, str]]) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    for row in range(1, max(len(before), len(after)) + 1):
        old = before[row - 1] if row <= len(before) else {}
        new = after[row - 1] if row <= len(after) else {}
        for name in sorted(set(old) | set(new)):
            if old.get(name, "") != new.get(name, ""):
                changes.append(
                    {"row": row, "field": name, "from": old.get(name, ""), "to": new.get(name, "")}
                )
    return changes


@transaction.atomic
def declaration_amend(
    *, actor: User, declaration: Declaration, lines: Sequence[LineIn], reason: str = ""
) -> Declaration:
    """New lines for a declaration not yet assessed: by the firm while stored or registered, by
    a customs officer once registered (with the reason). The number stays; the event records
    each field changed. A registered declaration is checked against the banned list again."""
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    officer = is_customs_officer(actor)
    own = firms_for_edit(actor).filter(pk=declaration.firm_id).exists() if not officer else False
    require(officer or own)
    if declaration.state not in (D.STORED, D.REGISTERED) or (
        officer and declaration.state != D.REGISTERED
    ):
        raise _state_error(
            declaration,
            "등록 전후, 심사 전의 신고만 정정합니다",
            "Only a declaration not yet assessed is amended",
        )
    if declaration.state == D.REGISTERED:
        reason = _reason(reason)
    clean = check_lines(lines)
    if declaration.approval.kind == ApprovalKind.GOODS:
        firm = Firm.objects.select_related("project_approval").get(pk=declaration.firm_id)
        _approval_for(
            firm, declaration.direction, declaration.declared_on, declaration.approval, clean
        )
    before = _lines_snapshot(declaration)
    _write_lines(declaration, clean)
    declaration.save(update_fields=["value_usd"])
    changes = _changed(before, _lines_snapshot(declaration))
    _event(
        declaration,
        E.AMENDED,
        actor,
        state_from=declaration.state,
        details={"changes": changes, **({"reason": reason} if reason else {})},
    )
    audit.record(
        actor=actor,
        action="complex.declaration.amend",
        obj=declaration,
        changes={"number": declaration.number, "changed": len(changes)},
    )
    if declaration.state == D.REGISTERED:
        _stop_if_banned(declaration, actor, clean)
    return declaration


# --- registration, the banned list and the lane ------------------------------------------------


def _next_number(year: int) -> str:
    DeclarationSequence.objects.get_or_create(year=year)
    DeclarationSequence.objects.filter(year=year).update(last=F("last") + 1)
    last = DeclarationSequence.objects.get(year=year).last
    return f"GIC-{year}-{last:06d}"


def banned_lines(lines: Sequence[CleanLine]) -> list[tuple[CleanLine, rules.Ban]]:
    found = []
    for line in lines:
        ban = rules.ban_for(line.facts())
        if ban is not None:
            found.append((line, ban))
    return found


def _clean_of(declaration: Declaration) -> list[CleanLine]:
    return [
        CleanLine(
            line.row,
            line.hs_code,
            line.description,
            line.quantity,
            line.unit,
            line.value_usd,
            line.magnification,
            line.focal_length_mm,
            line.harmful,
        )
        for line in declaration.lines.order_by("row")
    ]


def _stop_if_banned(declaration: Declaration, actor: User, lines: Sequence[CleanLine]) -> bool:
    found = banned_lines(lines)
    if not found:
        return False
    line, ban = found[0]
    before = declaration.state
    declaration.stop()
    declaration.stop_rule = ban.code
    declaration.stop_reason = (
        f"반출입 금지 물품 ({ban.name_ko}): {line.row}번 HS {line.hs_code} {line.description} / "
        f"banned by the 2003 rules ({ban.name_en}): line {line.row}, HS {line.hs_code}"
    )
    declaration.save()
    _event(
        declaration,
        E.STOPPED,
        actor,
        state_from=before,
        details={
            "rule": ban.code,
            "banned": [{"row": ln.row, "hs_code": ln.hs_code, "rule": b.code} for ln, b in found],
        },
    )
    audit.record(
        actor=actor,
        action="complex.declaration.stop",
        obj=declaration,
        changes={"rule": ban.code, "number": declaration.number},
    )
    return True


def draw_for(day: dt.date) -> LaneDraw | None:
    return LaneDraw.objects.filter(starts_on__lte=day, ends_on__gte=day).first()


def rates_of(draw: LaneDraw) -> rules.Rates:
    return rules.Rates(draw.red_bp, draw.yellow_bp, draw.blue_bp)


def active_rules() -> list[rules.RiskRule]:
    return [
        rules.RiskRule(r.pk, r.lane, r.hs_prefix, r.direction, r.firm_id, r.min_value_usd)
        for r in RiskRule.objects.filter(active=True).order_by("pk")
    ]


def good_record(firm_id: int, day: dt.date) -> bool:
    return CustomsStanding.objects.filter(
        firm_id=firm_id, good_record=True, since__lte=day
    ).exists()


def facts_of(declaration: Declaration, codes: Sequence[str], good: bool) -> rules.DeclarationFacts:
    return rules.DeclarationFacts(
        number=declaration.number,
        direction=declaration.direction,
        firm_id=declaration.firm_id,
        hs_codes=tuple(codes),
        value_usd=declaration.value_usd,
        good_record=good,
    )


@transaction.atomic
def declaration_register(*, actor: User, declaration: Declaration) -> Declaration:
    """A customs officer registers a stored declaration: it gets the year's next number, the
    banned list is checked (a banned line stops it, the rule named), and it is routed to a lane
    by the risk rules and the period's draw (refused when no draw covers its day)."""
    require(is_customs_officer(actor))
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.state != D.STORED:
        raise _state_error(
            declaration, "보관된 신고만 등록합니다", "Only a stored declaration is registered"
        )
    draw = draw_for(declaration.declared_on)
    if draw is None:
        raise DomainError(
            ErrorCode.CONFLICT,
            f"{declaration.declared_on:%Y-%m-%d}에 해당하는 무작위 선별 약정이 없습니다.",
            f"No lane draw is committed for {declaration.declared_on:%Y-%m-%d}.",
            {"field": "declared_on"},
        )
    if draw.revealed_at is not None:
        raise DomainError(
            ErrorCode.CONFLICT,
            "이 기간의 시드가 이미 공개되어 더 이상 무작위 선별을 할 수 없습니다.",
            "The period's seed is revealed already: no more declarations are drawn with it.",
            {"field": "declared_on"},
        )
    lines = _clean_of(declaration)
    declaration.number = _next_number(declaration.declared_on.year)
    declaration.register()
    declaration.registered_at = timezone.now()
    declaration.quarantine_required = bool(
        rules.quarantine_kinds(line.hs_code for line in lines)
    ) or epidemic_mode_on(timezone.now())
    declaration.save()
    _event(
        declaration,
        E.REGISTERED,
        actor,
        state_from=D.STORED,
        details={"number": declaration.number},
    )
    audit.record(
        actor=actor,
        action="complex.declaration.register",
        obj=declaration,
        changes={"number": declaration.number},
    )
    if _stop_if_banned(declaration, actor, lines):
        return declaration
    good = good_record(declaration.firm_id, declaration.declared_on)
    routing = rules.route(
        facts_of(declaration, [line.hs_code for line in lines], good),
        active_rules(),
        bytes.fromhex(draw.seed_hex),
        rates_of(draw),
    )
    declaration.lane = routing.lane
    declaration.drawn_lane = routing.drawn or ""
    declaration.rule_lane = routing.by_rule or ""
    declaration.risk_rule_id = routing.rule_id
    declaration.draw = draw
    declaration.good_record = good
    declaration.save()
    _event(
        declaration,
        E.ROUTED,
        actor,
        state_from=declaration.state,
        details={
            "lane": routing.lane,
            "drawn": routing.drawn,
            "rule": routing.rule_id,
            "rule_lane": routing.by_rule,
            "good_record": good,
        },
    )
    return declaration


@transaction.atomic
def declaration_reroute(
    *, actor: User, declaration: Declaration, lane: str, reason: str
) -> Declaration:
    """A customs supervisor sends a registered declaration to another lane, saying why."""
    require(is_customs_supervisor(actor))
    reason = _reason(reason)
    if lane not in rules.LANES:
        raise _invalid(
            "lane", "빨강, 노랑, 파랑, 초록 중 하나입니다.", "One of red, yellow, blue, green."
        )
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.state != D.REGISTERED:
        raise _state_error(
            declaration,
            "등록된(심사 전) 신고만 경로를 바꿉니다",
            "Only a registered declaration is re-routed",
        )
    if lane == declaration.lane:
        raise _invalid("lane", "이미 그 경로입니다.", "It is in that lane already.")
    before = declaration.lane
    declaration.lane = lane
    declaration.rerouted = True
    declaration.save(update_fields=["lane", "rerouted"])
    _event(
        declaration,
        E.REROUTED,
        actor,
        state_from=declaration.state,
        details={"from": before, "to": lane, "reason": reason},
    )
    audit.record(
        actor=actor,
        action="complex.declaration.reroute",
        obj=declaration,
        changes={"lane": [before, lane], "reason": reason},
    )
    return declaration


@transaction.atomic
def declaration_assess(*, actor: User, declaration: Declaration, note: str = "") -> Declaration:
    """A customs officer records the assessment of a registered declaration (the goods seen in
    red, the documents in yellow; no duties in the zone). The banned list is read again (an
    officer may have marked a harmful publication)."""
    require(is_customs_officer(actor))
    note = note.strip()
    if len(note) > MAX_TEXT:
        raise _invalid("note", "메모는 2,000자까지입니다.", "The note is at most 2,000 characters.")
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.state != D.REGISTERED:
        raise _state_error(
            declaration, "등록된 신고만 심사합니다", "Only a registered declaration is assessed"
        )
    if _stop_if_banned(declaration, actor, _clean_of(declaration)):
        return declaration
    declaration.assess()
    declaration.save()
    _event(
        declaration,
        E.ASSESSED,
        actor,
        state_from=D.REGISTERED,
        details={"lane": declaration.lane, **({"note": note} if note else {})},
    )
    audit.record(
        actor=actor,
        action="complex.declaration.assess",
        obj=declaration,
        changes={"lane": declaration.lane},
    )
    return declaration


def quarantine_passed(declaration: Declaration) -> bool:
    """Whether the consignment's latest inspection passed it (passed or treated)."""
    latest = declaration.inspections.order_by("-at", "-pk").first()
    return latest is not None and latest.result in (
        InspectionResult.PASSED,
        InspectionResult.TREATED,
    )


def needs_quarantine(declaration: Declaration, at: dt.datetime) -> bool:
    return declaration.quarantine_required or epidemic_mode_on(at)


@transaction.atomic
def declaration_release(*, actor: User, declaration: Declaration) -> Declaration:
    """A customs officer releases an assessed declaration; goods needing quarantine (or any,
    in the epidemic mode) only once an inspection has passed them."""
    require(is_customs_officer(actor))
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.state != D.ASSESSED:
        raise _state_error(
            declaration, "심사를 마친 신고만 통관합니다", "Only an assessed declaration is released"
        )
    now = timezone.now()
    if needs_quarantine(declaration, now) and not quarantine_passed(declaration):
        raise DomainError(
            ErrorCode.CONFLICT,
            "검역을 통과하지 않은 화물은 통관할 수 없습니다.",
            "The consignment has not passed quarantine: it cannot be released.",
            {"field": "quarantine"},
        )
    declaration.release()
    declaration.save()
    _event(declaration, E.RELEASED, actor, state_from=D.ASSESSED)
    audit.record(actor=actor, action="complex.declaration.release", obj=declaration, changes={})
    return declaration


@transaction.atomic
def declaration_stop(*, actor: User, declaration: Declaration, reason: str) -> Declaration:
    """A customs officer stops a declaration not yet released, saying why."""
    require(is_customs_officer(actor))
    reason = _reason(reason)
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.state not in (D.STORED, D.REGISTERED, D.ASSESSED):
        raise _state_error(
            declaration,
            "통관 전의 신고만 정지합니다",
            "Only a declaration not yet released is stopped",
        )
    before = declaration.state
    declaration.stop()
    declaration.stop_rule = ""
    declaration.stop_reason = reason
    declaration.save()
    _event(declaration, E.STOPPED, actor, state_from=before, details={"reason": reason})
    audit.record(
        actor=actor, action="complex.declaration.stop", obj=declaration, changes={"reason": reason}
    )
    return declaration


# --- risk rules, draws, good records -----------------------------------------------------------


@transaction.atomic
def risk_rule_add(
    *,
    actor: User,
    name: str,
    lane: str,
    hs_prefix: str = "",
    direction: str = "",
    firm: Firm | None = None,
    min_value_usd: Decimal | None = None,
) -> RiskRule:
    """A customs officer adds a risk rule."""
    require(is_customs_officer(actor))
    name = name.strip()
    hs_prefix = re.sub(r"[\s.]", "", hs_prefix)
    problems: list[tuple[str, str, str]] = []
    if not name or len(name) > 200:
        problems.append(
            ("name", "이름을 200자 이내로 적어 주십시오.", "Name it (200 characters at most).")
        )
    if lane not in rules.LANES:
        problems.append(
            ("lane", "빨강, 노랑, 파랑, 초록 중 하나입니다.", "One of red, yellow, blue, green.")
        )
    if hs_prefix and (
        not hs_prefix.isascii() or not hs_prefix.isdigit() or len(hs_prefix) not in (2, 4, 6)
    ):
        problems.append(
            (
                "hs_prefix",
                "HS 류(2자리), 호(4자리), 소호(6자리)입니다.",
                "An HS chapter (2 digits), heading (4) or subheading (6).",
            )
        )
    if direction and direction not in GoodsDirection.values:
        problems.append(("direction", "반출 또는 반입입니다.", "Carried out or in."))
    if min_value_usd is not None and (
        not min_value_usd.is_finite() or min_value_usd < 0 or min_value_usd >= Decimal("1e14")
    ):
        problems.append(("min_value_usd", "0 이상의 금액입니다.", "An amount of 0 or more."))
    if not (hs_prefix or direction or firm or min_value_usd is not None):
        problems.append(
            ("hs_prefix", "기준을 하나 이상 정해 주십시오.", "Give at least one criterion.")
        )
    if problems:
        field, ko, en = problems[0]
        raise DomainError.from_findings(
            [Finding("risk_rule", ko=k, en=e, field=f) for f, k, e in problems],
            ko=ko,
            en=en,
            field=field,
        )
    rule = RiskRule.objects.create(
        name=name,
        lane=lane,
        hs_prefix=hs_prefix,
        direction=direction,
        firm=firm,
        min_value_usd=min_value_usd,
        created_by=actor,
    )
    audit.record(actor=actor, action="complex.risk_rule.add", obj=rule, changes={"lane": lane})
    return rule


@transaction.atomic
def risk_rule_retire(*, actor: User, rule: RiskRule) -> RiskRule:
    require(is_customs_officer(actor))
    rule = RiskRule.objects.select_for_update().get(pk=rule.pk)
    if not rule.active:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, "이미 폐지된 규칙입니다.", "The rule is retired already."
        )
    rule.active = False
    rule.save(update_fields=["active"])
    audit.record(actor=actor, action="complex.risk_rule.retire", obj=rule, changes={})
    return rule


@transaction.atomic
def lane_draw_commit(
    *,
    actor: User,
    starts_on: dt.date,
    ends_on: dt.date,
    rates: rules.Rates,
    seed: bytes | None = None,
) -> LaneDraw:
    """A customs officer fixes a period's rates and secret seed before the period starts; the
    commitment (its SHA-256) is what is published."""
    require(is_customs_officer(actor))
    problems = rates.problems()
    if ends_on < starts_on:
        problems.append(
            ("ends_on", "끝나는 날이 시작일보다 앞섭니다.", "It ends before it starts.")
        )
    if not dt.date(2000, 1, 1) <= starts_on <= dt.date(2099, 12, 31) or ends_on.year > 2099:
        problems.append(("starts_on", "날짜는 2000–2099년입니다.", "A date in 2000–2099."))
    if (
        not problems
        and LaneDraw.objects.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).exists()
    ):
        problems.append(
            ("starts_on", "다른 약정과 기간이 겹칩니다.", "It overlaps another draw's period.")
        )
    if problems:
        field, ko, en = problems[0]
        raise DomainError.from_findings(
            [Finding("lane_draw", ko=k, en=e, field=f) for f, k, e in problems],
            ko=ko,
            en=en,
            field=field,
        )
    seed = seed if seed is not None else secrets.token_bytes(32)
    if len(seed) != 32:
        raise _invalid("seed", "시드는 32바이트입니다.", "The seed is 32 bytes.")
    seed_hash = rules.seed_sha256(seed)
    document = rules.commitment_document(
        starts_on.isoformat(), ends_on.isoformat(), rates, seed_hash
    )
    draw = LaneDraw.objects.create(
        starts_on=starts_on,
        ends_on=ends_on,
        red_bp=rates.red,
        yellow_bp=rates.yellow,
        blue_bp=rates.blue,
        seed_hex=seed.hex(),
        seed_sha256=seed_hash,
        commitment_sha256=rules.commitment_sha256(document),
        committed_by=actor,
        committed_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="complex.lane_draw.commit",
        obj=draw,
        changes={"commitment_sha256": draw.commitment_sha256, **rates.as_dict()},
    )
    return draw


@transaction.atomic
def lane_draw_reveal(*, actor: User, draw: LaneDraw, today: dt.date | None = None) -> LaneDraw:
    """The seed is revealed once the period has ended."""
    require(is_customs_officer(actor))
    draw = LaneDraw.objects.select_for_update().get(pk=draw.pk)
    today = today or timezone.localdate()
    if draw.revealed_at is not None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, "이미 공개된 시드입니다.", "The seed is revealed already."
        )
    if today <= draw.ends_on:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "기간이 끝난 뒤에 시드를 공개합니다.",
            "The seed is revealed after the period ends.",
            {"ends_on": draw.ends_on.isoformat()},
        )
    draw.revealed_at = timezone.now()
    draw.revealed_by = actor
    draw.save(update_fields=["revealed_at", "revealed_by"])
    audit.record(actor=actor, action="complex.lane_draw.reveal", obj=draw, changes={})
    return draw


def draw_verify(draw: LaneDraw, *, published_sha256: str | None = None) -> rules.DrawReport:
    """Recompute every declaration's draw of a revealed period (see `customs.verify_draw`)."""
    records = [
        rules.DrawnRecord(number, drawn)
        for number, drawn in Declaration.objects.filter(draw=draw)
        .exclude(drawn_lane="")
        .order_by("number")
        .values_list("number", "drawn_lane")
    ]
    return rules.verify_draw(
        published_sha256=published_sha256 or draw.commitment_sha256,
        starts_on=draw.starts_on.isoformat(),
        ends_on=draw.ends_on.isoformat(),
        rates=rates_of(draw),
        seed=bytes.fromhex(draw.seed_hex),
        records=records,
    )


@transaction.atomic
def standing_set(
    *, actor: User, firm: Firm, good_record: bool, since: dt.date | None, note: str = ""
) -> CustomsStanding:
    """A customs officer records whether a firm has a good record (sampled, not all inspected)."""
    require(is_customs_officer(actor))
    note = note.strip()
    if len(note) > 500:
        raise _invalid("note", "메모는 500자까지입니다.", "The note is at most 500 characters.")
    if good_record and since is None:
        raise _invalid("since", "언제부터인지 적어 주십시오.", "Say from when.")
    standing, _ = CustomsStanding.objects.update_or_create(
        firm=firm,
        defaults={
            "good_record": good_record,
            "since": since if good_record else None,
            "note": note,
            "set_by": actor,
            "set_at": timezone.now(),
        },
    )
    audit.record(
        actor=actor,
        action="complex.standing.set",
        obj=standing,
        changes={"firm": firm.pk, "good_record": good_record},
    )
    return standing


def queue_filter(state: str = "", lane: str = "") -> Q:
    q = Q()
    if state in D.values:
        q &= Q(state=state)
    if lane in rules.LANES:
        q &= Q(lane=lane)
    return q


def event_details_for_firm(event: DeclarationEvent) -> dict[str, Any]:
    """An event's details as a firm sees them: a routing event without the risk rule that
    matched (the rules are customs' own)."""
    details = dict(event.details or {})
    if event.kind in (E.ROUTED, E.REROUTED):
        details.pop("rule", None)
        details.pop("rule_lane", None)
    return details
