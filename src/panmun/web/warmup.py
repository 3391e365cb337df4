"""What a server process loads before its first request, so that no officer waits for it.

The first request of a process used to take a second or more (1.1–2.6 s on the demo, whatever
the page): Django imports the URLconf lazily, and with it every view module and the API, whose
routers build a pydantic model per operation and import the Excel, PDF and Arrow libraries of
the registry's files. The page itself then takes tens of milliseconds. `warm()` does that work
when the WSGI/ASGI application is made (`config/wsgi.py`, `config/asgi.py`); `runserver` does it
in its start-up checks.
"""

from __future__ import annotations

from django.template.loader import get_template
from django.urls import get_resolver
from django.utils.translation import trans_real

from panmun.common.language import NORTH_KOREAN


def warm() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports every view and builds the API
    for code in ("ko", "en", NORTH_KOREAN):
        trans_real.translation(code)
    for name in ("web/base.html", "web/home.html", "web/login.html"):
        get_template(name)  # compiled once, kept by the cached loader
