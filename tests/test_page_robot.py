"""The page robot over the demo world (issue 15's guard): for every persona, every page reachable
from the navigation and every form on those pages submitted empty, with wrong types and with
hostile strings — no 500, no page that hangs (over 5 s of its own work; the 1-s target is
`benchmarks/pages.py`'s), no form that loses what was typed. tests/robot.py
says how; each test reports every problem it met, not only the first.

The demo is loaded once for this module with the real `load_demo` (a registry of 300); each
test runs in its own transaction on top of it, so what one persona's robot submits is gone
before the next one starts. Korean for every persona; English for the supervisor, who sees the
most pages (tests/test_demo.py crawls every persona's pages in English too)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from panmun.accounts.models import User

from .robot import HANG_S, PERSONAS, Robot, RobotClient, demo_world


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with demo_world(django_db_blocker) as loaded:
        yield loaded


def robot_run(persona: str, language: str) -> None:
    client = RobotClient()
    client.force_login(User.objects.get(username=persona))
    report = Robot(client, persona, language=language, slow_s=HANG_S).run()
    print(report.summary())
    print(report.failure_text())
    assert len(report.pages) >= 5, report.summary()
    assert not report.failures, f"{report.summary()}\n{report.failure_text()}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_robot_finds_nothing_broken(world: dict[str, Any], db: Any, persona: str) -> None:
    robot_run(persona, "ko")


def test_the_robot_finds_nothing_broken_in_english(world: dict[str, Any], db: Any) -> None:
    robot_run("supervisor", "en")
