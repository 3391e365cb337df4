"""Stays in the complex: the arrival recorded (by the committee, or a firm for its own people;
the gate may call `stay_arrive` on a person's first check-out), registration with the North's
side, extension, residence registration and their fees (the committee's), departure; the
deadlines of each stay at a moment (`stay_deadlines`, from `complex.stay_rules`), the gate flags
of overdue stays (`stay_flags_sync`) and the daily reminders (`stay_reminders_list`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common import hotsql
from panmun.common.errors import DomainError, ErrorCode
from panmun.permits.models import IN_FORCE, Approval, Traveller

from .. import stay_rules as rules
from ..access import can_file_stays, can_register_stays, firms_for_edit, is_committee
from ..models import (
    Firm,
    FlagSource,
    GateFlag,
    Stay,
    StayRegistration,
    StayReminder,
    StayStep,
    Subject,
)
from ..timetables import subject_key

FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
#: A bound of this system, not a rule of the North's: a residence registered for at most 10 years.
RESIDENCE_YEARS_MAX = 10
FLAG_INSTRUCTIONS = (
    "체류 기한이 지났습니다. 통과시키지 말고 관리위원회 체류 담당에게 안내하십시오: "
    "체류등록·연장·거주등록을 마치면 이 표시는 풀립니다.\n"
    "The stay's deadline has passed. Do not let the person through; send them to the "
    "committee's stay desk: the flag is lifted once the stay is registered, extended or "
    "registered as residence."
)


def _invalid(field: str, ko: str, en: str, **details: object) -> DomainError:
    return DomainError(ErrorCode.INVALID_INPUT, ko, en, {"field": field, **details})


def _rule_refusal(rule: str, field: str, ko: str, en: str, **details: object) -> DomainError:
    rule_ko, rule_en = rules.RULES[rule]
    return DomainError(
        ErrorCode.INVALID_INPUT,
        f"{ko} (규정: {rule_ko})",
        f"{en} (rule: {rule_en})",
        {"field": field, "rule": rule, **details},
    )


def stay_key(document_number: str) -> str:
    """A document number as the gate keys it (`timetables.subject_key`)."""
    return subject_key(document_number or "")


def _day(field: str, day: dt.date | None) -> None:
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise _invalid(field, "날짜는 2000–2099년입니다.", "A date in 2000–2099.")


def visit_for(key: str, day: dt.date) -> tuple[Traveller | None, Approval | None]:
    """The traveller and the visit approval in force for the complex on `day` whose document
    number is `key` (normalised as the gate's), where one is known; the latest filed first."""
    approval = (
        Approval.objects.filter(
            kind="visit",
            state__in=IN_FORCE,
            application__destination="gaeseong",
            application__start_date__lte=day,
            application__end_date__gte=day,
            application__travellers__document_number__in={key, key.lower()},
        )
        .select_related("application")
        .order_by("-application__start_date", "-pk")
        .first()
    )
    if approval is None:
        return None, None
    traveller = (
        Traveller.objects.filter(application=approval.application)
        .filter(document_number__in={key, key.lower()})
        .first()
    )
    return traveller, approval


def facts(stay: Stay) -> rules.StayFacts:
    return rules.StayFacts(
        arrived_at=stay.arrived_at,
        arrived_on=timezone.localdate(stay.arrived_at),
        planned_departure=stay.planned_departure,
        departed=stay.departed_at is not None,
        registered=bool(stay.stay_class),
        expires_on=stay.expires_on,
        residence=stay.residence_at is not None,
    )


def stay_deadlines(stay: Stay, at: dt.datetime | None = None) -> list[rules.Deadline]:
    """What is due or overdue for `stay` at `at` (now by default)."""
    at = at or timezone.now()
    return rules.deadlines(facts(stay), at, timezone.localdate(at))


# --- writes ------------------------------------------------------------------------------------


@transaction.atomic
def stay_arrive(
    *,
    actor: User,
    document_number: str,
    name: str,
    arrived_at: dt.datetime,
    firm: Firm | None = None,
    planned_departure: dt.date | None = None,
    traveller: Traveller | None = None,
    approval: Approval | None = None,
) -> Stay:
    """A person's stay from `arrived_at`; the open stay of the same document as it is when one
    exists (the gate may call this at every check-out)."""
    require(can_file_stays(actor))
    if firm is not None:
        require(firms_for_edit(actor).filter(pk=firm.pk).exists())
    elif not is_committee(actor):
        raise _invalid("firm", "기업을 고르십시오.", "Choose the firm.")
    key, name = stay_key(document_number), (name or "").strip()
    if not key or len(key) > 40 or not key.isalnum():
        raise _invalid(
            "document_number",
            "여권·증명서 번호는 영문과 숫자 40자까지입니다.",
            "The document number is up to 40 letters and digits.",
        )
    if not name or len(name) > 200:
        raise _invalid("name", "이름을 200자까지 적으십시오.", "Give the name (200 at most).")
    if timezone.is_naive(arrived_at):
        raise _invalid("arrived_at", "도착 시각에 시간대가 없습니다.", "The arrival has no zone.")
    arrived_on = timezone.localdate(arrived_at)
    _day("arrived_at", arrived_on)
    _day("planned_departure", planned_departure)
    if planned_departure is not None and planned_departure < arrived_on:
        raise _invalid(
            "planned_departure",
            "떠날 날이 도착한 날보다 앞섭니다.",
            "The planned departure is before the arrival.",
        )
    existing = Stay.objects.select_for_update().filter(key=key, departed_at__isnull=True).first()
    if existing is not None:
        return existing
    if traveller is None and approval is None:
        traveller, approval = visit_for(key, arrived_on)
    if planned_departure is None and approval is not None:
        planned_departure = approval.application.end_date
    stay = Stay(
        key=key,
        name=name,
        firm=firm,
        traveller=traveller,
        approval=approval,
        arrived_at=arrived_at,
        planned_departure=planned_departure,
        created_by=actor,
    )
    stay.save()
    audit.record(
        actor=actor,
        action="complex.stay.arrive",
        obj=stay,
        changes={"key": key, "arrived_at": arrived_at.isoformat()},
    )
    return stay


def _locked(stay: Stay) -> Stay:
    locked = Stay.objects.select_for_update().get(pk=stay.pk)
    if locked.departed_at is not None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "이미 떠난 사람의 체류입니다.",
            "This person has left: the stay is closed.",
            {"field": "stay"},
        )
    return locked


