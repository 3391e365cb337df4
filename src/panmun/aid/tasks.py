"""Background work on the aid ledger, run as jobs (see panmun.jobs)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from panmun.common.errors import DomainError, ErrorCode
from panmun.jobs.registry import register

from .access import activities_for_user, can_export_in_a_job
from .services.iati import activities_by_identifier, iati_export

MAX_NAMED = 50_000


def _validate_export(params: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(params) - {"activities"})
    named = params.get("activities", [])
    if unknown or not isinstance(named, list) or not all(isinstance(i, str) for i in named):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "매개변수는 activities(IATI 식별자 목록) 하나뿐입니다.",
            "The one parameter is activities (a list of IATI identifiers).",
            {"field": "params", "allowed": ["activities"]},
        )
    if len(named) > MAX_NAMED:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"사업은 {MAX_NAMED:,}개까지 지정할 수 있습니다.",
            f"At most {MAX_NAMED:,} activities can be named.",
            {"field": "activities"},
        )
    return {"activities": sorted({i.strip() for i in named if i.strip()})}


@register(
    "aid.iati_export",
    title_ko="IATI 파일 내보내기",
    title_en="Export activities as an IATI file",
    allowed=can_export_in_a_job,
    validate=_validate_export,
)
def export_iati(job: Any, progress: Any) -> dict[str, Any]:
    """The activities named (every one the job's starter sees, where none is) as one IATI
    2.03 file, validated, attached to the job; its generated-datetime is the job's start."""
    selection = activities_by_identifier(
        activities_for_user(job.created_by), job.params.get("activities", [])
    )
    generated = job.created_at.replace(microsecond=0)
    data = iati_export(selection, generated=generated)
    job.result_file.save(f"iati-{generated:%Y%m%d-%H%M%S}.xml", ContentFile(data), save=True)
    return {"activities": selection.count(), "bytes": len(data)}
