"""The aid app's part of the permission matrix: each part of the ledger keeps its cases and the
records they point at in a module of its own (`aid_matrix_<part>.py`: CASES, and `world(personas)`
returning the ids by placeholder name, called by `worlds.matrix_world`)."""

from __future__ import annotations

from typing import Any

from . import aid_matrix_activities, aid_matrix_iati

PARTS = (aid_matrix_activities, aid_matrix_iati)

AID_CASES = [case for part in PARTS for case in part.CASES]


def aid_world(personas: dict[str, Any]) -> dict[str, Any]:
    ids: dict[str, Any] = {}
    for part in PARTS:
        ids.update(part.world(personas))
    return ids