def _requested(requested_on: dt.date | None) -> dt.date:
    day = requested_on or timezone.localdate()
    _day("requested_on", day)
    return day


def _until(stay: Stay, until: dt.date, requested_on: dt.date) -> dt.date:
    _day("valid_until", until)
    if until < requested_on or until < timezone.localdate(stay.arrived_at):
        raise _invalid(
            "valid_until",
            "체류 기한이 신청일이나 도착일보다 앞섭니다.",
            "The stay would end before the request or the arrival.",
        )
    return until


def _record(
    *, actor: User, stay: Stay, step: str, klass: str, requested_on: dt.date, until: dt.date
) -> StayRegistration:
    fee = rules.fee_usd(klass, requested_on)
    if fee is not None:
        fee = fee.quantize(Decimal("0.01"))
    registration = StayRegistration.objects.create(
        stay=stay,
        step=step,
        stay_class=klass,
        requested_on=requested_on,
        valid_until=until,
        fee_usd=fee,
        recorded_by=actor,
    )
    now = timezone.now()
    stay.stay_class = klass
    stay.expires_on = until
    stay.registered_at = stay.registered_at or now
    if klass == rules.RESIDENCE:
        stay.residence_at = stay.residence_at or now
    stay.save()
    audit.record(
        actor=actor,
        action=f"complex.stay.{step}",
        obj=stay,
        changes={
            "class": klass,
            "valid_until": until.isoformat(),
            "fee_usd": None if fee is None else str(fee),
        },
    )
    _settle(stay, actor)
    return registration


