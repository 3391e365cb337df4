"""The permission matrix: the complex's timetables, day plans and the North's consent, the gate,
flags, the headcount."""

from __future__ import annotations

from typing import Any

PLACEHOLDERS: dict[str, str] = {}

CASES: list[Any] = []


def world(personas: dict[str, Any]) -> dict[str, Any]:
    return {}
