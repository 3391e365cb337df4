"""Reads of the reunion pages: the stage bar, the documents' plain data, the history chart."""

from __future__ import annotations

import datetime as dt
import functools
from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import CharField, Count, Min, Q
from django.db.models.functions import Cast, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from panmun.accounts.models import User
from panmun.common.work import STARTS, Task, waiting
from panmun.families.models import Person, Relation, RoundStatus, VitalStatus
from panmun.families.selectors import registry_version

from . import documents, history, scheduling
from .access import (
    can_edit_reunions,
    can_enter_reunion_replies,
    can_run_selection,
    can_see_reunion_rounds,
    is_reunion_counterpart,
    reunion_rounds_for_user,
    video_letters_for_user,
)
from .models import (
    STAGE_ORDER,
    AbsenceKind,
    Health,
    LetterDirection,
    LetterStatus,
    Need,
    Participant,
    ReunionEvent,
    ReunionRound,
    RoundKind,
    Stage,
    VideoLetter,
    Willingness,
)


@dataclass(frozen=True)
class Step:
    stage: str
    label: str
    done: bool
    current: bool


def stage_steps(reunion_round: ReunionRound) -> list[Step]:
    at = STAGE_ORDER.index(reunion_round.stage)
    return [
        Step(stage=s.value, label=str(s.label), done=n < at, current=n == at)
        for n, s in enumerate(Stage)
    ]


# --- the documents' data -----------------------------------------------------------------------

NEED_KO = {Need.WHEELCHAIR: "휠체어", Need.MEDICAL: "의료 동행", Need.DIALECT: "사투리 통역"}
RELATION_KO = {
    Relation.SPOUSE: "배우자",
    Relation.PARENT: "부모",
    Relation.CHILD: "자녀",
    Relation.SIBLING: "형제자매",
    Relation.OTHER: "친척",
}
SESSION_KO = {
    "group": "단체상봉",
    "welcome_dinner": "환영만찬",
    "private": "개별상봉",
    "lunch": "객실중식",
    "farewell": "작별상봉 및 공동중식",
    "other": "기타",
}
ABSENCE_KO = {
    AbsenceKind.HEALTH: "건강 악화",
    AbsenceKind.DIED: "사망",
    AbsenceKind.DECLINED: "참가 포기",
    AbsenceKind.OTHER: "기타",
}


def document_header(reunion_round: ReunionRound, *, south: bool) -> documents.EventHeader:
    event = reunion_round.event
    return documents.EventHeader(
        title=f"제{reunion_round.number}차 이산가족 대면상봉",
        round_no=reunion_round.number,
        venue=event.venue,
        starts_on=reunion_round.starts_on,
        ends_on=reunion_round.starts_on + dt.timedelta(days=reunion_round.days - 1),
        side="남측" if south else "북측",
    )


def participant_lines(participants: Any) -> list[documents.ParticipantLine]:
    lines = []
    rows = participants.select_related("candidate__applicant").prefetch_related(
        "companions", "north_relatives"
    )
    for n, p in enumerate(rows, 1):
        person = p.candidate.applicant
        lines.append(
            documents.ParticipantLine(
                no=n,
                registry_no=person.registry_no or "",
                name=person.display_name,
                sex={"M": "남", "F": "여"}.get(person.sex, ""),
                age=p.candidate.age,
                hometown=person.hometown,
                relatives=tuple(
                    documents.Relative(r.relation, r.name, r.age, r.note)
                    for r in p.north_relatives.all()
                ),
                companions=tuple(
                    documents.Relative(
                        c.relation,
                        c.name,
                        (p.round.starts_on.year - c.birth_year) if c.birth_year else None,
                    )
                    for c in p.companions.all()
                ),
                needs=tuple(NEED_KO.get(n, n) for n in p.needs),
                table=p.table,
                room=p.room,
            )
        )
    return lines


def session_lines(event: Any) -> list[documents.SessionLine]:
    return [
        documents.SessionLine(
            day=s.day,
            starts=s.starts,
            ends=s.ends,
            kind=SESSION_KO.get(s.kind, s.kind),
            place=s.place,
        )
        for s in event.sessions.all()
    ]


def family_cards(reunion_round: ReunionRound, participants: Any) -> list[documents.FamilyCard]:
    sessions = tuple(session_lines(reunion_round.event))
    addresses = dict(
        Participant.objects.filter(round=reunion_round).values_list(
            "pk", "candidate__applicant__address"
        )
    )
    pks = list(participants.values_list("pk", flat=True))
    return [
        documents.FamilyCard(participant=line, address=addresses.get(pk) or "", sessions=sessions)
        for pk, line in zip(pks, participant_lines(participants), strict=True)
    ]


