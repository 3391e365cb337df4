"""/api/v1/complex/: the rosters. A firm's workers (list and search in either orthography, one
worker, add one, record a leaving), its roster file read all or nothing (multipart) and written
out in Korean. The committee keeps every roster, a firm its own (another firm's is not found),
the ministry reads; the North's bureau sees no roster (403)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import ERROR_STATUSES, ErrorOut, RecordId, responds
from panmun.common.pages import attachment

from . import roster
from .access import (
    can_keep_roster,
    can_read_complex,
    get_firm,
    get_firm_for_edit,
    get_worker,
    get_worker_for_edit,
    workers_for_user,
)
from .models import Worker
from .schemas_workers import (
    ComplexRosterExportQuery,
    ComplexRosterImportedOut,
    ComplexWorkerIn,
    ComplexWorkerLeaveIn,
    ComplexWorkerOut,
    ComplexWorkersQuery,
)
from .selectors_workers import search_workers
from .services import workers as services
from .services.workers import RosterImported

router = Router()
READERS = permitted(can_read_complex)
KEEPERS = permitted(can_keep_roster)
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FIRM = "/firms/{firm_id}"


@router.get(
    FIRM + "/workers",
    response=responds(list[ComplexWorkerOut]),
    summary="A firm's roster, by number: search a name in either orthography (리영철 finds "
    "이영철) or the start of a number; on the roster or left",
    auth=READERS,
)
def list_workers(
    request: ApiRequest, firm_id: RecordId, q: Query[ComplexWorkersQuery]
) -> QuerySet[Worker]:
    firm = get_firm(request.auth, firm_id)
    workers = search_workers(workers_for_user(request.auth).filter(firm=firm), q.q, q.status)
    return workers.order_by("number")[q.offset : q.offset + q.limit]


@router.get(
    FIRM + "/workers/{worker_id}",
    response=responds(ComplexWorkerOut),
    summary="One worker of a firm's roster",
    auth=READERS,
)
def get_one_worker(request: ApiRequest, firm_id: RecordId, worker_id: RecordId) -> Worker:
    return get_worker(request.auth, firm_id, worker_id)


@router.post(
    FIRM + "/workers",
    response=responds(ComplexWorkerOut, 201),
    summary="Put a worker on a firm's roster (a number not yet on it; a birth year a worker "
    "hired that day has; hired since 2004 and not in the future)",
    auth=KEEPERS,
)
def add_worker(request: ApiRequest, firm_id: RecordId, payload: ComplexWorkerIn) -> Status[Worker]:
    firm = get_firm_for_edit(request.auth, firm_id)
    facts = payload.model_dump()
    wage_text = facts.pop("base_wage_usd")
    wage = None
    if wage_text is not None:
        wage, problem = roster.parse_wage(wage_text)
        if problem:
            raise services.refused([problem])
    made = services.worker_add(actor=request.auth, firm=firm, base_wage_usd=wage, **facts)
    return Status(201, made)


@router.post(
    FIRM + "/workers/{worker_id}/leave",
    response=responds(ComplexWorkerOut),
    summary="Record the day a worker left (not before the hiring, not in the future, once)",
    auth=KEEPERS,
)
def leave_worker(
    request: ApiRequest, firm_id: RecordId, worker_id: RecordId, payload: ComplexWorkerLeaveIn
) -> Worker:
    worker = get_worker_for_edit(request.auth, firm_id, worker_id)
    return services.worker_leave(actor=request.auth, worker=worker, left_on=payload.left_on)


@router.post(
    FIRM + "/roster",
    response=responds(ComplexRosterImportedOut),
    summary="Read the labour agency's roster file (.xlsx or .csv, in Korean, either "
    "orthography's headers): new numbers added, numbers on the roster updated, leavings "
    "recorded; all or nothing, every problem named by file, row and column",
    auth=KEEPERS,
)
def import_roster(
    request: ApiRequest, firm_id: RecordId, file: File[UploadedFile]
) -> RosterImported:
    firm = get_firm_for_edit(request.auth, firm_id)
    data = file.read(roster.MAX_FILE_BYTES + 1)
    return services.roster_import(
        actor=request.auth, firm=firm, data=data, file=file.name or "roster.xlsx"
    )


@router.get(
    FIRM + "/roster",
    response={ERROR_STATUSES: ErrorOut},
    openapi_extra={
        "responses": {
            "200": {
                "description": "The roster as an Excel (or CSV) file with Korean headers",
                "content": {
                    CONTENT_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
                    CONTENT_TYPES["csv"]: {"schema": {"type": "string"}},
                },
            }
        }
    },
    summary="A firm's roster as an Excel file in Korean (the columns the import reads)",
    auth=READERS,
)
def export_roster(
    request: ApiRequest, firm_id: RecordId, q: Query[ComplexRosterExportQuery]
) -> HttpResponse:
    firm = get_firm(request.auth, firm_id)
    data = services.roster_export(workers_for_user(request.auth).filter(firm=firm), format=q.format)
    return attachment(data, f"roster-{firm.pk}.{q.format}", CONTENT_TYPES[q.format])
