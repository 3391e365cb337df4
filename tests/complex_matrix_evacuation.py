"""The permission matrix: the complex's orders to leave, the evacuation board, the manifest, assets
left behind."""

from __future__ import annotations

from typing import Any

PLACEHOLDERS: dict[str, str] = {}

CASES: list[Any] = []


def world(personas: dict[str, Any]) -> dict[str, Any]:
    return {}
