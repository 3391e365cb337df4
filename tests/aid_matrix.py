"""The aid app's part of the permission matrix: each part of the ledger keeps its cases and the
records they point at in a module of its own, `aid_matrix_<part>.py`: CASES; PLACEHOLDERS (a
path's {name} and the API schema's name for that parameter); `world(personas)`, returning the
ids by placeholder name (called by `worlds.matrix_world`)."""

from __future__ import annotations

from typing import Any

from . import (
    aid_matrix_activities,
    aid_matrix_iati,
    aid_matrix_money,
    aid_matrix_reports,
    aid_matrix_shipments,
)

PARTS = (
    aid_matrix_activities,
    aid_matrix_iati,
    aid_matrix_money,
    aid_matrix_reports,
    aid_matrix_shipments,
)

AID_CASES = [case for part in PARTS for case in part.CASES]
# Each path placeholder and the parameter name the API's schema gives it.
AID_PLACEHOLDERS = {k: v for part in PARTS for k, v in dict(part.PLACEHOLDERS).items()}
#: The writes the North's personas may make, by case name, with why.
AID_NORTH_WRITES: dict[str, Any] = {
    name: why for part in PARTS for name, why in getattr(part, "NORTH_WRITES", {}).items()
}


def aid_world(personas: dict[str, Any]) -> dict[str, Any]:
    ids: dict[str, Any] = {}
    for part in PARTS:
        ids.update(part.world(personas))
    return ids
