"""The permission matrix: the complex's wage rules and disputes, payrolls and remittances.

The world: the persona firm with three workers and its payrolls of 2015 in each state (a draft
for September, October submitted, November approved, August remitted and waiting for the
bureau), another firm's draft (which the firm does not see: 404), and an open wage dispute
from January 2016. The committee (`gic`, `admin`) keeps the rules and approves; the firm
computes, submits and remits its own; the ministry reads; the bureau reads the payrolls'
totals and the remittances, never the lines, and confirms receipt."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .matrix import api, page

READERS = {"gic", "ministry", "supervisor", "viewer", "admin", "firm"}
SEEING = READERS | {"bureau"}
COMMITTEE = {"gic", "admin"}
KEEPERS = COMMITTEE | {"firm"}
BUREAU = {"bureau"}
NOT_SEEN = {"firm": 404}

DRAFT = "/complex/payrolls/{pay_draft}"
SUBMITTED = "/complex/payrolls/{pay_submitted}"
OTHER = "/complex/payrolls/{pay_other}"

PLACEHOLDERS = {
    "{pay_firm}": "firm_id",
    "{pay_other_firm}": "firm_id",
    "{pay_draft}": "payroll_id",
    "{pay_submitted}": "payroll_id",
    "{pay_other}": "payroll_id",
    "{pay_dispute}": "dispute_id",
    "{pay_remittance}": "remittance_id",
}

#: The bureau's one write: it confirms receipt of the wages remitted to it.
NORTH_WRITES = {
    name: (frozenset(BUREAU), "the North's bureau confirms receipt of the wages remitted to it")
    for name in (
        "complex:remittance-confirm",
        "POST /api/v1/complex/remittances/{pay_remittance}/confirm",
    )
}

SETTLE = {"agreed_wage_usd": "77.000", "settled_on": "2016-02-01"}

CASES = [
    page("complex:wages", "/complex/wages/", SEEING),
    page(
        "complex:wage-rule-agree",
        "/complex/wages/rules/",
        COMMITTEE,
        ok=302,
        method="POST",
        body={
            "rule-effective_from": "2016-08-01",
            "rule-minimum_wage_usd": "76.000",
            "rule-agreed_on": "2016-07-20",
        },
    ),
    # A dispute is open: a second demand is refused on the form (422), nothing written.
    page(
        "complex:wage-demand-record",
        "/complex/wages/disputes/",
        COMMITTEE,
        ok=422,
        method="POST",
        body={
            "demand-side": "north",
            "demand-demanded_on": "2016-03-01",
            "demand-effective_from": "2016-04-01",
            "demand-demanded_wage_usd": "90.000",
        },
    ),
    page(
        "complex:wage-dispute-settle",
        "/complex/wages/disputes/{pay_dispute}/settle/",
        COMMITTEE,
        ok=302,
        method="POST",
        body={f"settle-{k}": v for k, v in SETTLE.items()},
    ),
    page(
        "complex:wage-dispute-withdraw",
        "/complex/wages/disputes/{pay_dispute}/withdraw/",
        COMMITTEE,
        ok=302,
        method="POST",
        body={"withdraw-withdrawn_on": "2016-02-01"},
    ),
    page("complex:payrolls", "/complex/payrolls/?queue=1", SEEING),
    # No firm chosen: the form is refused (422) for those who may compute.
    page("complex:payroll-compute", "/complex/payrolls/compute/", KEEPERS, ok=422, method="POST"),
    page(
        "complex:payroll-month-run",
        "/complex/payrolls/month/",
        COMMITTEE,
        ok=302,
        method="POST",
        body={"run-month": "2015-12"},
    ),
    page("complex:payroll", DRAFT + "/", SEEING),
    page("complex:payroll", OTHER + "/", SEEING - {"firm"}, others=NOT_SEEN),
    page(
        "complex:payroll-line",
        DRAFT + "/line/",
        KEEPERS,
        ok=302,
        method="POST",
        body={"line-number": "W90001", "line-overtime_hours": "4"},
    ),
    page("complex:payroll-submit", DRAFT + "/submit/", KEEPERS, ok=302, method="POST"),
    page("complex:payroll-approve", SUBMITTED + "/approve/", COMMITTEE, ok=302, method="POST"),
    page(
        "complex:payroll-send-back",
        SUBMITTED + "/send-back/",
        COMMITTEE,
        ok=302,
        method="POST",
        body={"back-reason": "야간 근무 시간을 확인하십시오."},
    ),
    page("complex:payroll-export", DRAFT + "/export/", READERS),
    page("complex:remittances", "/complex/remittances/", SEEING),
    page(
        "complex:remittance-record", "/complex/remittances/record/", KEEPERS, ok=422, method="POST"
    ),
    page(
        "complex:remittance-confirm",
        "/complex/remittances/{pay_remittance}/confirm/",
        BUREAU,
        ok=302,
        method="POST",
    ),
    api("GET", "/complex/wage-rules", SEEING),
    api(
        "POST",
        "/complex/wage-rules",
        COMMITTEE,
        ok=201,
        body={
            "effective_from": "2016-08-01",
            "minimum_wage_usd": "76.000",
            "agreed_on": "2016-07-20",
        },
    ),
    api("GET", "/complex/wage-disputes", SEEING),
    # A dispute is open: a second demand is a conflict (409), nothing written.
    api(
        "POST",
        "/complex/wage-disputes",
        COMMITTEE,
        ok=409,
        body={
            "demanded_on": "2016-03-01",
            "effective_from": "2016-04-01",
            "demanded_wage_usd": "90.000",
        },
    ),
    api("POST", "/complex/wage-disputes/{pay_dispute}/settle", COMMITTEE, body=SETTLE),
    api(
        "POST",
        "/complex/wage-disputes/{pay_dispute}/withdraw",
        COMMITTEE,
        body={"withdrawn_on": "2016-02-01"},
    ),
    api("GET", "/complex/payrolls?month=2015-09", SEEING),
    api("GET", DRAFT, SEEING),
    api("GET", OTHER, SEEING - {"firm"}, others=NOT_SEEN),
    api("GET", DRAFT + "/lines", READERS),
    api("GET", DRAFT + "/export", READERS),
    api("POST", "/complex/firms/{pay_firm}/payrolls", KEEPERS, ok=201, body={"month": "2015-09"}),
    api(
        "POST",
        "/complex/firms/{pay_other_firm}/payrolls",
        COMMITTEE,
        ok=201,
        body={"month": "2015-09"},
        others=NOT_SEEN,
    ),
    api("POST", DRAFT + "/submit", KEEPERS),
    api("POST", SUBMITTED + "/approve", COMMITTEE),
    api("POST", SUBMITTED + "/send-back", COMMITTEE, body={"reason": "다시 계산하십시오."}),
    api("GET", "/complex/remittances", SEEING),
    # Nothing named: refused (422) for those who may record one.
    api("POST", "/complex/remittances", KEEPERS, ok=422, body={}),
    api("POST", "/complex/remittances/{pay_remittance}/confirm", BUREAU, body={}),
]


def world(personas: dict[str, Any]) -> dict[str, Any]:
    from panmun.complex.services.payroll import (
        payroll_approve,
        payroll_compute,
        payroll_submit,
    )
    from panmun.complex.services.remittances import remittance_record
    from panmun.complex.services.wages import wage_demand_record
    from panmun.complex.tests.factories import make_firm, persona_firm
    from panmun.complex.tests.payroll_world import add_workers

    firm_user, gic = personas["firm"], personas["gic"]
    firm = persona_firm(personas)
    add_workers(firm, 3, start=90001)
    other = make_firm("노임시험섬유(주)", name_en="Payroll Test Textiles")
    add_workers(other, 2, start=90101)

    def month(m: int) -> Any:
        return payroll_compute(actor=firm_user, firm=firm, month=dt.date(2015, m, 1))

    draft = month(9)
    submitted = payroll_submit(actor=firm_user, payroll=month(10))
    payroll_approve(actor=gic, payroll=payroll_submit(actor=firm_user, payroll=month(11)))
    august = payroll_approve(actor=gic, payroll=payroll_submit(actor=firm_user, payroll=month(8)))
    remittance = remittance_record(
        actor=firm_user,
        firm=firm,
        payrolls=[august],
        amount_usd=august.total_usd,
        bank="우리은행 개성공단지점",
        bank_reference="MATRIX-2015-08",
        remitted_on=dt.date(2015, 9, 10),
    )
    other_draft = payroll_compute(actor=gic, firm=other, month=dt.date(2015, 9, 1))
    dispute = wage_demand_record(
        actor=gic,
        demanded_on=dt.date(2015, 12, 20),
        effective_from=dt.date(2016, 1, 1),
        demanded_wage_usd=Decimal("80.000"),
    )
    return {
        "pay_firm": firm.pk,
        "pay_other_firm": other.pk,
        "pay_draft": draft.pk,
        "pay_submitted": submitted.pk,
        "pay_other": other_draft.pk,
        "pay_dispute": dispute.pk,
        "pay_remittance": remittance.pk,
    }
