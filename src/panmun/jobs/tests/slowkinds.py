"""A slow kind of job for the tests that run a real worker process (`test_worker_process`):
imported by those processes before the worker starts. Not a test module."""

from __future__ import annotations

import time
from typing import Any

from panmun.jobs.registry import register


def _steps(params: dict[str, Any]) -> dict[str, Any]:
    return {"steps": int(params.get("steps", 100))}


@register(
    "test.slow",
    title_ko="느린 시험 작업",
    title_en="A slow test job",
    allowed=lambda user: True,
    validate=_steps,
    atomic=False,
)
def slow(job: Any, progress: Any) -> dict[str, Any]:
    steps = int(job.params["steps"])
    progress.start(steps, "slowly")
    for _ in range(steps):
        time.sleep(0.05)
        progress.advance()
    return {"steps": steps}
