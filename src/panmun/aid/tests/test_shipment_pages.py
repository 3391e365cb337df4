"""The shipments' pages and API: acceptance 4 through the page and the API (fertiliser to the
general population after 24 May 2010 refused naming the measure, infant formula for children
allowed, a supervisor's exception audited), the NGO's shipment through its approval, the
North's acknowledgement with its signed receipt, and refusals that write nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from panmun.accounts.models import AuditEntry

from ..models import Channel, MonitoringVisit, PolicyException, Shipment
from .shipment_factories import activity, approve, formula

pytestmark = pytest.mark.django_db

FORM = {
    "commodity": "fertiliser",
    "quantity": "1000",
    "unit": "t",
    "target_groups": ["general"],
    "route": "sea",
    "port_of_loading": "군산",
    "port_of_discharge": "남포",
    "planned_on": "2010-06-15",
}


def test_page_refuses_fertiliser_naming_the_measure_and_keeps_what_was_typed(personas, client_for):
    act = activity(personas)
    response = client_for("aid").post(f"/aid/activities/{act.pk}/shipments/new/", FORM)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'data-measure="2010-05-24"' in page
    assert 'value="남포"' in page
    assert "exception-form" not in page  # the aid officer is no supervisor
    assert Shipment.objects.count() == 0


def test_page_records_formula_for_children(personas, client_for):
    act = activity(personas)
    form = FORM | {
        "commodity": "milk_powder",
        "quantity": "12.5",
        "target_groups": ["infants_children"],
    }
    response = client_for("aid").post(f"/aid/activities/{act.pk}/shipments/new/", form)
    shipment = Shipment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/aid/shipments/{shipment.pk}/"
    page = client_for("aid").get(response["Location"]).content.decode()
    assert shipment.reference in page
    assert 'data-approval-state="submitted"' in page


def test_supervisor_page_exception_lets_government_fertiliser_through(personas, client_for):
    act = activity(personas, identifier="KR-GOV", channel=Channel.GOVERNMENT, owner="ministry")
    supervisor = client_for("supervisor")
    url = f"/aid/activities/{act.pk}/shipments/new/"
    refused = supervisor.post(url, FORM)
    assert refused.status_code == 422
    assert 'data-exception-for="2010-05-24"' in refused.content.decode()
    # Without its reasons nothing is recorded; the form comes back with what was typed.
    missing = supervisor.post(
        f"/aid/activities/{act.pk}/policy-exception/",
        {"measure": "2010-05-24", "reason_ko": "", "reason_en": "Flood recovery", "next": url},
    )
    assert missing.status_code == 422
    assert "Flood recovery</textarea>" in missing.content.decode()
    assert PolicyException.objects.count() == 0
    done = supervisor.post(
        f"/aid/activities/{act.pk}/policy-exception/",
        {
            "measure": "2010-05-24",
            "reason_ko": "수해 복구",
            "reason_en": "Flood recovery",
            "next": url,
        },
    )
    assert done.status_code == 302 and done["Location"] == url
    audit = AuditEntry.objects.get(action="aid.policy.exception")
    assert audit.changes["measure"] == "2010-05-24" and audit.actor == personas["supervisor"]
    assert supervisor.post(url, FORM).status_code == 302
    assert Shipment.objects.get().commodity == "fertiliser"


def test_a_supervisor_learns_the_measure_on_an_ngos_activity(personas, client_for):
    act = activity(personas)
    refused = client_for("supervisor").post(f"/aid/activities/{act.pk}/shipments/new/", FORM)
    assert refused.status_code == 422
    assert 'data-exception-for="2010-05-24"' in refused.content.decode()
    assert Shipment.objects.count() == 0


def test_the_ministrys_officer_may_not_grant_an_exception(personas, client_for):
    act = activity(personas)
    response = client_for("ministry").post(
        f"/aid/activities/{act.pk}/policy-exception/",
        {"measure": "2010-05-24", "reason_ko": "가", "reason_en": "a"},
    )
    assert response.status_code == 403
    assert PolicyException.objects.count() == 0


def test_send_acknowledge_and_the_signed_receipt_on_the_pages(personas, client_for):
    act = activity(personas)
    shipment = formula(personas["aid"], act, dt.date(2010, 6, 15))
    aid = client_for("aid")
    early = aid.post(f"/aid/shipments/{shipment.pk}/move/send/", {"sent_on": "2010-06-20"})
    assert early.status_code == 422
    assert Shipment.objects.get().state == "in_process"
    approve(personas["ministry"], shipment)
    sent = aid.post(f"/aid/shipments/{shipment.pk}/move/send/", {"sent_on": "2010-06-20"})
    assert sent.status_code == 302
    north = client_for("redcross_n")
    assert shipment.reference in north.get("/aid/received/").content.decode()
    url = f"/aid/received/{shipment.pk}/"
    short = north.post(url, {"received_quantity": "12", "received_on": "2010-06-25"})
    assert short.status_code == 422
    assert "difference_reason" in short.content.decode()
    assert Shipment.objects.get().state == "sent"
    done = north.post(
        url,
        {"received_quantity": "12", "received_on": "2010-06-25", "difference_reason": "젖음"},
    )
    assert done.status_code == 302
    page = client_for("ministry").get(f"/aid/shipments/{shipment.pk}/").content.decode()
    assert 'data-receipt-state="cosigned"' in page
    assert 'data-state="received"' in page
    # Another organisation of the North sees nothing of it.
    assert client_for("liaison_n").get(url).status_code == 404


def test_monitoring_from_the_page(personas, client_for):
    act = activity(personas)
    shipment = formula(personas["aid"], act, dt.date(2010, 6, 15))
    url = f"/aid/shipments/{shipment.pk}/monitoring/"
    bad = client_for("aid").post(
        url,
        {
            "place": "남포",
            "planned_on": "2010-07-01",
            "outcome": "done",
            "visited_on": "2010-07-02",
            "seen_ko": "가",
            "seen_en": "a",
            "photo_file": "p.jpg",
            "photo_sha256": "nothex",
        },
    )
    assert bad.status_code == 422
    assert MonitoringVisit.objects.count() == 0
    ok = client_for("aid").post(
        url, {"place": "남포", "planned_on": "2010-07-01", "outcome": "refused"}
    )
    assert ok.status_code == 302
    assert MonitoringVisit.objects.get().outcome == "refused"


# --- the API ------------------------------------------------------------------------------------


def body(**extra):
    return {
        "commodity": "fertiliser",
        "quantity": "1000",
        "unit": "t",
        "route": "sea",
        "planned_on": "2010-06-15",
        "target_groups": ["general"],
    } | extra


def test_api_acceptance_4(personas, api_for):
    act = activity(personas)
    aid = api_for("aid")
    refused = aid.post(f"/aid/activities/{act.pk}/shipments", json=body())
    assert refused.status_code == 422
    assert refused.json()["code"] == "policy_forbids"
    assert refused.json()["details"]["measures"] == ["2010-05-24"]
    assert Shipment.objects.count() == 0
    made = aid.post(
        f"/aid/activities/{act.pk}/shipments",
        json=body(commodity="milk_powder", quantity="12.5", target_groups=["infants_children"]),
    )
    assert made.status_code == 201
    assert made.json()["approval_state"] == "submitted"
    assert made.json()["quantity"] == "12.500"

    denied = api_for("ministry").post(
        f"/aid/activities/{act.pk}/exceptions",
        json={"measure": "2010-05-24", "reason_ko": "가", "reason_en": "a"},
    )
    assert denied.status_code == 403
    granted = api_for("supervisor").post(
        f"/aid/activities/{act.pk}/exceptions",
        json={"measure": "2010-05-24", "reason_ko": "가", "reason_en": "a"},
    )
    assert granted.status_code == 201
    assert granted.json()["what_id"] is None
    assert AuditEntry.objects.filter(action="aid.policy.exception").count() == 1


def test_api_send_and_acknowledge(personas, api_for):
    act = activity(personas)
    shipment = formula(personas["aid"], act, dt.date(2010, 6, 15))
    approve(personas["ministry"], shipment)
    sent = api_for("aid").post(
        f"/aid/shipments/{shipment.pk}/move", json={"move": "send", "sent_on": "2010-06-20"}
    )
    assert sent.status_code == 200 and sent.json()["state"] == "sent"
    other = api_for("liaison_n").post(
        f"/aid/shipments/{shipment.pk}/acknowledge",
        json={"received_quantity": "12.5", "received_on": "2010-06-25"},
    )
    assert other.status_code == 404
    done = api_for("redcross_n").post(
        f"/aid/shipments/{shipment.pk}/acknowledge",
        json={"received_quantity": "12.5", "received_on": "2010-06-25"},
    )
    assert done.status_code == 200
    assert done.json()["receipt"]["state"] == "cosigned"
    assert api_for("ministry").get(f"/aid/shipments/{shipment.pk}").json()["state"] == "received"