@transaction.atomic
def stay_register(
    *, actor: User, stay: Stay, valid_until: dt.date, requested_on: dt.date | None = None
) -> StayRegistration:
    """The stay registered with the North's side until `valid_until` (its last day): a short
    stay up to 90 days, a long stay from 91 days to a year; beyond a year is residence
    registration (`stay_residence_register`)."""
    require(can_register_stays(actor))
    stay = _locked(stay)
    if stay.stay_class:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "이미 등록된 체류입니다: 연장이나 거주등록을 하십시오.",
            "The stay is registered already: extend it, or register residence.",
            {"field": "stay"},
        )
    day = _requested(requested_on)
    until = _until(stay, valid_until, day)
    klass = rules.stay_class(timezone.localdate(stay.arrived_at), until)
    if klass == rules.RESIDENCE:
        raise _rule_refusal(
            "stay.residence_over_a_year",
            "valid_until",
            "1년을 넘는 체류는 거주등록으로 하십시오.",
            "A stay of over a year is a residence registration.",
        )
    return _record(
        actor=actor,
        stay=stay,
        step=StayStep.REGISTRATION,
        klass=klass,
        requested_on=day,
        until=until,
    )


@transaction.atomic
def stay_extend(
    *, actor: User, stay: Stay, valid_until: dt.date, requested_on: dt.date | None = None
) -> StayRegistration:
    """A registered stay extended to `valid_until`, requested at least 3 days before expiry."""
    require(can_register_stays(actor))
    stay = _locked(stay)
    if not stay.stay_class or stay.expires_on is None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "등록되지 않은 체류는 연장하지 못합니다: 먼저 등록하십시오.",
            "An unregistered stay cannot be extended: register it first.",
            {"field": "stay"},
        )
    day = _requested(requested_on)
    if not rules.extension_in_time(day, stay.expires_on):
        last = rules.extension_last_day(stay.expires_on)
        raise _rule_refusal(
            "stay.extension_3_days",
            "requested_on",
            f"만료일 {stay.expires_on}의 연장은 {last}까지 신청해야 합니다.",
            f"The stay ends on {stay.expires_on}: an extension had to be requested by {last}.",
            last_day=last.isoformat(),
        )
    until = _until(stay, valid_until, day)
    if until <= stay.expires_on:
        raise _invalid(
            "valid_until",
            f"연장한 기한은 지금 기한 {stay.expires_on} 뒤여야 합니다.",
            f"The extended stay must end after {stay.expires_on}.",
        )
    klass = rules.stay_class(timezone.localdate(stay.arrived_at), until)
    if klass == rules.RESIDENCE and stay.residence_at is None:
        raise _rule_refusal(
            "stay.residence_over_a_year",
            "valid_until",
            "1년을 넘는 연장은 거주등록으로 하십시오.",
            "An extension beyond a year is a residence registration.",
        )
    return _record(
        actor=actor, stay=stay, step=StayStep.EXTENSION, klass=klass, requested_on=day, until=until
    )


@transaction.atomic
def stay_residence_register(
    *, actor: User, stay: Stay, valid_until: dt.date, requested_on: dt.date | None = None
) -> StayRegistration:
    """Residence registration: a stay running beyond a year from arrival."""
    require(can_register_stays(actor))
    stay = _locked(stay)
    day = _requested(requested_on)
    until = _until(stay, valid_until, day)
    arrived_on = timezone.localdate(stay.arrived_at)
    if rules.stay_class(arrived_on, until) != rules.RESIDENCE:
        raise _rule_refusal(
            "stay.residence_over_a_year",
            "valid_until",
            f"거주등록은 {rules.a_year_after(arrived_on)} 뒤까지의 체류입니다.",
            f"Residence is for a stay beyond {rules.a_year_after(arrived_on)}.",
        )
    if until > arrived_on.replace(year=arrived_on.year + RESIDENCE_YEARS_MAX):
        raise _invalid(
            "valid_until",
            f"이 시스템은 거주등록을 {RESIDENCE_YEARS_MAX}년까지 받습니다.",
            f"This system takes a residence of at most {RESIDENCE_YEARS_MAX} years.",
        )
    if stay.expires_on is not None and until <= stay.expires_on:
        raise _invalid(
            "valid_until",
            f"거주 기한은 지금 기한 {stay.expires_on} 뒤여야 합니다.",
            f"The residence must end after {stay.expires_on}.",
        )
    return _record(
        actor=actor,
        stay=stay,
        step=StayStep.RESIDENCE,
        klass=rules.RESIDENCE,
        requested_on=day,
        until=until,
    )


