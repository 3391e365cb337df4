"""Files uploaded to be read by a job (a registry file, a reply list): kept in the media storage
under `uploads/` until the job has read them.

The page stores the upload (`upload_store`) and starts the job with the stored name in its
parameters; the job opens it (`upload_open`) and removes it when it has finished with it,
whether it succeeded or was refused (`upload_discard`). A job whose worker died keeps its file,
so that it can be run again. The name is random (a UUID): a parameter naming anything else is
refused (`check_upload_name`), so a job cannot be pointed at another file of the storage.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import IO, Any

from django.core.files.storage import default_storage

from panmun.common.errors import DomainError, ErrorCode

from .registry_file import columns

FOLDER = "uploads"
_NAME = re.compile(rf"{FOLDER}/[0-9a-f]{{32}}\.(?:csv|xlsx|xml)")


def _extension(filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].casefold() if "." in filename else ""
    return extension if extension in ("csv", "xlsx", "xml") else "csv"


def check_upload_size(filename: str, size: int) -> None:
    """Refuse, by the file's name, an upload larger than every import takes
    (`registry_file.columns.MAX_FILE_BYTES`)."""
    if size > columns.MAX_FILE_BYTES:
        problem = columns.file_too_large(filename, size)
        raise DomainError.from_findings(
            [problem],
            ko=f"{filename}: 1개의 문제가 있어 아무것도 저장하지 않았습니다.",
            en=f"{filename}: 1 problem(s); nothing was written.",
            field="file",
            file=filename,
            max_bytes=columns.MAX_FILE_BYTES,
        )


def upload_store(upload: Any, filename: str) -> str:
    """Keep an uploaded file (a Django `UploadedFile`) for a job; returns its stored name."""
    check_upload_size(filename, upload.size or 0)
    name = f"{FOLDER}/{uuid.uuid4().hex}.{_extension(filename)}"
    return default_storage.save(name, upload)


def check_upload_name(value: object) -> str:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "올린 파일을 찾을 수 없습니다. 파일을 다시 올리십시오.",
            "The uploaded file is not known: upload the file again.",
            {"field": "upload"},
        )
    return value


def upload_open(name: str) -> IO[bytes]:
    check_upload_name(name)
    try:
        return default_storage.open(name, "rb")
    except FileNotFoundError as err:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "올린 파일이 더 이상 없습니다. 파일을 다시 올리십시오.",
            "The uploaded file is no longer there: upload the file again.",
            {"field": "upload"},
        ) from err


def upload_discard(name: str) -> None:
    if _NAME.fullmatch(name):
        default_storage.delete(name)


def upload_job(job: Any, read: Callable[[IO[bytes]], dict[str, Any]]) -> dict[str, Any]:
    """What a job that reads a stored upload does (`families.import`, `families.reply_import`):
    `read` the upload named in its parameters, remove the upload whatever the outcome, and
    say on the job's page when only a check was asked for (`dry_run`)."""
    name = job.params["upload"]
    try:
        with upload_open(name) as source:
            counts = read(source)
        return {**counts, "nothing_written": True} if job.params["dry_run"] else counts
    finally:
        upload_discard(name)
