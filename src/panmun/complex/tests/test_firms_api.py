"""/api/v1/complex/ firms, land and output (complex/api_firms.py)."""

from __future__ import annotations

import pytest

from panmun.accounts.models import AuditEntry

from ..models import FeeRule, Firm, OutputMonth
from .factories import persona_firm
from .firms_world import land_world, operating_firm, other_tenant

pytestmark = pytest.mark.django_db


def test_the_committee_records_a_firm_and_every_bad_field_is_named(personas, api_for):
    gic = api_for("gic")
    tenant = other_tenant()
    answer = gic.post(
        "/complex/firms",
        {"name_ko": "협력", "kind": "subcontractor", "sector": "textiles", "tenant_id": tenant.pk},
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["tenant_id"], body["operates"], body["project_approval_state"]) == (
        tenant.pk,
        False,
        None,
    )
    before = Firm.objects.count(), AuditEntry.objects.count()
    answer = gic.post("/complex/firms", {"name_ko": "x", "kind": "pirate", "sector": "ships"})
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["details"]["errors"]} == {"kind", "sector"}
    answer = gic.post("/complex/firms", {"name_ko": "x", "kind": "tenant", "tenant_id": 999999})
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["details"]["errors"]] == ["tenant_id"]
    answer = gic.post(
        "/complex/firms", {"name_ko": "협력", "kind": "tenant", "contact_email": "nobody"}
    )
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["details"]["errors"]] == [
        "name_ko",
        "sector",
        "contact_email",
    ]
    assert (Firm.objects.count(), AuditEntry.objects.count()) == before


def test_a_firm_reads_and_records_its_own_only(personas, api_for):
    own = operating_firm(personas)
    other = other_tenant()
    client = api_for("firm")
    listed = client.get("/complex/firms").json()
    assert [f["id"] for f in listed] == [own.pk]
    assert listed[0]["operates"] is True
    assert client.get(f"/complex/firms/{other.pk}").status_code == 404
    answer = client.post(
        f"/complex/firms/{own.pk}/output",
        {"month": "2015-03", "production_usd": "1234.567", "shipped_south_usd": "1000"},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["production_usd"] == "1234.567"
    assert (
        client.post(
            f"/complex/firms/{other.pk}/output", {"month": "2015-03", "production_usd": "1"}
        ).status_code
        == 404
    )
    bad = client.post(
        f"/complex/firms/{own.pk}/output", {"month": "2015-13", "production_usd": "1.2345"}
    )
    assert bad.status_code == 422
    assert OutputMonth.objects.count() == 1
    months = client.get("/complex/output/months?year=2015").json()
    assert months[2]["production_usd"] == "1234.567" and len(months) == 12
    years = {y["year"]: y for y in client.get("/complex/output/years").json()}
    assert years[2015]["recorded_usd"] == "1234.567"
    assert years[2005]["workers"] == 6013 and years[2005]["published_usd"] == "14910000.000"
    assert client.get("/complex/land/parcels").status_code == 403
    assert api_for("bureau").get("/complex/firms").status_code == 403


def test_the_fee_schedule_and_a_refused_revision(personas, api_for):
    world = land_world(personas)
    fees = api_for("firm").get(
        f"/complex/firms/{world['firm'].pk}/fees?first_year=2014&last_year=2016"
    )
    assert [(f["year"], f["lease_year"], f["fee_usd"], f["due_on"]) for f in fees.json()] == [
        (2015, 11, "15600.000", "2015-12-20"),
        (2016, 12, "15600.000", "2016-12-20"),
    ]
    gic = api_for("gic")
    refused = gic.post("/complex/land/fee-rules", {"from_year": 2019, "rate": "0.019"})
    assert refused.status_code == 422
    assert "2015 land-use fee rule" in refused.json()["details"]["errors"][0]["reason_en"]
    assert FeeRule.objects.count() == 1
    made = gic.post("/complex/land/fee-rules", {"from_year": 2019, "rate": "0.01872"})
    assert made.status_code == 201 and made.json()["rate"] == "0.018720"
    parcels = api_for("viewer").get("/complex/land/parcels").json()
    assert [(p["number"], p["area_m2"], p["area_pyeong"]) for p in parcels] == [
        ("A-1", "10000.00", "3025.00")
    ]


def test_the_committee_links_an_approval_and_a_firm_keeps_its_contacts(personas, api_for):
    firm = persona_firm(personas)
    answer = api_for("gic").call(
        "PUT", f"/complex/firms/{firm.pk}/approval", json={"approval_id": 99999999}
    )
    assert answer.status_code == 422
    answer = api_for("firm").call(
        "PUT", f"/complex/firms/{firm.pk}/contacts", json={"contact_name": "김담당"}
    )
    assert answer.status_code == 200 and answer.json()["contact_name"] == "김담당"
    answer = api_for("firm").call(
        "PUT", f"/complex/firms/{firm.pk}/approval", json={"approval_id": None}
    )
    assert answer.status_code == 403
