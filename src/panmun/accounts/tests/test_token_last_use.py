"""A token's last use is written at most once a minute (issue 16, item 7): a program's GETs no
longer each write, so they do not wait for (or fail on) SQLite's write lock."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from panmun.accounts.models import ApiToken
from panmun.accounts.services import api_token_create


def token_used(personas, ago: dt.timedelta | None):
    token, raw = api_token_create(actor=personas["ministry"], name="program")
    used = None if ago is None else timezone.now() - ago
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=used)
    return token, raw, used


def get_me(client, raw):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]


def test_a_token_used_ten_seconds_ago_is_not_written_again(personas, client):
    token, raw, used = token_used(personas, dt.timedelta(seconds=10))
    assert get_me(client, raw) == []
    token.refresh_from_db()
    assert token.last_used_at == used


def test_a_token_used_over_a_minute_ago_is_marked_used_now(personas, client):
    token, raw, used = token_used(personas, dt.timedelta(seconds=61))
    updates = get_me(client, raw)
    assert len(updates) == 1 and "accounts_apitoken" in updates[0]
    token.refresh_from_db()
    assert token.last_used_at > used


def test_a_token_never_used_is_marked_used(personas, client):
    token, raw, _used = token_used(personas, None)
    get_me(client, raw)
    token.refresh_from_db()
    assert token.last_used_at is not None
