"""Reads answer while another process holds SQLite's write lock (issue 16, item 7): an API GET
with a token used 10 s ago, and the pages of a signed-in officer, write nothing, so they do not
wait for the lock (a job's long write, the worker's) and do not fail with "database is locked".

The test runs in a process of its own on a freshly migrated SQLite file (PANMUN_HOME in a
temporary folder), as the demo and a small office run: WAL mode, and a busy timeout lowered to
1 s there so that any write attempted under the lock fails the request instead of waiting."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PANMUN = [sys.executable, "-m", "panmun.config.cli"]

SCRIPT = r"""
import datetime as dt, json, sqlite3, sys
import django
django.setup()
from django.conf import settings
from django.db import connections
from django.test import Client
from django.utils import timezone
from panmun.accounts.demo import demo_load
from panmun.accounts.models import ApiToken, User
from panmun.accounts.services import api_token_create

demo_load()
ministry = User.objects.get(username="ministry")
recent, recent_raw = api_token_create(actor=ministry, name="used 10 s ago")
stale, stale_raw = api_token_create(actor=ministry, name="used 2 min ago")
now = timezone.now()
ApiToken.objects.filter(pk=recent.pk).update(last_used_at=now - dt.timedelta(seconds=10))
ApiToken.objects.filter(pk=stale.pk).update(last_used_at=now - dt.timedelta(minutes=2))
browser = Client()
browser.force_login(ministry)
PAGES = ["/", "/jobs/", "/liaison/", "/dialogue/", "/families/"]
for url in PAGES:  # an officer at work: the session and its last-seen time are written now
    assert browser.get(url).status_code == 200, url

connections["default"].settings_dict["OPTIONS"]["timeout"] = 1
connections["default"].close()
lock = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=30, isolation_level=None)
lock.execute("BEGIN IMMEDIATE")  # another process's long write (a job, the worker)
answers = {}

def ask(name, client, url, **headers):
    try:
        answers[name] = client.get(url, **headers).status_code
    except Exception as exc:  # a 500, raised by the test client
        answers[name] = f"{type(exc).__name__}: {exc}"

program = Client()
for url in ["/api/v1/me", "/api/v1/jobs", "/api/v1/liaison/entries"]:
    ask("recent token " + url, program, url, HTTP_AUTHORIZATION=f"Bearer {recent_raw}")
ask("stale token /api/v1/me", program, "/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {stale_raw}")
for url in PAGES:
    ask("page " + url, browser, url)
journal = lock.execute("PRAGMA journal_mode").fetchone()[0]
lock.execute("ROLLBACK")
lock.close()
stale.refresh_from_db()
recent.refresh_from_db()
print(json.dumps({
    "answers": answers,
    "journal": journal,
    "recent_written": recent.last_used_at > now - dt.timedelta(seconds=5),
}))
"""


@pytest.fixture
def home(tmp_path: Path) -> Path:
    subprocess.run(
        [*PANMUN, "migrate", "--noinput", "-v0"], env=_env(tmp_path), check=True, timeout=180
    )
    return tmp_path


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(
        PANMUN_HOME=str(home),
        LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="panmun.config.settings.base",
    )
    return env


def test_reads_answer_while_another_process_holds_the_write_lock(home: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["journal"] == "wal"
    assert found["answers"] == {
        "recent token /api/v1/me": 200,
        "recent token /api/v1/jobs": 200,
        "recent token /api/v1/liaison/entries": 200,
        "stale token /api/v1/me": 200,  # its last use waits for the next minute
        "page /": 200,
        "page /jobs/": 200,
        "page /liaison/": 200,
        "page /dialogue/": 200,
        "page /families/": 200,
    }
    assert found["recent_written"] is False
