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
from django.template.utils import get_app_template_dirs
from django.urls import get_resolver
from django.utils.translation import trans_real

from panmun.common.language import NORTH_KOREAN


def warm() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports every view and builds the API
    for code in ("ko", "en", NORTH_KOREAN):
        trans_real.translation(code)
    # Every page's template, compiled once and kept by the cached loader: the first officer to
    # open a queue of 100,000 approvals waited 155 ms for its templates, then 32 ms.
    for folder in get_app_template_dirs("templates"):
        if "panmun" not in folder.parts:
            continue  # the admin's and the libraries' own: compiled when first used
        for path in sorted(folder.rglob("*.html")):
            get_template(path.relative_to(folder).as_posix())
