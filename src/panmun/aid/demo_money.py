"""The demo ledger's money, added to the lead's demo activities (looked up by identifier; the
activities are made first, and a missing one is an error): demo exchange rates for KRW, USD
and EUR in 2024–2026, labelled as such (they are not published rates), and the transactions of
four activities — the ministry's grant to the aid organisation passed on to the organisation's
infant-formula project (counted once), a contribution through WFP with a pledge that is not
counted, and the organisation's own flour. Idempotent: a second run adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from panmun.accounts.models import User
from panmun.common.apps import DemoRun

from .access import activities_for_edit
from .models import Activity, Transaction, TransactionType
from .services.money import rates_import, transaction_add

TT = TransactionType
D = dt.date
SOURCE = "demo rates (not published)"
GRANT = "KR-MOU-2026-NGO-GRANT"
FORMULA = "KR-NANUM-2026-INFANT-FORMULA"
WFP = "KR-MOU-2024-WFP-NUTRITION"
FLOUR = "KR-NANUM-2026-OWN-FLOUR"
DISBURSED = f"{GRANT}-D1"
#: Won and dollars for one unit, on the first working day of each year (demo values).
RATES = [
    ("2024-01-02", "USD", "1300", "1"),
    ("2024-01-02", "KRW", "1", "0.0007692308"),
    ("2024-01-02", "EUR", "1430", "1.1"),
    ("2025-01-02", "USD", "1470", "1"),
    ("2025-01-02", "KRW", "1", "0.0006802721"),
    ("2025-01-02", "EUR", "1525", "1.0374"),
    ("2026-01-02", "USD", "1440", "1"),
    ("2026-01-02", "KRW", "1", "0.0006944444"),
    ("2026-01-02", "EUR", "1690", "1.1736"),
]
NANUM_KO, NANUM_EN = "남북나눔지원단 (예시 단체)", "Nanum Aid (demo aid organisation)"
MOU_KO, MOU_EN = "통일부", "Ministry of Unification"


def _rates_file() -> bytes:
    lines = ["date,currency,krw,usd,source"]
    lines += [f"{day},{currency},{krw},{usd},{SOURCE}" for day, currency, krw, usd in RATES]
    return ("\n".join(lines) + "\n").encode()


def _activities() -> dict[str, Activity]:
    found = {
        a.identifier: a
        for a in Activity.objects.filter(identifier__in=[GRANT, FORMULA, WFP, FLOUR])
    }
    missing = sorted({GRANT, FORMULA, WFP, FLOUR} - set(found))
    if missing:
        raise LookupError(f"the demo's aid activities are missing: {', '.join(missing)}")
    return found


def _keeper(activity: Activity, ministry: User, aid: User | None) -> User:
    """The aid organisation's officer for its own activities, else the ministry's."""
    if aid is not None and activities_for_edit(aid).filter(pk=activity.pk).exists():
        return aid
    return ministry


def load_money_demo() -> dict[str, int]:
    """Add the demo's rates and transactions (once)."""
    if Transaction.objects.filter(ref=DISBURSED).exists():
        return {"rates": 0, "transactions": 0}
    activities = _activities()
    ministry = User.objects.get(username="ministry")
    aid = User.objects.filter(username="aid").first()
    rates = rates_import(actor=ministry, data=_rates_file(), file="demo-rates.csv")
    made = 0

    def add(
        identifier: str, kind: int, day: D, value: str, currency: str, **facts: Any
    ) -> Transaction:
        nonlocal made
        activity = activities[identifier]
        made += 1
        return transaction_add(
            actor=_keeper(activity, ministry, aid),
            activity=activity,
            type=kind,
            date=day,
            value=Decimal(value),
            currency=currency,
            value_date=day,
            **facts,
        )

    to_nanum = {
        "receiver_activity_id": FORMULA,
        "receiver_org_ref": "KR-NGO-NANUM",
        "receiver_org_type": "22",
        "receiver_org_name_ko": NANUM_KO,
        "receiver_org_name_en": NANUM_EN,
        "provider_org_ref": "KR-GOV-010",
        "provider_org_type": "10",
        "provider_org_name_ko": MOU_KO,
        "provider_org_name_en": MOU_EN,
    }
    add(GRANT, TT.OUTGOING_COMMITMENT, D(2026, 3, 2), "500000000", "KRW", ref=f"{GRANT}-C1",
        description_ko="남북협력기금 민간단체 지원 약정", description_en="Grant agreed from the "
        "Inter-Korean Cooperation Fund", **to_nanum)  # fmt: skip
    paid = add(GRANT, TT.DISBURSEMENT, D(2026, 4, 1), "500000000", "KRW", ref=DISBURSED,
               description_ko="영유아 분유 지원금 지급", description_en="Grant paid for infant "
               "formula", **to_nanum)  # fmt: skip
    add(FORMULA, TT.INCOMING_FUNDS, D(2026, 4, 1), "500000000", "KRW", ref=f"{FORMULA}-I1",
        passes_on=paid, description_ko="통일부 지원금 수령", description_en="Ministry grant "
        "received", provider_org_ref="KR-GOV-010", provider_org_type="10",
        provider_org_name_ko=MOU_KO, provider_org_name_en=MOU_EN)  # fmt: skip
    add(FORMULA, TT.EXPENDITURE, D(2026, 5, 15), "320000000", "KRW", ref=f"{FORMULA}-E1",
        passes_on=paid, description_ko="조제분유 구매", description_en="Infant formula "
        "bought")  # fmt: skip
    add(FORMULA, TT.EXPENDITURE, D(2026, 6, 20), "150000000", "KRW", ref=f"{FORMULA}-E2",
        passes_on=paid, description_ko="수송비 (인천항–남포항)", description_en="Shipping "
        "(Incheon–Nampo)")  # fmt: skip
    wfp = {
        "receiver_org_ref": "XM-DAC-41140",
        "receiver_org_type": "40",
        "receiver_org_name_ko": "세계식량계획",
        "receiver_org_name_en": "World Food Programme",
    }
    add(WFP, TT.DISBURSEMENT, D(2024, 6, 3), "3000000", "USD", ref=f"{WFP}-D1",
        description_ko="WFP 영양 지원 사업 공여", description_en="Contribution to WFP's "
        "nutrition programme", **wfp)  # fmt: skip
    add(WFP, TT.OUTGOING_PLEDGE, D(2024, 9, 2), "1000000", "USD", ref=f"{WFP}-P1",
        description_ko="추가 공여 약속 (집계 제외)", description_en="Further contribution "
        "pledged (not counted)", **wfp)  # fmt: skip
    add(FLOUR, TT.EXPENDITURE, D(2026, 5, 4), "80000000", "KRW", ref=f"{FLOUR}-E1",
        description_ko="밀가루 구매 (단체 자체 자금)", description_en="Flour bought with the "
        "organisation's own funds")  # fmt: skip
    return {"rates": rates, "transactions": made}


def load(run: DemoRun) -> None:
    """`panmun load-demo`'s aid money (called by the lead's demo loader after its activities)."""
    loaded = load_money_demo()
    if loaded["transactions"]:
        run.say(f"Aid money: {loaded['rates']} demo rates, {loaded['transactions']} transactions.")
