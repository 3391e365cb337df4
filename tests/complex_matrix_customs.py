"""The permission matrix: the complex's customs declarations, risk rules and lanes, quarantine
inspections, the epidemic mode."""

from __future__ import annotations

from typing import Any

PLACEHOLDERS: dict[str, str] = {}

CASES: list[Any] = []


def world(personas: dict[str, Any]) -> dict[str, Any]:
    return {}
