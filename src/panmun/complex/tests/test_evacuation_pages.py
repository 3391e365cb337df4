"""The evacuation's pages and API as each persona uses them: the order form (refusals keep what
was typed, never a 500), the board (live with htmx, replayed with ?at=, a firm's own), the
manifest, the assets left behind."""

from __future__ import annotations

import datetime as dt

import pytest

from panmun.liaison.models import Entry
from panmun.liaison.services.log import verify_received

from ..models import AssetLeft, EvacuationOrder, EvacuationState, Subject
from .evac_world import KST, Crosser, pass_gate
from .factories import make_firm, persona_firm

pytestmark = pytest.mark.django_db

ORDER_FORM = {
    "order-issued_at": "2016-02-11 16:50",
    "order-deadline": "2016-02-11 17:30",
    "order-issued_by_ko": "중앙특구개발지도총국",
    "order-issued_by_en": "",
    "order-terms": "전원 추방",
    "order-may_take": "개인 소지품",
    "order-allowed_to_stay": "M3, 박삼",
}


@pytest.fixture
def inside(personas):
    firm = persona_firm(personas)
    other = make_firm("다른봉제(주)")
    pass_gate(
        officer=personas["gate"],
        crossers=[
            Crosser(Subject.PERSON, "M1", "김일", firm, "11가1111"),
            Crosser(Subject.VEHICLE, "11가1111", "화물차", firm),
            Crosser(Subject.PERSON, "M3", "박삼", other),
        ],
        direction="out",
        at=dt.datetime(2016, 2, 11, 8, 30, tzinfo=KST),
    )
    return {"firm": firm, "other": other}


def test_the_order_form_the_board_and_the_manifest(client_for, inside):
    gic = client_for("gic")
    done = gic.post("/complex/evacuation/orders/new/", ORDER_FORM)
    assert done.status_code == 302 and done.url == "/complex/evacuation/"
    order = EvacuationOrder.objects.get()
    assert order.deadline == dt.datetime(2016, 2, 11, 17, 30, tzinfo=KST)
    assert list(order.stays.values_list("key", "name")) == [("M3", "박삼")]
    board = gic.get("/complex/evacuation/")
    assert board.status_code == 200
    assert "철수 현황판".encode() in board.content and "남은 시간".encode() in board.content
    assert b'hx-trigger="every 5s"' in board.content
    assert b'data-people="1"' in board.content and b'data-vehicles="1"' in board.content
    assert b'id="evacuation-staying"' in board.content
    partial = gic.get("/complex/evacuation/", HTTP_HX_REQUEST="true")
    assert partial.content.lstrip().startswith(b'<div id="evacuation-board"')
    replay = gic.get("/complex/evacuation/?at=2016-02-11T17:00")
    assert b'data-live="0"' in replay.content and b"hx-trigger" not in replay.content
    assert b"0:30:00" in replay.content
    gic.post("/language/", {"language": "en", "next": "/"})
    english = gic.get("/complex/evacuation/?at=2016-02-11T17:00").content
    assert b"Evacuation board" in english and b"Time left" in english
    sent = gic.post(f"/complex/evacuation/orders/{order.pk}/manifest/")
    assert sent.status_code == 302
    entry = Entry.objects.get()
    assert verify_received(entry.log, entry.index, entry.leaf)["body"]["source"]["ref"] == (
        f"evacuation-order/{order.pk}"
    )
    orders = gic.get("/complex/evacuation/orders/")
    assert f"south/{entry.index}".encode() in orders.content
    assert gic.post(f"/complex/evacuation/orders/{order.pk}/close/").status_code == 302
    order.refresh_from_db()
    assert order.state == EvacuationState.CLOSED


def test_a_refused_order_keeps_what_was_typed(client_for):
    gic = client_for("gic")
    wrong = gic.post(
        "/complex/evacuation/orders/new/", {**ORDER_FORM, "order-deadline": "2016-02-11 16:00"}
    )
    assert wrong.status_code == 422
    assert b'value="2016-02-11 16:00"' in wrong.content and "전원 추방".encode() in wrong.content
    assert "M3, 박삼".encode() in wrong.content
    assert "철수 시한은".encode() in wrong.content or b"deadline must be after" in wrong.content
    for field, value in (
        ("order-issued_at", "yesterday"),
        ("order-deadline", "2016-13-45 99:99"),
        ("order-issued_by_ko", ""),
        ("order-allowed_to_stay", "K" * 50),
        ("order-terms", "x\x00y"),
    ):
        refused = gic.post("/complex/evacuation/orders/new/", {**ORDER_FORM, field: value})
        assert refused.status_code == 422, field
    gic.post("/complex/evacuation/orders/new/", ORDER_FORM)
    second = gic.post("/complex/evacuation/orders/new/", ORDER_FORM)
    assert second.status_code == 422 and EvacuationOrder.objects.count() == 1