@transaction.atomic
def stay_fee_record(
    *, actor: User, registration: StayRegistration, paid_on: dt.date, receipt: str
) -> StayRegistration:
    """The fee of a registration paid: the day and the receipt."""
    require(can_register_stays(actor))
    registration = StayRegistration.objects.select_for_update().get(pk=registration.pk)
    receipt = (receipt or "").strip()
    _day("paid_on", paid_on)
    if registration.fee_paid_on is not None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "이 수수료는 이미 납부로 기록되었습니다.",
            "This fee is recorded as paid already.",
            {"field": "paid_on"},
        )
    if not receipt or len(receipt) > 100:
        raise _invalid("receipt", "영수증 번호를 100자까지 적으십시오.", "Give the receipt (100).")
    if paid_on < registration.requested_on:
        raise _invalid(
            "paid_on", "납부일이 신청일보다 앞섭니다.", "Paid before the request was made."
        )
    registration.fee_paid_on = paid_on
    registration.fee_receipt = receipt
    registration.save()
    audit.record(
        actor=actor,
        action="complex.stay.fee",
        obj=registration.stay,
        changes={
            "registration": registration.pk,
            "paid_on": paid_on.isoformat(),
            "fee_usd": str(registration.fee_usd),
        },
    )
    return registration


@transaction.atomic
def stay_depart(*, actor: User, stay: Stay, departed_at: dt.datetime) -> Stay:
    """The stay closed: the person left (the gate may call this at their last check-in)."""
    require(can_file_stays(actor))
    if not is_committee(actor):
        require(stay.firm_id is not None and firms_for_edit(actor).filter(pk=stay.firm_id).exists())
    stay = _locked(stay)
    if timezone.is_naive(departed_at) or departed_at < stay.arrived_at:
        raise _invalid(
            "departed_at", "떠난 시각이 도착보다 앞섭니다.", "The departure is before the arrival."
        )
    _day("departed_at", timezone.localdate(departed_at))
    stay.departed_at = departed_at
    stay.save()
    audit.record(
        actor=actor,
        action="complex.stay.depart",
        obj=stay,
        changes={"departed_at": departed_at.isoformat()},
    )
    _settle(stay, actor)
    return stay


# --- flags and reminders -----------------------------------------------------------------------


def _settle(stay: Stay, actor: User | None, at: dt.datetime | None = None) -> None:
    """After a change: the stay's flag lifted and its reminders done when nothing is overdue
    (or due) any more."""
    at = at or timezone.now()
    _settle_reminders(stay, at)
    if not any(d.overdue for d in stay_deadlines(stay, at)):
        _lift(stay, actor, at)


def _open_flags(stay: Stay) -> list[GateFlag]:
    return list(
        GateFlag.objects.select_for_update().filter(
            subject=Subject.PERSON, key=stay.key, source=FlagSource.STAY, lifted_at__isnull=True
        )
    )


def _lift(stay: Stay, actor: User | None, at: dt.datetime) -> int:
    lifted = 0
    for flag in _open_flags(stay):
        flag.lifted_at, flag.lifted_by = at, actor
        flag.lifted_note = "체류 기한 해소 / The stay's deadline is met"
        flag.save()
        lifted += 1
    return lifted


def _reason(overdue: list[rules.Deadline]) -> str:
    words = []
    for deadline in overdue:
        ko, en = rules.RULES[deadline.rule]
        words.append(f"{deadline.kind} {deadline.due_on}: {ko} / {en}")
    return "; ".join(words)[:500]


@dataclass
class FlagSync:
    raised: int = 0
    lifted: int = 0


@transaction.atomic
def stay_flags_sync(*, at: dt.datetime | None = None) -> FlagSync:
    """A gate flag (source `stay`) for every open stay with a deadline missed, with the
    instructions for the gate's staff; the flags of stays no longer overdue lifted. Raised by
    the system (no officer)."""
    at = at or timezone.now()
    done = FlagSync()
    for stay in Stay.objects.filter(departed_at__isnull=True).order_by("pk").iterator():
        missed = [d for d in stay_deadlines(stay, at) if d.overdue]
        flags = _open_flags(stay)
        if missed and not flags:
            GateFlag.objects.create(
                subject=Subject.PERSON,
                key=stay.key,
                name=stay.name,
                source=FlagSource.STAY,
                reason=_reason(missed),
                instructions=FLAG_INSTRUCTIONS,
                raised_at=at,
            )
            done.raised += 1
        elif not missed and flags:
            done.lifted += _lift(stay, None, at)
    # A closed stay's flag goes with it.
    open_keys = Stay.objects.filter(departed_at__isnull=True).values("key")
    for flag in (
        GateFlag.objects.select_for_update()
        .filter(source=FlagSource.STAY, lifted_at__isnull=True)
        .exclude(key__in=open_keys)
    ):
        flag.lifted_at, flag.lifted_note = at, "체류 종료 / The stay has ended"
        flag.save()
        done.lifted += 1
    return done


