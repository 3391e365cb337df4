"""The crossing timetables of the Gaeseong complex as dated data, with no Django: the periods
(each in force from its day until the next one's), their slots, the military guarantee hours,
the limits, and the lookups the day plans and the gate use.

Times are local (Asia/Seoul). A slot is a window in one direction: *out* (출경, to the complex)
or *in* (입경, back to the South). In the slot mode a crossing is planned for one slot; in the
RFID mode (from 28 January 2014: any time on the booked day) it is planned for the day, and the
period's slots are the day's window in each direction.

The facts are those of domain.md ("Gaeseong Industrial Complex", "Crossings"). Where the source
gives only the first slot and the number of slots, the times of the others are an assumption,
said so in the period's `source`: hourly slots, each open for one hour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")
OUT, IN = "out", "in"
SLOTS, RFID = "slots", "rfid"
ALL, SUMMER, WINTER = "all", "summer", "winter"


@dataclass(frozen=True)
class SlotFacts:
    """One window of a period: a direction, the season it applies in, opening and closing."""

    direction: str
    opens_at: dt.time
    closes_at: dt.time
    season: str = ALL


@dataclass(frozen=True)
class Period:
    """The crossing rules in force from `effective_from` (a `Timetable` row and its slots)."""

    effective_from: dt.date
    name_ko: str
    name_en: str
    mode: str
    slots: tuple[SlotFacts, ...]
    source: str
    guarantee_from: dt.time | None = dt.time(7, 0)
    guarantee_to: dt.time | None = dt.time(22, 0)
    people_per_slot: int | None = None
    vehicles_per_slot: int | None = None
    residents_max: int | None = None
    winter_months: tuple[int, ...] = field(default=())


def _hourly(direction: str, first: dt.time, count: int, season: str = ALL) -> list[SlotFacts]:
    """`count` slots an hour apart from `first`, each open one hour (the assumption)."""
    start = dt.datetime.combine(dt.date(2000, 1, 1), first)
    slots = []
    for i in range(count):
        opens = start + dt.timedelta(hours=i)
        slots.append(
            SlotFacts(direction, opens.time(), (opens + dt.timedelta(hours=1)).time(), season)
        )
    return slots


def _t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


#: The assumed winter months (the source names a winter timetable, not its months).
WINTER_MONTHS = (11, 12, 1, 2)

PERIODS: tuple[Period, ...] = (
    Period(
        dt.date(2007, 12, 13),
        "군사보장합의: 통행 07:00–22:00",
        "Military guarantee: passage 07:00–22:00",
        SLOTS,
        (),
        "domain.md: 13 Dec 2007 military agreement, passage guaranteed 07:00-22:00. The slots "
        "of this period are not in the source: none is recorded, so no day plan is built for it.",
    ),
    Period(
        dt.date(2008, 12, 1),
        "12·1 조치: 출경 3회, 입경 3회",
        "1 December 2008 measures: 3 slots out, 3 in",
        SLOTS,
        (
            *_hourly(OUT, _t("09:00"), 3),
            *_hourly(IN, _t("15:00"), 3),
        ),
        "domain.md: 1 Dec 2008 measures: 3 slots out, 3 in, 250 people and 150 vehicles a "
        "slot, 880 residents at most. ASSUMED (not in the source): out at 09:00, 10:00, 11:00, "
        "in at 15:00, 16:00, 17:00, each open one hour.",
        people_per_slot=250,
        vehicles_per_slot=150,
        residents_max=880,
    ),
    Period(
        dt.date(2009, 9, 1),
        "12·1 조치 해제: 출경 12회, 입경 11회",
        "Measures lifted: 12 slots out, 11 in",
        SLOTS,
        (
            *_hourly(OUT, _t("08:30"), 9),
            *_hourly(OUT, _t("17:30"), 3, SUMMER),
            *_hourly(IN, _t("10:00"), 11),
        ),
        "domain.md: lifted 1 Sep 2009: 12 out from 08:30, 11 in from 10:00; winter: last out "
        "16:30. ASSUMED: slots hourly, each open one hour (out 08:30-19:30, in 10:00-20:00); "
        "winter = Nov-Feb, without the out slots after 16:30.",
        winter_months=WINTER_MONTHS,
    ),
    Period(
        dt.date(2013, 4, 1),
        "출경 11회, 입경 10회",
        "11 slots out, 10 in",
        SLOTS,
        (
            *_hourly(OUT, _t("08:30"), 9),
            *_hourly(OUT, _t("17:30"), 2, SUMMER),
            *_hourly(IN, _t("10:00"), 10),
        ),
        "domain.md: 1 Apr 2013: 11 out slots (853 people), 10 in (355): that day's counts, not "
        "limits. ASSUMED: the 2009 slots less the last each way (out 08:30-18:30, in "
        "10:00-19:00), hourly, open one hour; winter (Nov-Feb) last out 16:30 kept.",
        winter_months=WINTER_MONTHS,
    ),
    Period(
        dt.date(2014, 1, 28),
        "RFID 시범: 예약한 날 수시 통행",
        "RFID trial: any time on the booked day",
        RFID,
        (
            SlotFacts(OUT, _t("07:00"), _t("22:00")),
            SlotFacts(IN, _t("07:00"), _t("22:00")),
        ),
        "domain.md: RFID trial from 28 Jan 2014: any time on the booked day. ASSUMED: the "
        "day's window is the guarantee hours, 07:00-22:00, both ways; one plan per day and "
        "direction.",
    ),
    Period(
        dt.date(2015, 8, 17),
        "첫 출경 09:00, 마지막 입경 17:30",
        "First out 09:00, last in 17:30",
        RFID,
        (
            SlotFacts(OUT, _t("09:00"), _t("17:30")),
            SlotFacts(IN, _t("09:00"), _t("17:30")),
        ),
        "domain.md: from 17 Aug 2015: first out 09:00, last in 17:30. ASSUMED: the RFID mode "
        "of 2014 goes on; both ways open from the first out (09:00) to the last in (17:30).",
    ),
)


def period_on(day: dt.date, periods: Sequence[Period] = PERIODS) -> Period | None:
    """The period in force on `day`: the latest that started on or before it (None before the
    first)."""
    found = None
    for period in sorted(periods, key=lambda p: p.effective_from):
        if period.effective_from <= day:
            found = period
    return found


def season_of(day: dt.date, winter_months: Iterable[int]) -> str:
    """`winter` in the period's winter months, `summer` otherwise."""
    return WINTER if day.month in tuple(winter_months) else SUMMER


