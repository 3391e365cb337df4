"""Which language a request is answered in. Korean is the default; English is complete."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

CODES = tuple(code for code, _name in settings.LANGUAGES)


def _from_accept_language(header: str) -> str | None:
    best: tuple[float, str] | None = None
    for part in header.split(","):
        piece = part.strip()
        if not piece:
            continue
        tag, _sep, params = piece.partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        base = tag.strip().lower().split("-")[0]
        if base in CODES and (best is None or q > best[0]):
            best = (q, base)
    return best[1] if best else None


def request_language(request: HttpRequest) -> str:
    """Pages: the remembered choice (cookie), else the user's saved language, else Korean.
    The API: an explicit Accept-Language first, as API clients expect."""
    if request.path.startswith("/api/"):
        header = _from_accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        if header:
            return header
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in CODES:
        return str(cookie)
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        lang = getattr(user, "language", "")
        if lang in CODES:
            return str(lang)
    return str(settings.LANGUAGE_CODE)
