"""The demo tested as a whole (issue 15): after the real `load_demo` (a small registry), every
page of every persona reachable from the navigation answers 200, and each page shows what
README.md's "A short tour" promises — the timeline from the 1971 Red Cross meeting, the tracing
round sent, the reunion rounds, 60 video letters and the history, three weeks of liaison calls
with two unanswered, and the liaison record's notices, proposal, counter-proposal, acceptance,
lists, meeting record, press statement and the North's letter.

The demo is loaded once for this module (tests/robot.py `demo_world`); each test runs in its
own transaction on top of it. Pages are read in English (the robot's own test reads them in
Korean), so both languages are crawled."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from panmun.accounts.models import User
from panmun.complex.models import DayPlan, EvacuationOrder, GateEvent, GateFlag, Presence, Stay
from panmun.families.models import Person, TracingRound
from panmun.liaison.ledger import bundle
from panmun.liaison.models import CallState, ContactCall, Entry, Kind
from panmun.reunion.models import ReunionRound, VideoLetter

from .robot import PERSONAS, Robot, RobotClient, demo_world


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with demo_world(django_db_blocker) as loaded:
        yield loaded


def client(persona: str, language: str = "en") -> RobotClient:
    c = RobotClient()
    c.force_login(User.objects.get(username=persona))
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return c


def page_text(persona: str, url: str, language: str = "en") -> str:
    """The page's visible text, one space between words; the page must answer 200."""
    response = client(persona, language).get(url)
    assert response.status_code == 200, (persona, url, response.status_code)
    return text_of(response.content.decode())


def text_of(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# --- every page answers ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_reachable_from_the_navigation_answers_200(
    world: dict[str, Any], db: Any, persona: str
) -> None:
    report = Robot(
        client(persona), persona, language="en", submit_forms=False, check_timing=False
    ).run()
    assert len(report.pages) >= 5, report.summary()
    assert not report.failures, f"{report.summary()}\n{report.failure_text()}"


# --- what the README's tour promises -----------------------------------------------------------


def test_the_home_page_and_the_language(world: dict[str, Any], db: Any) -> None:
    korean = client("viewer", "ko").get("/")
    assert korean.status_code == 200
    assert '<html lang="ko">' in korean.content.decode()
    english = client("viewer", "en").get("/")
    assert '<html lang="en">' in english.content.decode()


def test_the_timeline_runs_from_the_1971_red_cross_meeting_to_the_2018_summit(
    world: dict[str, Any], db: Any
) -> None:
    text = page_text("viewer", "/dialogue/")
    assert "August 1971 First Inter-Korean Red Cross meeting" in text
    assert "Pyongyang" in text and "September 2018" in text
    korean = page_text("viewer", "/dialogue/?year_from=1971&year_to=1971", "ko")
    assert "1971" in korean and "적십자" in korean


def test_the_jobs_page_offers_the_record_export(world: dict[str, Any], db: Any) -> None:
    for persona in PERSONAS:
        page_text(persona, "/jobs/")
    response = client("supervisor").get("/jobs/")
    assert "<form" in response.content.decode()


def test_the_registry_finds_a_person_and_the_tracing_round_was_sent(
    world: dict[str, Any], db: Any
) -> None:
    assert Person.objects.count() >= 300
    person = Person.objects.exclude(registry_no="").order_by("pk").first()
    assert person is not None
    name = f"{person.family_name}{person.given_name}"
    assert name in page_text("redcross_s", f"/families/?q={name}")
    sent = TracingRound.objects.get()
    requests = sent.requests.count()
    assert sent.status == "sent" and 0 < requests <= sent.target_size == 100
    for persona in ("redcross_s", "ministry", "redcross_n"):
        text = page_text(persona, "/families/rounds/")
        assert sent.name in text and "Sent to the other side" in text
        assert f"{requests} / 100" in text
    # The North reads who seeks each person only where the applicant agreed to be named: the
    # demo has both kinds on its round.
    from panmun.families.documents import north_line
    from panmun.families.selectors import request_lines_for_user

    north = page_text("redcross_n", f"/families/rounds/{sent.pk}/")
    lines = request_lines_for_user(User.objects.get(username="redcross_n"), sent)
    named = [north_line(line).applicant_name for line in lines if line.seeker_named]
    assert 0 < len(named) < requests
    assert all(name in north for name in named)
    assert north.count("a relative in the South") == requests - len(named)
    # ... and its request list is in the liaison record, signed.
    assert Entry.objects.filter(kind=Kind.LIST, body__list_kind="tracing").count() == 1
    assert sent.name in page_text("liaison_s", "/liaison/")


def test_the_reunion_rounds_letters_and_history(world: dict[str, Any], db: Any) -> None:
    rounds = list(ReunionRound.objects.order_by("pk"))
    assert len(rounds) == 2
    text = page_text("supervisor", "/reunion/")
    for r in rounds:
        assert r.name in text
    assert VideoLetter.objects.count() == 60
    letters = page_text("supervisor", "/reunion/letters/")
    backlog = re.search(
        r"Recorded, not sent (\d+) Sent, not delivered (\d+) "
        r"Received from the other side, not delivered (\d+) Delivered (\d+)",
        letters,
    )
    assert backlog, letters[:500]
    assert sum(int(n) for n in backlog.groups()) == 60
    history = client("viewer").get("/reunion/history/").content.decode()
    for table, rounds_held in (("history-in-person", 21), ("history-video", 7)):
        body = history.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
        assert len(re.findall(r'<tr data-round="\d+"', body)) == rounds_held, table


