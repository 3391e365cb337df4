"""The permission matrix: the complex's customs declarations, risk rules and lanes, quarantine
inspections, the epidemic mode.

The world: the persona firm operating under its project approval, with a declaration stored,
one registered (red: no good record), one assessed (no quarantine needed); another firm's stored
declaration (which the firm does not see: 404); a risk rule; the 2015 draw (ended, not yet
revealed) and the 2014 draw (revealed); no epidemic mode. Customs (`customs`, `customs_chief`,
`admin`) registers, assesses, releases, stops and keeps the rules and draws; only the supervisor
re-routes; quarantine inspects and switches the epidemic mode; the firm stores and amends its
own; the committee and the ministry read everything; a firm never sees the risk rules; the
bureau sees nothing of customs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .matrix import api, page

READERS = {
    "gic",
    "ministry",
    "supervisor",
    "viewer",
    "admin",
    "firm",
    "customs",
    "customs_chief",
    "quarantine",
}
RULE_READERS = READERS - {"firm"}
FIRM = {"firm"}
CUSTOMS = {"customs", "customs_chief", "admin"}
CHIEF = {"customs_chief", "admin"}
QUARANTINE = {"quarantine", "admin"}
NOT_SEEN = {"firm": 404}

STORED = "/complex/customs/{cus_stored}"
REGISTERED = "/complex/customs/{cus_registered}"
ASSESSED = "/complex/customs/{cus_assessed}"
OTHER = "/complex/customs/{cus_other}"
A_STORED = "/complex/declarations/{cus_stored}"
A_REGISTERED = "/complex/declarations/{cus_registered}"
A_ASSESSED = "/complex/declarations/{cus_assessed}"
A_OTHER = "/complex/declarations/{cus_other}"

PLACEHOLDERS = {
    "{cus_firm}": "firm_id",
    "{cus_stored}": "declaration_id",
    "{cus_registered}": "declaration_id",
    "{cus_assessed}": "declaration_id",
    "{cus_other}": "declaration_id",
    "{cus_rule}": "rule_id",
    "{cus_draw}": "draw_id",
    "{cus_draw_revealed}": "draw_id",
}

LINE = {
    "hs_code": "620342",
    "description": "남성용 면바지",
    "quantity": "1200",
    "unit": "pcs",
    "value_usd": "8400.00",
}
DRAW_2016 = {"starts_on": "2016-01-01", "ends_on": "2016-12-31", "red_bp": 2000}

CASES = [
    page("complex:declarations", "/complex/customs/?state=registered&lane=red", READERS),
    page("complex:declaration-new", "/complex/customs/new/", FIRM),
    # Nothing typed: refused on the form (422), nothing written.
    page("complex:declaration-new", "/complex/customs/new/", FIRM, ok=422, method="POST"),
    page("complex:declaration", STORED + "/", READERS),
    page("complex:declaration", OTHER + "/", READERS - FIRM, others=NOT_SEEN),
    page(
        "complex:declaration-amend",
        REGISTERED + "/amend/",
        FIRM | CUSTOMS,
        ok=302,
        method="POST",
        body={
            **{f"amend-line1_{k}": v for k, v in LINE.items()},
            "amend-line1_quantity": "1300",
            "amend-reason": "수량 정정",
        },
    ),
    page("complex:declaration-register", STORED + "/register/", CUSTOMS, ok=302, method="POST"),
    page(
        "complex:declaration-assess",
        REGISTERED + "/assess/",
        CUSTOMS,
        ok=302,
        method="POST",
        body={"assess-note": "서류 확인"},
    ),
    page("complex:declaration-release", ASSESSED + "/release/", CUSTOMS, ok=302, method="POST"),
    page(
        "complex:declaration-stop",
        REGISTERED + "/stop/",
        CUSTOMS,
        ok=302,
        method="POST",
        body={"stop-reason": "서류 불일치"},
    ),
    page(
        "complex:declaration-reroute",
        REGISTERED + "/reroute/",
        CHIEF,
        ok=302,
        method="POST",
        body={"reroute-lane": "yellow", "reroute-reason": "정기 검사 품목"},
    ),
    page(
        "complex:declaration-inspect",
        REGISTERED + "/inspect/",
        QUARANTINE,
        ok=302,
        method="POST",
        body={"inspect-kind": "general", "inspect-result": "passed"},
    ),
    page("complex:customs-rules", "/complex/customs/rules/", RULE_READERS),
    page(
        "complex:risk-rule-add",
        "/complex/customs/rules/add/",
        CUSTOMS,
        ok=302,
        method="POST",
        body={"rule-name": "쌀 반입", "rule-lane": "red", "rule-hs_prefix": "1006"},
    ),
    page(
        "complex:risk-rule-retire",
        "/complex/customs/rules/{cus_rule}/retire/",
        CUSTOMS,
        ok=302,
        method="POST",
    ),
    # No firm chosen: refused on the form (422), nothing written.
    page(
        "complex:customs-standing",
        "/complex/customs/standing/",
        CUSTOMS,
        ok=422,
        method="POST",
        body={"standing-good_record": "on", "standing-since": "2014-01-01"},
    ),
    page(
        "complex:customs-standing-firm",
        "/complex/customs/standing/{cus_firm}/",
        CUSTOMS,
        ok=302,
        method="POST",
        body={"standing-good_record": "on", "standing-since": "2014-01-01"},
    ),
    page(
        "complex:customs-draw-commit",
        "/complex/customs/draws/",
        CUSTOMS,
        ok=302,
        method="POST",
        body={f"draw-{k}": v for k, v in {**DRAW_2016, "yellow_bp": 0, "blue_bp": 0}.items()},
    ),
    page("complex:customs-draw", "/complex/customs/draws/{cus_draw_revealed}/", RULE_READERS),
    page(
        "complex:customs-draw-reveal",
        "/complex/customs/draws/{cus_draw}/reveal/",
        CUSTOMS,
        ok=302,
        method="POST",
    ),
    page("complex:quarantine", "/complex/quarantine/", RULE_READERS),
    page(
        "complex:epidemic-start",
        "/complex/quarantine/epidemic/",
        QUARANTINE,
        ok=302,
        method="POST",
        body={"epidemic-reason": "구제역 발생"},
    ),
    # Not on: refused as a message on the next page (302), nothing written.
    page(
        "complex:epidemic-end",
        "/complex/quarantine/epidemic/end/",
        QUARANTINE,
        ok=302,
        method="POST",
    ),
    api("GET", "/complex/declarations?state=stored", READERS),
    api(
        "POST",
        "/complex/declarations",
        FIRM,
        ok=201,
        body={"direction": "carry_in", "declared_on": "2015-09-14", "lines": [LINE]},
    ),
    api("GET", A_STORED, READERS),
    api("GET", A_OTHER, READERS - FIRM, others=NOT_SEEN),
    api(
        "POST",
        A_REGISTERED + "/amend",
        FIRM | CUSTOMS,
        body={"lines": [{**LINE, "quantity": "1300"}], "reason": "수량 정정"},
    ),
    api("POST", A_STORED + "/register", CUSTOMS),
    api("POST", A_REGISTERED + "/assess", CUSTOMS, body={}),
    api("POST", A_ASSESSED + "/release", CUSTOMS),
    api("POST", A_REGISTERED + "/stop", CUSTOMS, body={"reason": "서류 불일치"}),
    api(
        "POST",
        A_REGISTERED + "/reroute",
        CHIEF,
        body={"lane": "yellow", "reason": "정기 검사 품목"},
    ),
    api(
        "POST",
        A_REGISTERED + "/inspections",
        QUARANTINE,
        ok=201,
        body={"kind": "general", "result": "passed"},
    ),
    api("GET", "/complex/customs/risk-rules", RULE_READERS),
    api(
        "POST",
        "/complex/customs/risk-rules",
        CUSTOMS,
        ok=201,
        body={"name": "쌀 반입", "lane": "red", "hs_prefix": "1006"},
    ),
    api("POST", "/complex/customs/risk-rules/{cus_rule}/retire", CUSTOMS),
    api("GET", "/complex/customs/draws", RULE_READERS),
    api(
        "POST",
        "/complex/customs/draws",
        CUSTOMS,
        ok=201,
        body={**DRAW_2016, "yellow_bp": 3000, "blue_bp": 1000},
    ),
    api("POST", "/complex/customs/draws/{cus_draw}/reveal", CUSTOMS),
    api("GET", "/complex/customs/draws/{cus_draw_revealed}/verify", RULE_READERS),
    api(
        "PUT",
        "/complex/firms/{cus_firm}/customs-standing",
        CUSTOMS,
        body={"good_record": True, "since": "2014-01-01"},
    ),
    api("GET", "/complex/quarantine/epidemic", RULE_READERS),
    api("POST", "/complex/quarantine/epidemic", QUARANTINE, ok=201, body={"reason": "구제역"}),
    # Not on: a transition refused (409), nothing written.
    api("POST", "/complex/quarantine/epidemic/end", QUARANTINE, ok=409),
]


def world(personas: dict[str, Any]) -> dict[str, Any]:
    from panmun.complex import customs as rules
    from panmun.complex.models import Declaration
    from panmun.complex.services import customs as svc
    from panmun.complex.tests.customs_world import draw_2015, line, operating_firm, stored
    from panmun.complex.tests.factories import make_firm

    customs = personas["customs"]
    firm = operating_firm(personas)
    draw = draw_2015(personas)
    revealed = svc.lane_draw_commit(
        actor=customs,
        starts_on=dt.date(2014, 1, 1),
        ends_on=dt.date(2014, 12, 31),
        rates=rules.Rates(2000, 3000, 1000),
    )
    svc.lane_draw_reveal(actor=customs, draw=revealed, today=dt.date(2015, 1, 5))
    first = stored(personas)
    registered = svc.declaration_register(actor=customs, declaration=stored(personas))
    assessed = svc.declaration_assess(
        actor=customs,
        declaration=svc.declaration_register(actor=customs, declaration=stored(personas)),
    )
    other_firm = make_firm("통관시험섬유(주)", name_en="Customs Test Textiles")
    other = Declaration.objects.create(
        firm=other_firm,
        direction="carry_out",
        declared_on=dt.date(2015, 9, 14),
        approval=first.approval,
        created_by=personas["gic"],
    )
    other.lines.create(
        row=1,
        hs_code=line().hs_code,
        description="원단",
        quantity=100,
        unit="m",
        value_usd=500,
    )
    rule = svc.risk_rule_add(
        actor=customs, name="고액 반입", lane="yellow", min_value_usd=Decimal(10**6)
    )
    return {
        "cus_firm": firm.pk,
        "cus_stored": first.pk,
        "cus_registered": registered.pk,
        "cus_assessed": assessed.pk,
        "cus_other": other.pk,
        "cus_rule": rule.pk,
        "cus_draw": draw.pk,
        "cus_draw_revealed": revealed.pk,
    }
