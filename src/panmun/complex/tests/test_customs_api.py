"""/api/v1/complex/ customs and quarantine: a declaration from storing to release, a banned item
stopped, refusals with their fields, who may do what (403/404), the draw's commitment and
verification, the epidemic mode."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from panmun.complex.models import Declaration, DeclarationState, RiskRule
from panmun.complex.services import customs as svc

from .customs_world import draw_2015, operating_firm, stored
from .factories import make_firm

pytestmark = pytest.mark.django_db

LINE = {
    "hs_code": "6203.42",
    "description": "남성용 면바지",
    "quantity": "1200",
    "unit": "pcs",
    "value_usd": "8400.00",
}


def body(firm_id: int, *lines: dict[str, Any]) -> dict[str, Any]:
    return {
        "firm": firm_id,
        "direction": "carry_in",
        "declared_on": "2015-09-14",
        "lines": list(lines) or [LINE],
    }


def test_a_declaration_from_storing_to_release(personas: dict[str, Any], api_for: Any) -> None:
    firm = operating_firm(personas)
    draw_2015(personas)
    svc.standing_set(
        actor=personas["customs"], firm=firm, good_record=True, since=dt.date(2010, 1, 1)
    )
    made = api_for("firm").post("/complex/declarations", body(firm.pk))
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["state"] == "stored"
    assert made.json()["lines"][0]["hs_code"] == "620342"
    customs = api_for("customs")
    registered = customs.post(f"/complex/declarations/{pk}/register")
    assert registered.status_code == 200, registered.content
    assert registered.json()["number"] == "GIC-2015-000001"
    assert registered.json()["lane"] in {"red", "yellow", "blue", "green"}
    rerouted = api_for("customs_chief").post(
        f"/complex/declarations/{pk}/reroute", {"lane": "yellow", "reason": "서류 심사로 충분"}
    )
    assert rerouted.status_code == 200, rerouted.content
    assert rerouted.json()["lane"] == "yellow"
    assert customs.post(f"/complex/declarations/{pk}/assess", {}).status_code == 200
    released = customs.post(f"/complex/declarations/{pk}/release")
    assert released.json()["state"] == "released"
    events = [e["kind"] for e in released.json()["events"]]
    assert events == ["stored", "registered", "routed", "rerouted", "assessed", "released"]
    assert released.json()["events"][3]["officer"] == "customs_chief"


def test_a_banned_item_is_stopped_through_the_api(personas: dict[str, Any], api_for: Any) -> None:
    firm = operating_firm(personas)
    draw_2015(personas)
    radio = {**LINE, "hs_code": "852560", "description": "휴대용 무전기"}
    pk = api_for("firm").post("/complex/declarations", body(firm.pk, LINE, radio)).json()["id"]
    answer = api_for("customs").post(f"/complex/declarations/{pk}/register")
    assert answer.status_code == 200
    assert (answer.json()["state"], answer.json()["stop_rule"]) == ("stopped", "radios")
    assert "무전기" in answer.json()["stop_reason"]


def test_bad_lines_are_named(personas: dict[str, Any], api_for: Any) -> None:
    firm = operating_firm(personas)
    bad = {**LINE, "hs_code": "9005.10", "description": "쌍안경"}
    answer = api_for("firm").post("/complex/declarations", body(firm.pk, bad))
    assert answer.status_code == 422
    assert answer.json()["details"]["errors"][0]["field"] == "line1_magnification"
    answer = api_for("firm").post("/complex/declarations", {**body(firm.pk), "lines": []})
    assert answer.status_code == 422
    assert not Declaration.objects.exists()


def test_who_may_do_what(personas: dict[str, Any], api_for: Any) -> None:
    own = stored(personas)
    other = make_firm("통관시험(주)")
    theirs = Declaration.objects.create(
        firm=other,
        direction="carry_in",
        declared_on=dt.date(2015, 9, 14),
        approval=own.approval,
        created_by=personas["gic"],
    )
    firm = api_for("firm")
    assert firm.get(f"/complex/declarations/{theirs.pk}").status_code == 404
    assert [d["id"] for d in firm.get("/complex/declarations").json()] == [own.pk]
    assert firm.post(f"/complex/declarations/{own.pk}/register").status_code == 403
    assert firm.get("/complex/customs/risk-rules").status_code == 403
    assert firm.post("/complex/declarations", body(other.pk)).status_code == 404
    assert api_for("bureau").get("/complex/declarations").status_code == 403
    assert api_for("gic").get(f"/complex/declarations/{theirs.pk}").status_code == 200
    assert api_for("ministry").post(f"/complex/declarations/{own.pk}/register").status_code == 403
    reroute = {"lane": "green", "reason": "x"}
    customs = api_for("customs")
    assert customs.post(f"/complex/declarations/{own.pk}/reroute", reroute).status_code == 403
    assert (
        api_for("quarantine")
        .post(f"/complex/declarations/{own.pk}/stop", {"reason": "x"})
        .status_code
        == 403
    )
    assert Declaration.objects.get(pk=own.pk).state == DeclarationState.STORED


def test_risk_rules_and_the_draw(personas: dict[str, Any], api_for: Any) -> None:
    customs = api_for("customs")
    rule = customs.post(
        "/complex/customs/risk-rules",
        {"name": "농산물 반입", "lane": "red", "hs_prefix": "10", "direction": "carry_in"},
    )
    assert rule.status_code == 201, rule.content
    refused = customs.post("/complex/customs/risk-rules", {"name": "빈 규칙", "lane": "red"})
    assert refused.status_code == 422
    assert RiskRule.objects.count() == 1
    too_much = customs.post(
        "/complex/customs/draws",
        {
            "starts_on": "2015-01-01",
            "ends_on": "2015-12-31",
            "red_bp": 2500,
            "yellow_bp": 0,
            "blue_bp": 0,
        },
    )
    assert too_much.status_code == 422
    assert too_much.json()["details"]["field"] == "red"
    made = customs.post(
        "/complex/customs/draws",
        {
            "starts_on": "2015-01-01",
            "ends_on": "2015-12-31",
            "red_bp": 2000,
            "yellow_bp": 3000,
            "blue_bp": 1000,
        },
    )
    assert made.status_code == 201
    draw = made.json()
    assert draw["seed_hex"] is None and len(draw["commitment_sha256"]) == 64
    assert api_for("gic").get("/complex/customs/draws").json()[0]["seed_hex"] is None
    assert customs.get(f"/complex/customs/draws/{draw['id']}/verify").status_code == 409
    revealed = customs.post(f"/complex/customs/draws/{draw['id']}/reveal")
    assert revealed.status_code == 200
    assert len(revealed.json()["seed_hex"]) == 64
    report = api_for("ministry").get(f"/complex/customs/draws/{draw['id']}/verify").json()
    assert report == {"ok": True, "checked": 0, "differences": []}


def test_quarantine_and_the_epidemic_mode(personas: dict[str, Any], api_for: Any) -> None:
    quarantine = api_for("quarantine")
    assert quarantine.get("/complex/quarantine/epidemic").json()["on"] is False
    assert quarantine.post("/complex/quarantine/epidemic", {"reason": ""}).status_code == 422
    started = quarantine.post("/complex/quarantine/epidemic", {"reason": "구제역"})
    assert started.status_code == 201
    assert api_for("gic").get("/complex/quarantine/epidemic").json()["on"] is True
    assert api_for("customs").post("/complex/quarantine/epidemic/end").status_code == 403
    assert quarantine.post("/complex/quarantine/epidemic/end").status_code == 200
    draw_2015(personas)
    d = svc.declaration_register(actor=personas["customs"], declaration=stored(personas))
    refused = quarantine.post(
        f"/complex/declarations/{d.pk}/inspections", {"kind": "plant", "result": "refused"}
    )
    assert refused.status_code == 422
    assert refused.json()["details"]["field"] == "note"
    passed = quarantine.post(
        f"/complex/declarations/{d.pk}/inspections", {"kind": "plant", "result": "passed"}
    )
    assert passed.status_code == 201
    assert passed.json()["officer"] == "quarantine"


def test_a_firm_does_not_learn_the_risk_rule(personas: dict[str, Any], api_for: Any) -> None:
    draw_2015(personas)
    rule = svc.risk_rule_add(
        actor=personas["customs"], name="의류 반입", lane="yellow", hs_prefix="62"
    )
    d = svc.declaration_register(actor=personas["customs"], declaration=stored(personas))
    seen = api_for("firm").get(f"/complex/declarations/{d.pk}").json()
    routed = next(e for e in seen["events"] if e["kind"] == "routed")
    assert "rule" not in routed["details"] and seen["rule_lane"] == ""
    assert routed["details"]["lane"] == "red"
    customs = api_for("customs").get(f"/complex/declarations/{d.pk}").json()
    assert next(e for e in customs["events"] if e["kind"] == "routed")["details"]["rule"] == rule.pk