@dataclass
class ReminderRun:
    listed: int
    overdue: int
    flags: FlagSync


@transaction.atomic
def stay_reminders_list(*, days: int, at: dt.datetime | None = None) -> ReminderRun:
    """The daily job: every deadline of an open stay due within `days` days (or missed) put on
    the work queue once (a `StayReminder`), reminders of deadlines met marked done, and the
    gate flags brought up to date."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    horizon = today + dt.timedelta(days=days)
    listed = overdue = 0
    for stay in Stay.objects.filter(departed_at__isnull=True).order_by("pk").iterator():
        due = [d for d in stay_deadlines(stay, at) if d.overdue or d.due_on <= horizon]
        for deadline in due:
            reminder, made = StayReminder.objects.get_or_create(
                stay=stay,
                kind=deadline.kind,
                due_on=deadline.due_on,
                defaults={"listed_on": today, "overdue": deadline.overdue},
            )
            if not made and reminder.overdue != deadline.overdue:
                reminder.overdue = deadline.overdue
                reminder.save(update_fields=["overdue"])
            listed += made
            overdue += deadline.overdue
        _settle_reminders(stay, at)
    for reminder in StayReminder.objects.filter(
        done_at__isnull=True, stay__departed_at__isnull=False
    ):
        reminder.done_at = at
        reminder.save(update_fields=["done_at"])
    return ReminderRun(listed=listed, overdue=overdue, flags=stay_flags_sync(at=at))


def _settle_reminders(stay: Stay, at: dt.datetime) -> None:
    due_keys = {(d.kind, d.due_on) for d in stay_deadlines(stay, at)}
    for reminder in StayReminder.objects.filter(stay=stay, done_at__isnull=True):
        if (reminder.kind, reminder.due_on) not in due_keys:
            reminder.done_at = at
            reminder.save(update_fields=["done_at"])


def fee_total(registrations: list[StayRegistration]) -> Decimal:
    return sum((r.fee_usd or Decimal(0) for r in registrations), Decimal(0))


# --- the gate's hook ---------------------------------------------------------------------------


@transaction.atomic
def stay_gate_passed(
    *,
    officer: User,
    key: str,
    name: str,
    direction: str,
    occurred_at: dt.datetime,
    firm: Firm | None = None,
    traveller: Traveller | None = None,
    approval: Approval | None = None,
) -> Stay | None:
    """What the gate does when it lets a person through (`gate_stay_move`), with the stay
    returned: on the check-out (`out`) the person's stay begins unless one is open (its planned
    departure is the last day of the visit approval, when known); on the check-in (`in`) the
    open stay ends and its flag is lifted."""
    planned = None
    if approval is not None:
        planned = getattr(approval.application, "end_date", None)
    gate_stay_move(
        officer=officer,
        key=key,
        name=name,
        direction=direction,
        occurred_at=occurred_at,
        firm_id=firm.pk if firm is not None else None,
        traveller_id=traveller.pk if traveller is not None else None,
        approval_id=approval.pk if approval is not None else None,
        planned_departure=planned,
    )
    stays = Stay.objects.filter(key=stay_key(key))
    if direction == "in":
        return (
            stays.filter(departed_at=occurred_at).first()
            or stays.filter(departed_at__isnull=True).first()
        )
    return stays.filter(departed_at__isnull=True).first()


_STAYS = Stay._meta.db_table
_REMINDERS = StayReminder._meta.db_table
_FLAGS = GateFlag._meta.db_table
_LIFTED_NOTE = "체류 기한 해소 / The stay's deadline is met"


def _sql(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    return hotsql.rows(sql, params)  # prepared once per connection on PostgreSQL


# On PostgreSQL the check-in's steps below as one statement: the open stay ended (the partial
# unique constraint keeps one open stay a key), then its reminders done and the key's stay flag
# lifted, only when a stay did end.
_CHECK_IN_PG = f"""
WITH ended AS (
 UPDATE "{_STAYS}" SET departed_at = %s WHERE "key" = %s AND departed_at IS NULL
 AND arrived_at <= %s RETURNING id
), done AS (
 UPDATE "{_REMINDERS}" SET done_at = %s WHERE done_at IS NULL
 AND stay_id IN (SELECT id FROM ended)
), lifted AS (
 UPDATE "{_FLAGS}" SET lifted_at = %s, lifted_by_id = %s, lifted_note = %s
 WHERE subject = %s AND "key" = %s AND source = %s AND lifted_at IS NULL
 AND EXISTS (SELECT 1 FROM ended)
)
SELECT COUNT(*) FROM ended"""  # noqa: S608


def gate_stay_move(
    *,
    officer: User,
    key: str,
    name: str,
    direction: str,
    occurred_at: dt.datetime,
    firm_id: int | None = None,
    traveller_id: int | None = None,
    approval_id: int | None = None,
    planned_departure: dt.date | None = None,
) -> None:
    """What the gate calls, in its own transaction, when it lets a person through: on the
    check-out (`out`) the person's stay begins unless one is open (`planned_departure`: the last
    day of the crossing's application, when known); on the check-in (`in`) the open stay ends,
    its reminders are done and its flag is lifted (a stay that has ended owes nothing:
    `stay_rules.deadlines`). No right of the committee's is asked, the gate's own check having
    let the person pass, and no audit record is written: the gate's event (officer, terminal,
    time) is the record of the move, as it is of every crossing (`services.gate`).

    It runs on every crossing, so it is plain SQL (portable between SQLite and PostgreSQL; on
    PostgreSQL the check-in's three steps are one statement, `_CHECK_IN_PG`)."""
    key = stay_key(key)
    ops = connection.ops
    if direction == "in" and connection.vendor == "postgresql":
        # The three steps of the check-in in one statement (one round trip instead of three).
        done_at = timezone.now()
        hotsql.execute(
            _CHECK_IN_PG,
            [
                occurred_at,
                key,
                occurred_at,
                done_at,
                done_at,
                officer.pk,
                _LIFTED_NOTE,
                Subject.PERSON.value,
                key,
                FlagSource.STAY.value,
            ],
        )
        return
    if direction == "in":
        ended = hotsql.execute(
            f'UPDATE "{_STAYS}" SET departed_at = %s WHERE "key" = %s '  # noqa: S608
            "AND departed_at IS NULL AND arrived_at <= %s",
            [
                ops.adapt_datetimefield_value(occurred_at),
                key,
                ops.adapt_datetimefield_value(occurred_at),
            ],
        )[1]
        if ended != 1:  # none open, or opened after this check-in
            return
        now = ops.adapt_datetimefield_value(timezone.now())
        _sql(
            f'UPDATE "{_REMINDERS}" SET done_at = %s WHERE done_at IS NULL AND stay_id IN '  # noqa: S608
            f'(SELECT id FROM "{_STAYS}" WHERE "key" = %s AND departed_at = %s)',
            [now, key, ops.adapt_datetimefield_value(occurred_at)],
        )
        _sql(
            f'UPDATE "{_FLAGS}" SET lifted_at = %s, lifted_by_id = %s, lifted_note = %s '  # noqa: S608
            f'WHERE subject = %s AND "key" = %s AND source = %s AND lifted_at IS NULL',
            [now, officer.pk, _LIFTED_NOTE, Subject.PERSON.value, key, FlagSource.STAY.value],
        )
        return
    # One open stay per key (the partial unique constraint): one already open is kept.
    _sql(
        f'INSERT INTO "{_STAYS}" ("key", name, firm_id, traveller_id, approval_id, arrived_at, '  # noqa: S608
        "planned_departure, departed_at, stay_class, expires_on, registered_at, residence_at, "
        "created_by_id, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, NULL, '', NULL, NULL, "
        'NULL, %s, %s) ON CONFLICT ("key") WHERE departed_at IS NULL DO NOTHING',
        [
            key[:40],
            (name or key)[:200],
            firm_id,
            traveller_id,
            approval_id,
            ops.adapt_datetimefield_value(occurred_at),
            ops.adapt_datefield_value(planned_departure),
            officer.pk,
            ops.adapt_datetimefield_value(timezone.now()),
        ],
    )
