"""The permission matrix: the aid ledger's shipments, the North's receipts, policy exceptions and
monitoring visits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .matrix import api, page

# The ledger's readers: the ministry (viewers included) and the aid organisation's officers.
READERS = {"ministry", "supervisor", "viewer", "admin", "aid"}
# Who keeps the world's NGO shipment: the ministry's officers and the aid organisation.
EDITORS = {"ministry", "supervisor", "admin", "aid"}
# The government's own activity is the ministry's: the aid organisation does not see it.
MINISTRY_EDITORS = {"ministry", "supervisor", "admin"}
EXCEPTERS = {"supervisor", "admin"}
NORTH_OFFICERS = {"redcross_n", "liaison_n", "bureau"}
# A North organisation sees only the shipments sent to it (the world's go to its Red Cross).
NOT_TO_IT = {"liaison_n": 404, "bureau": 404}

SHIPMENT_FORM = {
    "commodity": "milk_powder",
    "quantity": "10",
    "unit": "t",
    "target_groups": ["infants_children"],
    "route": "sea",
    "planned_on": "2010-06-15",
}
SHIPMENT_BODY = SHIPMENT_FORM
EXCEPTION = {"measure": "2010-05-24", "reason_ko": "수해 복구", "reason_en": "Flood recovery"}
VISIT = {"place": "남포 탁아소", "planned_on": "2010-07-01", "outcome": "refused"}
RECEIPT = {"received_quantity": "12.5", "received_on": "2010-06-25"}

CASES = [
    page("aid:shipments", "/aid/shipments/", READERS),
    page("aid:shipment", "/aid/shipments/{aid_shipment}/", READERS),
    page(
        "aid:shipment-new",
        "/aid/activities/{aid_gov_activity}/shipments/new/",
        MINISTRY_EDITORS,
        ok=302,
        method="POST",
        body=SHIPMENT_FORM,
        others={"aid": 404},
    ),
    page(
        "aid:shipment-move",
        "/aid/shipments/{aid_shipment}/move/cancel/",
        EDITORS,
        ok=302,
        method="POST",
        others=dict.fromkeys(NORTH_OFFICERS, 404),
    ),
    page(
        "aid:monitoring-new",
        "/aid/shipments/{aid_shipment}/monitoring/",
        EDITORS,
        ok=302,
        method="POST",
        body=VISIT,
        others=dict.fromkeys(NORTH_OFFICERS, 404),
    ),
    page(
        "aid:policy-exception",
        "/aid/activities/{aid_activity}/policy-exception/",
        EXCEPTERS,
        ok=302,
        method="POST",
        body=EXCEPTION,
    ),
    page("aid:received", "/aid/received/", NORTH_OFFICERS),
    page(
        "aid:received-shipment",
        "/aid/received/{aid_sent}/",
        {"redcross_n"},
        ok=302,
        method="POST",
        body=RECEIPT,
        others=NOT_TO_IT,
    ),
    api("GET", "/aid/shipments", READERS | NORTH_OFFICERS),
    api(
        "POST",
        "/aid/activities/{aid_gov_activity}/shipments",
        MINISTRY_EDITORS,
        ok=201,
        body=SHIPMENT_BODY,
        others={"aid": 404},
    ),
    api("GET", "/aid/shipments/{aid_sent}", READERS | {"redcross_n"}, others=NOT_TO_IT),
    api(
        "POST",
        "/aid/shipments/{aid_shipment}/move",
        EDITORS,
        body={"move": "cancel"},
    ),
    api(
        "POST",
        "/aid/shipments/{aid_sent}/acknowledge",
        {"redcross_n"},
        body=RECEIPT,
        others=NOT_TO_IT,
    ),
    api(
        "POST",
        "/aid/activities/{aid_activity}/exceptions",
        EXCEPTERS,
        ok=201,
        body=EXCEPTION,
    ),
    api("GET", "/aid/shipments/{aid_shipment}/monitoring", READERS),
    api("POST", "/aid/shipments/{aid_shipment}/monitoring", EDITORS, ok=201, body=VISIT),
]

#: The path parameters the placeholders stand for.
PLACEHOLDERS = [
    ("{aid_activity}", "activity_id"),
    ("{aid_gov_activity}", "activity_id"),
    ("{aid_shipment}", "shipment_id"),
    ("{aid_sent}", "shipment_id"),
]

#: The writes the North's personas may make (tests/test_permissions.py NORTH_WRITES).
NORTH_WRITES = {
    "aid:received-shipment": (frozenset({"redcross_n"}), "its Red Cross acknowledges receipt"),
    "POST /api/v1/aid/shipments/{aid_sent}/acknowledge": (
        frozenset({"redcross_n"}),
        "its Red Cross acknowledges receipt",
    ),
}


def world(personas: dict[str, Any]) -> dict[str, Any]:
    """An NGO's activity with a shipment in process (its approval submitted) and one sent
    (approved, sent, addressed to the North's Red Cross), and a government activity."""
    from panmun.aid.services.shipments import shipment_move
    from panmun.aid.tests.shipment_factories import activity, approve, formula

    ngo = activity(personas, identifier="KR-MATRIX-SHIPMENTS-NGO")
    gov = activity(
        personas, identifier="KR-MATRIX-SHIPMENTS-GOV", channel="government", owner="ministry"
    )
    waiting = formula(personas["aid"], ngo, dt.date(2010, 6, 15))
    sent = formula(personas["aid"], ngo, dt.date(2010, 6, 15), quantity=Decimal("12.5"))
    approve(personas["ministry"], sent)
    shipment_move(actor=personas["aid"], shipment=sent, move="send", sent_on=dt.date(2010, 6, 20))
    return {
        "aid_activity": ngo.pk,
        "aid_gov_activity": gov.pk,
        "aid_shipment": waiting.pk,
        "aid_sent": sent.pk,
    }
