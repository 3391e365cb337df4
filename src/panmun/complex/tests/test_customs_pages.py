"""The customs and quarantine pages: a firm's new declaration (a refusal keeps every typed value
and names the field), customs' actions (register: a banned item stopped; assess, release),
re-routing by a supervisor only, the quarantine officer's form and the epidemic mode, the
draw's page, and wrong values in every field (never a 500)."""

from __future__ import annotations

from typing import Any

import pytest

from panmun.complex.models import Declaration, DeclarationState, EpidemicPeriod, LaneDraw, RiskRule
from panmun.complex.services import customs as svc

from .customs_world import draw_2015, operating_firm, registered, stored

pytestmark = pytest.mark.django_db


def form(firm_id: int, **lines: str) -> dict[str, str]:
    return {
        "firm": str(firm_id),
        "direction": "carry_in",
        "declared_on": "2015-09-14",
        "line1_hs_code": "6203.42",
        "line1_description": "남성용 면바지",
        "line1_quantity": "1200",
        "line1_unit": "pcs",
        "line1_value_usd": "8400",
        **lines,
    }


def test_a_firm_stores_a_declaration(personas: dict[str, Any], client_for: Any) -> None:
    firm = operating_firm(personas)
    client = client_for("firm")
    assert client.get("/complex/customs/new/").status_code == 200
    answer = client.post("/complex/customs/new/", form(firm.pk))
    assert answer.status_code == 302, answer.content.decode()[:2000]
    d = Declaration.objects.get()
    assert answer["Location"] == f"/complex/customs/{d.pk}/"
    assert (d.state, d.lines.get().hs_code) == (DeclarationState.STORED, "620342")
    page = client.get(f"/complex/customs/{d.pk}/").content.decode()
    assert "620342" in page and 'id="declaration-register"' not in page


def test_the_htmx_form_sends_the_browser_to_the_declaration_stored(
    personas: dict[str, Any], client_for: Any
) -> None:
    """Not a redirect followed inside the htmx request, whose page would be swapped in under
    the new form's address."""
    firm = operating_firm(personas)
    answer = client_for("firm").post("/complex/customs/new/", form(firm.pk), HTTP_HX_REQUEST="true")
    d = Declaration.objects.get()
    assert (answer.status_code, answer["HX-Redirect"]) == (200, f"/complex/customs/{d.pk}/")


def test_a_refused_form_keeps_what_was_typed(personas: dict[str, Any], client_for: Any) -> None:
    firm = operating_firm(personas)
    typed = form(
        firm.pk,
        line2_hs_code="9005.10",
        line2_description="쌍안경 특이품",
        line2_quantity="3",
        line2_unit="ea",
        line2_value_usd="90",
    )
    answer = client_for("firm").post("/complex/customs/new/", typed)
    assert answer.status_code == 422
    page = answer.content.decode()
    assert "쌍안경 특이품" in page and 'value="9005.10"' in page
    assert "line2_magnification" in page
    assert answer.context["form"].errors["line2_magnification"]
    assert not Declaration.objects.exists()


@pytest.mark.parametrize(
    "wrong",
    [
        {"firm": "abc"},
        {"firm": "999999999999"},
        {"direction": "sideways"},
        {"declared_on": "2015-02-30"},
        {"declared_on": "1899-01-01"},
        {"approval": "x"},
        {"line1_hs_code": "abc"},
        {"line1_hs_code": ""},
        {"line1_quantity": "-1"},
        {"line1_quantity": "1e999"},
        {"line1_quantity": "NaN"},
        {"line1_value_usd": "12345678901234567890"},
        {"line1_description": "x" * 201},
        {"line1_description": "a\x00b"},
        {"line2_hs_code": "620342"},
        {"line1_magnification": "ten"},
        {"line1_focal_length_mm": "-5"},
    ],
)
def test_wrong_values_are_refused_not_crashed(
    personas: dict[str, Any], client_for: Any, wrong: dict[str, str]
) -> None:
    firm = operating_firm(personas)
    answer = client_for("firm").post("/complex/customs/new/", {**form(firm.pk), **wrong})
    assert answer.status_code == 422
    assert not Declaration.objects.exists()


