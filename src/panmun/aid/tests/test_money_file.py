"""The transactions file (CSV or xlsx) for activities already in the ledger: exported, read back
with replace into the same activities it gives the same rows; every problem is named by file,
row and column and nothing is written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError
from panmun.common.spreadsheets.reading import read_table

from ..models import Activity, Transaction, TransactionType
from ..services.money import (
    COLUMNS,
    transaction_add,
    transactions_export,
    transactions_import,
)
from .money_world import CHILD, PARENT, money_world

TT = TransactionType
D = dt.date
HEADER = ",".join(COLUMNS)


@pytest.fixture
def world(personas):
    """The parent's commitment and disbursement to the child; the child's receipt, its spending
    of the grant and of its own money (in EUR)."""
    ids = money_world(personas)
    ministry, aid = personas["ministry"], personas["aid"]
    common = {"date": D(2026, 3, 2), "value_date": D(2026, 3, 2), "currency": "KRW"}
    transaction_add(actor=ministry, activity=ids["parent"], type=TT.OUTGOING_COMMITMENT,
                    value=Decimal("500000000"), receiver_activity_id=CHILD, ref="C1",
                    description_ko="약정", description_en="Commitment", **common)  # fmt: skip
    paid = transaction_add(
        actor=ministry, activity=ids["parent"], type=TT.DISBURSEMENT, value=Decimal("500000000"),
        receiver_activity_id=CHILD, receiver_org_ref="KR-NGO-TEST", receiver_org_type="22",
        receiver_org_name_ko="남북나눔", receiver_org_name_en="Nanum", **common,
    )  # fmt: skip
    transaction_add(actor=aid, activity=ids["child"], type=TT.INCOMING_FUNDS,
                    value=Decimal("500000000"), passes_on=paid, provider_org_ref="KR-GOV-010",
                    **common)  # fmt: skip
    transaction_add(actor=aid, activity=ids["child"], type=TT.EXPENDITURE,
                    value=Decimal("123456789"), passes_on=paid, **common)  # fmt: skip
    transaction_add(actor=aid, activity=ids["child"], type=TT.EXPENDITURE, value=Decimal("99.95"),
                    currency="EUR", date=D(2026, 4, 1), value_date=D(2026, 4, 1),
                    description_en='=HYPERLINK("x")')  # fmt: skip
    return ids


def rows_of(data: bytes, name: str) -> list[list[str]]:
    return read_table(data, filename=name)


def snapshot() -> list[tuple]:
    return sorted(
        (
            t.activity.identifier, t.ref, t.type, t.date, t.value, t.currency, t.value_date,
            t.value_krw, t.value_usd, t.rate_source, t.description_ko, t.description_en,
            t.provider_org_ref, t.receiver_org_ref, t.receiver_org_type,
            tuple(sorted(t.receiver_org_name.items())), t.receiver_activity_id,
            t.passes_on is not None and (t.passes_on.activity.identifier, t.passes_on.type),
        )
        for t in Transaction.objects.select_related("activity", "passes_on__activity")
    )  # fmt: skip


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_export_then_import_with_replace_gives_the_same_rows(personas, world, form):
    activities = Activity.objects.filter(identifier__in=[PARENT, CHILD])
    data = transactions_export(activities, format=form)
    rows = rows_of(data, f"t.{form}")
    assert rows[0] == list(COLUMNS)
    assert len(rows) == 6
    assert rows[2][:7] == [PARENT, "", "3", "2026-03-02", "500000000", "KRW", "2026-03-02"]
    assert rows[5][4:6] == ["99.95", "EUR"] and rows[5][8] == '=HYPERLINK("x")'
    at = COLUMNS.index("passes_on")
    passes = [row[at] if len(row) > at else "" for row in rows[1:]]
    paid = Transaction.objects.get(activity__identifier=PARENT, type=TT.DISBURSEMENT)
    assert passes == ["", "", f"id:{paid.pk}", f"id:{paid.pk}", ""]
    before = snapshot()
    summary = transactions_import(actor=personas["ministry"], data=data, file=f"t.{form}",
                                  replace=True)  # fmt: skip
    assert (summary.added, summary.removed, summary.activities) == (5, 5, [PARENT, CHILD])
    assert snapshot() == before
    again = transactions_export(activities, format=form)
    assert rows_of(again, f"t.{form}")[1:3] == rows[1:3]  # the parent's rows, ids unchanged
    assert len(rows_of(again, f"t.{form}")) == 6


def test_replacing_the_parent_alone_keeps_the_childs_links(personas, world):
    parent = Activity.objects.filter(identifier=PARENT)
    data = transactions_export(parent)
    before = snapshot()
    transactions_import(actor=personas["ministry"], data=data, file="p.csv", replace=True)
    assert snapshot() == before
    # a file without the disbursement the child passes on is refused
    lines = data.decode("utf-8-sig").splitlines()
    dropped = "\n".join(line for line in lines if ",3,2026" not in line).encode()
    with pytest.raises(DomainError) as info:
        transactions_import(actor=personas["ministry"], data=dropped, file="p.csv", replace=True)
    assert [e["row"] for e in info.value.details["errors"]] == [0, 0]
    assert snapshot() == before


def test_import_without_replace_adds(personas, world):
    data = (HEADER + "\n" + f"{CHILD},,4,2026-05-01,1000,USD,2026-05-01" + "," * 12 + "\n").encode()
    summary = transactions_import(actor=personas["aid"], data=data, file="a.csv", replace=False)
    assert (summary.added, summary.removed) == (1, 0)
    added = Transaction.objects.get(activity__identifier=CHILD, currency="USD")
    assert (added.value_krw, added.value_usd) == (Decimal("1350000"), Decimal("1000.00"))


BAD_ROWS = [
    ("KR-NOWHERE,,3,2026-03-02,10,KRW,2026-03-02", "activity_identifier",
     "No activity of the ledger has this identifier: 'KR-NOWHERE'"),
    (f"{CHILD},,3,1934-13-45,10,KRW,2026-03-02", "date",
     "Not a date (YYYY-MM-DD, e.g. 2026-03-02): '1934-13-45'"),
    (f"{CHILD},,3,2026-03-02,12abc,KRW,2026-03-02", "value",
     "Not an amount (e.g. 1500000 or 1234.50): '12abc'"),
    (f"{CHILD},,3,2026-03-02,-10,KRW,2026-03-02", "value",
     "Not an amount (e.g. 1500000 or 1234.50): '-10'"),
    (f"{CHILD},,99,2026-03-02,10,KRW,2026-03-02", "type",
     "Not an IATI transaction type code (1–13): '99'"),
    (f"{CHILD},,3,2026-03-02,10,CNY,2026-03-02", "currency",
     "No CNY exchange rate in force on 2026-03-02: import the rate first."),
    (f"{CHILD},,3,2026-03-02,10.5,KRW,2026-03-02", "value",
     "A KRW amount has at most 0 decimal places: 10.5"),
]  # fmt: skip


@pytest.mark.parametrize(("row", "column", "reason"), BAD_ROWS)
def test_a_bad_row_is_named_and_nothing_is_written(personas, world, row, column, reason):
    good = f"{CHILD},,4,2026-03-03,10,KRW,2026-03-03"
    data = (HEADER + "\n" + good + "\n" + row + "\n").encode()
    before = snapshot(), AuditEntry.objects.count()
    with pytest.raises(DomainError) as info:
        transactions_import(actor=personas["aid"], data=data, file="t.csv", replace=True)
    errors = info.value.details["errors"]
    assert [(e["file"], e["row"], e["field"], e["reason_en"]) for e in errors] == [
        ("t.csv", 3, column, reason)
    ]
    assert (snapshot(), AuditEntry.objects.count()) == before


def test_a_row_for_an_activity_the_actor_may_not_edit_is_named(personas, world):
    data = (HEADER + f"\n{PARENT},,4,2026-03-03,10,KRW,2026-03-03\n").encode()
    before = snapshot()
    with pytest.raises(DomainError) as info:
        transactions_import(actor=personas["aid"], data=data, file="t.csv", replace=True)
    assert [(e["row"], e["field"], e["reason_en"]) for e in info.value.details["errors"]] == [
        (2, "activity_identifier", f"You may not change this activity's transactions: {PARENT}")
    ]
    assert snapshot() == before


def test_a_file_is_bounded_and_its_columns_checked(personas, world, monkeypatch):
    from ..services import money

    with pytest.raises(DomainError) as info:
        transactions_import(actor=personas["ministry"], data=b"activity_identifier,kind\n",
                            file="t.csv", replace=False)  # fmt: skip
    assert [(e["row"], e["field"]) for e in info.value.details["errors"]] == [
        (1, "kind"), (1, "type"), (1, "date"), (1, "value"), (1, "currency"), (1, "value_date"),
    ]  # fmt: skip
    monkeypatch.setattr(money, "MAX_ROWS", 2)
    row = f"{CHILD},,4,2026-03-03,10,KRW,2026-03-03"
    data = "\n".join([HEADER, row, row, row]).encode()
    with pytest.raises(DomainError) as info:
        transactions_import(actor=personas["aid"], data=data, file="t.csv", replace=False)
    assert [e["row"] for e in info.value.details["errors"]] == [0]
    monkeypatch.setattr(money, "MAX_FILE_BYTES", 10)
    with pytest.raises(DomainError) as info:
        transactions_import(actor=personas["aid"], data=data, file="t.csv", replace=False)
    assert "too large" in info.value.details["errors"][0]["reason_en"]


def test_an_activitys_page_reads_its_own_rows_only(personas, world):
    data = (HEADER + f"\n{PARENT},,4,2026-03-03,10,KRW,2026-03-03\n").encode()
    before = snapshot()
    with pytest.raises(DomainError) as info:
        transactions_import(actor=personas["ministry"], data=data, file="t.csv", replace=False,
                            only=world["child"])  # fmt: skip
    assert [(e["row"], e["field"], e["reason_en"]) for e in info.value.details["errors"]] == [
        (2, "activity_identifier", f"This file may hold the transactions of {CHILD} alone.")
    ]
    assert snapshot() == before
