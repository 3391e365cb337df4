"""The permission matrix: the complex's orders to leave, the evacuation board, the manifest, assets
left behind.

The world: an order to leave in force (given 11 February 2016 16:50, everyone out by 17:30),
two people and a vehicle of the persona firm and one person of another firm inside, an asset
the persona firm left behind. The committee (`gic`, `admin`) and the ministry's supervisors
(`supervisor`, and `admin`) record and close orders and send the manifest; the board is read by
the committee, the ministry, the gate and the firm (its own people); the firm registers its own
assets (another firm's: 404), the committee any firm's, the ministry reads them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from .matrix import api, page

READERS = {"gic", "ministry", "supervisor", "viewer", "admin", "firm"}
BOARD = READERS | {"gate"}
ORDERING = {"gic", "admin", "supervisor"}
ASSET_KEEPERS = {"gic", "admin", "firm"}
NOT_SEEN = {"firm": 404}

ORDER = "/complex/evacuation/orders/{evac_order}"

PLACEHOLDERS = {
    "{evac_order}": "order_id",
    "{evac_firm}": "firm_id",
    "{evac_other_firm}": "firm_id",
}

NEW_ORDER = {
    "issued_at": "2016-02-12T09:00:00+09:00",
    "deadline": "2016-02-12T12:00:00+09:00",
    "issued_by_ko": "중앙특구개발지도총국",
}
ASSET = {
    "category": "equipment",
    "description": "재봉기 120대",
    "quantity": "120",
    "value_krw": "360000000",
}

CASES = [
    page("complex:evacuation-board", "/complex/evacuation/", BOARD),
    page("complex:evacuation-board", "/complex/evacuation/?at=2016-02-11T17:00", BOARD),
    page("complex:evacuation-orders", "/complex/evacuation/orders/", BOARD),
    # An order is in force: a second is refused on the form (422), nothing written.
    page(
        "complex:evacuation-order-record",
        "/complex/evacuation/orders/new/",
        ORDERING,
        ok=422,
        method="POST",
        body={f"order-{k}": v for k, v in NEW_ORDER.items()},
    ),
    page(
        "complex:evacuation-order-close",
        "/complex/evacuation/orders/{evac_order}/close/",
        ORDERING,
        ok=302,
        method="POST",
    ),
    page(
        "complex:evacuation-manifest-send",
        "/complex/evacuation/orders/{evac_order}/manifest/",
        ORDERING,
        ok=302,
        method="POST",
    ),
    page("complex:evacuation-assets", "/complex/evacuation/assets/", READERS),
    # No firm chosen: the form is refused (422) for those who may record one.
    page(
        "complex:evacuation-asset-record",
        "/complex/evacuation/assets/new/",
        ASSET_KEEPERS,
        ok=422,
        method="POST",
        body={f"asset-{k}": v for k, v in ASSET.items()},
    ),
    page("complex:evacuation-assets-export", "/complex/evacuation/assets/export/", READERS),
    api("GET", "/complex/evacuation/orders", BOARD),
    # An order is in force: a second is a conflict (409), nothing written.
    api("POST", "/complex/evacuation/orders", ORDERING, ok=409, body=NEW_ORDER),
    api("POST", ORDER + "/close", ORDERING, body={}),
    api("POST", ORDER + "/manifest", ORDERING, ok=201, body={}),
    api("GET", "/complex/evacuation/board", BOARD),
    api("GET", "/complex/evacuation/board?at=2016-02-11T17:00:00%2B09:00", BOARD),
    api("GET", "/complex/evacuation/assets", READERS),
    api("GET", "/complex/evacuation/assets/totals", READERS),
    api("GET", "/complex/evacuation/assets/export", READERS),
    api("POST", "/complex/evacuation/firms/{evac_firm}/assets", ASSET_KEEPERS, ok=201, body=ASSET),
    api(
        "POST",
        "/complex/evacuation/firms/{evac_other_firm}/assets",
        {"gic", "admin"},
        ok=201,
        body=ASSET,
        others=NOT_SEEN,
    ),
]


def world(personas: dict[str, Any]) -> dict[str, Any]:
    from panmun.complex.models import Subject
    from panmun.complex.services.evacuation import asset_left_record, evacuation_order_record
    from panmun.complex.tests.evac_world import Crosser, pass_gate
    from panmun.complex.tests.factories import make_firm, persona_firm

    kst = ZoneInfo("Asia/Seoul")
    firm = persona_firm(personas)
    other = make_firm("철수시험전자(주)", name_en="Evacuation Test Electronics")
    pass_gate(
        officer=personas["gate"],
        crossers=[
            Crosser(Subject.PERSON, "M90000001", "김철수", firm, "11가1111"),
            Crosser(Subject.PERSON, "M90000002", "이영희", firm, "11가1111"),
            Crosser(Subject.VEHICLE, "11가1111", "화물차", firm),
            Crosser(Subject.PERSON, "M90000003", "박민수", other),
        ],
        direction="out",
        at=dt.datetime(2016, 2, 11, 8, 30, tzinfo=kst),
    )
    order = evacuation_order_record(
        actor=personas["gic"],
        issued_at=dt.datetime(2016, 2, 11, 16, 50, tzinfo=kst),
        deadline=dt.datetime(2016, 2, 11, 17, 30, tzinfo=kst),
        issued_by_ko="중앙특구개발지도총국",
    )
    asset_left_record(
        actor=personas["firm"],
        firm=firm,
        category="finished_goods",
        description="완제품 의류 3,000벌",
        quantity=Decimal(3000),
        unit="벌",
        value_krw=Decimal(90000000),
    )
    return {"evac_order": order.pk, "evac_firm": firm.pk, "evac_other_firm": other.pk}