def test_the_board_never_fails_on_what_is_typed(client_for, inside):
    gic = client_for("gic")
    for at in ("tomorrow", "2016-02-30T10:00", "1900-01-01T00:00", "x" * 500, "2099-12-31T23:59"):
        page = gic.get("/complex/evacuation/", {"at": at})
        assert page.status_code == 200, at
    assert b"YYYY-MM-DDTHH:MM" in gic.get("/complex/evacuation/?at=soon").content
    for order in ("abc", "99999999", "-1", "9" * 30):
        assert gic.get("/complex/evacuation/", {"order": order}).status_code == 404


def test_a_firm_sees_only_its_own_people(client_for, inside):
    own = client_for("firm").get("/complex/evacuation/")
    assert own.status_code == 200
    assert "김일".encode() in own.content and "박삼".encode() not in own.content
    gate = client_for("gate").get("/complex/evacuation/")
    assert "박삼".encode() in gate.content
    assert client_for("bureau").get("/complex/evacuation/").status_code == 403


def test_assets_through_the_page(client_for, inside):
    firm, other = inside["firm"], inside["other"]
    me = client_for("firm")
    form = {
        "asset-firm": firm.pk,
        "asset-category": "finished_goods",
        "asset-description": "의류 3,000벌",
        "asset-quantity": "3000",
        "asset-unit": "벌",
        "asset-value_krw": "90000000",
    }
    assert me.post("/complex/evacuation/assets/new/", form).status_code == 302
    for field, value in (
        ("asset-firm", other.pk),
        ("asset-firm", "abc"),
        ("asset-category", "gold"),
        ("asset-quantity", "abc"),
        ("asset-quantity", "0"),
        ("asset-value_krw", "-1"),
        ("asset-value_krw", "1.5"),
        ("asset-value_krw", "1" * 30),
        ("asset-description", ""),
    ):
        refused = me.post("/complex/evacuation/assets/new/", {**form, field: value})
        assert refused.status_code == 422, (field, value)
        assert "의류 3,000벌".encode() in refused.content or field == "asset-description"
    assert AssetLeft.objects.count() == 1
    page = me.get("/complex/evacuation/assets/")
    assert b'id="asset-grand-total"' in page.content
    export = client_for("ministry").get("/complex/evacuation/assets/export/")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    assert client_for("ministry").post("/complex/evacuation/assets/new/", form).status_code == 403
    assert client_for("gate").get("/complex/evacuation/assets/").status_code == 403


# --- the API ------------------------------------------------------------------------------


ORDER_JSON = {
    "issued_at": "2016-02-11T16:50:00+09:00",
    "deadline": "2016-02-11T17:30:00+09:00",
    "issued_by_ko": "중앙특구개발지도총국",
    "allowed_to_stay": [{"key": "M3", "name": "박삼"}],
}


def test_the_api_flow(api_for, inside):
    sup = api_for("supervisor")
    made = sup.post("/complex/evacuation/orders", ORDER_JSON)
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["allowed_to_stay"] == [
        {"subject": "person", "key": "M3", "name": "박삼", "firm_id": inside["other"].pk}
    ]
    again = sup.post("/complex/evacuation/orders", ORDER_JSON)
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    board = api_for("gate").get("/complex/evacuation/board?at=2016-02-11T17:00:00%2B09:00")
    assert board.status_code == 200
    data = board.json()
    assert (data["order_id"], data["seconds_left"], data["live"]) == (body["id"], 1800, False)
    assert data["totals"]["people_inside"] == 1 and data["totals"]["people_staying"] == 1
    assert [p["key"] for p in data["firms"][0]["people"]] == ["M1"]
    own = api_for("firm").get("/complex/evacuation/board").json()
    assert own["staying"] == [] and own["totals"]["people_inside"] == 1
    early = sup.post(
        f"/complex/evacuation/orders/{body['id']}/manifest", {"at": "2016-02-11T16:00:00"}
    )
    assert early.status_code == 422 and not Entry.objects.exists()
    sent = sup.post(f"/complex/evacuation/orders/{body['id']}/manifest", {})
    assert sent.status_code == 201 and sent.json()["items"] == 3
    entry = Entry.objects.get()
    assert sent.json()["entry"] == f"south/{entry.index}"
    verify_received(entry.log, entry.index, entry.leaf)
    closed = sup.post(f"/complex/evacuation/orders/{body['id']}/close", {})
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert sup.post(f"/complex/evacuation/orders/{body['id']}/close", {}).status_code == 409


