"""검역 — quarantine at the complex's crossing: the quarantine officer's plant, animal and food
inspections of a declaration's consignment (passed, passed after treatment, refused), and the
epidemic mode, a dated setting the officer switches on and off, in which every consignment and
every crosser is inspected. `epidemic_mode_on(at)` is what customs and the gate ask."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode

from ..access import is_quarantine_officer
from ..models import (
    Declaration,
    DeclarationEvent,
    DeclarationEventKind,
    DeclarationState,
    EpidemicPeriod,
    InspectionKind,
    InspectionResult,
    QuarantineInspection,
)


def _invalid(field: str, ko: str, en: str) -> DomainError:
    return DomainError(ErrorCode.INVALID_INPUT, ko, en, {"field": field})


def epidemic_period_at(at: dt.datetime) -> EpidemicPeriod | None:
    return (
        EpidemicPeriod.objects.filter(starts_at__lte=at)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))
        .order_by("-starts_at")
        .first()
    )


def epidemic_mode_on(at: dt.datetime) -> bool:
    """Whether the epidemic mode is on at `at`: every crosser and consignment is inspected.
    The gate calls it before letting a person through."""
    return epidemic_period_at(at) is not None


@transaction.atomic
def epidemic_start(
    *, actor: User, reason: str, starts_at: dt.datetime | None = None
) -> EpidemicPeriod:
    """The quarantine officer switches the epidemic mode on (from now, or a moment given)."""
    require(is_quarantine_officer(actor))
    reason = reason.strip()
    if not reason or len(reason) > 500:
        raise _invalid(
            "reason",
            "이유를 500자 이내로 적어 주십시오.",
            "Give the reason (500 characters at most).",
        )
    starts_at = starts_at or timezone.now()
    if EpidemicPeriod.objects.select_for_update().filter(ends_at__isnull=True).exists():
        raise DomainError(
            ErrorCode.CONFLICT,
            "방역 강화가 이미 시행 중입니다.",
            "The epidemic mode is on already.",
        )
    if EpidemicPeriod.objects.filter(ends_at__gt=starts_at).exists():
        raise _invalid("starts_at", "이전 기간과 겹칩니다.", "It overlaps an earlier period.")
    period = EpidemicPeriod.objects.create(starts_at=starts_at, reason=reason, started_by=actor)
    audit.record(
        actor=actor, action="complex.epidemic.start", obj=period, changes={"reason": reason}
    )
    return period


@transaction.atomic
def epidemic_end(*, actor: User, ends_at: dt.datetime | None = None) -> EpidemicPeriod:
    """The quarantine officer switches the epidemic mode off."""
    require(is_quarantine_officer(actor))
    period = EpidemicPeriod.objects.select_for_update().filter(ends_at__isnull=True).first()
    if period is None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "방역 강화가 시행 중이 아닙니다.",
            "The epidemic mode is not on.",
        )
    ends_at = ends_at or timezone.now()
    if ends_at <= period.starts_at:
        raise _invalid("ends_at", "시작 뒤여야 합니다.", "It must end after it started.")
    period.ends_at = ends_at
    period.ended_by = actor
    period.save(update_fields=["ends_at", "ended_by"])
    audit.record(actor=actor, action="complex.epidemic.end", obj=period, changes={})
    return period


@transaction.atomic
def inspection_record(
    *, actor: User, declaration: Declaration, kind: str, result: str, note: str = ""
) -> QuarantineInspection:
    """The quarantine officer records an inspection of a registered or assessed declaration's
    consignment; a refusal says why."""
    require(is_quarantine_officer(actor))
    note = note.strip()
    if kind not in InspectionKind.values:
        raise _invalid(
            "kind", "식물, 동물, 식품, 일반 중 하나입니다.", "Plant, animal, food or general."
        )
    if result not in InspectionResult.values:
        raise _invalid(
            "result", "합격, 소독 후 합격, 불합격 중 하나입니다.", "Passed, treated or refused."
        )
    if result == InspectionResult.REFUSED and not note:
        raise _invalid("note", "불합격 이유를 적어 주십시오.", "Say why it is refused.")
    if len(note) > 2000:
        raise _invalid("note", "메모는 2,000자까지입니다.", "The note is at most 2,000 characters.")
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.state not in (DeclarationState.REGISTERED, DeclarationState.ASSESSED):
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "등록되고 통관 전인 신고의 화물만 검역합니다.",
            "Only a registered declaration's consignment, not yet released, is inspected.",
            {"state": declaration.state},
        )
    now = timezone.now()
    inspection = QuarantineInspection.objects.create(
        declaration=declaration, kind=kind, result=result, note=note, officer=actor, at=now
    )
    DeclarationEvent.objects.create(
        declaration=declaration,
        kind=DeclarationEventKind.INSPECTED,
        officer=actor,
        at=now,
        state_from=declaration.state,
        state_to=declaration.state,
        details={"kind": kind, "result": result, **({"note": note} if note else {})},
    )
    audit.record(
        actor=actor,
        action="complex.inspection.record",
        obj=inspection,
        changes={"declaration": declaration.number, "kind": kind, "result": result},
    )
    return inspection
