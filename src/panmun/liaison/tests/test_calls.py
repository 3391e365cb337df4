"""The daily contact calls: placed at 09:00 and 17:00 on weekdays (Korea time), answered by the
other side, or recorded as unanswered in the caller's log once the wait is over — so that the
caller's own signed, cosigned log proves both that it called and that nobody answered."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from panmun.common.errors import DomainError

from ..ledger import bundle, merkle
from ..models import CallState, ContactCall, Entry, Kind
from ..services import calls, export

KST = calls.KST
MONDAY = dt.date(2026, 11, 16)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=KST)


def test_calls_are_due_at_nine_and_five_on_weekdays_only():
    assert calls.due_calls(at(MONDAY, 8, 59)) == []
    assert calls.due_calls(at(MONDAY, 9)) == [("opening", at(MONDAY, 9))]
    assert [c for c, _ in calls.due_calls(at(MONDAY, 17, 1))] == ["opening", "closing"]
    saturday = MONDAY + dt.timedelta(days=5)
    assert calls.due_calls(at(saturday, 18)) == []
    # 00:30 UTC on Monday is 09:30 in Korea.
    assert calls.due_calls(dt.datetime(2026, 11, 16, 0, 30, tzinfo=dt.UTC)) == [
        ("opening", at(MONDAY, 9))
    ]


def test_the_tick_places_each_due_call_once(personas, settings):
    settings.PANMUN_LIAISON_CALL_WAIT_MINUTES = 30
    assert calls.calls_tick(at(MONDAY, 9, 1)) == {"placed": 1, "closed": 0}
    assert calls.calls_tick(at(MONDAY, 9, 2)) == {"placed": 0, "closed": 0}
    call = ContactCall.objects.get()
    assert (call.calling_side, call.call, call.scheduled_at, call.state) == (
        "south",
        "opening",
        at(MONDAY, 9),
        "placed",
    )
    assert call.placed.body == {
        "call": "opening",
        "scheduled_at": "2026-11-16T00:00:00Z",
        "state": "placed",
    }


def test_an_answered_call_is_an_entry_of_the_other_side_pointing_at_it(personas):
    call = calls.call_place(side="south", call="opening", scheduled_at=at(MONDAY, 9))
    answered = calls.call_answer(actor=personas["liaison_n"], call=call, at=at(MONDAY, 9, 1))
    assert answered.state == CallState.ANSWERED
    assert answered.answer.log.side == "north"
    assert answered.answer.in_reply_to == call.placed
    assert answered.answer.body["state"] == "answered"
    assert calls.calls_tick(at(MONDAY, 12)) == {"placed": 0, "closed": 0}


def test_a_side_does_not_answer_its_own_call(personas):
    call = calls.call_place(side="south", call="opening", scheduled_at=at(MONDAY, 9))
    with pytest.raises(DomainError) as err:
        calls.call_answer(actor=personas["liaison_s"], call=call)
    assert err.value.message_en == "A side cannot answer its own call."
    assert Entry.objects.count() == 1


def test_the_record_proves_a_call_placed_and_not_answered(personas, settings, tmp_path):
    """Acceptance 3: the unanswered-call test."""
    settings.PANMUN_LIAISON_CALL_WAIT_MINUTES = 30
    calls.calls_tick(at(MONDAY, 9, 0))
    assert calls.calls_tick(at(MONDAY, 9, 29)) == {"placed": 0, "closed": 0}
    assert calls.calls_tick(at(MONDAY, 9, 31)) == {"placed": 0, "closed": 1}
    call = ContactCall.objects.get()
    assert call.state == CallState.UNANSWERED
    assert call.answer is None
    # Too late: the call is closed, an answer is refused and nothing is written.
    with pytest.raises(DomainError) as err:
        calls.call_answer(actor=personas["liaison_n"], call=call)
    assert err.value.code == "invalid_transition"
    assert not Entry.objects.filter(log__side="north").exists()

    # The caller's bundle verifies with the bundle alone, and shows the call and its close.
    export.export_bundle(side="south", target=tmp_path / "south")
    report = bundle.verify_bundle(tmp_path / "south")
    assert report.ok, [f.line() for f in report.findings]
    lines = (tmp_path / "south" / "entries.jsonl").read_bytes().splitlines()
    placed, closed = (json.loads(line) for line in lines)
    assert placed["body"] == {
        "call": "opening",
        "scheduled_at": "2026-11-16T00:00:00Z",
        "state": "placed",
    }
    assert placed["sent_at"] == "2026-11-16T00:00:00Z"
    assert closed["kind"] == Kind.CONTACT_CALL
    assert closed["body"]["state"] == "unanswered"
    assert closed["body"]["waited_seconds"] == 31 * 60
    assert closed["in_reply_to"] == {
        "log": placed["log"],
        "index": 0,
        "leaf_hash": merkle.leaf_hash(lines[0]).hex(),
    }
    # The checkpoint covering both is cosigned by the North: it holds the call and its close.
    checkpoint = (tmp_path / "south" / "checkpoint.txt").read_text()
    assert "\n2\n" in checkpoint
    assert report.cosigners