def applies(slot_season: str, season: str) -> bool:
    """Whether a slot of `slot_season` runs in `season` (an all-year slot runs in both)."""
    return slot_season in (ALL, season)


def slots_on(
    day: dt.date, direction: str | None = None, periods: Sequence[Period] = PERIODS
) -> list[SlotFacts]:
    """The slots of `day` (its period's, of its season), in one direction or both, by direction
    then opening time."""
    period = period_on(day, periods)
    if period is None:
        return []
    season = season_of(day, period.winter_months)
    slots = [
        s
        for s in period.slots
        if applies(s.season, season) and (direction is None or s.direction == direction)
    ]
    return sorted(slots, key=lambda s: (s.direction != OUT, s.opens_at))


def local(moment: dt.datetime) -> dt.datetime:
    """`moment` in Seoul time (a naive moment is taken as Seoul time already)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=SEOUL)
    return moment.astimezone(SEOUL)


def slot_at(
    moment: dt.datetime, direction: str, periods: Sequence[Period] = PERIODS
) -> SlotFacts | None:
    """The slot of `direction` open at `moment` (opening included, closing excluded); None
    outside every slot. In the RFID mode, the day's window."""
    at = local(moment)
    for slot in slots_on(at.date(), direction, periods):
        if slot.opens_at <= at.time().replace(tzinfo=None) < slot.closes_at:
            return slot
    return None


def within_guarantee(moment: dt.datetime, periods: Sequence[Period] = PERIODS) -> bool:
    """Whether `moment` falls in the military guarantee hours in force that day (false where
    none is known)."""
    at = local(moment)
    period = period_on(at.date(), periods)
    if period is None or period.guarantee_from is None or period.guarantee_to is None:
        return False
    return period.guarantee_from <= at.time().replace(tzinfo=None) < period.guarantee_to


def closes(day: dt.date, slot: SlotFacts) -> dt.datetime:
    """When `slot` closes on `day`, in Seoul time."""
    return dt.datetime.combine(day, slot.closes_at, tzinfo=SEOUL)


# --- the tables: a `Timetable` row per period, a `Slot` row per slot ---------------------------


def timetable_fields(period: Period) -> dict[str, Any]:
    return {
        "effective_from": period.effective_from,
        "name_ko": period.name_ko,
        "name_en": period.name_en,
        "mode": period.mode,
        "guarantee_from": period.guarantee_from,
        "guarantee_to": period.guarantee_to,
        "people_per_slot": period.people_per_slot,
        "vehicles_per_slot": period.vehicles_per_slot,
        "residents_max": period.residents_max,
        "winter_months": ",".join(str(m) for m in period.winter_months),
        "source": period.source,
    }


def timetables_load(timetable_model: Any, slot_model: Any) -> int:
    """Write the periods into `timetable_model` and `slot_model` (the models, or a migration's
    historical ones) where a timetable of that day is missing; one already there is left as it
    is, slots and all. Returns the timetables added."""
    added = 0
    for period in PERIODS:
        if timetable_model.objects.filter(effective_from=period.effective_from).exists():
            continue
        timetable = timetable_model.objects.create(**timetable_fields(period))
        for slot in period.slots:
            slot_model.objects.create(
                timetable=timetable,
                direction=slot.direction,
                season=slot.season,
                opens_at=slot.opens_at,
                closes_at=slot.closes_at,
                people_limit=period.people_per_slot,
                vehicles_limit=period.vehicles_per_slot,
            )
        added += 1
    return added


def subject_key(text: str) -> str:
    """What the gate scans or types, normalised: a document number or a plate without spaces
    or hyphens, upper-case (`M 1234-5678` and `m12345678` are one key; `12 가 3456` is
    `12가3456`). The one normalisation of the complex's keys: the day plans' lines, the gate's
    events, flags and presence, the stays and the evacuation's lists all use it."""
    return "".join(ch for ch in text.upper() if not ch.isspace() and ch not in "-–—")
