"""The permission matrix: IATI files (import: the ministry's officers; export: the ledger's
readers). The export cases name an activity nobody has, so that every allowed reader gets the
same answer (404, not found among the activities they see) with or without ../shared's IATI
schemas; the import cases send no file (422, named), so nothing is written either way."""

from __future__ import annotations

from typing import Any

from .matrix import api, page

LEDGER_READERS = {"ministry", "supervisor", "viewer", "admin", "aid"}
LEDGER_KEEPERS = {"ministry", "supervisor", "admin"}

PLACEHOLDERS: dict[str, str] = {}

CASES = [
    page("aid:iati", "/aid/iati/", LEDGER_READERS),
    page("aid:iati-import", "/aid/iati/import/", LEDGER_KEEPERS, ok=422, method="POST"),
    page(
        "aid:iati-export",
        "/aid/iati/export/",
        LEDGER_READERS,
        ok=422,
        method="POST",
        body={"activities": "NO-SUCH-ACTIVITY"},
    ),
    api("POST", "/aid/iati/import", LEDGER_KEEPERS, ok=422),
    api("GET", "/aid/iati/export?activity=NO-SUCH-ACTIVITY", LEDGER_READERS, ok=404),
]


def world(personas: dict[str, Any]) -> dict[str, Any]:
    return {}
