"""The permission matrix: the complex's workers (rosters, their import and export)."""

from __future__ import annotations

from typing import Any

PLACEHOLDERS: dict[str, str] = {}

CASES: list[Any] = []


def world(personas: dict[str, Any]) -> dict[str, Any]:
    return {}
