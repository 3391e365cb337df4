"""The request a signed-in page or API operation is handed, typed as what it holds.

Django types `request.user` as `AbstractBaseUser | AnonymousUser`; behind `@login_required`, and
behind the API's token or session auth, it is always a signed-in `panmun.accounts.models.User`.
These classes say so to the type checker only: no request is ever built from them.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from panmun.accounts.models import User


class AuthedRequest(HttpRequest):
    """A page request behind `@login_required`: `user` is signed in, and django-htmx's
    middleware has set `htmx` (true when htmx asked for a partial page)."""

    user: User
    htmx: HtmxDetails


class ApiRequest(AuthedRequest):
    """A request to an API operation behind `config.api`'s auth: `auth` is what the token or
    session authenticator returned, the signed-in user (the token authenticator also sets
    `user` to them).

    Ninja reads the annotations of an operation's parameters when the router is built, so
    import this at run time, not under `TYPE_CHECKING`."""

    auth: User
