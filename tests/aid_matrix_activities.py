"""The permission matrix: the aid ledger's activities."""

from __future__ import annotations

from typing import Any

from .matrix import page

# The ledger's readers: the ministry (viewers included) and the aid organisation's officers.
LEDGER_READERS = {"ministry", "supervisor", "viewer", "admin", "aid"}

CASES = [
    page("aid:activities", "/aid/", LEDGER_READERS),
]


def world(personas: dict[str, Any]) -> dict[str, Any]:
    return {}