def report_figures(
    reunion_round: ReunionRound, participants: Any
) -> tuple[documents.ReportFigures, list[documents.AttendanceLine]]:
    report = event_report(reunion_round.event)
    figures = documents.ReportFigures(
        selected=report.families,
        attended=report.attended,
        absent=report.absent,
        died=report.died,
        north_families=report.north_families,
        north_persons=report.north_persons,
        south_persons=report.south_persons,
    )
    attendance = [
        documents.AttendanceLine(
            no=n,
            name=p.candidate.applicant.display_name,
            attended=bool(p.attended),
            reason=""
            if p.attended
            else (
                ABSENCE_KO.get(p.absence, "") + (f" ({p.absence_note})" if p.absence_note else "")
            )
            if p.attended is False
            else "미기록",
        )
        for n, p in enumerate(participants.select_related("candidate__applicant"), 1)
    ]
    return figures, attendance


# --- the history page --------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceNote:
    """A source of the history page, numbered as its notes are: `web` sources are links, the
    project's own documents are named in words."""

    number: int
    title: str
    url: str
    web: bool


@dataclass(frozen=True)
class HistoryRow:
    past: history.PastRound
    notes: tuple[int, ...]


@dataclass(frozen=True)
class HistoryTables:
    in_person: list[HistoryRow]
    video: list[HistoryRow]
    sources: list[SourceNote]


@functools.cache
def history_tables() -> HistoryTables:
    """The past rounds with their sources as numbered notes (each source once), built once:
    the history does not change while the server runs."""
    numbers: dict[tuple[str, str], int] = {}
    notes: list[SourceNote] = []
    rows: dict[str, list[HistoryRow]] = {"in_person": [], "video": []}
    for past in history.load_history():
        mine = []
        for source in past.sources:
            key = (source.url, source.title)
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                notes.append(SourceNote(numbers[key], source.title, source.url, source.is_web))
            mine.append(numbers[key])
        rows[past.kind].append(HistoryRow(past, tuple(mine)))
    return HistoryTables(rows["in_person"], rows["video"], notes)


# --- the history chart -------------------------------------------------------------------------


@dataclass(frozen=True)
class YearColumn:
    year: int
    in_person: int
    video: int
    unknown_rounds: int
    living: int | None
    x: float
    bar_top: float
    bar_height: float
    video_top: float
    video_height: float
    point_y: float | None


@dataclass(frozen=True)
class YearsChart:
    columns: list[YearColumn]
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    bar_width: float
    max_families: int
    max_living: int
    line_points: str


CHART_W, CHART_H, TOP, BOTTOM, LEFT, RIGHT = 860, 300, 20, 260, 50, 60


# Living applicants per year do not change unless the registry does: counted once per version
# of the registry (see `families.selectors.registry_version`), and at least every ten minutes
# (the end of the current year moves with the date).
LIVING_CACHE_SECONDS = 600


def _living_counted() -> dict[tuple[int | None, str, int | None], int]:
    """The applicants (registered, not merged) by year of registration, status and year of
    death: one aggregate query of a few hundred rows whatever the registry's size."""
    year = Substr(Cast("registered_on", CharField()), 1, 4)
    rows = (
        Person.objects.filter(registry_no__isnull=False, merged_into__isnull=True)
        .exclude(registry_no="")
        .values_list(year, "status", Substr("death_date", 1, 4))
        .annotate(n=Count("pk"))
        .order_by()
    )
    counted: dict[tuple[int | None, str, int | None], int] = {}
    for registered, status, died, n in rows:
        key = (_year(registered), status, _year(died))
        counted[key] = counted.get(key, 0) + n
    return counted


def _year(text: str | None) -> int | None:
    return int(text) if text and len(text) == 4 and text.isdigit() else None


def living_per_year(years: list[int]) -> dict[int, int]:
    """Living applicants at the end of each year: registered by then (or with no date of
    registration), and alive, or dead only after that year (`families.statistics.living_on`
    on 31 December: ISO dates compare as text, so a death in a later year, however partial
    its date, is after it). Counted from one grouped query, kept in the cache while the
    registry does not change."""
    key = f"reunion:living:{registry_version()}"
    counted: dict[tuple[int | None, str, int | None], int] | None = cache.get(key)
    if counted is None:
        counted = _living_counted()
        cache.set(key, counted, LIVING_CACHE_SECONDS)
    # Each group is living from its year of registration (or always) up to the year before
    # its death (or for good): added where that span starts, taken off where it ends.
    ordered = sorted(years)
    change = [0] * (len(ordered) + 1)
    for (registered, status, died), n in counted.items():
        if status == VitalStatus.ALIVE:
            end = len(ordered)
        elif status == VitalStatus.DECEASED and died is not None:
            end = bisect_left(ordered, died)  # living at the end of the years before `died`
        else:
            continue
        start = 0 if registered is None else bisect_left(ordered, registered)
        if start < end:
            change[start] += n
            change[end] -= n
    result, running = {}, 0
    for index, year in enumerate(ordered):
        running += change[index]
        result[year] = running
    return {y: result[y] for y in years}


