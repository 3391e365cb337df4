"""The home page is a work queue: for each role, what the signed-in person has to do, with a
count, a date and a link that opens for them; no link of firms, aid organisations or
applicants answers 403."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import Resolver404, resolve
from django.utils import timezone
from tests.factories import families_world, liaison_world, reunion_world, signoff_world

from panmun.families.models import DuplicateCandidate
from panmun.families.services import tracing
from panmun.families.tests.factories import applicant, relative
from panmun.jobs.models import Job, JobState
from panmun.reunion.models import Participant


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def tasks_of(response: Any) -> dict[str, dict[str, str]]:
    """The work queue as the page shows it: {key: {"count", "href", "text"}} (the first task of
    each key)."""
    html = response.content.decode()
    found: dict[str, dict[str, str]] = {}
    task = r'<li class="task[^"]*" data-task="([^"]+)" data-count="(\d+)">'
    for m in re.finditer(task + r'\s*<a href="([^"]+)">(.*?)</li>', html, re.S):
        text = re.sub(r"<[^>]+>", " ", m.group(4))
        found.setdefault(m.group(1), {"count": m.group(2), "href": m.group(3), "text": text})
    return found


def _round_sent(officer: Any, *, due: dt.date | None, requests: int = 2) -> Any:
    for n in range(requests):
        seeker = applicant(officer, given_name=f"회보{n}")
        relative(officer, seeker, given_name=f"가족{n}")
    tracing_round = tracing.round_create(
        actor=officer, name="제9차 생사확인", target_size=requests, reply_due=due
    )
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    return tracing_round


# --- the South's Red Cross ---------------------------------------------------------------------


def test_the_south_red_cross_sees_replies_to_review_and_duplicates(personas, client_for):
    world = families_world(personas["redcross_s"])
    client = client_for("redcross_s")
    tasks = tasks_of(client.get("/"))
    assert tasks["tracing-review"]["count"] == "1"
    assert tasks["tracing-review"]["href"] == f"/families/rounds/{world['round']}/"
    assert "검토할 회보 연결" in tasks["tracing-review"]["text"]
    # The pair found, and the pair whose merge was undone: both wait for a decision again.
    assert tasks["duplicates-open"]["count"] == str(
        DuplicateCandidate.objects.filter(state="open").count()
    )
    assert tasks["duplicates-open"]["href"] == "/families/duplicates/"
    assert "검토를 기다리는 중복 후보" in tasks["duplicates-open"]["text"]
    for task in tasks.values():
        assert client.get(task["href"]).status_code == 200, task


def test_a_sent_round_shows_its_unanswered_requests_and_due_date(personas, client_for):
    due = timezone.localdate() - dt.timedelta(days=2)
    tracing_round = _round_sent(personas["redcross_s"], due=due)
    response = client_for("redcross_s").get("/")
    task = tasks_of(response)["tracing-replies-due"]
    assert task["count"] == "2" and task["href"] == f"/families/rounds/{tracing_round.pk}/"
    assert "제9차 생사확인" in task["text"]
    page = response.content.decode()
    assert f'<time datetime="{due:%Y-%m-%d}">' in page
    assert 'class="task overdue" data-task="tracing-replies-due"' in page
    assert "기한 지남" in page


def test_the_north_red_cross_sees_the_request_lists_to_answer(personas, client_for):
    due = timezone.localdate() + dt.timedelta(days=10)
    tracing_round = _round_sent(personas["redcross_s"], due=due, requests=3)
    relative(personas["redcross_s"], applicant(personas["redcross_s"]), given_name="초안")
    tracing.round_create(actor=personas["redcross_s"], name="준비 중", target_size=1)
    client = client_for("redcross_n")
    tasks = tasks_of(client.get("/"))
    assert set(tasks) == {"tracing-answer"}
    assert tasks["tracing-answer"]["count"] == "3"
    assert tasks["tracing-answer"]["href"] == f"/families/rounds/{tracing_round.pk}/"
    assert client.get(tasks["tracing-answer"]["href"]).status_code == 200


def test_a_viewer_has_nothing_to_do(personas, client_for):
    families_world(personas["redcross_s"])
    response = client_for("viewer").get("/")
    assert tasks_of(response) == {}
    assert "data-empty-queue" in response.content.decode()


# --- approvals (결재) ----------------------------------------------------------------------------


def test_a_supervisor_sees_the_approvals_waiting(personas, client_for):
    signoff_world(personas["redcross_s"])
    tasks = tasks_of(client_for("supervisor").get("/"))
    assert tasks["signoffs-waiting"]["count"] == "1"
    assert tasks["signoffs-waiting"]["href"] == "/signoffs/"
    # Not the asker's own request, and not for the other side.
    assert "signoffs-waiting" not in tasks_of(client_for("redcross_s").get("/"))


def test_the_asker_sees_a_decided_request(personas, client_for):
    from panmun.accounts import signoffs
    from panmun.accounts.models import SignOff

    signoff = SignOff.objects.get(pk=signoff_world(personas["redcross_s"]))
    signoffs.signoff_decide(actor=personas["supervisor"], signoff=signoff, approve=True)
    tasks = tasks_of(client_for("redcross_s").get("/"))
    assert tasks["signoff-approved"]["count"] == "1"
    assert "signoffs-waiting" not in tasks_of(client_for("supervisor").get("/"))


# --- the liaison office --------------------------------------------------------------------------


def test_the_north_liaison_officer_sees_notices_and_calls_to_answer(personas, client_for):
    liaison_world(personas)
    client = client_for("liaison_n")
    tasks = tasks_of(client.get("/"))
    assert tasks["liaison-answer"]["count"] == "1"
    assert tasks["liaison-answer"]["href"] == "/liaison/?side=south"
    assert tasks["liaison-calls"] == {
        "count": "1",
        "href": "/liaison/calls/?month=2026-11",
        "text": tasks["liaison-calls"]["text"],
    }
    for task in tasks.values():
        assert client.get(task["href"]).status_code == 200
    # The South sent them: nothing for the South to answer.
    south = tasks_of(client_for("liaison_s").get("/"))
    assert "liaison-answer" not in south and "liaison-calls" not in south


def test_an_answered_notice_leaves_the_queue(personas, client_for):
    from panmun.liaison.models import Entry
    from panmun.liaison.services import messages

    liaison_world(personas)
    notice = Entry.objects.get(kind="notice")
    messages.message_send(
        actor=personas["liaison_n"],
        kind="reply",
        body={"subject": "답", "text": "잘 받았습니다"},
        in_reply_to=notice,
    )
    assert "liaison-answer" not in tasks_of(client_for("liaison_n").get("/"))


# --- reunions and video letters ------------------------------------------------------------------


def test_reunion_stage_tasks_and_letters(personas, client_for):
    world = reunion_world(personas)
    south = tasks_of(client_for("redcross_s").get("/"))
    assert south["letters-send"]["count"] == "1"
    assert south["letters-send"]["href"] == "/reunion/letters/?status=recorded"
    # Fixing the final list placed every family: nothing to place...
    assert "reunion-places" not in south
    # ...until a family has no table.
    Participant.objects.filter(pk=world["participant"]).update(table="", room="")
    south = tasks_of(client_for("redcross_s").get("/"))
    assert south["reunion-places"]["count"] == "1"
    assert south["reunion-places"]["href"] == f"/reunion/{world['reunion']}/"
    north = tasks_of(client_for("redcross_n").get("/"))
    assert north["reunion-north-list"]["count"] == "1"
    assert client_for("redcross_n").get(north["reunion-north-list"]["href"]).status_code == 200


def test_a_round_in_draft_waits_for_the_supervisor(personas, client_for):
    from panmun.reunion.criteria import default_criteria
    from panmun.reunion.services import selection

    reunion_round = selection.round_create(
        actor=personas["supervisor"],
        kind="in_person",
        number=95,
        name="제95차",
        starts_on=dt.date(2027, 9, 1),
        days=3,
        criteria=default_criteria(dt.date(2026, 11, 23), 10),
    )
    tasks = tasks_of(client_for("supervisor").get("/"))
    assert tasks["reunion-freeze"]["href"] == f"/reunion/{reunion_round.pk}/"
    assert "reunion-freeze" not in tasks_of(client_for("redcross_s").get("/"))


# --- jobs ----------------------------------------------------------------------------------------


def test_a_failed_job_is_in_the_queue_of_who_started_it(personas, client_for):
    job = Job.objects.create(
        kind="dialogue.import",
        state=JobState.FAILED,
        created_by=personas["ministry"],
        finished_at=timezone.now(),
        error={"message_ko": "실패", "message_en": "failed"},
    )
    tasks = tasks_of(client_for("ministry").get("/"))
    assert tasks["jobs-failed"]["count"] == "1"
    assert tasks["jobs-failed"]["href"] == f"/jobs/{job.pk}/"
    assert "jobs-failed" not in tasks_of(client_for("viewer").get("/"))


# --- firms and aid organisations -------------------------------------------------------------


def test_firms_find_the_complex(client_for):
    """The complex's app serves firms: their home page links to it, no programme being
    built."""
    page = client_for("firm").get("/").content.decode()
    assert "data-programme" not in page
    assert 'href="/complex/"' in page


def test_the_aid_organisation_finds_its_ledger_and_its_work(client_for, personas):
    """The aid ledger serves aid organisations: their home page links to it and lists their
    shipments ready to send, no longer a programme being built."""
    from panmun.aid.demo import load_activities
    from panmun.aid.demo_shipments import load as load_shipments
    from panmun.common.apps import DemoRun

    load_activities()
    load_shipments(DemoRun(0, None, lambda total, label: None, lambda line: None))
    page = client_for("aid").get("/").content.decode()
    assert 'data-programme="aid"' not in page
    assert 'href="/aid/"' in page


@pytest.mark.parametrize("who", ["firm", "aid", "applicant"])
def test_no_link_on_the_pages_of_firms_and_aid_answers_403(client_for, who):
    """Follow every link of their pages (each kind of page a few times) and expect none to be
    refused: the navigation offers them only what they may use."""
    client = client_for(who)
    seen: dict[str, int] = {}
    per_view: dict[str, int] = {}
    queue = ["/"]
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in links_of(response.content.decode()):
            href = href.split("#")[0]
            if not href.startswith("/") or href.startswith("/static/") or href in seen:
                continue
            try:
                name = resolve(href.split("?")[0]).view_name
            except Resolver404:
                name = href
            per_view[name] = per_view.get(name, 0) + 1
            if per_view[name] <= 3:
                queue.append(href)
    refused = {u: s for u, s in seen.items() if s >= 400}
    assert refused == {}
    assert len(seen) > 5


def test_firms_and_aid_are_not_offered_approvals(client_for):
    page = client_for("firm").get("/").content.decode()
    assert 'data-nav="signoffs"' not in page
    assert 'data-nav="signoffs"' in client_for("redcross_s").get("/").content.decode()


def test_a_server_process_loads_the_site_before_its_first_request():
    """The first request of a process once paid for the URLconf, the API and the catalogues
    (1–2.5 s on the demo): config/wsgi.py and asgi.py call warm() instead."""
    from django.urls import get_resolver

    from panmun.web.warmup import warm

    warm()
    assert "urlconf_module" in get_resolver().__dict__
    assert "url_patterns" in get_resolver().__dict__