def _months(first: dt.date, last: dt.date) -> list[str]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(f"{day:%Y-%m}")
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def test_the_liaison_calls_calendar_shows_three_weeks_with_two_unanswered(
    world: dict[str, Any], db: Any
) -> None:
    calls = ContactCall.objects.order_by("scheduled_at")
    assert calls.count() == 30
    assert calls.filter(state=CallState.UNANSWERED).count() == 2
    first, last = calls.first(), calls.last()
    assert first is not None and last is not None
    assert (last.scheduled_at - first.scheduled_at).days >= 18
    for persona in ("liaison_s", "liaison_n"):
        answered = unanswered = 0
        for month in _months(first.scheduled_at.date(), last.scheduled_at.date()):
            text = page_text(persona, f"/liaison/calls/?month={month}")
            found = re.search(r"Answered (\d+) Unanswered (\d+)", text)
            assert found, text[:500]
            answered += int(found[1])
            unanswered += int(found[2])
        assert (answered, unanswered) == (28, 2), persona


def test_the_liaison_record_holds_the_threads_the_readme_promises(
    world: dict[str, Any], db: Any
) -> None:
    for persona in ("liaison_s", "liaison_n", "supervisor"):
        text = page_text(persona, "/liaison/")
        for kind in (
            "Notice",
            "Reply",
            "Proposal",
            "Counter-proposal",
            "Acceptance",
            "List",
            "Meeting record",
            "Agreement text",
        ):
            assert f" {kind} " in text, (persona, kind)
        assert "Letter North → South" in text, persona
        assert "공동보도문" in text  # the joint press statement
        assert "생사확인 의뢰 명단" in text  # the tracing round's list
    acceptance = Entry.objects.get(kind=Kind.ACCEPTANCE)
    assert acceptance.in_reply_to is not None
    assert acceptance.in_reply_to.kind == Kind.COUNTER_PROPOSAL
    thread = page_text("liaison_n", f"/liaison/south/{acceptance.in_reply_to.in_reply_to.index}/")
    assert "화상상봉" in thread


def test_anyone_can_check_the_logs_from_the_downloaded_bundle(
    world: dict[str, Any], db: Any, tmp_path: Any
) -> None:
    for side in ("south", "north"):
        response = client("liaison_s").get(f"/liaison/logs/{side}/bundle.zip")
        assert response.status_code == 200
        data = b"".join(response.streaming_content) if response.streaming else response.content
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            z.extractall(tmp_path / side)
        report = bundle.verify_bundle(tmp_path / side)
        assert report.ok, [f.line() for f in report.findings]


def test_loading_the_demo_again_adds_nothing(world: dict[str, Any], db: Any) -> None:
    def counts() -> tuple[int, ...]:
        return (
            Entry.objects.count(),
            ContactCall.objects.count(),
            TracingRound.objects.count(),
            ReunionRound.objects.count(),
            VideoLetter.objects.count(),
            User.objects.count(),
            DayPlan.objects.count(),
            GateEvent.objects.count(),
            Presence.objects.count(),
            EvacuationOrder.objects.count(),
            GateFlag.objects.count(),
            Stay.objects.count(),
        )

    before = counts()
    out = io.StringIO()
    call_command(
        "load_demo",
        registry_size=300,
        complex_workers=600,
        quiet_logins=True,
        stdout=out,
        stderr=io.StringIO(),
    )
    assert counts() == before
    assert "Liaison record" not in out.getvalue()


def test_a_day_of_crossings_at_the_gate(world: dict[str, Any], db: Any) -> None:
    """15 December 2015: the day's plans consented, the next day's refused with the bureau's
    note, two refusals at the gate, an offline batch, and the headcount by firm."""
    text = page_text("gate", "/complex/crossings/plans/?day=2015-12-15")
    assert text.count("Consented") >= 2, text
    north = page_text("bureau", "/complex/crossings/north/", "ko")
    assert "적재 목록이 없습니다" in north
    events = page_text("gate", "/complex/gate/events/?day=2015-12-15")
    assert "flagged" in events.lower() or "Flagged" in events
    assert GateEvent.objects.filter(refusal_code="not_on_plan").count() == 1
    assert GateEvent.objects.filter(source="offline").count() == 5
    board = client("gate").get("/complex/gate/headcount/").content.decode()
    for name, count in (("people", 13), ("residents", 8), ("short_stays", 5), ("vehicles", 2)):
        assert f'data-count="{name}">{count}<' in board, (name, count)
    assert board.count("<tr data-firm=") == 4
    order = EvacuationOrder.objects.get()
    assert order.state == "closed"
    assert "2016-02-11" in page_text("gic", "/complex/evacuation/orders/")
