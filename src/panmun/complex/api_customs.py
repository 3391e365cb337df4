"""/api/v1/complex/: customs declarations, risk rules and lanes, quarantine inspections, the
epidemic mode. The same services and access helpers as the pages: a firm stores and amends its
own declarations; customs registers, assesses, releases, stops, keeps the risk rules, the draws
and the firms' good records; a customs supervisor re-routes; quarantine inspects and switches the
epidemic mode; the committee and the ministry read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from ninja import Query, Router, Status

from panmun.accounts.access import get_or_404
from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import RecordId, responds
from panmun.common.errors import DomainError, ErrorCode, not_found
from panmun.permits.models import Approval

from . import customs as rules
from .access import (
    can_declare,
    can_read_customs,
    can_see_customs_rules,
    declarations_for_user,
    get_declaration,
    get_firm_for_edit,
    is_customs_officer,
    is_customs_supervisor,
    is_quarantine_officer,
    own_firm,
)
from .models import Declaration, EpidemicPeriod, Firm, LaneDraw, RiskRule
from .schemas_customs import (
    ComplexAssessIn,
    ComplexDeclarationAmendIn,
    ComplexDeclarationDetailOut,
    ComplexDeclarationIn,
    ComplexDeclarationLineIn,
    ComplexDeclarationOut,
    ComplexDeclarationsQuery,
    ComplexDrawVerifyOut,
    ComplexEpidemicIn,
    ComplexEpidemicOut,
    ComplexEpidemicStateOut,
    ComplexInspectionIn,
    ComplexInspectionOut,
    ComplexLaneDrawIn,
    ComplexLaneDrawOut,
    ComplexReasonIn,
    ComplexRerouteIn,
    ComplexRiskRuleIn,
    ComplexRiskRuleOut,
    ComplexStandingIn,
    ComplexStandingOut,
)
from .services import customs as svc
from .services import quarantine as qsvc

router = Router()
READING = permitted(can_read_customs)
RULES = permitted(can_see_customs_rules)
FIRM = permitted(can_declare)
CUSTOMS = permitted(is_customs_officer)
SUPERVISOR = permitted(is_customs_supervisor)
QUARANTINE = permitted(is_quarantine_officer)


def _lines(given: list[ComplexDeclarationLineIn]) -> list[svc.LineIn]:
    return [
        svc.LineIn(
            hs_code=line.hs_code,
            description=line.description,
            quantity=line.quantity,
            unit=line.unit,
            value_usd=line.value_usd,
            magnification=line.magnification,
            focal_length_mm=line.focal_length_mm,
            harmful=line.harmful,
        )
        for line in given
    ]


def _detail(declaration: Declaration, user: Any) -> dict[str, Any]:
    """A declaration with its lines and events; a firm does not learn which risk rule routed
    it (the rules are customs' own)."""
    d = Declaration.objects.get(pk=declaration.pk)
    out = ComplexDeclarationOut.from_orm(d).dict()
    out["lines"] = list(d.lines.order_by("row"))
    events = list(d.events.select_related("officer").order_by("at", "pk"))
    if not can_see_customs_rules(user):
        for event in events:
            event.details = svc.event_details_for_firm(event)
    out["events"] = events
    if not can_see_customs_rules(user):
        out["rule_lane"] = ""
    return out


def _declaration(request: ApiRequest, declaration_id: int) -> Declaration:
    return get_declaration(request.auth, declaration_id)


@router.get(
    "/declarations",
    response=responds(list[ComplexDeclarationOut]),
    summary="Customs declarations (a firm its own): by state, lane, firm",
    auth=READING,
)
def list_declarations(
    request: ApiRequest, q: Query[ComplexDeclarationsQuery]
) -> QuerySet[Declaration]:
    rows = declarations_for_user(request.auth).filter(svc.queue_filter(q.state, q.lane))
    if q.firm:
        rows = rows.filter(firm_id=q.firm)
    return rows.order_by("-created_at", "-pk")[q.offset : q.offset + q.limit]


@router.post(
    "/declarations",
    response=responds(ComplexDeclarationDetailOut, 201),
    summary="Store a firm's declaration of goods carried out or in (refused naming each field)",
    auth=FIRM,
)
def store_declaration(request: ApiRequest, payload: ComplexDeclarationIn) -> Status[dict[str, Any]]:
    if payload.firm is None:
        own = own_firm(request.auth)
        if own is None:
            raise not_found("기업", "firm", "own")
        firm = own
    else:
        firm = get_firm_for_edit(request.auth, payload.firm)
    approval = None
    if payload.approval is not None:
        approval = get_or_404(
            Approval.objects.filter(application__organisation__complex_firm=firm),
            payload.approval,
            "승인",
            "approval",
        )
    declaration = svc.declaration_store(
        actor=request.auth,
        firm=firm,
        direction=payload.direction,
        declared_on=payload.declared_on,
        lines=_lines(payload.lines),
        approval=approval,
    )
    return Status(201, _detail(declaration, request.auth))


@router.get(
    "/declarations/{declaration_id}",
    response=responds(ComplexDeclarationDetailOut),
    summary="A declaration with its lines and every event",
    auth=READING,
)
def get_declaration_detail(request: ApiRequest, declaration_id: RecordId) -> dict[str, Any]:
    return _detail(_declaration(request, declaration_id), request.auth)


@router.post(
    "/declarations/{declaration_id}/amend",
    response=responds(ComplexDeclarationDetailOut),
    summary="Amend a declaration's lines before assessment (the number stays; the change is "
    "recorded; after registration with the reason)",
    auth=permitted(lambda u: can_declare(u) or is_customs_officer(u)),
)
def amend_declaration(
    request: ApiRequest, declaration_id: RecordId, payload: ComplexDeclarationAmendIn
) -> dict[str, Any]:
    declaration = _declaration(request, declaration_id)
    declaration = svc.declaration_amend(
        actor=request.auth,
        declaration=declaration,
        lines=_lines(payload.lines),
        reason=payload.reason,
    )
    return _detail(declaration, request.auth)


@router.post(
    "/declarations/{declaration_id}/register",
    response=responds(ComplexDeclarationDetailOut),
    summary="Register a stored declaration: numbered, the banned list checked, a lane drawn",
    auth=CUSTOMS,
)
def register_declaration(request: ApiRequest, declaration_id: RecordId) -> dict[str, Any]:
    declaration = _declaration(request, declaration_id)
    return _detail(
        svc.declaration_register(actor=request.auth, declaration=declaration), request.auth
    )


@router.post(
    "/declarations/{declaration_id}/assess",
    response=responds(ComplexDeclarationDetailOut),
    summary="Record a registered declaration's assessment (no duties in the zone)",
    auth=CUSTOMS,
)
def assess_declaration(
    request: ApiRequest, declaration_id: RecordId, payload: ComplexAssessIn
) -> dict[str, Any]:
    declaration = _declaration(request, declaration_id)
    return _detail(
        svc.declaration_assess(actor=request.auth, declaration=declaration, note=payload.note),
        request.auth,
    )


@router.post(
    "/declarations/{declaration_id}/release",
    response=responds(ComplexDeclarationDetailOut),
    summary="Release an assessed declaration (quarantine passed where needed)",
    auth=CUSTOMS,
)
def release_declaration(request: ApiRequest, declaration_id: RecordId) -> dict[str, Any]:
    declaration = _declaration(request, declaration_id)
    return _detail(
        svc.declaration_release(actor=request.auth, declaration=declaration), request.auth
    )


@router.post(
    "/declarations/{declaration_id}/stop",
    response=responds(ComplexDeclarationDetailOut),
    summary="Stop a declaration not yet released, with the reason",
    auth=CUSTOMS,
)
def stop_declaration(
    request: ApiRequest, declaration_id: RecordId, payload: ComplexReasonIn
) -> dict[str, Any]:
    declaration = _declaration(request, declaration_id)
    return _detail(
        svc.declaration_stop(actor=request.auth, declaration=declaration, reason=payload.reason),
        request.auth,
    )


@router.post(
    "/declarations/{declaration_id}/reroute",
    response=responds(ComplexDeclarationDetailOut),
    summary="Send a registered declaration to another lane, with the reason (a supervisor)",
    auth=SUPERVISOR,
)
def reroute_declaration(
    request: ApiRequest, declaration_id: RecordId, payload: ComplexRerouteIn
) -> dict[str, Any]:
    declaration = _declaration(request, declaration_id)
    return _detail(
        svc.declaration_reroute(
            actor=request.auth, declaration=declaration, lane=payload.lane, reason=payload.reason
        ),
        request.auth,
    )


@router.post(
    "/declarations/{declaration_id}/inspections",
    response=responds(ComplexInspectionOut, 201),
    summary="Record a quarantine inspection of the declaration's consignment",
    auth=QUARANTINE,
)
def record_inspection(
    request: ApiRequest, declaration_id: RecordId, payload: ComplexInspectionIn
) -> Status[Any]:
    declaration = _declaration(request, declaration_id)
    inspection = qsvc.inspection_record(
        actor=request.auth,
        declaration=declaration,
        kind=payload.kind,
        result=payload.result,
        note=payload.note,
    )
    return Status(201, inspection)


@router.get(
    "/customs/risk-rules",
    response=responds(list[ComplexRiskRuleOut]),
    summary="The customs officer's risk rules (not for the firms)",
    auth=RULES,
)
def list_risk_rules(request: ApiRequest) -> QuerySet[RiskRule]:
    return RiskRule.objects.order_by("-active", "name", "pk")[:1000]


@router.post(
    "/customs/risk-rules",
    response=responds(ComplexRiskRuleOut, 201),
    summary="Add a risk rule: every criterion given must match; the lane it sends to",
    auth=CUSTOMS,
)
def add_risk_rule(request: ApiRequest, payload: ComplexRiskRuleIn) -> Status[RiskRule]:
    firm = None
    if payload.firm is not None:
        firm = get_or_404(Firm.objects.all(), payload.firm, "기업", "firm")
    rule = svc.risk_rule_add(
        actor=request.auth,
        name=payload.name,
        lane=payload.lane,
        hs_prefix=payload.hs_prefix,
        direction=payload.direction,
        firm=firm,
        min_value_usd=None if payload.min_value_usd is None else Decimal(payload.min_value_usd),
    )
    return Status(201, rule)


@router.post(
    "/customs/risk-rules/{rule_id}/retire",
    response=responds(ComplexRiskRuleOut),
    summary="Retire a risk rule",
    auth=CUSTOMS,
)
def retire_risk_rule(request: ApiRequest, rule_id: RecordId) -> RiskRule:
    rule = get_or_404(RiskRule.objects.all(), rule_id, "위험 선별 규칙", "risk rule")
    return svc.risk_rule_retire(actor=request.auth, rule=rule)


def draw_out(draw: LaneDraw) -> dict[str, Any]:
    rates = svc.rates_of(draw)
    document = rules.commitment_document(
        draw.starts_on.isoformat(), draw.ends_on.isoformat(), rates, draw.seed_sha256
    )
    return {
        "id": draw.pk,
        "scheme": rules.SCHEME,
        "starts_on": draw.starts_on,
        "ends_on": draw.ends_on,
        "red_bp": draw.red_bp,
        "yellow_bp": draw.yellow_bp,
        "blue_bp": draw.blue_bp,
        "seed_sha256": draw.seed_sha256,
        "commitment_sha256": draw.commitment_sha256,
        "commitment": document.decode(),
        "committed_at": draw.committed_at,
        "revealed_at": draw.revealed_at,
        "seed_hex": draw.seed_hex if draw.revealed_at else None,
    }


@router.get(
    "/customs/draws",
    response=responds(list[ComplexLaneDrawOut]),
    summary="The lanes' draws: each period's commitment, the seed once revealed",
    auth=RULES,
)
def list_draws(request: ApiRequest) -> list[dict[str, Any]]:
    return [draw_out(d) for d in LaneDraw.objects.order_by("-starts_on")[:200]]


@router.post(
    "/customs/draws",
    response=responds(ComplexLaneDrawOut, 201),
    summary="Commit a period's rates and a fresh secret seed (its SHA-256 is published)",
    auth=CUSTOMS,
)
def commit_draw(request: ApiRequest, payload: ComplexLaneDrawIn) -> Status[dict[str, Any]]:
    draw = svc.lane_draw_commit(
        actor=request.auth,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        rates=rules.Rates(payload.red_bp, payload.yellow_bp, payload.blue_bp),
    )
    return Status(201, draw_out(draw))


def _draw(draw_id: int) -> LaneDraw:
    return get_or_404(LaneDraw.objects.all(), draw_id, "무작위 선별", "lane draw")


@router.post(
    "/customs/draws/{draw_id}/reveal",
    response=responds(ComplexLaneDrawOut),
    summary="Reveal a period's seed once the period has ended",
    auth=CUSTOMS,
)
def reveal_draw(request: ApiRequest, draw_id: RecordId) -> dict[str, Any]:
    return draw_out(svc.lane_draw_reveal(actor=request.auth, draw=_draw(draw_id)))


@router.get(
    "/customs/draws/{draw_id}/verify",
    response=responds(ComplexDrawVerifyOut),
    summary="Recompute every declaration's draw of a revealed period and list the differences",
    auth=RULES,
)
def verify_draw(request: ApiRequest, draw_id: RecordId) -> dict[str, Any]:
    draw = _draw(draw_id)
    if draw.revealed_at is None:
        raise DomainError(
            ErrorCode.CONFLICT,
            "시드가 아직 공개되지 않았습니다.",
            "The seed is not revealed yet.",
        )
    report = svc.draw_verify(draw)
    return {"ok": report.ok, "checked": report.checked, "differences": report.differences}


@router.put(
    "/firms/{firm_id}/customs-standing",
    response=responds(ComplexStandingOut),
    summary="Record whether a firm has a good customs record (sampled, not all inspected)",
    auth=CUSTOMS,
)
def set_standing(request: ApiRequest, firm_id: RecordId, payload: ComplexStandingIn) -> Any:
    firm = get_or_404(Firm.objects.all(), firm_id, "기업", "firm")
    return svc.standing_set(
        actor=request.auth,
        firm=firm,
        good_record=payload.good_record,
        since=payload.since,
        note=payload.note,
    )


@router.get(
    "/quarantine/epidemic",
    response=responds(ComplexEpidemicStateOut),
    summary="Whether the epidemic mode is on, and its periods",
    auth=RULES,
)
def epidemic_state(request: ApiRequest) -> dict[str, Any]:
    return {
        "on": qsvc.epidemic_mode_on(timezone.now()),
        "periods": list(EpidemicPeriod.objects.order_by("-starts_at")[:200]),
    }


@router.post(
    "/quarantine/epidemic",
    response=responds(ComplexEpidemicOut, 201),
    summary="Switch the epidemic mode on: every crosser and consignment is inspected",
    auth=QUARANTINE,
)
def epidemic_start(request: ApiRequest, payload: ComplexEpidemicIn) -> Status[EpidemicPeriod]:
    period = qsvc.epidemic_start(
        actor=request.auth, reason=payload.reason, starts_at=payload.starts_at
    )
    return Status(201, period)


@router.post(
    "/quarantine/epidemic/end",
    response=responds(ComplexEpidemicOut),
    summary="Switch the epidemic mode off",
    auth=QUARANTINE,
)
def epidemic_end(request: ApiRequest) -> EpidemicPeriod:
    return qsvc.epidemic_end(actor=request.auth)
