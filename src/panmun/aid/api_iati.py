"""/api/v1/aid/iati/: the ledger in and out of IATI 2.03 activity files.

- POST /aid/iati/import (multipart, field `file`): the ministry's officers; all or nothing,
  every problem named by file, line and element under `details.errors` (422; 409 where an
  activity is already in the ledger; 413 over `MAX_UPLOAD_BYTES`).
- GET /aid/iati/export?activity=ID&activity=ID: the ledger's readers, the activities they see
  (all of them where none is named), at most `MAX_EXPORT_ACTIVITIES` at once (larger
  selections: the `aid.iati_export` job)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from ninja import File, Query, Router
from ninja.files import UploadedFile

from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import responds

from .access import activities_for_user, can_keep_ledger, can_read_ledger
from .schemas_iati import AidIatiExportQuery, AidIatiImportedOut
from .services.iati import (
    ImportResult,
    activities_by_identifier,
    bounded_export,
    iati_import,
    upload_data,
)

router = Router()


@router.post(
    "/iati/import",
    response=responds(AidIatiImportedOut),
    summary="Read an IATI 2.03 activity file into the ledger: all or nothing, every problem "
    "named by file, line and element",
    auth=permitted(can_keep_ledger),
)
def import_iati(request: ApiRequest, file: File[UploadedFile]) -> ImportResult:
    name = file.name or "upload.xml"
    return iati_import(actor=request.auth, data=upload_data(file, name), file=name)


@router.get(
    "/iati/export",
    response=responds(None, 200),
    summary="The activities named (all those you see where none is) as an IATI 2.03 file, "
    "validated against the schema and the codelists",
    auth=permitted(can_read_ledger),
)
def export_iati(request: ApiRequest, query: Query[AidIatiExportQuery]) -> HttpResponse:
    moment = timezone.now().replace(microsecond=0)
    selection = activities_by_identifier(activities_for_user(request.auth), query.activity)
    data = bounded_export(selection, generated=moment)
    response = HttpResponse(data, content_type="application/xml")
    response["Content-Disposition"] = (
        f'attachment; filename="panmun-iati-{moment:%Y%m%d-%H%M%S}.xml"'
    )
    return response
