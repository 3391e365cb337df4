"""What every page's frame needs: the navigation the user may use and the language switch."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from panmun.accounts.access import can_view_audit, org_kind
from panmun.accounts.models import Role
from panmun.common.apps import navigation_for, served_kinds

from .middleware import content_language


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items: list[tuple[str, Any, str]] = []
    if user is not None and user.is_authenticated:
        items = [("home", _("Home"), reverse("web:home"))]
        items += [(key, label, reverse(url)) for key, label, url in navigation_for(user)]
        # Approvals: for officers of an organisation whose programme Panmun runs (the others
        # have no step that needs a second person's approval yet).
        kind = org_kind(user)
        if user.has_role(Role.OFFICER) and (kind is None or kind in served_kinds()):
            items.append(("signoffs", _("Approvals"), reverse("web:signoffs")))
        if can_view_audit(user):
            items.append(("audit", _("Audit log"), reverse("web:audit")))
        items.append(("tokens", _("API tokens"), reverse("web:tokens")))
        items.append(("api", _("API"), "/api/v1/docs"))
    path = request.path
    active = ""
    for key, _label, url in items:
        if url != "/" and path.startswith(url):
            active = key
    if path == reverse("web:home"):
        active = "home"
    return {
        "nav_items": items,
        "nav_active": active,
        "languages": settings.LANGUAGES,
        # The page's language as HTML writes it: ko, en, or ko-KP (the North's wording).
        "html_lang": content_language(translation.get_language()),
    }
