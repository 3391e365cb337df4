"""The permission matrix: the complex's firms, land, output and dashboard."""

from __future__ import annotations

from typing import Any

from .matrix import page

READERS = {"gic", "ministry", "supervisor", "viewer", "admin", "firm"}

PLACEHOLDERS: dict[str, str] = {}

CASES = [
    page("complex:dashboard", "/complex/", READERS),
]


def world(personas: dict[str, Any]) -> dict[str, Any]:
    return {}
