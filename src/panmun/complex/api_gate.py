"""/api/v1/complex/gate/: check-out and check-in (one event; a batch from an offline gate),
the events of a day, who is inside now and the headcount, the flags. The same services and
access helpers as the pages: the gate's officers record; the committee and the ministry read
(and the committee keeps flags); a firm sees its own people inside."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from ninja import Query, Router, Status

from panmun.accounts.access import get_or_404
from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import RecordId, responds
from panmun.common.errors import invalid
from panmun.common.language import request_language

from .access import can_keep_flags, can_read_gate, can_read_headcount, can_work_gate
from .models.crossings import GateEvent, GateFlag, Presence
from .schemas_gate import (
    ComplexFlagsQuery,
    ComplexGateAnswerOut,
    ComplexGateBatchIn,
    ComplexGateEventIn,
    ComplexGateEventOut,
    ComplexGateEventsQuery,
    ComplexGateFlagIn,
    ComplexGateFlagLiftIn,
    ComplexGateFlagOut,
    ComplexGateMergeOut,
    ComplexHeadcountOut,
    ComplexInsideQuery,
    ComplexPresenceOut,
)
from .selectors_gate import events_of_day, flags_for, headcount, inside
from .services import gate as gate_service
from .services import gate_flags, gate_merge

router = Router()
GATE = permitted(can_work_gate)
READERS = permitted(can_read_gate)
HEADCOUNT = permitted(can_read_headcount)
FLAGGERS = permitted(can_keep_flags)


def answer_body(answer: gate_service.GateAnswer, language: str) -> dict[str, Any]:
    ko, en = answer.texts
    return {
        "passed": answer.passed,
        "code": answer.code,
        "message": answer.message(language),
        "message_ko": ko,
        "message_en": en,
        "flags": answer.flags,
        "event": answer.event,
    }


@router.post(
    "/gate/events",
    response=responds(ComplexGateAnswerOut, 201),
    summary="Check a person or vehicle out or in at the gate: let through or refused, the "
    "event recorded either way (a refusal: the event alone, with its code)",
    auth=GATE,
)
def record_gate_event(request: ApiRequest, payload: ComplexGateEventIn) -> Status[dict[str, Any]]:
    if payload.source == "paper" and payload.occurred_at is None:
        raise invalid(
            ko="종이 명단의 기록은 실제 시각을 적어야 합니다.",
            en="An event from the paper list needs its real time.",
            field="occurred_at",
        )
    if payload.source != "paper" and payload.occurred_at is not None:
        raise invalid(
            ko="스캔하거나 입력한 기록의 시각은 지금입니다: 종이 명단의 기록만 시각을 적습니다.",
            en="A scanned or typed event happens now: only a paper event gives its time.",
            field="occurred_at",
        )
    answer = gate_service.gate_check(
        actor=request.auth,
        subject=payload.subject,
        key=payload.key,
        direction=payload.direction,
        at=payload.occurred_at or timezone.now(),
        source=payload.source,
        terminal=payload.terminal,
        uid=payload.uid,
        vehicle_key=payload.vehicle_key,
        inspected=payload.inspected,
    )
    return Status(201, answer_body(answer, request_language(request)))


@router.post(
    "/gate/events/batch",
    response=responds(ComplexGateMergeOut),
    summary="Merge the events an offline gate recorded: each uid once, in occurrence order, "
    "as recorded; those the rules would have refused are reported for review",
    auth=GATE,
)
def merge_gate_events(request: ApiRequest, payload: ComplexGateBatchIn) -> dict[str, Any]:
    report = gate_merge.gate_events_merge(
        actor=request.auth, events=[e.model_dump() for e in payload.events]
    )
    return {
        "stored": len(report.stored),
        "stored_uids": [str(e.uid) for e in report.stored],
        "known": report.known,
        "review": report.review,
        "keys": report.keys,
    }


@router.get(
    "/gate/events",
    response=responds(list[ComplexGateEventOut]),
    summary="The gate's events of a day, in occurrence order",
    auth=READERS,
)
def list_gate_events(request: ApiRequest, q: Query[ComplexGateEventsQuery]) -> QuerySet[GateEvent]:
    key = ""
    if q.key:
        key = "".join(q.key.split()).replace("-", "").upper()
    rows = events_of_day(request.auth, q.day, outcome=q.outcome, direction=q.direction, key=key)
    return rows[q.offset : q.offset + q.limit]


@router.get(
    "/gate/headcount",
    response=responds(ComplexHeadcountOut),
    summary="Who is inside now, counted by firm: people (residents and short stays apart) and "
    "vehicles (a firm: its own)",
    auth=HEADCOUNT,
)
def get_headcount(request: ApiRequest) -> dict[str, Any]:
    count = headcount(request.auth)
    return {
        "at": count.at,
        "people": count.people,
        "residents": count.residents,
        "short_stays": count.short_stays,
        "vehicles": count.vehicles,
        "firms": [{**vars(f), "people": f.people} for f in count.firms],
    }


@router.get(
    "/gate/inside",
    response=responds(list[ComplexPresenceOut]),
    summary="The people (with their vehicles) and vehicles inside now (a firm: its own)",
    auth=HEADCOUNT,
)
def list_inside(request: ApiRequest, q: Query[ComplexInsideQuery]) -> QuerySet[Presence]:
    rows = inside(request.auth, subject=q.subject, firm_id=q.firm)
    return rows[q.offset : q.offset + q.limit]


@router.get(
    "/gate/flags",
    response=responds(list[ComplexGateFlagOut]),
    summary="The flags that stop someone at the gate (active ones; `all`: lifted too)",
    auth=READERS,
)
def list_gate_flags(request: ApiRequest, q: Query[ComplexFlagsQuery]) -> QuerySet[GateFlag]:
    return flags_for(request.auth, active=not q.all)[:2000]


@router.post(
    "/gate/flags",
    response=responds(ComplexGateFlagOut, 201),
    summary="Raise a flag: the gate stops the person or vehicle, showing the instructions",
    auth=FLAGGERS,
)
def raise_gate_flag(request: ApiRequest, payload: ComplexGateFlagIn) -> Status[GateFlag]:
    flag = gate_flags.gate_flag_raise(
        actor=request.auth,
        subject=payload.subject,
        key=payload.key,
        reason=payload.reason,
        instructions=payload.instructions,
        name=payload.name,
        source=payload.source,
    )
    return Status(201, flag)


@router.post(
    "/gate/flags/{flag_id}/lift",
    response=responds(ComplexGateFlagOut),
    summary="Lift a flag, with a note",
    auth=FLAGGERS,
)
def lift_gate_flag(
    request: ApiRequest, flag_id: RecordId, payload: ComplexGateFlagLiftIn
) -> GateFlag:
    flag = get_or_404(GateFlag.objects.all(), flag_id, "출입 제한 표시", "flag")
    return gate_flags.gate_flag_lift(actor=request.auth, flag=flag, note=payload.note)
