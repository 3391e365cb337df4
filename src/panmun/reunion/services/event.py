"""The in-person reunion (대면상봉): its programme of sessions, the families with their companions,
needs, tables and rooms, the other side's list, and afterwards who took part."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode, invalid, invalid_fields
from panmun.common.findings import Finding
from panmun.families.models import VitalStatus
from panmun.families.services import registry

from ..access import can_edit_reunions
from ..models import (
    AbsenceKind,
    Companion,
    Need,
    NorthRelative,
    Participant,
    ReunionEvent,
    ReunionRound,
    ReunionSession,
    SessionKind,
    Stage,
)

GEUMGANGSAN = "금강산 이산가족면회소 (Geumgangsan reunion centre)"
HOTEL = "외금강호텔 (Oegeumgang Hotel)"

# The programme of the 2015 and 2018 rounds: six sessions over two nights and three days,
# twelve hours together. (day, start, end, kind, place)
TEMPLATE: tuple[tuple[int, str, str, str, str], ...] = (
    (0, "15:00", "17:00", SessionKind.GROUP, GEUMGANGSAN),
    (0, "19:00", "21:00", SessionKind.WELCOME_DINNER, GEUMGANGSAN),
    (1, "10:00", "12:00", SessionKind.PRIVATE, HOTEL),
    (1, "12:00", "13:00", SessionKind.LUNCH, HOTEL),
    (1, "15:00", "17:00", SessionKind.GROUP, GEUMGANGSAN),
    (2, "10:00", "13:00", SessionKind.FAREWELL, GEUMGANGSAN),
)


def _require_editor(actor: User) -> None:
    require_authenticated(actor)
    require(can_edit_reunions(actor))


def sessions_from_template(event: ReunionEvent) -> list[ReunionSession]:
    """The standard programme, from the round's first day (called when the round is made)."""
    first = event.round.starts_on
    return ReunionSession.objects.bulk_create(
        ReunionSession(
            event=event,
            day=first + dt.timedelta(days=day),
            starts=dt.time.fromisoformat(starts),
            ends=dt.time.fromisoformat(ends),
            kind=kind,
            place=place,
        )
        for day, starts, ends, kind, place in TEMPLATE
    )


@transaction.atomic
def event_update(
    *, actor: User, event: ReunionEvent, venue: str, companions_limit: int, families_per_table: int
) -> ReunionEvent:
    _require_editor(actor)
    if not venue.strip() or len(venue) > 200:
        raise invalid(
            ko="장소는 1–200자여야 합니다.", en="The venue must be 1–200 characters.", field="venue"
        )
    if not 0 <= companions_limit <= 10:
        raise invalid(
            ko="동반 가족은 0–10명까지입니다.",
            en="Companions per family: 0–10.",
            field="companions_limit",
        )
    if not 1 <= families_per_table <= 20:
        raise invalid(
            ko="테이블당 가족 수는 1–20입니다.",
            en="Families per table: 1–20.",
            field="families_per_table",
        )
    over = [
        p.pk
        for p in Participant.objects.filter(round=event.round)
        if p.companions.count() > companions_limit
    ]
    if over:
        raise invalid(
            ko=f"이미 {companions_limit}명보다 많은 동반 가족을 등록한 가족이 있습니다.",
            en=f"Some families already have more than {companions_limit} companions.",
            field="companions_limit",
            participants=over,
        )
    before = audit.snapshot(event, ["venue", "companions_limit", "families_per_table"])
    event.venue, event.companions_limit = venue.strip(), companions_limit
    event.families_per_table = families_per_table
    event.full_clean()
    event.save()
    audit.record(
        actor=actor,
        action="reunion.event.update",
        obj=event,
        changes=audit.diff(before, audit.snapshot(event, list(before))),
    )
    return event


