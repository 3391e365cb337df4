"""The API's entries list caches a page of entries per version of the logs (issue 16): a new
entry shows in the very next read, the receipts are read fresh under a cached page, and a user
who may not read the record is refused however warm the cache."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ..demo import load_liaison_demo
from ..models import Checkpoint, Entry


def send(api, **payload):
    response = api.post("/liaison/messages", json=payload)
    assert response.status_code == 201, response.content[:400]
    return response.json()


def test_the_cached_page_is_the_fresh_one(personas, api_for):
    load_liaison_demo()
    south = api_for("liaison_s")
    first = south.get("/liaison/entries?limit=5")
    again = south.get("/liaison/entries?limit=5")
    cache.clear()
    fresh = south.get("/liaison/entries?limit=5")
    assert first.status_code == again.status_code == fresh.status_code == 200
    assert first.json() == again.json() == fresh.json()
    assert len(first.json()) == 5


def test_a_second_read_does_not_search_again(personas, api_for):
    load_liaison_demo()
    south = api_for("liaison_s")
    assert south.get("/liaison/entries?kind=notice").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert south.get("/liaison/entries?kind=notice").status_code == 200
    leaf = f'"{Entry._meta.db_table}"."leaf"'
    assert [q["sql"] for q in queries if leaf in q["sql"]] == []


def test_a_new_message_and_its_answer_show_in_the_next_read(api_for):
    south, north = api_for("liaison_s"), api_for("liaison_n")
    send(south, kind="notice", body={"subject": "첫 통지", "text": ""})
    assert [e["subject"] for e in north.get("/liaison/entries").json()] == ["첫 통지"]
    send(south, kind="letter", body={"subject": "둘째 서한", "text": ""})
    listed = north.get("/liaison/entries").json()
    assert [e["subject"] for e in listed] == ["둘째 서한", "첫 통지"]
    send(
        north, kind="reply", body={"text": "받았습니다."}, in_reply_to={"side": "south", "index": 0}
    )
    states = {
        e["index"]: e["receipt"]["state"] for e in south.get("/liaison/entries?side=south").json()
    }
    assert states == {0: "answered", 1: "cosigned"}


def test_receipts_are_read_fresh_under_a_cached_page(api_for):
    south = api_for("liaison_s")
    send(south, kind="notice", body={"subject": "통지", "text": ""})
    assert south.get("/liaison/entries").json()[0]["receipt"]["state"] == "cosigned"
    Checkpoint.objects.update(cosigned_at=None)  # no new entry, no new checkpoint
    assert south.get("/liaison/entries").json()[0]["receipt"]["state"] == "sent"
    Checkpoint.objects.update(cosigned_at=timezone.now())
    assert south.get("/liaison/entries").json()[0]["receipt"]["state"] == "cosigned"


def test_a_second_read_reads_no_receipts_either(personas, api_for):
    """The receipts are cached with the page: a second read is the token's query and the
    fingerprint's, nothing else."""
    load_liaison_demo()
    south = api_for("liaison_s")
    assert south.get("/liaison/entries?side=north").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert south.get("/liaison/entries?side=north").status_code == 200
    checkpoints = f'"{Checkpoint._meta.db_table}"."cosigned_at"'
    assert [q["sql"] for q in queries if checkpoints in q["sql"]] == []


def test_a_warm_cache_still_refuses_whoever_may_not_read(personas, api_for):
    load_liaison_demo()
    assert api_for("liaison_s").get("/liaison/entries").status_code == 200
    assert api_for("redcross_s").get("/liaison/entries").status_code == 403
    assert api_for(None).get("/liaison/entries").status_code == 401


def test_a_large_page_is_not_cached(personas, api_for):
    load_liaison_demo()
    south = api_for("liaison_s")
    assert south.get("/liaison/entries?limit=101").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert south.get("/liaison/entries?limit=101").status_code == 200
    leaf = f'"{Entry._meta.db_table}"."leaf"'
    assert len([q["sql"] for q in queries if leaf in q["sql"]]) == 1
