"""The in-person event: programme, companions, the other side's list, places, attendance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError
from panmun.families.models import Person

from .. import selectors
from ..models import Companion, NorthRelative, Participant, SessionKind
from ..services import event as services
from .factories import final_round


@pytest.fixture
def event_round(personas):
    return final_round(personas, addresses=["서울특별시 종로구"] * 6)


def test_a_new_round_gets_the_standard_programme(event_round):
    sessions = list(event_round.event.sessions.all())
    assert [s.kind for s in sessions] == [
        SessionKind.GROUP,
        SessionKind.WELCOME_DINNER,
        SessionKind.PRIVATE,
        SessionKind.LUNCH,
        SessionKind.GROUP,
        SessionKind.FAREWELL,
    ]
    assert {s.day for s in sessions} == {
        dt.date(2027, 3, 1),
        dt.date(2027, 3, 2),
        dt.date(2027, 3, 3),
    }
    report = selectors.event_report(event_round.event)
    assert report.hours_together == 12.0
    assert "Geumgangsan" in event_round.event.venue


def test_companions_are_limited_per_family(personas, event_round):
    officer = personas["redcross_s"]
    participant = event_round.participants.first()
    services.event_update(
        actor=officer,
        event=event_round.event,
        venue="금강산",
        companions_limit=1,
        families_per_table=4,
    )
    services.companion_add(
        actor=officer, participant=participant, name="김아들", relation="아들", birth_year=1960
    )
    with pytest.raises(DomainError) as err:
        services.companion_add(
            actor=officer, participant=participant, name="김딸", relation="딸", birth_year=None
        )
    assert err.value.code == "conflict"
    assert Companion.objects.filter(participant=participant).count() == 1
    with pytest.raises(DomainError) as err:
        services.event_update(
            actor=officer,
            event=event_round.event,
            venue="금강산",
            companions_limit=0,
            families_per_table=4,
        )
    assert err.value.details["field"] == "companions_limit"


def test_the_north_enters_its_list_and_the_viewer_cannot(personas, event_round):
    participant = event_round.participants.first()
    services.north_relative_add(
        actor=personas["redcross_n"],
        participant=participant,
        name="리철수",
        relation="아들",
        age=75,
        note="",
    )
    assert NorthRelative.objects.get(participant=participant).name == "리철수"
    with pytest.raises(DomainError) as err:
        services.north_relative_add(
            actor=personas["redcross_n"],
            participant=participant,
            name="",
            relation="딸",
            age=None,
            note="",
        )
    assert err.value.details["field"] == "name"
    assert NorthRelative.objects.count() == 1


def test_places_put_families_with_wheelchairs_first_and_fill_tables(personas, event_round):
    officer = personas["redcross_s"]
    participants = list(event_round.participants.order_by("candidate__rank"))
    services.participant_update(
        actor=officer, participant=participants[-1], needs=["wheelchair"], table="", room=""
    )
    services.places_assign(actor=officer, event=event_round.event)
    placed = {p.pk: (p.table, p.room) for p in Participant.objects.filter(round=event_round)}
    assert placed[participants[-1].pk] == ("1", "101")
    tables = sorted(t for t, _ in placed.values())
    assert tables == ["1", "1", "1", "1", "2", "2"]
    assert len({r for _, r in placed.values()}) == 6
    with pytest.raises(DomainError):
        services.participant_update(
            actor=officer, participant=participants[0], needs=["helicopter"], table="", room=""
        )


def test_attendance_and_a_death_reach_the_registry_and_the_report(personas):
    officer = personas["redcross_s"]
    # A round whose first day has come: taking part can be recorded (before it, it cannot).
    event_round = final_round(
        personas, number=96, starts_on=dt.date(2026, 3, 2), addresses=["서울특별시 종로구"] * 6
    )
    first, second, third, *_ = event_round.participants.order_by("candidate__rank")
    services.companion_add(
        actor=officer, participant=first, name="김아들", relation="아들", birth_year=1960
    )
    services.north_relative_add(
        actor=officer, participant=first, name="리철수", relation="아들", age=75, note=""
    )
    services.attendance_record(actor=officer, participant=first, attended=True)
    services.attendance_record(
        actor=officer, participant=second, attended=False, absence="health", note="입원"
    )
    services.attendance_record(
        actor=officer, participant=third, attended=False, absence="died", died_on="2026-02-20"
    )
    person = Person.objects.get(pk=third.candidate.applicant_id)
    assert (person.status, person.death_date) == ("deceased", "2026-02-20")
    report = selectors.event_report(event_round.event)
    assert (report.families, report.attended, report.absent, report.died) == (6, 1, 2, 1)
    assert report.absent_by_reason == {"health": 1, "died": 1}
    assert (report.south_persons, report.north_families, report.north_persons) == (2, 1, 1)
    assert report.not_recorded == 3
    with pytest.raises(DomainError) as err:
        services.attendance_record(actor=officer, participant=first, attended=False, absence="")
    assert err.value.details["field"] == "absence"
    assert AuditEntry.objects.filter(action="reunion.attendance.record").count() == 3


def test_taking_part_cannot_be_recorded_before_the_first_day(personas, event_round):
    """Issue 15, defect 6: attendance was "yes" by default and could be recorded before the
    event. An absence can be (a family withdrew); taking part cannot."""
    officer = personas["redcross_s"]
    first, second, *_ = event_round.participants.order_by("candidate__rank")
    assert event_round.starts_on > timezone.localdate()
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as err:
        services.attendance_record(actor=officer, participant=first, attended=True)
    assert err.value.code == "invalid_transition"
    assert [e["field"] for e in err.value.details["errors"]] == ["attended"]
    first.refresh_from_db()
    assert first.attended is None and AuditEntry.objects.count() == before
    services.attendance_record(
        actor=officer, participant=second, attended=False, absence="declined", note="포기"
    )
    second.refresh_from_db()
    assert (second.attended, second.absence) == (False, "declined")


def test_sessions_must_fall_in_the_round(personas, event_round):
    with pytest.raises(DomainError) as err:
        services.session_add(
            actor=personas["redcross_s"],
            event=event_round.event,
            day=dt.date(2027, 4, 1),
            starts=dt.time(10),
            ends=dt.time(9),
            kind="group",
            place="",
        )
    fields = {e["field"] for e in err.value.details["errors"]}
    assert fields == {"day", "ends", "place"}
    assert event_round.event.sessions.count() == 6