@transaction.atomic
def session_add(
    *,
    actor: User,
    event: ReunionEvent,
    day: dt.date,
    starts: dt.time,
    ends: dt.time,
    kind: str,
    place: str,
) -> ReunionSession:
    _require_editor(actor)
    first = event.round.starts_on
    last = first + dt.timedelta(days=event.round.days - 1)
    problems = []
    if not first <= day <= last:
        problems.append(
            ("day", "회차 기간 안의 날이어야 합니다.", "must fall within the round's days.")
        )
    if ends <= starts:
        problems.append(
            ("ends", "끝나는 시각이 시작보다 늦어야 합니다.", "must be after the start.")
        )
    if kind not in SessionKind.values:
        problems.append(("kind", "알 수 없는 행사입니다.", "unknown session."))
    if not place.strip() or len(place) > 200:
        problems.append(("place", "장소는 1–200자입니다.", "must be 1–200 characters."))
    if problems:
        raise invalid_fields(
            "상봉 일정에 잘못된 항목이 있습니다.", "The session has problems.", problems
        )
    session = ReunionSession.objects.create(
        event=event, day=day, starts=starts, ends=ends, kind=kind, place=place.strip()
    )
    audit.record(
        actor=actor,
        action="reunion.session.add",
        obj=event,
        changes={"day": day, "starts": starts, "ends": ends, "kind": kind},
    )
    return session


@transaction.atomic
def session_remove(*, actor: User, session: ReunionSession) -> None:
    _require_editor(actor)
    event = session.event
    audit.record(
        actor=actor,
        action="reunion.session.remove",
        obj=event,
        changes={"day": session.day, "starts": session.starts, "kind": session.kind},
    )
    session.delete()


def _require_final(participant: Participant) -> None:
    if participant.round.stage != Stage.FINAL:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "최종 명단이 확정된 회차의 가족만 고칠 수 있습니다.",
            "Families can be changed only once the final list is fixed.",
        )


@transaction.atomic
def participant_update(
    *, actor: User, participant: Participant, needs: list[str], table: str, room: str
) -> Participant:
    _require_editor(actor)
    _require_final(participant)
    unknown = [n for n in needs if n not in Need.values]
    if unknown:
        raise invalid(
            ko="알 수 없는 지원 항목입니다.", en=f"Unknown needs: {unknown}", field="needs"
        )
    if len(table) > 10 or len(room) > 20:
        raise invalid(
            ko="테이블·객실 번호가 너무 깁니다.", en="Table or room number too long.", field="room"
        )
    before = audit.snapshot(participant, ["needs", "table", "room"])
    participant.needs = sorted(set(needs), key=Need.values.index)
    participant.table, participant.room = table.strip(), room.strip()
    participant.save(update_fields=["needs", "table", "room"])
    audit.record(
        actor=actor,
        action="reunion.participant.update",
        obj=participant,
        changes=audit.diff(before, audit.snapshot(participant, list(before))),
    )
    return participant


def _name_and_relation(name: str, relation: str) -> tuple[str, str]:
    name, relation = name.strip(), relation.strip()
    if not name or len(name) > 100:
        raise invalid(
            ko="이름은 1–100자여야 합니다.", en="The name must be 1–100 characters.", field="name"
        )
    if not relation or len(relation) > 50:
        raise invalid(
            ko="관계는 1–50자여야 합니다.",
            en="The relation must be 1–50 characters.",
            field="relation",
        )
    return name, relation


@transaction.atomic
def companion_add(
    *, actor: User, participant: Participant, name: str, relation: str, birth_year: int | None
) -> Companion:
    """A South relative going with the applicant; no more than the event's limit per family."""
    _require_editor(actor)
    _require_final(participant)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    limit = participant.round.event.companions_limit
    if participant.companions.count() >= limit:
        raise DomainError(
            ErrorCode.CONFLICT,
            f"동반 가족은 가족당 {limit}명까지입니다.",
            f"No more than {limit} companions per family.",
            {"field": "name", "limit": limit},
        )
    if birth_year is not None and not 1900 <= birth_year <= timezone.localdate().year:
        raise invalid(
            ko="출생연도가 잘못되었습니다.", en="The birth year is not valid.", field="birth_year"
        )
    name, relation = _name_and_relation(name, relation)
    companion = Companion.objects.create(
        participant=participant, name=name, relation=relation, birth_year=birth_year
    )
    audit.record(
        actor=actor,
        action="reunion.companion.add",
        obj=participant,
        changes={"name": name, "relation": relation},
    )
    return companion


@transaction.atomic
def companion_remove(*, actor: User, companion: Companion) -> None:
    _require_editor(actor)
    _require_final(companion.participant)
    audit.record(
        actor=actor,
        action="reunion.companion.remove",
        obj=companion.participant,
        changes={"name": companion.name},
    )
    companion.delete()


