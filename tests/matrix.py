"""A case of the permission matrix (tests/test_permissions.py): one page or API operation, who
may use it, and the answers everyone gets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Case:
    name: str  # URL name (pages) or "METHOD /api path" (API)
    method: str
    path: str  # may hold {talks} {agreement} {event} {job} {token}
    allowed: frozenset[str]
    ok: int
    denied: int  # for signed-in users outside `allowed`
    anon: int  # for nobody signed in
    body: Any = None
    api: bool = False
    # Signed-in users outside `allowed` answered otherwise than `denied`: (persona, status).
    others: tuple[tuple[str, int], ...] = ()


def page(name, path, allowed, ok=200, denied=403, method="GET", body=None, anon=302, others=None):
    return Case(
        name,
        method,
        path,
        frozenset(allowed),
        ok,
        denied,
        anon,
        body,
        others=tuple(sorted((others or {}).items())),
    )


def api(method, path, allowed, ok=200, denied=403, body=None, anon=401, others=None):
    return Case(
        f"{method} /api/v1{path.split('?')[0]}",
        method,
        path,
        frozenset(allowed),
        ok,
        denied,
        anon,
        body,
        api=True,
        others=tuple(sorted((others or {}).items())),
    )
