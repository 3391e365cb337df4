"""The demo's history, summary, figures by source and the 2000 food loan (`load(run)`, called by
the aid app's demo loader). Idempotent: what is there already is left as it is.

The ministry's table is read from `../shared/data/aid/` beside the checkout when it is there
(never copied into the repository); the run says so when it is not."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from panmun.accounts.models import User
from panmun.common.apps import DemoRun

from .models import Activity, HistoryYear, Loan
from .services.history import history_facts_load, history_load
from .services.loans import (
    instalment_publish,
    instalments_mark_missed,
    loan_create,
    loan_notice_send,
)

TABLE = "mou-humanitarian-aid-krw100m.csv"
LOAN_ACTIVITY = "KR-MOU-2000-FOOD-LOAN"
LOAN_REFERENCE = "EXIM-2000-FOOD"
#: The published figures of the 2000 loan's first two instalments (domain.md; the press).
PUBLISHED = {
    1: (Decimal("5834372"), "통일부·언론 보도: 첫 상환분 (2012. 6. 7.) / ministry and press"),
    2: (Decimal("5783111"), "통일부·언론 보도: 2회차 (2013. 6. 7.) / ministry and press"),
}


def shared_table() -> Path:
    """`../shared/data/aid/<TABLE>` beside the checkout."""
    checkout = Path(__file__).resolve().parents[3]  # src/panmun/aid/ → the checkout
    return checkout.parent / "shared" / "data" / "aid" / TABLE


def load(run: DemoRun) -> None:
    ministry = User.objects.get(username="ministry")
    path = shared_table()
    if HistoryYear.objects.filter(source=TABLE).exists():
        run.say("Aid history: the ministry's table is already loaded.")
    elif path.is_file():
        years = history_load(actor=ministry, data=path.read_bytes(), file=path.name)
        run.say(f"Aid history: {years} years of the ministry's table ({path.name}).")
    else:
        run.say(f"Aid history: {path} is absent, so the ministry's table is not loaded.")
    rows = history_facts_load(actor=ministry)
    run.say(f"Aid history: the 2019–2024 summary and figures by source ({rows} rows).")
    if Loan.objects.filter(reference=LOAN_REFERENCE).exists():
        run.say("Aid loans: the 2000 food loan is already there.")
        return
    activity = Activity.objects.filter(identifier=LOAN_ACTIVITY).first()
    if activity is None:
        raise RuntimeError(f"the activity {LOAN_ACTIVITY} is missing: load the aid demo first")
    loan = loan_create(
        actor=ministry,
        activity=activity,
        reference=LOAN_REFERENCE,
        name_ko="2000년 식량차관 (쌀 30만 t, 옥수수 20만 t)",
        name_en="2000 food loan (rice 300,000 t, corn 200,000 t)",
        lender="한국수출입은행 / Korea Eximbank",
        borrower="조선무역은행 / Chosun Trade Bank",
        signed_on=dt.date(2000, 9, 26),
        # The day interest and the 10 years' grace run from, as the first instalment's due
        # date (7 June 2012, a year after the grace period) places it.
        disbursed_on=dt.date(2001, 6, 7),
        principal=Decimal("88360000"),
        annual_rate=Decimal("0.01"),
        grace_years=10,
        repayment_years=20,
        overdue_rate=Decimal("0.02"),
        goods="쌀 30만 t, 옥수수 20만 t / rice 300,000 t, corn 200,000 t",
    )
    for seq, (amount, source) in PUBLISHED.items():
        instalment_publish(
            actor=ministry, instalment=loan.instalments.get(seq=seq), amount=amount, source=source
        )
    missed = instalments_mark_missed(actor=ministry, today=dt.date(2012, 6, 8))
    first = loan.instalments.get(seq=1)
    loan_notice_send(
        actor=ministry,
        instalment=first,
        sent_on=dt.date(2012, 6, 8),
        text_ko="2000년 식량차관 1회차 원리금(2012년 6월 7일 만기)이 상환되지 않았습니다. "
        "연체 이자(연 2%)가 붙습니다.",
        text_en="The first instalment of the 2000 food loan, due on 7 June 2012, was not "
        "repaid; overdue interest of 2% a year runs on it.",
    )
    run.say(
        f"Aid loans: the 2000 food loan, {loan.instalments.count()} instalments, "
        f"{len(missed)} missed, one notice."
    )
