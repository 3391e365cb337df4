"""gunicorn's hooks for `panmun serve` (given as `--config python:panmun.web.gunicorn_hooks`).

`when_ready` runs in gunicorn's master once the application is loaded (`--preload`) and before
the first worker is forked: it collects what the loading left behind and freezes the rest
(`gc.freeze`), so that the workers' full collections no longer walk Django's URLconf, models,
API schema and catalogues — hundreds of thousands of objects that live as long as the process —
and the pages holding them stay shared between the workers instead of being copied when the
collector touches their reference counts. Python's documentation advises exactly this for
servers that fork.
"""

from __future__ import annotations

import gc
from typing import Any


def when_ready(server: Any) -> None:
    gc.collect()
    gc.freeze()
