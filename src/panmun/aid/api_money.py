"""/api/v1/aid/: the operations on money: an activity's transactions (list, add, remove), the
exchange rates (list, import a file), the transactions file (import, export). Same services and
access helpers as the pages: a viewer reads, the ministry's officers keep every activity's
money, an aid organisation's officers their own (another's activity is not found)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from panmun.accounts.access import get_or_404
from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import ERROR_STATUSES, ErrorOut, RecordId, responds
from panmun.common.pages import attachment

from .access import (
    activities_for_user,
    can_add_activity,
    can_keep_ledger,
    can_read_ledger,
    get_activity_for_edit,
    get_activity_for_user,
)
from .models import ExchangeRate, Transaction
from .schemas_money import (
    AidRateOut,
    AidRatesImportedOut,
    AidRatesQuery,
    AidTransactionIn,
    AidTransactionOut,
    AidTransactionsExportQuery,
    AidTransactionsImportedOut,
    AidTransactionsQuery,
)
from .services import money
from .services.money import ImportSummary

router = Router()
READERS = permitted(can_read_ledger)
KEEPERS = permitted(can_add_activity)
RATE_KEEPERS = permitted(can_keep_ledger)
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get(
    "/activities/{activity_id}/transactions",
    response=responds(list[AidTransactionOut]),
    summary="An activity's transactions: amount in its currency, the rates used and their "
    "source, KRW and USD, whether totals count it",
    auth=READERS,
)
def list_transactions(
    request: ApiRequest, activity_id: RecordId, q: Query[AidTransactionsQuery]
) -> QuerySet[Transaction]:
    activity = get_activity_for_user(request.auth, activity_id)
    return activity.transactions.order_by("date", "pk")[q.offset : q.offset + q.limit]


@router.post(
    "/activities/{activity_id}/transactions",
    response=responds(AidTransactionOut, 201),
    summary="Record a transaction, converted with the rates in force on its value date "
    "(refused without one for commitments, disbursements and spending; commitments and "
    "disbursements checked against the measures in force)",
    auth=KEEPERS,
)
def add_transaction(
    request: ApiRequest, activity_id: RecordId, payload: AidTransactionIn
) -> Status[Transaction]:
    activity = get_activity_for_edit(request.auth, activity_id)
    facts = payload.model_dump()
    value, problem = money.parse_amount(facts.pop("value"))
    if problem:
        raise money.refused([problem])
    assert value is not None
    made = money.transaction_add(
        actor=request.auth,
        activity=activity,
        value=value,
        **{**facts, "currency": facts["currency"].upper()},
    )
    made.refresh_from_db()
    return Status(201, made)


@router.delete(
    "/activities/{activity_id}/transactions/{transaction_id}",
    response=responds(None, 204),
    summary="Take a transaction off the ledger (not while another passes it on)",
    auth=KEEPERS,
)
def remove_transaction(
    request: ApiRequest, activity_id: RecordId, transaction_id: RecordId
) -> Status[None]:
    activity = get_activity_for_edit(request.auth, activity_id)
    found = get_or_404(activity.transactions.all(), transaction_id, "거래", "Transaction")
    money.transaction_remove(actor=request.auth, transaction=found)
    return Status(204, None)


@router.get(
    "/rates",
    response=responds(list[AidRateOut]),
    summary="The exchange rates: won and dollars for one unit, from their day until the next",
    auth=READERS,
)
def list_rates(request: ApiRequest, q: Query[AidRatesQuery]) -> QuerySet[ExchangeRate]:
    rates = ExchangeRate.objects.order_by("currency", "-day")
    if q.currency:
        rates = rates.filter(currency=q.currency.upper())
    return rates[q.offset : q.offset + q.limit]


@router.post(
    "/rates",
    response=responds(AidRatesImportedOut),
    summary="Import a rates file (CSV or xlsx: date, currency, krw, usd, source): all or "
    "nothing, every problem named by file, row and column",
    auth=RATE_KEEPERS,
)
def import_rates(request: ApiRequest, file: File[UploadedFile]) -> dict[str, int]:
    data = file.read(money.MAX_FILE_BYTES + 1)
    return {"added": money.rates_import(actor=request.auth, data=data, file=file.name or "rates")}


@router.post(
    "/transactions/import",
    response=responds(AidTransactionsImportedOut),
    summary="Read a transactions file (CSV or xlsx) into the activities it names: all or "
    "nothing, every problem named by file, row and column; `replace` takes the place of "
    "their transactions",
    auth=KEEPERS,
)
def import_transactions(
    request: ApiRequest, file: File[UploadedFile], replace: Form[bool] = False
) -> ImportSummary:
    data = file.read(money.MAX_FILE_BYTES + 1)
    return money.transactions_import(
        actor=request.auth, data=data, file=file.name or "transactions", replace=replace
    )


@router.get(
    "/transactions/export",
    response={ERROR_STATUSES: ErrorOut},
    openapi_extra={
        "responses": {
            "200": {
                "description": "The transactions file",
                "content": {
                    CONTENT_TYPES["csv"]: {"schema": {"type": "string"}},
                    CONTENT_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
    summary="The transactions of the activities you see (or those named) as CSV or xlsx, the "
    "columns the import reads",
    auth=READERS,
)
def export_transactions(request: ApiRequest, q: Query[AidTransactionsExportQuery]) -> HttpResponse:
    activities = activities_for_user(request.auth)
    if q.activity:
        activities = activities.filter(pk__in=q.activity)
    data = money.transactions_export(activities, format=q.format)
    return attachment(data, f"aid-transactions.{q.format}", CONTENT_TYPES[q.format])
