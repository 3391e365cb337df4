"""The complex's part of the permission matrix: each part (firms, land and output; workers; wages
and payroll; crossings; customs and quarantine; stay and communications; evacuation) keeps its
cases and the records they point at in a module of its own, `complex_matrix_<part>.py`: CASES;
PLACEHOLDERS (a path's {name} and the API schema's name for that parameter); optional
NORTH_WRITES (the writes the bureau may make, with why); `world(personas)`, returning the ids by
placeholder name (called by `worlds.matrix_world`)."""

from __future__ import annotations

from typing import Any

from . import (
    complex_matrix_crossings,
    complex_matrix_customs,
    complex_matrix_evacuation,
    complex_matrix_firms,
    complex_matrix_gate,
    complex_matrix_payroll,
    complex_matrix_stay,
    complex_matrix_workers,
)

PARTS = (
    complex_matrix_firms,
    complex_matrix_workers,
    complex_matrix_payroll,
    complex_matrix_crossings,
    complex_matrix_customs,
    complex_matrix_stay,
    complex_matrix_evacuation,
    complex_matrix_gate,
)

COMPLEX_CASES = [case for part in PARTS for case in part.CASES]
COMPLEX_PLACEHOLDERS = {k: v for part in PARTS for k, v in dict(part.PLACEHOLDERS).items()}
COMPLEX_NORTH_WRITES: dict[str, Any] = {
    name: why for part in PARTS for name, why in getattr(part, "NORTH_WRITES", {}).items()
}

#: Who reads the complex: the committee, the ministry (all its roles), the firm.
READERS = frozenset({"gic", "ministry", "supervisor", "viewer", "admin", "firm"})
#: Who keeps the complex's shared records (rules, land, firms): the committee (and admin).
COMMITTEE = frozenset({"gic", "admin"})


def complex_world(personas: dict[str, Any]) -> dict[str, Any]:
    ids: dict[str, Any] = {}
    for part in PARTS:
        ids.update(part.world(personas))
    return ids
