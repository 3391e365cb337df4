"""Permission before validation, for API operations whose permission does not depend on the body.

Django Ninja authenticates, then reads and validates the body, then calls the operation: a caller
who may not use an operation at all would first be told, in a 422, what a valid body looks like
(and, where a body names things, which things exist). `permitted(predicate)` is an operation's
`auth=`: the API's own authentication (`config.api`: the token, then the session), each asking
`predicate` of the user it found before anything of the body is read, so such a caller gets 403
and nothing else. The OpenAPI schema keeps the same two security schemes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from panmun.accounts.access import require


class _Permitted:
    """One of the API's auth callbacks (by its place in `config.api.api.auth`), then the
    permission. Looked up when called: `config.api` imports the routers that use this."""

    index = 0

    def __init__(self, predicate: Callable[[Any], bool]) -> None:
        self.predicate = predicate

    def _inner(self) -> Any:
        from panmun.config.api import api

        assert isinstance(api.auth, list | tuple)
        return api.auth[self.index]

    @property
    def openapi_security_schema(self) -> Any:
        return self._inner().openapi_security_schema

    def __call__(self, request: HttpRequest) -> Any:
        user = self._inner()(request)
        if user:
            require(self.predicate(user))  # DomainError 403, before the body is read
        return user


# Named as the callbacks they stand for, so that the schema's security schemes stay the same.
class TokenAuth(_Permitted):
    index = 0


class PanmunSessionAuth(_Permitted):
    index = 1


def permitted(predicate: Callable[[Any], bool]) -> list[Any]:
    """The `auth=` of an operation that only users for whom `predicate` holds may use."""
    return [TokenAuth(predicate), PanmunSessionAuth(predicate)]
