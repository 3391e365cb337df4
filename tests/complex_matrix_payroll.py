"""The permission matrix: the complex's wage rules, payrolls and remittances."""

from __future__ import annotations

from typing import Any

from .matrix import page

PLACEHOLDERS: dict[str, str] = {}

CASES = [
    page(
        "complex:remittances",
        "/complex/remittances/",
        {"bureau", "gic", "ministry", "supervisor", "viewer", "admin", "firm"},
    ),
]


def world(personas: dict[str, Any]) -> dict[str, Any]:
    return {}