def test_customs_registers_and_a_banned_item_is_stopped(
    personas: dict[str, Any], client_for: Any
) -> None:
    draw_2015(personas)
    d = stored(personas, svc.LineIn("930190", "소총", "1", "ea", "100"))
    client = client_for("customs")
    page = client.get(f"/complex/customs/{d.pk}/").content.decode()
    assert 'id="declaration-register"' in page
    answer = client.post(f"/complex/customs/{d.pk}/register/")
    assert answer.status_code == 302
    page = client.get(f"/complex/customs/{d.pk}/").content.decode()
    assert 'id="declaration-stopped"' in page and "weapons" in page
    assert Declaration.objects.get(pk=d.pk).state == DeclarationState.STOPPED


def test_assess_and_release_through_the_pages(personas: dict[str, Any], client_for: Any) -> None:
    d = registered(personas)
    client = client_for("customs")
    assert (
        client.post(f"/complex/customs/{d.pk}/assess/", {"assess-note": "x" * 2001}).status_code
        == 422
    )
    assert (
        client.post(f"/complex/customs/{d.pk}/assess/", {"assess-note": "검사 완료"}).status_code
        == 302
    )
    assert client.post(f"/complex/customs/{d.pk}/release/").status_code == 302
    assert Declaration.objects.get(pk=d.pk).state == DeclarationState.RELEASED
    # Released already: refused as a message, nothing changes.
    assert client.post(f"/complex/customs/{d.pk}/release/").status_code == 302
    assert Declaration.objects.get(pk=d.pk).events.filter(kind="released").count() == 1


def test_reroute_page_only_for_a_supervisor(personas: dict[str, Any], client_for: Any) -> None:
    d = registered(personas)
    body = {"reroute-lane": "green", "reroute-reason": "재검토"}
    assert client_for("customs").post(f"/complex/customs/{d.pk}/reroute/", body).status_code == 403
    chief = client_for("customs_chief")
    refused = chief.post(f"/complex/customs/{d.pk}/reroute/", {"reroute-lane": "green"})
    assert refused.status_code == 422
    assert chief.post(f"/complex/customs/{d.pk}/reroute/", body).status_code == 302
    assert Declaration.objects.get(pk=d.pk).lane == "green"


def test_firm_and_outsiders(personas: dict[str, Any], client_for: Any) -> None:
    d = stored(personas)
    assert client_for("firm").get("/complex/customs/rules/").status_code == 403
    assert client_for("firm").post(f"/complex/customs/{d.pk}/register/").status_code == 403
    assert client_for("bureau").get(f"/complex/customs/{d.pk}/").status_code == 403
    assert client_for("gic").get(f"/complex/customs/{d.pk}/").status_code == 200
    assert client_for("customs").get("/complex/customs/new/").status_code == 403
    assert Declaration.objects.get(pk=d.pk).state == DeclarationState.STORED


def test_rules_and_draw_pages(personas: dict[str, Any], client_for: Any) -> None:
    client = client_for("customs")
    bad = client.post(
        "/complex/customs/rules/add/",
        {"rule-name": "규칙", "rule-lane": "red", "rule-hs_prefix": "6a"},
    )
    assert bad.status_code == 422
    assert 'value="6a"' in bad.content.decode()
    ok = client.post(
        "/complex/customs/rules/add/",
        {"rule-name": "규칙", "rule-lane": "red", "rule-hs_prefix": "10"},
    )
    assert ok.status_code == 302
    assert RiskRule.objects.count() == 1
    over = client.post(
        "/complex/customs/draws/",
        {
            "draw-starts_on": "2015-01-01",
            "draw-ends_on": "2015-12-31",
            "draw-red_bp": "2500",
            "draw-yellow_bp": "0",
            "draw-blue_bp": "0",
        },
    )
    assert over.status_code == 422
    made = client.post(
        "/complex/customs/draws/",
        {
            "draw-starts_on": "2015-01-01",
            "draw-ends_on": "2015-12-31",
            "draw-red_bp": "2000",
            "draw-yellow_bp": "1000",
            "draw-blue_bp": "0",
        },
    )
    assert made.status_code == 302
    draw = LaneDraw.objects.get()
    page = client_for("ministry").get(f"/complex/customs/draws/{draw.pk}/").content.decode()
    assert draw.commitment_sha256 in page and draw.seed_hex not in page
    assert client.post(f"/complex/customs/draws/{draw.pk}/reveal/").status_code == 302
    page = client_for("gic").get(f"/complex/customs/draws/{draw.pk}/").content.decode()
    assert draw.seed_hex in page and 'id="draw-verified"' in page
    standing = client.post(
        "/complex/customs/standing/",
        {"standing-firm": str(operating_firm(personas).pk), "standing-good_record": "on"},
    )
    assert standing.status_code == 422  # no "since"


