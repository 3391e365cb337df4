"""Video reunions: the schedule from the final list, and video letters with their backlog."""

from __future__ import annotations

import datetime as dt

import pytest

from panmun.common.errors import DomainError

from .. import scheduling, selectors
from ..models import Participant, VideoLetter
from ..services import video
from .factories import final_round

ADDRESSES = [
    "부산광역시 해운대구 우동",
    "제주특별자치도 제주시 연동",
    "서울특별시 종로구",
    "강원특별자치도 춘천시",
    "",
]


@pytest.fixture
def video_round(personas):
    return final_round(personas, kind="video", number=8, addresses=ADDRESSES, days=2)


def test_the_schedule_places_families_near_home_and_explains_the_rest(personas, video_round):
    result = video.schedule_make(actor=personas["redcross_s"], reunion_round=video_round)
    rooms = {r.code: r for r in scheduling.load_rooms()}
    participants = {
        p.candidate.applicant.address: p
        for p in Participant.objects.filter(round=video_round).select_related(
            "candidate__applicant"
        )
    }
    assert len(result.placements) == 4
    assert "부산" in rooms[participants[ADDRESSES[0]].south_room].city_ko
    assert "제주" in rooms[participants[ADDRESSES[1]].south_room].city_ko
    assert "춘천" in rooms[participants[ADDRESSES[3]].south_room].city_ko
    assert all(p.north_room and p.video_day for a, p in participants.items() if a)
    nowhere = participants[""]
    assert (nowhere.unplaced_code, nowhere.video_day) == ("no_address", None)
    assert nowhere.unplaced_ko and nowhere.unplaced_en


def test_wishes_are_checked_and_kept(personas, video_round):
    officer = personas["redcross_s"]
    participant = Participant.objects.get(
        round=video_round, candidate__applicant__address=ADDRESSES[0]
    )
    with pytest.raises(DomainError) as err:
        video.wishes_set(
            actor=officer,
            participant=participant,
            requested_date=dt.date(2030, 1, 1),
            room_choice="",
        )
    assert err.value.details["field"] == "requested_date"
    with pytest.raises(DomainError) as err:
        video.wishes_set(
            actor=officer, participant=participant, requested_date=None, room_choice="N-PY-01"
        )
    assert err.value.details["field"] == "room_choice"
    video.wishes_set(
        actor=officer, participant=participant, requested_date=dt.date(2027, 3, 2), room_choice=""
    )
    video.schedule_make(actor=officer, reunion_round=video_round)
    participant.refresh_from_db()
    assert participant.video_day == dt.date(2027, 3, 2)


def test_letters_go_from_recorded_to_delivered_and_the_backlog_counts_them(personas, video_round):
    officer = personas["redcross_s"]
    family = Participant.objects.filter(round=video_round).first().candidate.applicant

    def record(n, direction="outgoing"):
        return video.letter_record(
            actor=officer,
            registry_no=family.registry_no,
            direction=direction,
            addressee="북측 아들",
            file_ref=f"vl/{n}.mp4",
            sha256=f"{n:064x}",
            duration_seconds=300,
            language="ko",
            recorded_on=dt.date(2020, 1, 1),
        )

    first, second, incoming = record(1), record(2), record(3, "incoming")
    video.letter_advance(actor=officer, letter=first, on=dt.date(2020, 2, 1))
    video.letter_advance(actor=officer, letter=second, on=dt.date(2020, 2, 1))
    video.letter_advance(actor=officer, letter=second, on=dt.date(2020, 3, 1))
    backlog = selectors.letter_backlog()
    assert (backlog.recorded, backlog.sent, backlog.delivered, backlog.incoming_waiting) == (
        0,
        1,
        1,
        1,
    )
    assert backlog.oldest_waiting == dt.date(2020, 1, 1)
    video.letter_advance(actor=officer, letter=incoming, on=dt.date(2020, 1, 10))
    assert VideoLetter.objects.get(pk=incoming.pk).status == "delivered"
    with pytest.raises(DomainError) as err:
        video.letter_advance(actor=officer, letter=second, on=dt.date(2020, 4, 1))
    assert err.value.code == "invalid_transition"
    with pytest.raises(DomainError) as err:
        record(1)  # the same file again
    assert {e["field"] for e in err.value.details["errors"]} == {"sha256"}
    with pytest.raises(DomainError) as err:
        video.letter_advance(actor=personas["viewer"], letter=first, on=dt.date(2020, 3, 1))
    assert err.value.code == "permission_denied"


def test_a_letter_recorded_this_morning_in_seoul_is_not_in_the_future(
    personas, video_round, monkeypatch
):
    """At 08:30 in Seoul a UTC server's date is still yesterday: a letter recorded today, and
    delivered today, are dated by Korea's calendar (TIME_ZONE), not the server's."""
    from django.utils import timezone

    officer = personas["redcross_s"]
    family = Participant.objects.filter(round=video_round).first().candidate.applicant
    late_utc = dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: late_utc)
    seoul_today = dt.date(2026, 12, 7)
    letter = video.letter_record(
        actor=officer,
        registry_no=family.registry_no,
        direction="outgoing",
        addressee="북측 아들",
        file_ref="vl/morning.mp4",
        sha256="ab" * 32,
        duration_seconds=300,
        language="ko",
        recorded_on=seoul_today,
    )
    video.letter_advance(actor=officer, letter=letter, on=seoul_today)
    with pytest.raises(DomainError):
        video.letter_advance(actor=officer, letter=letter, on=seoul_today + dt.timedelta(days=1))
