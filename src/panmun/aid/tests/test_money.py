"""The ledger's money (services/money.py): rates imported all or nothing, amounts converted with
the rate in force on the value date and rounded half up, a missing rate refused for the money
the reports add up, the counted-once links, and who may write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError

from ..models import ExchangeRate, Transaction, TransactionType
from ..services.money import counted, rates_import, transaction_add, transaction_remove
from .money_world import CHILD, PARENT, money_world

TT = TransactionType
D = dt.date


@pytest.fixture
def world(personas):
    return money_world(personas)


def add(personas, activity, who="ministry", **facts):
    values = {
        "type": TT.DISBURSEMENT,
        "date": D(2026, 3, 2),
        "value": Decimal("500000000"),
        "currency": "KRW",
        "value_date": D(2026, 3, 2),
        **facts,
    }
    return transaction_add(actor=personas[who], activity=activity, **values)


def problems(info):
    return [(e.get("field"), e["reason_en"]) for e in info.value.details["errors"]]


# --- rates -------------------------------------------------------------------------------------


def test_rates_are_imported_and_a_second_file_replaces_the_same_day(personas, world):
    assert ExchangeRate.objects.count() == 5
    usd = ExchangeRate.objects.get(currency="USD", day=D(2026, 1, 2))
    assert (usd.krw, usd.usd, usd.source) == (Decimal("1350"), Decimal("1"), "test rates")
    n = rates_import(
        actor=personas["ministry"],
        data=b"date,currency,krw,usd,source\n2026-01-02,USD,1351.5,1,BOK\n",
        file="again.csv",
    )
    assert n == 1 and ExchangeRate.objects.count() == 5
    usd.refresh_from_db()
    assert (usd.krw, usd.source) == (Decimal("1351.5"), "BOK")


def test_a_bad_rates_file_writes_nothing_and_names_row_and_column(personas, world):
    before = ExchangeRate.objects.count(), AuditEntry.objects.count()
    with pytest.raises(DomainError) as info:
        rates_import(
            actor=personas["ministry"],
            data=b"date,currency,krw,usd,source\n2026-02-01,USD,1360,1,BOK\n2026-13-45,ABC,1,1,B\n",
            file="bad.csv",
        )
    errors = info.value.details["errors"]
    assert [(e["file"], e["row"], e["field"]) for e in errors] == [
        ("bad.csv", 3, "date"),
        ("bad.csv", 3, "currency"),
    ]
    assert (ExchangeRate.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize("who", ["viewer", "aid", "redcross_n"])
def test_only_the_ministrys_officers_import_rates(personas, world, who):
    with pytest.raises(DomainError) as info:
        rates_import(actor=personas[who], data=b"date,currency,krw,usd,source\n", file="r.csv")
    assert info.value.code == "permission_denied"


# --- conversion --------------------------------------------------------------------------------


def test_krw_converts_at_the_usd_rate_in_force_on_the_value_date(personas, world):
    t = add(personas, world["parent"], value_date=D(2026, 6, 30))
    assert (t.rate_krw, t.value_krw) == (Decimal("1"), Decimal("500000000"))
    # no KRW row: the USD rate of 2026-01-02 inverted, the amount divided by it exactly
    assert t.rate_usd == Decimal("0.0007407407")
    assert t.value_usd == Decimal("370370.37")
    assert t.rate_source == "test rates"
    later = add(personas, world["parent"], value_date=D(2026, 7, 1), value=Decimal("1400"))
    assert (later.value_usd, later.rate_source) == (Decimal("1.00"), "test rates (July)")


def test_usd_is_one_dollar_and_its_won_rounded_half_up(personas, world):
    t = add(personas, world["parent"], currency="USD", value=Decimal("0.37"),
            value_date=D(2025, 6, 1))  # fmt: skip
    # 0.37 × 1470.50 = 544.085 → 544
    assert (t.rate_krw, t.rate_usd, t.value_krw, t.value_usd) == (
        Decimal("1470.50"), Decimal("1"), Decimal("544"), Decimal("0.37")
    )  # fmt: skip
    half = add(personas, world["parent"], currency="EUR", value=Decimal("0.50"))
    # 0.50 × 1480.25 = 740.125 → 740; 0.50 × 1.0964 = 0.5482 → 0.55
    assert (half.value_krw, half.value_usd) == (Decimal("740"), Decimal("0.55"))
    up = add(personas, world["parent"], currency="EUR", value=Decimal("1.00"))
    assert (up.value_krw, up.value_usd) == (Decimal("1480"), Decimal("1.10"))
    yen = add(personas, world["parent"], currency="JPY", value=Decimal("1000"))
    assert (yen.value_krw, yen.value_usd) == (Decimal("9123"), Decimal("6.76"))


def test_a_disbursement_without_a_rate_is_refused_naming_currency_and_date(personas, world):
    before = Transaction.objects.count()
    with pytest.raises(DomainError) as info:
        add(personas, world["parent"], currency="CNY", value=Decimal("100"))
    assert problems(info) == [
        ("currency", "No CNY exchange rate in force on 2026-03-02: import the rate first.")
    ]
    with pytest.raises(DomainError) as info:
        add(personas, world["parent"], currency="USD", value_date=D(2024, 12, 31))
    assert problems(info) == [
        ("currency", "No USD exchange rate in force on 2024-12-31: import the rate first.")
    ]
    assert Transaction.objects.count() == before


def test_a_pledge_without_a_rate_is_kept_in_its_currency(personas, world):
    t = add(personas, world["parent"], type=TT.OUTGOING_PLEDGE, currency="CNY",
            value=Decimal("100.50"))  # fmt: skip
    t.refresh_from_db()
    assert (t.value, t.currency) == (Decimal("100.50"), "CNY")
    assert (t.rate_krw, t.value_krw, t.value_usd, t.rate_source) == (None, None, None, "")


@pytest.mark.parametrize(
    ("facts", "field", "reason"),
    [
        ({"value": Decimal("0")}, "value", "The amount must be above 0: 0"),
        ({"value": Decimal("-5")}, "value", "The amount must be above 0: -5"),
        ({"value": Decimal("10.5")}, "value", "A KRW amount has at most 0 decimal places: 10.5"),
        (
            {"value": Decimal("1.001"), "currency": "USD"},
            "value",
            "A USD amount has at most 2 decimal places: 1.001",
        ),
        ({"value": 10.0}, "value", "The amount must be exact."),
        ({"currency": "XYZ"}, "currency", "Not an ISO 4217 currency code: 'XYZ'"),
        ({"type": 14}, "type", "Not an IATI transaction type (1–13): 14"),
        ({"value_date": None}, "value_date", "Give the date."),
        (
            {"receiver_org_type": "99"},
            "receiver_org_type",
            "Not an IATI organisation type code: '99'",
        ),
    ],
)
def test_bad_facts_are_refused_field_by_field(personas, world, facts, field, reason):
    with pytest.raises(DomainError) as info:
        add(personas, world["parent"], **facts)
    assert problems(info) == [(field, reason)]
    assert Transaction.objects.count() == 0


def test_who_may_record_money(personas, world):
    for who, activity in (("viewer", "parent"), ("aid", "parent"), ("redcross_n", "child")):
        with pytest.raises(DomainError) as info:
            add(personas, world[activity], who=who)
        assert info.value.code == "permission_denied"
    assert Transaction.objects.count() == 0
    assert add(personas, world["child"], who="aid", value=Decimal("1000")).pk
    assert add(personas, world["child"], who="ministry", value=Decimal("1000")).pk


def test_a_transaction_is_audited_and_removed(personas, world):
    t = add(personas, world["parent"])
    entry = AuditEntry.objects.get(action="aid.transaction.add")
    assert entry.changes["value_krw"] == "500000000" and entry.object_id == str(t.pk)
    transaction_remove(actor=personas["ministry"], transaction=t)
    assert not Transaction.objects.exists()
    assert AuditEntry.objects.filter(action="aid.transaction.remove").count() == 1


# --- counted once ------------------------------------------------------------------------------


def test_money_passed_to_the_child_is_counted_once(personas, world):
    parent, child = world["parent"], world["child"]
    add(personas, parent, type=TT.OUTGOING_COMMITMENT, receiver_activity_id=CHILD)
    paid = add(personas, parent, receiver_activity_id=CHILD, ref="D1")
    came = add(personas, child, who="aid", type=TT.INCOMING_FUNDS, passes_on=paid.pk)
    spent = add(personas, child, who="aid", type=TT.EXPENDITURE, value=Decimal("300000000"),
                passes_on=paid)  # fmt: skip
    own = add(personas, child, who="aid", type=TT.EXPENDITURE, value=Decimal("80000000"))
    assert came.passes_on == paid and spent.passes_on == paid and own.passes_on is None
    totals = counted(Transaction.objects.all()).values_list("value_krw", flat=True)
    assert sum(totals) == Decimal("580000000")
    # received once
    with pytest.raises(DomainError) as info:
        add(personas, child, who="aid", type=TT.INCOMING_FUNDS, passes_on=paid.pk)
    assert problems(info) == [("passes_on", "The receipt of this transaction is recorded already.")]
    # spent at most what was passed on
    with pytest.raises(DomainError) as info:
        add(personas, child, who="aid", type=TT.EXPENDITURE, value=Decimal("200000001"),
            passes_on=paid.pk)  # fmt: skip
    assert problems(info) == [
        (
            "passes_on",
            "KRW 200,000,000 of the money passed on is left to spend: record the rest as the "
            "organisation's own money, without passes_on.",
        )
    ]
    # the parent's disbursement stays while the child passes it on
    with pytest.raises(DomainError) as info:
        transaction_remove(actor=personas["ministry"], transaction=paid)
    assert info.value.code == "conflict"
    assert Transaction.objects.filter(pk=paid.pk).exists()


def test_only_money_addressed_to_the_activity_can_be_passed_on(personas, world):
    parent, child = world["parent"], world["child"]
    elsewhere = add(personas, parent, receiver_activity_id="KR-OTHER-1")
    commitment = add(personas, parent, type=TT.OUTGOING_COMMITMENT, receiver_activity_id=CHILD)
    with pytest.raises(DomainError) as info:
        add(personas, child, who="aid", type=TT.INCOMING_FUNDS, passes_on=elsewhere.pk)
    assert problems(info) == [("passes_on", "Not a transaction addressed to this activity.")]
    with pytest.raises(DomainError) as info:
        add(personas, child, who="aid", type=TT.INCOMING_FUNDS, passes_on=commitment.pk)
    assert problems(info) == [
        ("passes_on", "A transaction of type 1 cannot pass on one of type 2.")
    ]
    came = add(personas, child, who="aid", type=TT.INCOMING_COMMITMENT, passes_on=commitment.pk)
    assert came.passes_on == commitment
    assert Transaction.objects.filter(activity__identifier=PARENT).count() == 2


def test_a_disbursement_is_checked_against_the_measures_in_force(personas, world):
    """A disbursement of general aid on 1 December 2010 (every aid halted after Yeonpyeong)
    is refused naming the measure, and nothing is written."""
    parent = world["parent"]
    parent.target_groups = ["general"]
    parent.save()
    rates_import(
        actor=personas["ministry"],
        data=b"date,currency,krw,usd,source\n2010-01-04,USD,1150,1,test\n",
        file="r2010.csv",
    )
    with pytest.raises(DomainError) as info:
        add(personas, parent, date=D(2010, 12, 1), value_date=D(2010, 12, 1))
    assert info.value.code == "policy_forbids"
    assert info.value.details["measures"] == ["2010-05-24", "2010-11-23"]
    assert not Transaction.objects.exists()


def test_currencies_come_from_the_iati_codelist_where_it_is_set(settings):
    from panmun.tests.shared_data import shared_file

    from ..services.money import currencies

    iati = shared_file("data/iati/codelists/non-embedded/Currency.xml").parents[2]
    assert "KRW" in currencies() and "XYZ" not in currencies()  # ISO 4217 (pycountry)
    settings.PANMUN_IATI_DIR = str(iati)
    codes = currencies()
    assert {"KRW", "USD", "EUR", "KPW"} <= codes and "XYZ" not in codes