def test_quarantine_pages(personas: dict[str, Any], client_for: Any) -> None:
    d = registered(personas, svc.LineIn("100630", "쌀", "1000", "kg", "2500"))
    q = client_for("quarantine")
    page = q.get("/complex/quarantine/").content.decode()
    assert f'data-declaration="{d.pk}"' in page
    refused = q.post(
        f"/complex/customs/{d.pk}/inspect/", {"inspect-kind": "plant", "inspect-result": "refused"}
    )
    assert refused.status_code == 422
    assert (
        q.post(
            f"/complex/customs/{d.pk}/inspect/",
            {"inspect-kind": "plant", "inspect-result": "passed"},
        ).status_code
        == 302
    )
    assert (
        client_for("customs")
        .post(
            f"/complex/customs/{d.pk}/inspect/",
            {"inspect-kind": "plant", "inspect-result": "passed"},
        )
        .status_code
        == 403
    )
    assert q.post("/complex/quarantine/epidemic/", {"epidemic-reason": ""}).status_code == 422
    assert q.post("/complex/quarantine/epidemic/", {"epidemic-reason": "구제역"}).status_code == 302
    assert 'data-on="1"' in q.get("/complex/quarantine/").content.decode()
    assert client_for("customs").post("/complex/quarantine/epidemic/end/").status_code == 403
    assert q.post("/complex/quarantine/epidemic/end/").status_code == 302
    assert EpidemicPeriod.objects.get().ends_at is not None


def test_amendment_through_the_page(personas: dict[str, Any], client_for: Any) -> None:
    d = registered(personas)
    client = client_for("firm")
    page = client.get(f"/complex/customs/{d.pk}/").content.decode()
    assert 'id="declaration-amend-form"' in page and 'value="620342"' in page
    body = {
        "amend-line1_hs_code": "620342",
        "amend-line1_description": "남성용 면바지",
        "amend-line1_quantity": "1300",
        "amend-line1_unit": "pcs",
        "amend-line1_value_usd": "9100",
    }
    refused = client.post(f"/complex/customs/{d.pk}/amend/", body)
    assert refused.status_code == 422  # registered: the reason is required
    assert 'value="1300"' in refused.content.decode()
    done = client.post(f"/complex/customs/{d.pk}/amend/", {**body, "amend-reason": "수량 정정"})
    assert done.status_code == 302
    after = Declaration.objects.get(pk=d.pk)
    assert (after.number, after.lines.get().quantity) == (d.number, 1300)
    assert after.events.filter(kind="amended").count() == 1
    assessed = svc.declaration_assess(actor=personas["customs"], declaration=after)
    page = client.get(f"/complex/customs/{assessed.pk}/").content.decode()
    assert 'id="declaration-amend-form"' not in page


def test_the_history_reads_as_words_not_stored_json(
    personas: dict[str, Any], client_for: Any
) -> None:
    """Each event's details on the page: labels and values in the page's language (a lane's
    name, a line's change), never the stored dictionary."""
    d = registered(personas)
    svc.declaration_amend(
        actor=personas["customs"],
        declaration=d,
        lines=[svc.LineIn("620342", "남성용 면바지", "1300", "pcs", "9100")],
        reason="수량 정정",
    )
    chief = client_for("customs_chief")
    chief.post(
        f"/complex/customs/{d.pk}/reroute/",
        {"reroute-lane": "green", "reroute-reason": "재검토"},
    )
    page = client_for("customs").get(f"/complex/customs/{d.pk}/").content.decode()
    history = page.split('id="declaration-events"')[1].split("</table>")[0]
    assert "{'" not in history and "[{" not in history
    assert "quantity" in history and "→ 1300" in history  # the amendment's change
    assert "수량 정정" in history and "재검토" in history
    assert "변경 후 구분: 녹색" in history  # the re-routing's lane by its name
    assert "등록" in history and ">registered<" not in history  # the state's label
