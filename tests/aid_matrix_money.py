"""The permission matrix: the ledger's money (an activity's transactions and their file, the
exchange rates). The world: the ministry's grant (`money_parent`, which the aid organisation
does not see: 404) with one expenditure (`money_tx`), and the aid organisation's child project
(`money_child`), which both the ministry and the organisation keep."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .matrix import api, page

LEDGER_READERS = {"ministry", "supervisor", "viewer", "admin", "aid"}
MINISTRY_READERS = LEDGER_READERS - {"aid"}
KEEPERS = {"ministry", "supervisor", "admin", "aid"}
MINISTRY_KEEPERS = KEEPERS - {"aid"}
NOT_SEEN = {"aid": 404}

TRANSACTION_FORM = {
    "transaction-type": "4",
    "transaction-date": "2026-03-02",
    "transaction-value": "1000",
    "transaction-currency": "KRW",
    "transaction-value_date": "2026-03-02",
}
TRANSACTION_BODY = {
    "type": 4,
    "date": "2026-03-02",
    "value": "1000",
    "currency": "KRW",
    "value_date": "2026-03-02",
}
PARENT = "/aid/activities/{money_parent}/transactions"
CHILD = "/aid/activities/{money_child}/transactions"

PLACEHOLDERS = {
    "{money_parent}": "activity_id",
    "{money_child}": "activity_id",
    "{money_tx}": "transaction_id",
}

CASES = [
    page("aid:transactions", PARENT + "/", MINISTRY_READERS, others=NOT_SEEN),
    page("aid:transactions", CHILD + "/", LEDGER_READERS),
    page(
        "aid:transaction-add",
        CHILD + "/add/",
        KEEPERS,
        ok=302,
        method="POST",
        body=TRANSACTION_FORM,
    ),
    page(
        "aid:transaction-add",
        PARENT + "/add/",
        MINISTRY_KEEPERS,
        ok=302,
        method="POST",
        body=TRANSACTION_FORM,
        others=NOT_SEEN,
    ),
    page(
        "aid:transaction-remove",
        PARENT + "/{money_tx}/remove/",
        MINISTRY_KEEPERS,
        ok=302,
        method="POST",
        others=NOT_SEEN,
    ),
    page("aid:transactions-export", CHILD + "/export/?format=csv", LEDGER_READERS),
    page("aid:transactions-export", PARENT + "/export/", MINISTRY_READERS, others=NOT_SEEN),
    # No file sent: the form is refused (422) for those who may import, and nothing is written.
    page("aid:transactions-import", CHILD + "/import/", KEEPERS, ok=422, method="POST"),
    page("aid:rates", "/aid/rates/", LEDGER_READERS),
    page("aid:rates-import", "/aid/rates/import/", MINISTRY_KEEPERS, ok=422, method="POST"),
    api("GET", PARENT, MINISTRY_READERS, others=NOT_SEEN),
    api("POST", CHILD, KEEPERS, ok=201, body=TRANSACTION_BODY),
    api("POST", PARENT, MINISTRY_KEEPERS, ok=201, body=TRANSACTION_BODY, others=NOT_SEEN),
    api("DELETE", PARENT + "/{money_tx}", MINISTRY_KEEPERS, ok=204, others=NOT_SEEN),
    api("GET", "/aid/rates?currency=USD", LEDGER_READERS),
    api("POST", "/aid/rates", MINISTRY_KEEPERS, ok=422),
    api("POST", "/aid/transactions/import", KEEPERS, ok=422),
    api("GET", "/aid/transactions/export?format=csv", LEDGER_READERS),
]


def world(personas: dict[str, Any]) -> dict[str, Any]:
    from panmun.aid.services.money import transaction_add
    from panmun.aid.tests.money_world import money_world

    made = money_world(personas)
    spent = transaction_add(
        actor=personas["ministry"],
        activity=made["parent"],
        type=4,
        date=dt.date(2026, 3, 2),
        value=Decimal("1000"),
        currency="KRW",
        value_date=dt.date(2026, 3, 2),
    )
    return {
        "money_parent": made["parent"].pk,
        "money_child": made["child"].pk,
        "money_tx": spent.pk,
    }