def years_chart(*, show_registry: bool, today: dt.date) -> YearsChart:
    """Families reunited per year (in person, by video) beside the living applicants per year."""
    per_year = history.families_per_year()
    unknown = history.unknown_rounds_per_year()
    years = list(range(min(per_year, default=2000), today.year + 1))
    living = living_per_year(years) if show_registry else {}
    max_families = max((sum(v.values()) for v in per_year.values()), default=0) or 1
    max_living = max(living.values(), default=0) or 1
    step = (CHART_W - LEFT - RIGHT) / max(len(years), 1)
    height = BOTTOM - TOP
    columns = []
    for n, year in enumerate(years):
        figures = per_year.get(year, {})
        in_person, by_video = figures.get("in_person", 0), figures.get("video", 0)
        x = LEFT + n * step
        bar_top = BOTTOM - height * (in_person + by_video) / max_families
        video_top = BOTTOM - height * by_video / max_families
        alive = living.get(year) if show_registry else None
        point = None if alive is None else BOTTOM - height * alive / max_living
        columns.append(
            YearColumn(
                year=year,
                in_person=in_person,
                video=by_video,
                unknown_rounds=len(unknown.get(year, ())),
                living=alive,
                x=round(x, 1),
                bar_top=round(bar_top, 1),
                bar_height=round(BOTTOM - bar_top, 1),
                video_top=round(video_top, 1),
                video_height=round(BOTTOM - video_top, 1),
                point_y=None if point is None else round(point, 1),
            )
        )
    points = " ".join(f"{c.x + step / 2:.1f},{c.point_y}" for c in columns if c.point_y is not None)
    return YearsChart(
        columns=columns,
        width=CHART_W,
        height=CHART_H,
        plot_top=TOP,
        plot_bottom=BOTTOM,
        bar_width=round(step * 0.7, 1),
        max_families=max_families,
        max_living=max_living if show_registry else 0,
        line_points=points,
    )


# --- reports (moved from the services: reads, not writes) ----------------------------------------


@dataclass(frozen=True)
class EventReport:
    families: int
    attended: int
    absent: int
    absent_by_reason: dict[str, int]
    died: int
    not_recorded: int
    south_persons: int
    north_families: int
    north_persons: int
    hours_together: float


def event_report(event: ReunionEvent) -> EventReport:
    participants = list(
        Participant.objects.filter(round=event.round).prefetch_related(
            "companions", "north_relatives"
        )
    )
    attended = [p for p in participants if p.attended]
    absent = [p for p in participants if p.attended is False]
    by_reason: dict[str, int] = {}
    for p in absent:
        by_reason[p.absence] = by_reason.get(p.absence, 0) + 1
    minutes = sum(
        (dt.datetime.combine(s.day, s.ends) - dt.datetime.combine(s.day, s.starts)).seconds // 60
        for s in event.sessions.all()
    )
    return EventReport(
        families=len(participants),
        attended=len(attended),
        absent=len(absent),
        absent_by_reason=by_reason,
        died=by_reason.get(AbsenceKind.DIED, 0),
        not_recorded=sum(1 for p in participants if p.attended is None),
        south_persons=sum(1 + len(p.companions.all()) for p in attended),
        north_families=sum(1 for p in attended if p.north_relatives.all()),
        north_persons=sum(len(p.north_relatives.all()) for p in attended),
        hours_together=minutes / 60,
    )


def families_to_place(reunion_round: ReunionRound) -> list[scheduling.FamilyToPlace]:
    """The final list as the scheduler sees it: the oldest placed first."""
    year = reunion_round.starts_on.year
    return [
        scheduling.FamilyToPlace(
            key=str(p.pk),
            address=p.candidate.applicant.address,
            requested_date=p.requested_date,
            room_code=p.room_choice or None,
            priority=(year - p.candidate.applicant.birth_year)
            if p.candidate.applicant.birth_year
            else 0,
        )
        for p in Participant.objects.filter(round=reunion_round).select_related(
            "candidate__applicant"
        )
    ]


@dataclass(frozen=True)
class Backlog:
    recorded: int
    sent: int
    delivered: int
    incoming_waiting: int
    oldest_waiting: dt.date | None


