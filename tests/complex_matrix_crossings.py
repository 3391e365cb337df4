"""The permission matrix: the complex's timetables, day plans and the North's consent, the gate,
flags, the headcount.

The plans' world, on 2 March 2010 (the 2009 timetable): the demo firm's crossing out at 09:30,
built into a draft plan; the committee's own crossing out at 10:30 (no firm's), built and sent
to the North. The gate officer (and `admin`) builds, sends and withdraws lines; the committee,
the ministry and the firm read (the firm only the plans with its lines: 404 for the other); the
bureau sees only the plans sent to it (404 for a draft) and answers them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .matrix import api, page

DAY = "2010-03-02"
GATE = {"gate", "admin"}
PLAN_READERS = GATE | {"gic", "ministry", "supervisor", "viewer", "firm"}
BUREAU = {"bureau"}
#: Anyone with a page in the complex: the timetable is theirs to read.
COMPLEX_SEEING = PLAN_READERS | BUREAU | {"customs", "customs_chief", "quarantine"}

DRAFT = "/complex/crossings/plans/{plan_draft}"
SENT = "/complex/crossings/plans/{plan_sent}"

PLACEHOLDERS = {
    "{plan_draft}": "plan_id",
    "{plan_sent}": "plan_id",
    "{plan_line}": "line_id",
}

NORTH_WRITES = {
    name: (frozenset(BUREAU), "the North's bureau answers the crossing plans sent to it")
    for name in (
        "complex:dayplan-answer",
        "POST /api/v1/complex/dayplans/{plan_sent}/answer",
    )
}

CASES: list[Any] = [
    page("complex:dayplans", f"/complex/crossings/plans/?day={DAY}", PLAN_READERS),
    page(
        "complex:dayplans-build",
        "/complex/crossings/plans/build/",
        GATE,
        ok=302,
        method="POST",
        body={"build-day": DAY},
    ),
    page("complex:dayplans-print", f"/complex/crossings/plans/print/?day={DAY}", PLAN_READERS),
    page("complex:dayplan", DRAFT + "/", PLAN_READERS, others={"bureau": 404}),
    page("complex:dayplan", SENT + "/", (PLAN_READERS - {"firm"}) | BUREAU, others={"firm": 404}),
    page(
        "complex:dayplan-send",
        DRAFT + "/send/",
        GATE,
        ok=302,
        method="POST",
        others={"bureau": 404},
    ),
    # A key no crossing plan of the day names: refused on the form (422) for the gate.
    page(
        "complex:planline-add",
        DRAFT + "/lines/",
        GATE,
        ok=422,
        method="POST",
        body={"line-subject": "person", "line-key": "NOPE0000"},
        others={"bureau": 404},
    ),
    page(
        "complex:planline-withdraw",
        DRAFT + "/lines/{plan_line}/withdraw/",
        GATE,
        ok=302,
        method="POST",
        others={"bureau": 404},
    ),
    page("complex:dayplans-north", "/complex/crossings/north/", BUREAU),
    page(
        "complex:dayplan-answer",
        "/complex/crossings/north/{plan_sent}/answer/",
        BUREAU,
        ok=302,
        method="POST",
        body={"answer-consent": "yes"},
    ),
    api("GET", f"/complex/timetable?day={DAY}", COMPLEX_SEEING),
    api("GET", f"/complex/dayplans?day={DAY}", PLAN_READERS | BUREAU),
    api("POST", "/complex/dayplans/build", GATE, body={"day": DAY}),
    api("GET", "/complex/dayplans/{plan_draft}", PLAN_READERS, others={"bureau": 404}),
    api(
        "GET",
        "/complex/dayplans/{plan_sent}",
        (PLAN_READERS - {"firm"}) | BUREAU,
        others={"firm": 404},
    ),
    api("POST", "/complex/dayplans/{plan_draft}/send", GATE),
    api(
        "POST",
        "/complex/dayplans/{plan_draft}/lines",
        GATE,
        ok=422,
        body={"subject": "person", "key": "NOPE0000"},
    ),
    api("POST", "/complex/dayplans/{plan_draft}/lines/{plan_line}/withdraw", GATE),
    api("POST", "/complex/dayplans/{plan_sent}/answer", BUREAU, body={"consent": True}),
]


def world(personas: dict[str, Any]) -> dict[str, Any]:
    from panmun.complex.services.plans import dayplans_build
    from panmun.complex.services.plans_north import dayplan_send
    from panmun.complex.tests.factories import persona_firm
    from panmun.complex.tests.plans_world import crossing_application

    day = dt.date.fromisoformat(DAY)
    persona_firm(personas)
    crossing_application(personas["firm"], day, slot=dt.time(9, 30), people=2)
    crossing_application(personas["gic"], day, slot=dt.time(10, 30))
    result = dayplans_build(actor=personas["gate"], day=day)
    draft, other = result.plans
    sent = dayplan_send(actor=personas["gate"], plan=other)
    return {
        "plan_draft": draft.pk,
        "plan_sent": sent.pk,
        "plan_line": draft.lines.filter(subject="person").first().pk,
    }
