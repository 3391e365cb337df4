"""Background work on the registry, run as jobs (see panmun.jobs)."""

from __future__ import annotations

from typing import Any

from panmun.accounts.access import can_edit_registry, can_export_registry
from panmun.jobs.registry import register


@register(
    "families.duplicates",
    title_ko="등록부 중복 찾기",
    title_en="Find duplicates in the registry",
    allowed=can_edit_registry,
    atomic=False,  # minutes of reading and scoring, then one transaction (see jobs.registry)
)
def find_duplicates(job: Any, progress: Any) -> dict[str, Any]:
    """Score the registry against itself with the linkage engine; the pairs go to review.
    Its progress shows as it goes: reading the registry, training, scoring, writing."""
    # Imported here: every process registers the jobs at start-up, and the services bring the
    # PDF, Excel and linkage libraries (most of a second) that only the job itself needs.
    from .services import duplicates

    return duplicates.duplicates_find(actor=job.created_by, progress=progress)


def _export_params(params: dict[str, Any]) -> dict[str, Any]:
    from .services.export import export_params

    return export_params(params)


@register(
    "families.export",
    title_ko="등록부 내보내기",
    title_en="Export the registry",
    allowed=can_export_registry,  # personal data: officers and above, never a viewer
    validate=_export_params,
    atomic=False,  # reads for a while, writes once at the end (see jobs.registry)
)
def export_registry(job: Any, progress: Any) -> dict[str, Any]:
    """The registry as a CSV, Excel or PFIF file, streamed to the job's result file."""
    from .services.export import registry_export_job

    return registry_export_job(job=job, progress=progress)
