"""Who is calling the API, and whether they may use an operation at all — before its body is read.

The API (`config.api`) authenticates by a personal token (`Authorization: Bearer pmn_...`), then
by the signed-in page session. Django Ninja authenticates, then reads and validates the body, then
calls the operation: a caller who may not use an operation at all would first be told, in a 422,
what a valid body looks like (and, where a body names things, which things exist).
`permitted(predicate)` is such an operation's `auth=`: the same two authenticators, each asking
`predicate` of the user it found before anything of the body is read, so that caller gets 403 and
nothing else. The OpenAPI schema keeps the same two security schemes (named after these classes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from .access import require
from .services import token_authenticate

Predicate = Callable[[Any], bool]


class TokenAuth(HttpBearer):
    """`Authorization: Bearer pmn_...` with a personal API token. An expired token answers 401
    and a read-only token on a write 403 (`token_authenticate` raises the DomainError, which
    Ninja hands to the API's handler), each saying why."""

    def __init__(self, predicate: Predicate | None = None) -> None:
        super().__init__()
        self.predicate = predicate

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token, method=request.method or "GET")
        if user is not None:
            request.user = user
            if self.predicate is not None:
                require(self.predicate(user))  # DomainError 403, before the body is read
        return user


class PanmunSessionAuth(SessionAuth):
    """The signed-in page session (CSRF-checked for writes)."""

    def __init__(self, predicate: Predicate | None = None) -> None:
        super().__init__()
        self.predicate = predicate

    def _get_key(self, request: HttpRequest) -> str | None:
        # Nobody signed in: not authenticated (401), whatever the CSRF check would say.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            if self.predicate is not None:
                require(self.predicate(user))  # DomainError 403, before the body is read
            return user
        return None


def permitted(predicate: Predicate) -> list[Any]:
    """The `auth=` of an operation that only users for whom `predicate` holds may use."""
    return [TokenAuth(predicate), PanmunSessionAuth(predicate)]