def letter_backlog() -> Backlog:
    """Letters not yet delivered (about 20,000 recorded letters were never delivered by 2018)."""
    figures = VideoLetter.objects.aggregate(
        recorded=Count("pk", filter=Q(direction="outgoing", status="recorded")),
        sent=Count("pk", filter=Q(direction="outgoing", status="sent")),
        delivered=Count("pk", filter=Q(status="delivered")),
        incoming=Count("pk", filter=Q(direction="incoming", status="recorded")),
        oldest=Min("recorded_on", filter=~Q(status="delivered")),
    )
    return Backlog(
        recorded=figures["recorded"],
        sent=figures["sent"],
        delivered=figures["delivered"],
        incoming_waiting=figures["incoming"],
        oldest_waiting=figures["oldest"],
    )


# --- the home page's work queue (common.work) ----------------------------------------------------


def work_queue(user: User) -> list[Task]:
    """The reunions' work waiting for `user`: video letters to send and to deliver, and each
    round's next step. Named on `ReunionConfig.work_queue`."""
    tasks = _letter_tasks(user) if can_edit_reunions(user) else []
    if can_see_reunion_rounds(user):
        tasks += _reunion_tasks(user)
    return tasks


def _letter_tasks(user: User) -> list[Task]:
    letters = video_letters_for_user(user)
    return waiting(
        "letters-send",
        _("Video letters to send to the other side"),
        letters.filter(direction=LetterDirection.OUTGOING, status=LetterStatus.RECORDED),
        "recorded_on",
        reverse("reunion:letters") + "?status=recorded",
    ) + waiting(
        "letters-deliver",
        _("Video letters from the other side to deliver to families"),
        letters.filter(direction=LetterDirection.INCOMING).exclude(status=LetterStatus.DELIVERED),
        "recorded_on",
        reverse("reunion:letters"),
    )


def _reunion_tasks(user: User) -> list[Task]:
    """A round whose current stage waits for this user: the supervisor sets the criteria,
    freezes, draws and fixes the final list; officers check the drawn candidates, start the
    inquiry and prepare the event; the other side's Red Cross gives its relatives."""

    tasks = []
    supervisor = can_run_selection(user)
    editor = can_edit_reunions(user)
    north = is_reunion_counterpart(user) and can_enter_reunion_replies(user)
    rounds = reunion_rounds_for_user(user).select_related("tracing_round")
    for r in rounds.order_by("starts_on"):
        url = reverse("reunion:round", args=[r.pk])
        task: tuple[str, Any, int] | None = None
        if r.stage == Stage.DRAFT and supervisor:
            task = ("reunion-freeze", _("Set the criteria and freeze the pool"), 1)
        elif r.stage == Stage.FROZEN and supervisor:
            task = ("reunion-draw", _("Run the draw"), 1)
        elif r.stage in (Stage.DRAWN, Stage.CHECKING) and editor:
            pending = (
                r.candidates.filter(drawn=True)
                .filter(Q(willingness=Willingness.PENDING) | Q(health=Health.PENDING))
                .count()
            )
            if pending:
                task = (
                    "reunion-checks",
                    _("Drawn candidates to check (willingness, health)"),
                    pending,
                )
            else:
                task = ("reunion-inquiry", _("Checks done: start the tracing inquiry"), 1)
        elif r.stage == Stage.TRACING:
            applied = r.tracing_round is not None and r.tracing_round.status == RoundStatus.APPLIED
            if applied and supervisor:
                task = ("reunion-final", _("Answers applied: fix the final list"), 1)
        elif r.stage == Stage.FINAL:
            if north:
                missing = r.participants.filter(north_relatives__isnull=True).count()
                if missing:
                    task = (
                        "reunion-north-list",
                        _("Families on the final list without their relatives in the North"),
                        missing,
                    )
            elif editor and r.starts_on >= timezone.localdate():
                if r.kind == RoundKind.IN_PERSON:
                    unplaced = r.participants.filter(table="").count()
                    if unplaced:
                        task = ("reunion-places", _("Families without a table and room"), unplaced)
                else:
                    unscheduled = r.participants.filter(video_day__isnull=True).count()
                    if unscheduled:
                        task = ("reunion-schedule", _("Families without a video slot"), unscheduled)
            elif editor:
                unrecorded = r.participants.filter(attended__isnull=True).count()
                if unrecorded:
                    task = ("reunion-attendance", _("Attendance to record"), unrecorded)
        if task is not None:
            key, label, count = task
            tasks.append(Task(key, str(label), count, url, r.starts_on, STARTS, r.name))
    return tasks