@transaction.atomic
def north_relative_add(
    *, actor: User, participant: Participant, name: str, relation: str, age: int | None, note: str
) -> NorthRelative:
    """The other side's list: a relative in the North who will meet the family. Either side's
    Red Cross officers may enter it (the access helper decides who reaches the family)."""
    require_authenticated(actor)
    _require_final(participant)
    name, relation = _name_and_relation(name, relation)
    if age is not None and not 0 <= age <= 130:
        raise invalid(ko="나이가 잘못되었습니다.", en="The age is not valid.", field="age")
    if len(note) > 200:
        raise invalid(
            ko="비고는 200자까지입니다.", en="The note is at most 200 characters.", field="note"
        )
    relative = NorthRelative.objects.create(
        participant=participant, name=name, relation=relation, age=age, note=note.strip()
    )
    audit.record(
        actor=actor,
        action="reunion.north_relative.add",
        obj=participant,
        changes={"name": name, "relation": relation, "age": age},
    )
    return relative


@transaction.atomic
def places_assign(*, actor: User, event: ReunionEvent) -> int:
    """Tables and rooms in the order of the final list, families who need a wheelchair or a
    medical escort first (the tables nearest the door, the rooms nearest the lift, numbered
    first). Existing assignments are replaced. Returns the families placed."""
    _require_editor(actor)
    participants = list(
        Participant.objects.select_for_update()
        .filter(round=event.round)
        .order_by("candidate__stratum", "candidate__rank")
    )
    needing = [p for p in participants if {Need.WHEELCHAIR, Need.MEDICAL} & set(p.needs)]
    others = [p for p in participants if p not in needing]
    for n, p in enumerate(needing + others):
        p.table = str(n // event.families_per_table + 1)
        p.room = f"{(n // 40) + 1}{(n % 40) + 1:02d}"
    Participant.objects.bulk_update(participants, ["table", "room"])
    audit.record(
        actor=actor,
        action="reunion.places.assign",
        obj=event,
        changes={"families": len(participants)},
    )
    return len(participants)


@transaction.atomic
def attendance_record(
    *,
    actor: User,
    participant: Participant,
    attended: bool,
    absence: str = "",
    note: str = "",
    died_on: str = "",
) -> Participant:
    """After the reunion: the family took part, or did not and why. A death is also recorded in
    the registry (status deceased, the date if given). Taking part cannot be recorded before
    the round's first day; an absence can (a family that withdrew, a death before the event)."""
    _require_editor(actor)
    _require_final(participant)
    first_day = participant.round.starts_on
    if attended and timezone.localdate() < first_day:
        not_begun = Finding(
            "reunion_not_begun",
            ko="상봉이 시작되기 전입니다",
            en="the reunion has not begun yet",
            field="attended",
        )
        raise DomainError.from_findings(
            [not_begun],
            code=ErrorCode.INVALID_TRANSITION,
            ko=f"상봉 첫날({first_day:%Y-%m-%d}) 전에는 참석으로 기록할 수 없습니다.",
            en=f"A family cannot be recorded as attending before the first day ({first_day}).",
        )
    if attended and absence:
        raise invalid(
            ko="참석한 가족에게는 불참 사유가 없습니다.",
            en="A family that attended has no absence.",
            field="absence",
        )
    if not attended and absence not in AbsenceKind.values:
        raise invalid(
            ko="불참 사유를 고르십시오.", en="Choose the reason for the absence.", field="absence"
        )
    if len(note) > 300:
        raise invalid(
            ko="비고는 300자까지입니다.", en="The note is at most 300 characters.", field="note"
        )
    before = audit.snapshot(participant, ["attended", "absence", "absence_note"])
    participant.attended, participant.absence = attended, absence
    participant.absence_note = note.strip()
    participant.save(update_fields=["attended", "absence", "absence_note"])
    if absence == AbsenceKind.DIED:
        person = participant.candidate.applicant
        person.status = VitalStatus.DECEASED
        person.death_date = died_on.strip()
        registry.person_save(actor=actor, person=person, action="families.person.update")
    audit.record(
        actor=actor,
        action="reunion.attendance.record",
        obj=participant,
        changes=audit.diff(before, audit.snapshot(participant, list(before))),
    )
    return participant


def list_exported(*, actor: User, reunion_round: ReunionRound, what: str, rows: int) -> None:
    """A list of people taken away as a file (the participant list, the family cards, the check
    sheet): what it was and how many rows it held, in the audit log."""
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="reunion.list.export",
            obj=reunion_round,
            changes={"as": what, "rows": rows},
        )
