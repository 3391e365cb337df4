"""Shapes shared by every API router: the one error body, documented on every operation."""

from __future__ import annotations

from typing import Any

from ninja import Schema

# The statuses an operation may answer with the error body.
ERROR_STATUSES = frozenset({400, 401, 403, 404, 405, 409, 413, 422, 429})


class ErrorOut(Schema):
    """Every 4xx answer: a stable code, a message in the caller's language, and details."""

    code: str
    message: str
    details: Any = None


def responds(schema: Any, status: int = 200) -> dict[Any, Any]:
    """`response=` for an operation: its success shape, and the error body for every 4xx."""
    return {status: schema, ERROR_STATUSES: ErrorOut}
