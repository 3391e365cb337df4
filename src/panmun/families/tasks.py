"""Background work on the registry, run as jobs (see panmun.jobs)."""

from __future__ import annotations

from typing import Any

from panmun.accounts.access import can_edit_registry
from panmun.jobs.registry import register


@register(
    "families.duplicates",
    title_ko="등록부 중복 찾기",
    title_en="Find duplicates in the registry",
    allowed=can_edit_registry,
)
def find_duplicates(job: Any, progress: Any) -> dict[str, Any]:
    """Score the registry against itself with the linkage engine; the pairs go to review."""
    # Imported here: every process registers the jobs at start-up, and the services bring the
    # PDF, Excel and linkage libraries (most of a second) that only the job itself needs.
    from .services import duplicates

    return duplicates.duplicates_find(actor=job.created_by, progress=progress)
