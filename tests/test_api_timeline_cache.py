"""The API's timeline is cached per version of the dialogue record (issue 16): a change made
through the services or the API shows in the very next read, every reader still passes the
access check, and a second identical read does not read the record again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from panmun.common.errors import DomainError
from panmun.dialogue.models import Agreement, Event, Talks
from panmun.dialogue.selectors import TimelineFilters, timeline_payload

from .factories import talks_payload

pytestmark = pytest.mark.django_db


def item(body: dict, kind: str, pk: int) -> dict:
    return next(i for i in body["items"] if i["kind"] == kind and i["id"] == pk)


def test_cached_answer_is_the_fresh_one(api_for):
    viewer = api_for("viewer")
    first = viewer.get("/dialogue/timeline?topic=aid")
    assert first.status_code == 200
    again = viewer.get("/dialogue/timeline?topic=aid")
    cache.clear()
    fresh = viewer.get("/dialogue/timeline?topic=aid")
    assert first.json() == again.json() == fresh.json()
    assert first.json()["items"]


def test_second_read_does_not_read_the_record_again(api_for):
    viewer = api_for("viewer")
    assert viewer.get("/dialogue/timeline").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert viewer.get("/dialogue/timeline").status_code == 200
    talks_table = Talks._meta.db_table
    reads = [q["sql"] for q in queries if f'"{talks_table}"."title_ko"' in q["sql"]]
    assert reads == []


def test_an_update_through_the_api_shows_in_the_next_read(api_for):
    editor, viewer = api_for("ministry"), api_for("viewer")
    talks = Talks.objects.order_by("pk").first()
    assert viewer.get("/dialogue/timeline").status_code == 200  # cached now
    response = editor.call(
        "PUT",
        f"/dialogue/talks/{talks.pk}",
        talks_payload(
            title_ko="바뀐 제목",
            title_en="A changed title",
            start_date=talks.start_date.isoformat(),
            end_date=None,
        ),
    )
    assert response.status_code == 200, response.content[:400]
    after = item(viewer.get("/dialogue/timeline").json(), "talks", talks.pk)
    assert (after["title_ko"], after["title_en"]) == ("바뀐 제목", "A changed title")


def test_a_status_change_shows_in_the_next_read(api_for):
    supervisor = api_for("supervisor")
    agreement = Agreement.objects.get(key="basic-agreement-1991")
    before = item(supervisor.get("/dialogue/timeline").json(), "agreement", agreement.pk)
    assert before["subtype"] == "in_force"
    url = f"/dialogue/agreements/{agreement.pk}/status"
    assert supervisor.post(url, {"status": "suspended"}).status_code == 201
    after = item(supervisor.get("/dialogue/timeline").json(), "agreement", agreement.pk)
    assert after["subtype"] == "suspended"


def test_a_row_added_outside_the_services_shows_too(api_for):
    viewer = api_for("viewer")
    assert viewer.get("/dialogue/timeline?topic=aid").status_code == 200
    event = Event.objects.create(
        title_ko="새 사건",
        title_en="A new event",
        kind="reunion",
        topic="aid",
        start_date=dt.date(2020, 5, 1),
    )
    assert item(viewer.get("/dialogue/timeline?topic=aid").json(), "event", event.pk)


def test_filters_are_part_of_the_key(api_for):
    viewer = api_for("viewer")
    whole = viewer.get("/dialogue/timeline").json()
    summits = viewer.get("/dialogue/timeline?level=summit").json()
    assert len(summits["items"]) == 4 < len(whole["items"])
    assert {i["level"] for i in summits["items"]} == {"summit"}


def test_a_warm_cache_still_refuses_whoever_may_not_read(api_for, personas):
    assert api_for("viewer").get("/dialogue/timeline").status_code == 200
    assert api_for(None).get("/dialogue/timeline").status_code == 401
    inactive = personas["viewer"]
    inactive.is_active = False
    with pytest.raises(DomainError):
        timeline_payload(inactive, TimelineFilters())
