"""The offline gate: a terminal records check-outs and check-ins while the office is unreachable,
each with its own uid and real time; `gate_events_merge` stores them later, each uid once, in
occurrence order, as recorded (they are what happened at the gate), reports those the rules
would have refused for the officer to review, and recomputes the presence of every key touched
from its events by occurrence time (so late and out-of-order events end in the right state)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common.errors import DomainError
from panmun.common.findings import Finding
from panmun.jobs.progress import Progress

from ..access import is_gate_officer
from ..models.crossings import CrossingDirection, EventOutcome, EventSource, GateEvent
from .gate import (
    CODES,
    MAX_BATCH,
    TEXTS,
    _insert,
    checked_time,
    gate_event_of,
    invalid_field,
    judge,
    key_problem,
    presence_recompute,
    stay_moved,
    vehicle_key_of,
)

# --- the offline gate's events, merged --------------------------------------------------------


@dataclass
class MergeReport:
    """What a merge did: the events stored (in occurrence order), the uids already known (sent
    before: nothing changed), and the stored events the rules would have refused, for the
    officer to review."""

    stored: list[GateEvent] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    review: list[dict[str, str]] = field(default_factory=list)
    keys: int = 0


@dataclass(frozen=True)
class _Row:
    row: int
    uid: uuid.UUID
    subject: str
    key: str
    direction: str
    occurred_at: dt.datetime
    terminal: str
    vehicle_key: str
    outcome: str
    refusal_code: str
    officer: str

    def same(self, other: _Row) -> bool:
        return (self.subject, self.key, self.direction, self.occurred_at, self.outcome) == (
            other.subject,
            other.key,
            other.direction,
            other.occurred_at,
            other.outcome,
        )


def _problem(row: int, field_name: str, ko: str, en: str, file: str = "") -> Finding:
    return Finding("invalid_field", ko=ko, en=en, file=file, row=row, field=field_name)


def _read_row(
    number: int, raw: Mapping[str, Any], now: dt.datetime, file: str = ""
) -> _Row | list[Finding]:
    problems: list[Finding] = []

    def bad(field_name: str, ko: str, en: str) -> None:
        problems.append(_problem(number, field_name, ko, en, file))

    if not isinstance(raw, Mapping):
        return [_problem(number, "", "기록 하나는 객체입니다.", "Each event is an object.", file)]
    uid: uuid.UUID | None = None
    try:
        given = raw.get("uid")
        uid = given if isinstance(given, uuid.UUID) else uuid.UUID(str(given))
    except (TypeError, ValueError):
        bad("uid", "식별자(UUID)가 올바르지 않습니다.", "Not a UUID.")
    subject = raw.get("subject", "")
    key = key_problem(subject if isinstance(subject, str) else "", raw.get("key"))
    if isinstance(key, tuple):
        bad(*key)
    direction = raw.get("direction")
    if direction not in CrossingDirection.values:
        bad("direction", "출경 또는 입경입니다.", "Out or in.")
    at = raw.get("occurred_at")
    try:
        at = checked_time(at, source=EventSource.OFFLINE, now=now)
    except DomainError as err:
        bad("occurred_at", err.message_ko, err.message_en)
    vehicle = ""
    try:
        vehicle = vehicle_key_of(
            subject if isinstance(subject, str) else "", raw.get("vehicle_key") or ""
        )
    except DomainError as err:
        bad("vehicle_key", err.message_ko, err.message_en)
    terminal = raw.get("terminal") or ""
    if not isinstance(terminal, str) or len(terminal.strip()) > 60:
        bad("terminal", "단말기 이름은 60자까지입니다.", "At most 60 characters.")
    outcome = raw.get("outcome") or EventOutcome.PASSED
    if outcome not in EventOutcome.values:
        bad("outcome", "통과 또는 거부입니다.", "Passed or refused.")
    code = raw.get("refusal_code") or ""
    if code and (code not in CODES or outcome != "refused"):
        bad("refusal_code", "거부 사유 코드가 올바르지 않습니다.", "Not a refusal code here.")
    officer = raw.get("officer") or ""
    if not isinstance(officer, str) or len(officer) > 150:
        bad("officer", "사용자 이름이 올바르지 않습니다.", "Not a user name.")
    if problems:
        return problems
    assert uid is not None and isinstance(key, str) and isinstance(at, dt.datetime)
    return _Row(
        row=number,
        uid=uid,
        subject=str(subject),
        key=key,
        direction=str(direction),
        occurred_at=at,
        terminal=str(terminal).strip(),
        vehicle_key=vehicle,
        outcome=str(outcome),
        refusal_code=str(code),
        officer=officer,
    )


def _read_batch(
    events: Sequence[Mapping[str, Any]], file: str = ""
) -> tuple[list[_Row], dict[str, User]]:
    """The batch's rows read and checked; a problem names the row (from 1) and the field, and
    the file when the batch came as one (`file`)."""
    if not isinstance(events, Sequence) or isinstance(events, str | bytes):
        raise invalid_field("events", "기록의 목록입니다.", "A list of events.")
    if len(events) > MAX_BATCH:
        raise invalid_field(
            "events",
            f"한 번에 {MAX_BATCH:,}건까지 병합합니다: {len(events):,}건입니다.",
            f"At most {MAX_BATCH:,} events a merge: {len(events):,} given.",
            limit=MAX_BATCH,
        )
    now = timezone.now()
    rows: list[_Row] = []
    problems: list[Finding] = []
    seen: dict[uuid.UUID, _Row] = {}
    for number, raw in enumerate(events, start=1):
        read = _read_row(number, raw, now, file)
        if isinstance(read, list):
            problems.extend(read)
            continue
        before = seen.get(read.uid)
        if before is not None:
            if not before.same(read):
                problems.append(
                    _problem(
                        number,
                        "uid",
                        f"{before.row}행과 식별자가 같은데 내용이 다릅니다.",
                        f"The same uid as row {before.row} with other values.",
                        file,
                    )
                )
            continue
        seen[read.uid] = read
        rows.append(read)
    names = {r.officer for r in rows if r.officer}
    officers = {u.username: u for u in User.objects.filter(username__in=names)}
    for r in rows:
        if r.officer and (r.officer not in officers or not is_gate_officer(officers[r.officer])):
            problems.append(
                _problem(
                    r.row,
                    "officer",
                    "출입사무소 직원이 아닙니다.",
                    "Not an officer of the transit office.",
                    file,
                )
            )
    if problems:
        raise DomainError.from_findings(
            problems[:200],
            ko=f"병합하지 않았습니다: 문제가 있는 기록 {len(problems)}건.",
            en=f"Nothing merged: {len(problems)} problems in the events.",
            field="events",
        )
    return rows, officers


def events_check(events: Sequence[Mapping[str, Any]], *, file: str = "") -> int:
    """An offline batch checked as the merge checks it, before anything is queued or written:
    a malformed batch is refused whole (`DomainError`), each bad row and field named. Returns
    the count of distinct events."""
    return len(_read_batch(events, file)[0])


def offline_document(text: str, *, filename: str = "") -> list[Any]:
    """The events of an offline terminal's file (JSON: a list of events, or {"events": [...]}),
    their times read as ISO 8601 (a time that does not read stays text: the merge names its
    row). A file that is not such JSON is refused, named."""
    where = f"{filename}: " if filename else ""
    try:
        document = json.loads(text)
    except ValueError as err:
        raise invalid_field(
            "file", f"{where}JSON 파일로 읽을 수 없습니다.", f"{where}The file is not JSON."
        ) from err
    events = document.get("events") if isinstance(document, dict) else document
    if not isinstance(events, list):
        raise invalid_field(
            "file", f"{where}기록의 목록이 없습니다.", f"{where}The file holds no list of events."
        )
    for event in events:
        if isinstance(event, dict) and isinstance(event.get("occurred_at"), str):
            with contextlib.suppress(ValueError):
                event["occurred_at"] = dt.datetime.fromisoformat(event["occurred_at"])
    return events


@transaction.atomic
def gate_events_merge(
    *,
    actor: User,
    events: Sequence[Mapping[str, Any]],
    progress: Progress | None = None,
    file: str = "",
) -> MergeReport:
    """The events an offline gate recorded, merged: each uid stored once (sent again: reported
    as known, nothing changed), in occurrence order, as recorded (source offline) — they are
    what happened at the gate — with those the rules would have refused reported for review;
    then the presence of every key touched recomputed from its events by occurrence time. A
    malformed batch is refused whole, each bad row and field named. `progress` counts the
    events merged (the job `complex.gate_merge`, for a terminal's whole file)."""
    require(is_gate_officer(actor))
    progress = progress or Progress()
    rows, officers = _read_batch(events, file)
    officers[actor.username] = actor
    known: set[uuid.UUID] = set()
    uids = [r.uid for r in rows]
    for start in range(0, len(uids), 500):
        known |= set(
            GateEvent.objects.filter(uid__in=uids[start : start + 500]).values_list(
                "uid", flat=True
            )
        )
    report = MergeReport(known=[str(r.uid) for r in rows if r.uid in known])
    fresh = sorted((r for r in rows if r.uid not in known), key=lambda r: (r.occurred_at, r.row))
    touched: set[tuple[str, str]] = set()
    progress.start(len(fresh), "병합 / merging")
    for r in fresh:
        progress.advance()
        verdict = judge(subject=r.subject, key=r.key, direction=r.direction, at=r.occurred_at)
        if r.outcome == EventOutcome.REFUSED and r.refusal_code and verdict.passed:
            verdict.code = r.refusal_code
            verdict.detail_ko, verdict.detail_en = TEXTS[r.refusal_code]
        event = gate_event_of(
            verdict=verdict,
            uid=r.uid,
            subject=r.subject,
            key=r.key,
            direction=r.direction,
            at=r.occurred_at,
            officer=officers[r.officer or actor.username],
            source=EventSource.OFFLINE,
            terminal=r.terminal,
            vehicle_key=r.vehicle_key,
            outcome=r.outcome,
        )
        _insert(event)
        report.stored.append(event)
        if r.outcome == EventOutcome.PASSED:
            touched.add((r.subject, r.key))
            stay_moved(event, verdict)
            if not verdict.passed:
                report.review.append(
                    {
                        "uid": str(r.uid),
                        "key": r.key,
                        "code": verdict.code,
                        "message_ko": verdict.detail_ko,
                        "message_en": verdict.detail_en,
                    }
                )
    progress.start(len(touched), "현재 인원 / who is inside")
    for subject, key in sorted(touched):
        presence_recompute(subject, key)
        progress.advance()
    report.keys = len(touched)
    if report.stored:
        audit.record(
            actor=actor,
            action="complex.gate.merge",
            object_type="complex.gateevent",
            object_label=f"{len(report.stored)} offline events",
            changes={
                "stored": len(report.stored),
                "known": len(report.known),
                "review": report.review[:100],
                "terminals": sorted({e.terminal for e in report.stored if e.terminal})[:20],
            },
        )
    return report