def test_the_api_refuses_bad_input_without_a_500(api_for, inside):
    gic = api_for("gic")
    for changes in (
        {"deadline": "2016-02-11T16:00:00+09:00"},
        {"issued_at": "yesterday"},
        {"issued_at": 1455177000},
        {"issued_by_ko": ""},
        {"allowed_to_stay": [{"key": ""}]},
        {"allowed_to_stay": [{"key": "M1", "subject": "ship"}]},
        {"allowed_to_stay": [{"key": "M1"}, {"key": "m1"}]},
        {"extra": 1},
    ):
        response = gic.post("/complex/evacuation/orders", {**ORDER_JSON, **changes})
        assert response.status_code == 422, (changes, response.content)
    assert not EvacuationOrder.objects.exists()
    for query in ("at=soon", "order=abc", "order=0"):
        assert gic.get(f"/complex/evacuation/board?{query}").status_code == 422, query
    assert gic.get("/complex/evacuation/board?order=99999").status_code == 404
    naive = gic.get("/complex/evacuation/board?at=2016-02-11T17:00:00").json()
    assert naive["at"].startswith("2016-02-11T17:00:00+09:00")
    assert gic.get("/complex/evacuation/board?at=0001-01-01T00:00:00Z").status_code == 200
    assert gic.get("/complex/evacuation/assets?firm=abc").status_code == 422
    assert gic.get("/complex/evacuation/assets?firm=1").status_code == 200
    assert gic.post("/complex/evacuation/orders/99999/close", {}).status_code == 404
    firm = inside["firm"].pk
    asset = {"category": "equipment", "description": "재봉기", "quantity": "1", "value_krw": "1"}
    for changes in (
        {"quantity": "0"},
        {"quantity": "-1"},
        {"quantity": 1},
        {"value_krw": "1.5"},
        {"value_krw": "1" * 16},
        {"category": "gold"},
        {"description": ""},
    ):
        response = gic.post(f"/complex/evacuation/firms/{firm}/assets", {**asset, **changes})
        assert response.status_code == 422, (changes, response.content)
    assert not AssetLeft.objects.exists()
    me = api_for("firm")
    other = inside["other"].pk
    assert me.post(f"/complex/evacuation/firms/{other}/assets", asset).status_code == 404
    made = me.post(f"/complex/evacuation/firms/{firm}/assets", asset)
    assert made.status_code == 201 and made.json()["value_krw"] in ("1", 1)
    totals = api_for("ministry").get("/complex/evacuation/assets/totals").json()
    assert [(t["firm_id"], t["category"], t["records"]) for t in totals] == [(firm, "equipment", 1)]
    assert (
        api_for("ministry").post(f"/complex/evacuation/firms/{firm}/assets", asset).status_code
        == 403
    )


def test_refused_buttons_say_why_and_write_nothing(client_for, inside, settings):
    gic = client_for("gic")
    gic.post("/complex/evacuation/orders/new/", ORDER_FORM)
    order = EvacuationOrder.objects.get()
    settings.PANMUN_LIAISON_SIDES = ["north"]
    refused = gic.post(f"/complex/evacuation/orders/{order.pk}/manifest/", follow=True)
    assert refused.status_code == 200 and not Entry.objects.exists()
    assert "남측 연락 기록을 쓰지 않습니다".encode() in refused.content
    assert gic.post(f"/complex/evacuation/orders/{order.pk}/close/").status_code == 302
    again = gic.post(f"/complex/evacuation/orders/{order.pk}/close/", follow=True)
    assert "이미 종료된 철수 명령입니다".encode() in again.content
    assert (
        client_for("ministry").post(f"/complex/evacuation/orders/{order.pk}/close/").status_code
        == 403
    )
    assert gic.post("/complex/evacuation/orders/999999/close/").status_code == 404
