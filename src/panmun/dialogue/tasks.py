"""Background work on the dialogue record, run as jobs (see panmun.jobs)."""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.utils import timezone

from panmun.common.errors import DomainError, ErrorCode
from panmun.dialogue.access import can_edit_dialogue
from panmun.jobs.access import can_run_jobs
from panmun.jobs.registry import register

from . import record, services


@register(
    "dialogue.export",
    title_ko="대화 기록 내보내기",
    title_en="Export the dialogue record",
    allowed=can_run_jobs,
    start_form="dialogue/job_export_form.html",
)
def export_record(job: Any, progress: Any) -> dict[str, Any]:
    """Write the whole record as a JSON document (the import format) and attach it to the job."""
    data = record.dump(apps.get_model, progress)
    payload = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    name = f"dialogue-record-{timezone.now():%Y%m%d-%H%M%S}.json"
    job.result_file.save(name, ContentFile(payload), save=True)
    return {
        "talks": len(data["talks"]),
        "agreements": len(data["agreements"]),
        "events": len(data["events"]),
        "bytes": len(payload),
    }


MAX_DOCUMENT_BYTES = 5_000_000


def _read_import_upload(files: Any) -> dict[str, Any]:
    """The JSON document the jobs page uploads, as the import's parameters. A huge file is
    refused before it is read; the import's own check gives the reason for the rest."""
    upload = files.get("document")
    if upload is None or (upload.size or 0) > MAX_DOCUMENT_BYTES:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "5MB 이하의 JSON 파일을 골라 주십시오.",
            "Choose a JSON file of at most 5 MB.",
            {"field": "document"},
        )
    try:
        return {"document": upload.read().decode("utf-8-sig"), "filename": upload.name or ""}
    except UnicodeDecodeError as exc:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"{upload.name}: UTF-8 파일이 아닙니다.",
            f"{upload.name}: is not a UTF-8 file.",
            {"field": "document", "file": upload.name},
        ) from exc


def _validate_import(params: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(params) - {"document", "filename"})
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"알 수 없는 매개변수입니다: {', '.join(map(str, unknown))}",
            f"Unknown parameters: {', '.join(map(str, unknown))}",
            {"field": "params", "allowed": ["document", "filename"]},
        )
    document = params.get("document")
    filename = params.get("filename") or "upload.json"
    if not isinstance(document, str) or not document.strip():
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "가져올 문서가 비어 있습니다.",
            "The document to import is empty.",
            {"field": "document"},
        )
    if len(document.encode("utf-8")) > MAX_DOCUMENT_BYTES:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"{filename}: 문서는 {MAX_DOCUMENT_BYTES:,}바이트를 넘을 수 없습니다.",
            f"{filename}: a document may hold at most {MAX_DOCUMENT_BYTES:,} bytes.",
            {"field": "document", "file": filename, "max_bytes": MAX_DOCUMENT_BYTES},
        )
    return {"document": document, "filename": str(filename)[:200]}


@register(
    "dialogue.import",
    title_ko="대화 기록 가져오기",
    title_en="Import a dialogue record",
    validate=_validate_import,
    allowed=can_edit_dialogue,
    read_upload=_read_import_upload,
    start_form="dialogue/job_import_form.html",
)
def import_record(job: Any, progress: Any) -> dict[str, Any]:
    """Import a record document: everything or, on any problem, nothing."""
    return services.record_import(
        actor=job.created_by,
        raw=job.params["document"],
        filename=job.params["filename"],
        progress=progress,
    )
