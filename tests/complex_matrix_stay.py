"""The permission matrix: the complex's stay registrations and their fees, communications lines,
calls and monthly bills."""

from __future__ import annotations

from typing import Any

PLACEHOLDERS: dict[str, str] = {}

CASES: list[Any] = []


def world(personas: dict[str, Any]) -> dict[str, Any]:
    return {}
