"""Shared fixtures: the personas of both sides (the demo's own), clients signed in as each, and
an API client with a token."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from panmun.accounts.demo import demo_load
from panmun.accounts.models import User
from panmun.accounts.services import api_token_create


@pytest.fixture
def personas(db: Any) -> dict[str, User]:
    demo_load()
    return {u.username: u for u in User.objects.select_related("organisation__side")}


@pytest.fixture
def client_for(personas: dict[str, User]):
    def make(username: str | None) -> Client:
        client = Client()
        if username:
            client.force_login(personas[username])
        return client

    return make


class ApiClient:
    """Calls /api/v1 with a personal token, as an outside program would."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def call(
        self, method: str, path: str, json: Any = None, raw: bytes | str | None = None, **extra: Any
    ):
        url = path if path.startswith("/api/") else f"/api/v1{path}"
        kwargs: dict[str, Any] = {**self.headers, **extra}
        if raw is not None:
            return getattr(self.client, method.lower())(
                url, data=raw, content_type="application/json", **kwargs
            )
        if json is not None:
            return getattr(self.client, method.lower())(
                url, data=json, content_type="application/json", **kwargs
            )
        return getattr(self.client, method.lower())(url, **kwargs)

    def get(self, path: str, **kw: Any):
        return self.call("GET", path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any):
        return self.call("POST", path, json=json, **kw)


@pytest.fixture
def api_for(personas: dict[str, User]):
    def make(username: str | None) -> ApiClient:
        if username is None:
            return ApiClient(None)
        _token, raw = api_token_create(actor=personas[username], name="tests")
        return ApiClient(raw)

    return make


def _is_transactional(item: Any) -> bool:
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return bool(
        "transactional_db" in names
        or "live_server" in names
        or (marker is not None and marker.kwargs.get("transaction"))
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: Any, nextitem: Any):
    """A transactional test (the browser tests' live server) ends with a flush that also empties
    what the data migrations loaded (the sides, the historical record, the policy measures of the
    exchange approvals, the complex's yearly figures and wage history). Once its teardown has
    flushed, put that data back, so the tests after it see the database as migrations left it."""
    yield
    # After the last test the test database is already gone: nothing to put back.
    if nextitem is None or not _is_transactional(item):
        return
    from django.apps import apps
    from pytest_django.plugin import blocking_manager_key

    from panmun.accounts.models import Side
    from panmun.accounts.reference import ensure_sides
    from panmun.complex.models import Slot, Timetable, WageRule
    from panmun.complex.services.output import year_figures_load
    from panmun.complex.timetables import timetables_load
    from panmun.complex.wages import history_load
    from panmun.dialogue.record import load_historical_record
    from panmun.permits.policy import measures_load

    with item.config.stash[blocking_manager_key].unblock():
        ensure_sides(Side)
        load_historical_record(apps.get_model)
        measures_load()
        year_figures_load()
        history_load(WageRule)
        timetables_load(Timetable, Slot)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Caches keyed on the registry's fingerprint (counts and last ids) could hand one test
    another's figures: a rolled-back test's ids are reused. Every test starts with none."""
    from django.core.cache import cache

    cache.clear()
