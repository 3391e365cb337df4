"""The ledger's money: exchange rates imported by the officer, and transactions converted to KRW
and USD with the rate in force on their value date.

**Conversion.** A transaction keeps its amount in its original currency (an exact `Decimal`, at
most the currency's minor units: KRW and JPY whole, most others two places) with its value
date, and beside it the rates used and their source: `rate_krw` is won for one unit (1 for
KRW), `rate_usd` dollars for one unit (1 for USD). The rate used is the latest `ExchangeRate` of
the currency dated on or before the value date. KRW's own dollar rate is its `ExchangeRate` row
when there is one, else the USD row's won rate inverted (`value_usd` is then the amount divided
by it exactly; `rate_usd` is that inverse to 10 places). `value_krw` is whole won and
`value_usd` cents, both rounded half up.

**A missing rate.** The money the reports add up — commitments, disbursements, expenditures,
interest and loan repayments (IATI types 2–6) — is refused when its currency has no rate on its
value date, naming the currency and the date: the officer imports the rate first. A
transaction of another type (incoming funds and commitments, pledges, equity, guarantees) is
kept in its own currency alone, its rates and converted values empty, and the pages say so.

**Counted once** (OCHA FTS's parent and child flows). When the ministry's activity disburses to
a child activity in the ledger, its transaction names the child in `receiver_activity_id`. In
the child, the money arriving and the money spent from it point back with `passes_on`:
- incoming funds (1) pass on a disbursement (3), an incoming commitment (11) an outgoing
  commitment (2), addressed to the child (its `receiver_activity_id` is the child's
  identifier); each such transaction is received at most once;
- the child's own disbursements and expenditures (3, 4) of that money pass on the parent's
  disbursement (3) addressed to it; together they may not exceed it in KRW (the money spent
  beyond it is the child's own, recorded without `passes_on`).
A transaction with `passes_on` is never added to totals: the parent's disbursement counts the
money, once. Pledges (12, 13) are shown and never added. So the totals are the
disbursements and expenditures (`models.SPENT`) with no `passes_on`. A transaction that others
pass on is not removed while they do (remove theirs first), so no money becomes counted twice.

**Policy gates.** A commitment or a disbursement is checked against the measures in force on
its date (`aid.policy.check_gates`), which names the measure that forbids it.

**The transactions file** (IATI's publishing tool's most requested feature): a CSV or xlsx of
`COLUMNS`, one transaction a row, for activities already in the ledger; `transactions_export`
writes it, `transactions_import` reads it back all or nothing, every problem named by file, row
and column, and with `replace` it takes the place of the transactions of the activities it
names (links from other activities' transactions to them are kept, matched by their facts).
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry
from django.conf import settings
from django.db import transaction as db_transaction
from django.db.models import QuerySet, Sum

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode
from panmun.common.findings import Finding
from panmun.common.spreadsheets.reading import rows_of, too_many_rows, whole_file
from panmun.common.spreadsheets.writing import write_csv_to, write_xlsx_to

from .. import policy
from ..access import activities_for_edit, can_keep_ledger
from ..iati.codelists import read_codelist
from ..models import Activity, ExchangeRate, Transaction, TransactionType
from ..rates import RatesError, read_rates

TT = TransactionType

#: Digits after the point of each currency (ISO 4217's minor units); others have 2.
MINOR_UNITS: dict[str, int] = {"KRW": 0, "KPW": 2, "JPY": 0, "USD": 2, "EUR": 2, "CNY": 2}
DEFAULT_MINOR_UNITS = 2
#: The types the reports add up: refused without a rate on the value date.
NEEDS_RATE = frozenset({TT.OUTGOING_COMMITMENT, TT.DISBURSEMENT, TT.EXPENDITURE,
                        TT.INTEREST_PAYMENT, TT.LOAN_REPAYMENT})  # fmt: skip
#: The types checked against the measures in force on their date.
GATED = frozenset({TT.OUTGOING_COMMITMENT, TT.DISBURSEMENT})
#: What may pass on what (see the module's docstring): the type of a transaction → the types
#: of the transaction addressed to its activity that it may pass on.
PASSES_ON: dict[int, frozenset[int]] = {
    TT.INCOMING_FUNDS: frozenset({TT.DISBURSEMENT}),
    TT.INCOMING_COMMITMENT: frozenset({TT.OUTGOING_COMMITMENT}),
    TT.DISBURSEMENT: frozenset({TT.DISBURSEMENT}),
    TT.EXPENDITURE: frozenset({TT.DISBURSEMENT}),
}
#: Spending of the money passed on: together at most the transaction passed on.
SPEND = frozenset({TT.DISBURSEMENT, TT.EXPENDITURE})
#: Received once: the incoming record of a transfer.
RECEIVED_ONCE = frozenset({TT.INCOMING_FUNDS, TT.INCOMING_COMMITMENT})
#: IATI's OrganisationType codelist (embedded).
ORG_TYPES = frozenset(
    {"10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70", "71", "72", "73", "80",
     "90"}
)  # fmt: skip
#: The amount column's bound (20 digits, 2 places) and KRW's (20 whole digits).
MAX_VALUE = Decimal(10) ** 18
MAX_KRW = Decimal(10) ** 20
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)

REFUSED_KO = "저장하지 않았습니다."
REFUSED_EN = "Nothing was saved."


# --- currencies -------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _codelist_currencies(folder: str) -> frozenset[str]:
    root = Path(folder)
    for path in (
        root / "codelists" / "non-embedded" / "Currency.xml",
        root / "non-embedded" / "Currency.xml",
        root / "Currency.xml",
    ):
        if path.is_file():
            return frozenset(read_codelist(path).active_codes())
    raise FileNotFoundError(f"no IATI Currency codelist under {folder}")


@lru_cache(maxsize=1)
def _iso_currencies() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


def currencies() -> frozenset[str]:
    """The currency codes the ledger takes: the IATI Currency codelist's active codes where the
    setting PANMUN_IATI_DIR names IATI's folder, else ISO 4217's (pycountry's)."""
    folder = getattr(settings, "PANMUN_IATI_DIR", None)
    if folder:
        return _codelist_currencies(str(folder))
    return _iso_currencies()


def minor_units(currency: str) -> int:
    return MINOR_UNITS.get(currency, DEFAULT_MINOR_UNITS)


# --- exchange rates ---------------------------------------------------------------------------


@db_transaction.atomic
def rates_import(*, actor: User, data: bytes, file: str) -> int:
    """Read a rates file (`aid.rates`: date, currency, krw, usd, source) into the table: all or
    nothing, every problem named by file, row and column. A rate of a currency and day already
    in the table is replaced by the file's; the transactions keep the rates they were converted
    with. Returns how many rates were read. The ministry's officers keep the table."""
    require(can_keep_ledger(actor))
    try:
        table = read_rates(data, file=file, currencies=set(currencies()))
    except RatesError as error:
        raise DomainError.from_findings(
            error.problems,
            ko="환율표를 읽지 않았습니다. 아무것도 저장하지 않았습니다.",
            en="The rates file was not read; nothing was saved.",
            file=file,
        ) from error
    rates = [rate for by_day in table.by_currency.values() for rate in by_day]
    ExchangeRate.objects.bulk_create(
        [
            ExchangeRate(
                currency=r.currency,
                day=r.day,
                krw=r.krw,
                usd=r.usd,
                source=r.source,
                imported_by=actor,
            )
            for r in rates
        ],
        update_conflicts=True,
        unique_fields=["currency", "day"],
        update_fields=["krw", "usd", "source", "imported_by"],
        batch_size=1000,
    )
    audit.record(
        actor=actor,
        action="aid.rates.import",
        object_type="aid.exchangerate",
        object_label=file[:300],
        changes={"file": file, "rates": len(rates), "currencies": sorted(table.by_currency)},
    )
    return len(rates)


@dataclass(frozen=True)
class Conversion:
    rate_krw: Decimal | None = None
    rate_usd: Decimal | None = None
    source: str = ""
    value_krw: Decimal | None = None
    value_usd: Decimal | None = None


ONE = Decimal(1)
TEN_PLACES = Decimal("1.0000000000")
CENT = Decimal("0.01")


class _Rates:
    """The rates in force, read once per currency for a batch of transactions."""

    def __init__(self) -> None:
        self.by_currency: dict[str, tuple[list[dt.date], list[ExchangeRate]]] = {}

    def on(self, currency: str, day: dt.date) -> ExchangeRate | None:
        """The rate of `currency` in force on `day`: the latest dated on or before it."""
        if currency not in self.by_currency:
            rates = list(ExchangeRate.objects.filter(currency=currency).order_by("day"))
            self.by_currency[currency] = ([r.day for r in rates], rates)
        days, rates = self.by_currency[currency]
        at = bisect.bisect_right(days, day)
        return rates[at - 1] if at else None

    def convert(self, value: Decimal, currency: str, day: dt.date) -> Conversion | str:
        """The amount in KRW and USD, or the currency whose rate is missing."""
        sources: list[str] = []
        if currency == "KRW":
            rate_krw = ONE
        else:
            own = self.on(currency, day)
            if own is None:
                return currency
            rate_krw = own.krw
            sources.append(own.source)
        with localcontext() as context:
            context.prec = 60
            if currency == "USD":
                rate_usd = ONE
                value_usd = value
            elif currency == "KRW":
                own = self.on("KRW", day)
                if own is not None:
                    rate_usd = own.usd
                    value_usd = value * own.usd
                    sources.append(own.source)
                else:
                    dollar = self.on("USD", day)
                    if dollar is None:
                        return "USD"
                    rate_usd = (ONE / dollar.krw).quantize(TEN_PLACES, ROUND_HALF_UP)
                    value_usd = value / dollar.krw
                    sources.append(dollar.source)
            else:
                assert own is not None
                rate_usd = own.usd
                value_usd = value * own.usd
            value_krw = (value * rate_krw).quantize(ONE, ROUND_HALF_UP)
            value_usd = value_usd.quantize(CENT, ROUND_HALF_UP)
        source = "; ".join(dict.fromkeys(sources)) or "KRW"
        return Conversion(rate_krw, rate_usd, source[:200], value_krw, value_usd)


# --- checking a transaction -------------------------------------------------------------------


@dataclass
class TransactionData:
    """A transaction's facts, as typed or read from a file (checked by `check_transaction`)."""

    type: int
    date: dt.date
    value: Decimal
    currency: str
    value_date: dt.date
    ref: str = ""
    description_ko: str = ""
    description_en: str = ""
    provider_org_ref: str = ""
    provider_org_type: str = ""
    provider_org_name_ko: str = ""
    provider_org_name_en: str = ""
    receiver_org_ref: str = ""
    receiver_org_type: str = ""
    receiver_org_name_ko: str = ""
    receiver_org_name_en: str = ""
    receiver_activity_id: str = ""


# (field, reason in Korean, in English)
Problem = tuple[str, str, str]

_TEXT_LIMITS = {
    "ref": 100,
    "provider_org_ref": 100,
    "receiver_org_ref": 100,
    "provider_org_name_ko": 300,
    "provider_org_name_en": 300,
    "receiver_org_name_ko": 300,
    "receiver_org_name_en": 300,
    "receiver_activity_id": 200,
    "description_ko": 4000,
    "description_en": 4000,
}


def parse_amount(text: str) -> tuple[Decimal | None, Problem | None]:
    """An amount as typed ("1,234.50"), or why it is not one."""
    cleaned = text.strip().replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not re.fullmatch(r"[0-9]+(\.[0-9]+)?", cleaned):
        return None, (
            "value",
            f"금액이 아닙니다 (예: 1500000 또는 1234.50): {text[:30]!r}",
            f"Not an amount (e.g. 1500000 or 1234.50): {text[:30]!r}",
        )
    return value, None


def parse_date(text: str, field: str) -> tuple[dt.date | None, Problem | None]:
    try:
        return dt.date.fromisoformat(text.strip()), None
    except ValueError:
        return None, (
            field,
            f"날짜가 아닙니다 (YYYY-MM-DD, 예: 2026-03-02): {text[:30]!r}",
            f"Not a date (YYYY-MM-DD, e.g. 2026-03-02): {text[:30]!r}",
        )


def check_transaction(data: TransactionData) -> list[Problem]:
    """What is wrong with a transaction's facts by themselves, field by field."""
    problems: list[Problem] = []
    if data.type not in TT.values:
        problems.append(
            (
                "type",
                f"IATI 거래 유형(1–13)이 아닙니다: {data.type}",
                f"Not an IATI transaction type (1–13): {data.type}",
            )
        )
    for name in ("date", "value_date"):
        day = getattr(data, name)
        if not isinstance(day, dt.date):
            problems.append((name, "날짜를 적어 주십시오.", "Give the date."))
        elif not EARLIEST <= day <= LATEST:
            problems.append(
                (
                    name,
                    f"{EARLIEST.year}년부터 {LATEST.year}년까지의 날짜여야 합니다: {day}",
                    f"The date must fall between {EARLIEST.year} and {LATEST.year}: {day}",
                )
            )
    if data.currency not in currencies():
        problems.append(
            (
                "currency",
                f"ISO 4217 통화 코드가 아닙니다: {data.currency[:10]!r}",
                f"Not an ISO 4217 currency code: {data.currency[:10]!r}",
            )
        )
    value = data.value
    if isinstance(value, float) or not isinstance(value, Decimal) or not value.is_finite():
        problems.append(("value", "금액은 정확한 십진수여야 합니다.", "The amount must be exact."))
    elif value <= 0:
        problems.append(
            ("value", f"금액은 0보다 커야 합니다: {value}", f"The amount must be above 0: {value}")
        )
    elif value >= MAX_VALUE:
        problems.append(("value", "금액이 너무 큽니다.", "The amount is too large."))
    else:
        places = minor_units(data.currency)
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            problems.append(
                (
                    "value",
                    f"{data.currency} 금액은 소수점 아래 {places}자리까지입니다: {value}",
                    f"A {data.currency} amount has at most {places} decimal places: {value}",
                )
            )
    for name in ("provider_org_type", "receiver_org_type"):
        code = getattr(data, name)
        if code and code not in ORG_TYPES:
            problems.append(
                (
                    name,
                    f"IATI 기관 유형 코드가 아닙니다: {code[:10]!r}",
                    f"Not an IATI organisation type code: {code[:10]!r}",
                )
            )
    for name, limit in _TEXT_LIMITS.items():
        text = getattr(data, name)
        if "\x00" in text:
            problems.append((name, "NUL 문자는 쓸 수 없습니다.", "NUL characters are refused."))
        elif len(text) > limit:
            problems.append(
                (name, f"{limit}자까지 쓸 수 있습니다.", f"At most {limit} characters.")
            )
    return problems


def _names(ko: str, en: str) -> dict[str, str]:
    return {lang: text for lang, text in (("ko", ko), ("en", en)) if text}


def _build(
    data: TransactionData, activity: Activity, conversion: Conversion, actor: User | None
) -> Transaction:
    return Transaction(
        activity=activity,
        ref=data.ref,
        type=data.type,
        date=data.date,
        value=data.value,
        currency=data.currency,
        value_date=data.value_date,
        rate_krw=conversion.rate_krw,
        rate_usd=conversion.rate_usd,
        rate_source=conversion.source,
        value_krw=conversion.value_krw,
        value_usd=conversion.value_usd,
        description_ko=data.description_ko,
        description_en=data.description_en,
        provider_org_ref=data.provider_org_ref,
        provider_org_type=data.provider_org_type,
        provider_org_name=_names(data.provider_org_name_ko, data.provider_org_name_en),
        receiver_org_ref=data.receiver_org_ref,
        receiver_org_type=data.receiver_org_type,
        receiver_org_name=_names(data.receiver_org_name_ko, data.receiver_org_name_en),
        receiver_activity_id=data.receiver_activity_id,
        created_by=actor,
    )


def _convert(data: TransactionData, rates: _Rates) -> tuple[Conversion, Problem | None]:
    converted = rates.convert(data.value, data.currency, data.value_date)
    if isinstance(converted, Conversion):
        if converted.value_krw is not None and abs(converted.value_krw) >= MAX_KRW:
            too_large = ("value", "원화 금액이 너무 큽니다.", "The KRW amount is too large.")
            return Conversion(), too_large
        return converted, None
    if data.type in NEEDS_RATE:
        return Conversion(), (
            "currency",
            f"{data.value_date}에 적용할 {converted} 환율이 없습니다: 환율표에 먼저 넣어 주십시오.",
            f"No {converted} exchange rate in force on {data.value_date}: import the rate first.",
        )
    return Conversion(), None


def _policy_gates(*, actor: User, activity: Activity, day: dt.date) -> None:
    """The measures in force on `day` for a commitment or disbursement of `activity`
    (`aid.policy.check_gates`, which raises `policy_forbids` naming the measure)."""
    policy.check_gates(
        actor=actor,
        activity=activity,
        day=day,
        what="transaction",
        what_id=None,
        target_groups=list(activity.target_groups or []),
    )


def addressed_to(activity: Activity) -> QuerySet[Transaction]:
    """The transactions of other activities that name `activity` as their receiver: what its
    own transactions may pass on (see the module's docstring)."""
    return Transaction.objects.filter(receiver_activity_id=activity.identifier).exclude(
        activity=activity
    )


def _link_problem(
    kind: int, activity: Activity, target: Transaction, value_krw: Decimal | None
) -> Problem | None:
    allowed = PASSES_ON.get(kind, frozenset())
    if target.receiver_activity_id != activity.identifier or target.activity_id == activity.pk:
        return (
            "passes_on",
            "이 사업에 보낸 다른 사업의 거래만 이어 받을 수 있습니다.",
            "Only another activity's transaction addressed to this one can be passed on.",
        )
    if target.type not in allowed:
        return (
            "passes_on",
            f"거래 유형 {kind}은(는) 유형 {target.type} 거래를 이어 받을 수 없습니다.",
            f"A transaction of type {kind} cannot pass on one of type {target.type}.",
        )
    others = target.passed_on_by.filter(type__in=RECEIVED_ONCE if kind in RECEIVED_ONCE else SPEND)
    if kind in RECEIVED_ONCE and others.exists():
        return (
            "passes_on",
            "이 거래를 받은 기록이 이미 있습니다.",
            "The receipt of this transaction is recorded already.",
        )
    if kind in SPEND and value_krw is not None and target.value_krw is not None:
        spent = others.aggregate(total=Sum("value_krw"))["total"] or Decimal(0)
        if spent + value_krw > target.value_krw:
            left = max(target.value_krw - spent, Decimal(0))
            return (
                "passes_on",
                f"받은 돈에서 쓸 수 있는 금액은 {left:,} 원 남았습니다: 넘는 부분은 단체 자체 "
                "자금으로 따로 기록하십시오.",
                f"KRW {left:,} of the money passed on is left to spend: record the rest as the "
                "organisation's own money, without passes_on.",
            )
    return None


def refused(problems: Iterable[Problem]) -> DomainError:
    """Refused field by field: nothing was saved."""
    return DomainError.from_findings(
        [Finding("aid_transaction_invalid", ko=ko, en=en, field=f) for f, ko, en in problems],
        ko=REFUSED_KO,
        en=REFUSED_EN,
    )


def _editable(actor: User, activity: Activity) -> Activity:
    require(activities_for_edit(actor).filter(pk=activity.pk).exists())
    return activity


@db_transaction.atomic
def transaction_add(
    *,
    actor: User,
    activity: Activity,
    type: int,
    date: dt.date,
    value: Decimal,
    currency: str,
    value_date: dt.date,
    ref: str = "",
    description_ko: str = "",
    description_en: str = "",
    provider_org_ref: str = "",
    provider_org_type: str = "",
    provider_org_name_ko: str = "",
    provider_org_name_en: str = "",
    receiver_org_ref: str = "",
    receiver_org_type: str = "",
    receiver_org_name_ko: str = "",
    receiver_org_name_en: str = "",
    receiver_activity_id: str = "",
    passes_on: Transaction | int | None = None,
) -> Transaction:
    """Record a transaction of `activity`, converted to KRW and USD with the rates in force on
    its value date (see the module's docstring: a missing rate, counted once, policy gates).
    `passes_on`: the transaction addressed to this activity that this one passes on (or its
    id). Refused field by field; the activity must be one `actor` may edit."""
    _editable(actor, activity)
    data = TransactionData(
        type=type,
        date=date,
        value=value,
        currency=currency.strip().upper(),
        value_date=value_date,
        ref=ref,
        description_ko=description_ko,
        description_en=description_en,
        provider_org_ref=provider_org_ref,
        provider_org_type=provider_org_type,
        provider_org_name_ko=provider_org_name_ko,
        provider_org_name_en=provider_org_name_en,
        receiver_org_ref=receiver_org_ref,
        receiver_org_type=receiver_org_type,
        receiver_org_name_ko=receiver_org_name_ko,
        receiver_org_name_en=receiver_org_name_en,
        receiver_activity_id=receiver_activity_id,
    )
    problems = check_transaction(data)
    if problems:
        raise refused(problems)
    conversion, problem = _convert(data, _Rates())
    if problem:
        raise refused([problem])
    target: Transaction | None = None
    if passes_on is not None:
        target_id = passes_on.pk if isinstance(passes_on, Transaction) else passes_on
        target = (
            addressed_to(activity).select_for_update().filter(pk=target_id).first()
            if isinstance(target_id, int)
            else None
        )
        problem = (
            _link_problem(type, activity, target, conversion.value_krw)
            if target is not None
            else (
                "passes_on",
                "이 사업에 보낸 거래가 아닙니다.",
                "Not a transaction addressed to this activity.",
            )
        )
        if problem:
            raise refused([problem])
    if type in GATED:
        _policy_gates(actor=actor, activity=activity, day=date)
    made = _build(data, activity, conversion, actor)
    made.passes_on = target
    made.full_clean(exclude=["activity", "passes_on", "created_by"])
    made.save()
    audit.record(
        actor=actor,
        action="aid.transaction.add",
        obj=made,
        changes={
            "activity": activity.identifier,
            "type": type,
            "value": str(value),
            "currency": data.currency,
            "value_krw": str(conversion.value_krw) if conversion.value_krw is not None else None,
            "rate_source": conversion.source,
            "passes_on": target.pk if target else None,
        },
    )
    return made


@db_transaction.atomic
def transaction_remove(*, actor: User, transaction: Transaction) -> None:
    """Take a transaction off its activity's ledger. Refused while other transactions pass it
    on (they would then count the money a second time): remove those first."""
    _editable(actor, transaction.activity)
    locked = Transaction.objects.select_for_update().get(pk=transaction.pk)
    followers = list(locked.passed_on_by.select_related("activity").order_by("pk"))
    if followers:
        named = ", ".join(f"{t.activity.identifier} #{t.pk}" for t in followers[:5])
        raise DomainError(
            ErrorCode.CONFLICT,
            f"다른 거래가 이 거래를 이어 받고 있습니다 ({named}): 그 거래들을 먼저 지우십시오.",
            f"Other transactions pass this one on ({named}): remove them first.",
            {"passed_on_by": [t.pk for t in followers]},
        )
    audit.record(
        actor=actor,
        action="aid.transaction.remove",
        obj=locked,
        changes={
            "activity": locked.activity.identifier,
            "type": locked.type,
            "value": str(locked.value),
            "currency": locked.currency,
            "date": locked.date.isoformat(),
        },
    )
    locked.delete()


def counted(transactions: QuerySet[Transaction]) -> QuerySet[Transaction]:
    """The transactions totals add up: disbursements and expenditures that pass nothing on."""
    return transactions.filter(type__in=SPEND, passes_on__isnull=True)


# --- the transactions file --------------------------------------------------------------------

COLUMNS: tuple[str, ...] = (
    "activity_identifier",
    "ref",
    "type",
    "date",
    "value",
    "currency",
    "value_date",
    "description_ko",
    "description_en",
    "provider_org_ref",
    "provider_org_type",
    "provider_org_name_ko",
    "provider_org_name_en",
    "receiver_org_ref",
    "receiver_org_type",
    "receiver_org_name_ko",
    "receiver_org_name_en",
    "receiver_activity_id",
    "passes_on",
)
REQUIRED = ("activity_identifier", "type", "date", "value", "currency", "value_date")
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
SHOWN = 200
_ID_REF = re.compile(r"id:([0-9]{1,18})")


def _passes_on_cell(target: Transaction | None) -> str:
    """How the file names the transaction a row passes on: its ref, or `id:<id>` without one."""
    if target is None:
        return ""
    return target.ref or f"id:{target.pk}"


def _name(names: Any, lang: str) -> str:
    return str(names.get(lang, "")) if isinstance(names, dict) else ""


def _amount_text(value: Decimal, currency: str) -> str:
    return str(value.quantize(Decimal(1).scaleb(-minor_units(currency))))


def _row(t: Transaction) -> list[str]:
    return [
        t.activity.identifier,
        t.ref,
        str(t.type),
        t.date.isoformat(),
        _amount_text(t.value, t.currency),
        t.currency,
        t.value_date.isoformat(),
        t.description_ko,
        t.description_en,
        t.provider_org_ref,
        t.provider_org_type,
        _name(t.provider_org_name, "ko"),
        _name(t.provider_org_name, "en"),
        t.receiver_org_ref,
        t.receiver_org_type,
        _name(t.receiver_org_name, "ko"),
        _name(t.receiver_org_name, "en"),
        t.receiver_activity_id,
        _passes_on_cell(t.passes_on),
    ]


def transactions_export(activities: QuerySet[Activity], *, format: str = "csv") -> bytes:
    """The transactions of `activities` (already chosen through `access`) as a CSV (UTF-8 with
    a BOM) or xlsx file of `COLUMNS`, by activity, date and id."""
    if format not in ("csv", "xlsx"):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "형식은 csv 또는 xlsx입니다.",
            "The format is csv or xlsx.",
            {"field": "format"},
        )
    transactions = (
        Transaction.objects.filter(activity__in=activities)
        .select_related("activity", "passes_on")
        .order_by("activity__identifier", "date", "pk")
    )
    rows = (_row(t) for t in transactions.iterator(chunk_size=2000))
    out = io.BytesIO()
    if format == "csv":
        write_csv_to(out, COLUMNS, rows)
    else:
        write_xlsx_to(out, COLUMNS, rows, sheet_name="transactions")
    return out.getvalue()


@dataclass
class ImportSummary:
    """What a transactions file did: rows added, transactions replaced, by activity."""

    added: int = 0
    removed: int = 0
    activities: list[str] = field(default_factory=list)


@dataclass
class _FileRow:
    number: int
    activity: Activity
    data: TransactionData
    passes_on: str
    conversion: Conversion = field(default_factory=Conversion)


def _header(file: str, cells: Sequence[str], found: list[Finding]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, raw in enumerate(cells):
        name = raw.strip().replace("\ufeff", "").casefold()
        if not name:
            continue
        if name not in COLUMNS:
            found.append(
                Finding(
                    "aid_transactions_column",
                    ko=f"알 수 없는 열입니다: {raw[:40]!r}",
                    en=f"Unknown column: {raw[:40]!r}",
                    file=file,
                    row=1,
                    field=raw[:40],
                )
            )
        elif name in columns:
            found.append(
                Finding(
                    "aid_transactions_column",
                    ko=f"{name} 열이 두 번 있습니다.",
                    en=f"The column {name} appears twice.",
                    file=file,
                    row=1,
                    field=name,
                )
            )
        else:
            columns[name] = position
    for name in REQUIRED:
        if name not in columns:
            found.append(
                Finding(
                    "aid_transactions_column",
                    ko=f"{name} 열이 없습니다.",
                    en=f"The file has no {name} column.",
                    file=file,
                    row=1,
                    field=name,
                )
            )
    return columns


def _read_rows(
    file: str, data: bytes, editable: QuerySet[Activity], found: list[Finding]
) -> list[_FileRow]:
    def problem(row: int, column: str, ko: str, en: str) -> None:
        found.append(
            Finding("aid_transactions_invalid", ko=ko, en=en, file=file, row=row, field=column)
        )

    rows, _total = rows_of(data, file, found)
    columns: dict[str, int] | None = None
    read: list[_FileRow] = []
    activities: dict[str, Activity | None] = {}
    may_edit: set[int] = set()
    count = 0
    for number, cells in enumerate(rows, 1):
        if columns is None:
            columns = _header(file, cells, found)
            if found:
                return []
            continue
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            found.append(too_many_rows(file, MAX_ROWS))
            return []
        values = {c: (cells[i] if i < len(cells) else "").strip() for c, i in columns.items()}
        for c in COLUMNS:
            values.setdefault(c, "")
        identifier = values["activity_identifier"]
        if identifier not in activities:
            activity = Activity.objects.filter(identifier=identifier).first()
            activities[identifier] = activity
            if activity is not None and editable.filter(pk=activity.pk).exists():
                may_edit.add(activity.pk)
        activity = activities[identifier]
        ok = True
        if activity is None:
            problem(
                number,
                "activity_identifier",
                f"원장에 없는 사업입니다: {identifier[:60]!r}",
                f"No activity of the ledger has this identifier: {identifier[:60]!r}",
            )
            ok = False
        elif activity.pk not in may_edit:
            problem(
                number,
                "activity_identifier",
                f"이 사업의 거래를 바꿀 권한이 없습니다: {identifier[:60]}",
                f"You may not change this activity's transactions: {identifier[:60]}",
            )
            ok = False
        kind: int | None = None
        if re.fullmatch(r"[0-9]{1,2}", values["type"]) and int(values["type"]) in TT.values:
            kind = int(values["type"])
        else:
            problem(
                number,
                "type",
                f"IATI 거래 유형 코드(1–13)가 아닙니다: {values['type'][:20]!r}",
                f"Not an IATI transaction type code (1–13): {values['type'][:20]!r}",
            )
            ok = False
        day, bad_day = parse_date(values["date"], "date")
        value_day, bad_value_day = parse_date(values["value_date"], "value_date")
        amount, bad_amount = parse_amount(values["value"])
        for bad in (bad_day, bad_value_day, bad_amount):
            if bad:
                problem(number, *bad)
                ok = False
        if not ok or kind is None or day is None or value_day is None or amount is None:
            continue
        assert activity is not None
        row_data = TransactionData(
            type=kind,
            date=day,
            value=amount,
            currency=values["currency"].upper(),
            value_date=value_day,
            **{name: values[name] for name in _TEXT_LIMITS},
            provider_org_type=values["provider_org_type"],
            receiver_org_type=values["receiver_org_type"],
        )
        bad_fields = check_transaction(row_data)
        for bad in bad_fields:
            problem(number, *bad)
        if bad_fields:
            continue
        if values["passes_on"] and kind not in PASSES_ON:
            problem(
                number,
                "passes_on",
                f"거래 유형 {kind}은(는) 다른 거래를 이어 받지 않습니다.",
                f"A transaction of type {kind} passes nothing on.",
            )
            continue
        read.append(_FileRow(number, activity, row_data, values["passes_on"]))
    if columns is None and not found:
        found.append(
            whole_file(
                "aid_transactions_empty",
                file,
                ko="머리글 행이 없습니다.",
                en="The file has no header row.",
            )
        )
    return read


@dataclass(frozen=True)
class _Facts:
    """What matches a replaced transaction to its new row, to keep the links to it."""

    activity_id: int
    ref: str
    type: int
    date: dt.date
    value: Decimal
    currency: str
    receiver_activity_id: str


def _facts(t: Transaction) -> _Facts:
    return _Facts(
        t.activity_id, t.ref, t.type, t.date, Decimal(t.value), t.currency, t.receiver_activity_id
    )


def _resolve_link(
    row: _FileRow,
    made: Transaction,
    replaced: dict[int, _Facts],
    new_by_facts: dict[_Facts, list[Transaction]],
) -> Transaction | Problem:
    """The transaction a row's `passes_on` cell names among those addressed to its activity: by
    its ref, or by `id:<id>` — where that one was replaced by the file, the new row with its
    facts."""
    cell = row.passes_on
    candidates = addressed_to(row.activity)
    by_id = _ID_REF.fullmatch(cell)
    if by_id and int(by_id.group(1)) in replaced:
        found = new_by_facts.get(replaced[int(by_id.group(1))], [])
        found = [t for t in found if t.receiver_activity_id == row.activity.identifier][:2]
    elif by_id:
        found = list(candidates.filter(pk=int(by_id.group(1))))
    else:
        found = list(candidates.filter(ref=cell)[:2])
    if len(found) != 1:
        return (
            "passes_on",
            f"이 사업에 보낸 거래 중 {cell[:60]!r}{'가 여럿' if found else '가 없'}습니다.",
            f"{'More than one' if found else 'No'} transaction addressed to this activity is "
            f"{cell[:60]!r}.",
        )
    target = found[0]
    problem = _link_problem(made.type, row.activity, target, made.value_krw)
    return problem if problem else target


@db_transaction.atomic
def transactions_import(
    *, actor: User, data: bytes, file: str, replace: bool, only: Activity | None = None
) -> ImportSummary:
    """Read a transactions file (`COLUMNS`, CSV or xlsx) into the activities it names: all or
    nothing, every problem named by file, row and column (an activity not in the ledger or not
    the actor's to edit, a wrong date, amount, type or currency, a missing rate, a measure in
    force, a link that does not hold). With `replace`, the file's rows take the place of those
    activities' transactions; links to a replaced transaction from another activity's are
    moved to the row with the same facts (activity, ref, type, date, amount, currency,
    receiver), and the import is refused where there is none. `only`: the one activity the
    file may name (an activity's page reads its own file)."""
    editable = activities_for_edit(actor)
    found: list[Finding] = []

    def refuse() -> DomainError:
        return DomainError.from_findings(
            found[:SHOWN],
            ko="거래 파일을 읽지 않았습니다. 아무것도 저장하지 않았습니다.",
            en="The transactions file was not read; nothing was saved.",
            file=file,
            problems=len(found),
        )

    if len(data) > MAX_FILE_BYTES:
        found.append(
            whole_file(
                "aid_transactions_too_large",
                file,
                ko=f"파일이 너무 큽니다 (최대 {MAX_FILE_BYTES // (1024 * 1024)}MB).",
                en=f"The file is too large (at most {MAX_FILE_BYTES // (1024 * 1024)} MB).",
            )
        )
        raise refuse()
    rows = _read_rows(file, data, editable, found)
    if only is not None:
        found.extend(
            Finding(
                "aid_transactions_other_activity",
                ko=f"이 파일에는 {only.identifier}의 거래만 넣을 수 있습니다.",
                en=f"This file may hold the transactions of {only.identifier} alone.",
                file=file,
                row=row.number,
                field="activity_identifier",
            )
            for row in rows
            if row.activity.pk != only.pk
        )
    if not found and not rows:
        found.append(
            whole_file(
                "aid_transactions_none",
                file,
                ko="파일에 거래가 없습니다.",
                en="The file holds no transaction.",
            )
        )
    if found:
        raise refuse()
    rates = _Rates()
    for row in rows:
        row.conversion, problem = _convert(row.data, rates)
        if problem:
            found.append(Finding("aid_transactions_rate", ko=problem[1], en=problem[2],
                                 file=file, row=row.number, field=problem[0]))  # fmt: skip
            continue
        if row.data.type in GATED:
            try:
                _policy_gates(actor=actor, activity=row.activity, day=row.data.date)
            except DomainError as error:
                found.append(
                    Finding(
                        str(error.code),
                        ko=error.message_ko,
                        en=error.message_en,
                        file=file,
                        row=row.number,
                        field="date",
                    )
                )
    if found:
        raise refuse()

    named = {row.activity.pk: row.activity for row in rows}
    removed = 0
    outside: list[tuple[Transaction, _Facts]] = []
    replaced_facts: dict[int, _Facts] = {}
    if replace:
        replaced = Transaction.objects.select_for_update().filter(activity_id__in=named)
        replaced_facts = {t.pk: _facts(t) for t in replaced}
        for follower in (
            Transaction.objects.filter(passes_on__in=replaced)
            .exclude(activity_id__in=named)
            .select_related("passes_on", "activity")
        ):
            assert follower.passes_on is not None
            outside.append((follower, _facts(follower.passes_on)))
        for follower, _f in outside:
            follower.passes_on = None
            follower.save(update_fields=["passes_on"])
        removed = len(replaced_facts)
        Transaction.objects.filter(activity_id__in=named).update(passes_on=None)
        Transaction.objects.filter(activity_id__in=named).delete()
    made = Transaction.objects.bulk_create(
        [_build(row.data, row.activity, row.conversion, actor) for row in rows], batch_size=1000
    )
    new_by_facts: dict[_Facts, list[Transaction]] = {}
    for transaction in made:
        new_by_facts.setdefault(_facts(transaction), []).append(transaction)
    # Links, once every row is in: a row may pass on another row of the same file.
    for row, transaction in zip(rows, made, strict=True):
        if not row.passes_on:
            continue
        resolved = _resolve_link(row, transaction, replaced_facts, new_by_facts)
        if isinstance(resolved, tuple):
            found.append(Finding("aid_transactions_link", ko=resolved[1], en=resolved[2],
                                 file=file, row=row.number, field=resolved[0]))  # fmt: skip
            continue
        transaction.passes_on = resolved
        transaction.save(update_fields=["passes_on"])
    for follower, facts in outside:
        matches = new_by_facts.get(facts, [])
        if len(matches) != 1:
            found.append(
                whole_file(
                    "aid_transactions_link_lost",
                    file,
                    ko=f"{follower.activity.identifier}의 거래 #{follower.pk}가 이어 받는 "
                    f"{named[facts.activity_id].identifier}의 거래({facts.type}, {facts.date}, "
                    f"{facts.value} {facts.currency})가 파일에 꼭 한 번 있어야 합니다.",
                    en=f"Transaction #{follower.pk} of {follower.activity.identifier} passes on "
                    f"a transaction of {named[facts.activity_id].identifier} (type {facts.type}, "
                    f"{facts.date}, {facts.value} {facts.currency}) that the file must hold "
                    "exactly once.",
                )
            )
            continue
        follower.passes_on = matches[0]
        follower.save(update_fields=["passes_on"])
    if found:
        raise refuse()  # the atomic block rolls back what was written
    identifiers = sorted(a.identifier for a in named.values())
    audit.record(
        actor=actor,
        action="aid.transactions.import",
        object_type="aid.transaction",
        object_label=file[:300],
        changes={
            "file": file,
            "replace": replace,
            "added": len(made),
            "removed": removed,
            "activities": identifiers,
        },
    )
    return ImportSummary(added=len(made), removed=removed, activities=identifiers)
