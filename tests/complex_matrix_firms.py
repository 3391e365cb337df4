"""The permission matrix: the complex's firms, land, output and dashboard. The world: the
persona `firm`'s firm operating under a cooperation-project approval in force, with its site
(the 2004 lease, parcel A-1, a sublease, the 2015 fee rule), and another tenant (`cx_other`),
which the firm does not see (404). The committee keeps firms and land; a firm its own
contacts and output; the ministry reads all; the North's bureau none of it (403)."""

from __future__ import annotations

from typing import Any

from .matrix import api, page

READERS = {"gic", "ministry", "supervisor", "viewer", "admin", "firm"}
WHOLE = READERS - {"firm"}
COMMITTEE = {"gic", "admin"}
OWN = {"gic", "admin", "firm"}
NOT_SEEN = {"firm": 404}

FIRM_FORM = {"name_ko": "행렬시험(주)", "kind": "tenant", "sector": "food"}
OTHER_FORM = {"name_ko": "다른전자(주)", "kind": "tenant", "sector": "electric_electronic"}
OUTPUT_FORM = {"output-month": "2015-03", "output-production_usd": "1000.5"}
OUTPUT_BODY = {"month": "2015-03", "production_usd": "1000.5"}
FIRM = "/complex/firms/{cx_firm}"
OTHER = "/complex/firms/{cx_other}"
MISSING = 999_999_999

PLACEHOLDERS = {"{cx_firm}": "firm_id", "{cx_other}": "firm_id"}

CASES = [
    page("complex:dashboard", "/complex/", READERS),
    page("complex:dashboard", "/complex/?year=2015", READERS),
    page("complex:firms", "/complex/firms/?kind=tenant&sector=textiles&q=한빛", READERS),
    page("complex:firm-new", "/complex/firms/new/", COMMITTEE),
    page(
        "complex:firm-new", "/complex/firms/new/", COMMITTEE, ok=302, method="POST", body=FIRM_FORM
    ),
    page("complex:firm", FIRM + "/", READERS),
    page("complex:firm", OTHER + "/", WHOLE, others=NOT_SEEN),
    page("complex:firm-edit", FIRM + "/edit/", COMMITTEE),
    page(
        "complex:firm-edit",
        OTHER + "/edit/",
        COMMITTEE,
        ok=302,
        method="POST",
        body=OTHER_FORM,
        others=NOT_SEEN,
    ),
    page(
        "complex:firm-contacts",
        FIRM + "/contacts/",
        OWN,
        ok=302,
        method="POST",
        body={"contacts-contact_name": "김담당"},
    ),
    page(
        "complex:firm-contacts",
        OTHER + "/contacts/",
        COMMITTEE,
        ok=302,
        method="POST",
        body={"contacts-contact_name": "김담당"},
        others=NOT_SEEN,
    ),
    # Empty: the approval unlinked (the committee's); the firm may not (403).
    page("complex:firm-approval", FIRM + "/approval/", COMMITTEE, ok=302, method="POST"),
    page("complex:firm-output", FIRM + "/output/", OWN, ok=302, method="POST", body=OUTPUT_FORM),
    page(
        "complex:firm-output",
        OTHER + "/output/",
        COMMITTEE,
        ok=422,  # the other tenant has no approval in force: refused, nothing written
        method="POST",
        body=OUTPUT_FORM,
        others=NOT_SEEN,
    ),
    page("complex:land", "/complex/land/", WHOLE),
    page(
        "complex:fee-rule-add",
        "/complex/land/fee-rules/add/",
        COMMITTEE,
        ok=302,
        method="POST",
        body={"fee_rule-from_year": "2031", "fee_rule-rate": "0.0156"},
    ),
    # Nothing filled in: refused (422) for the committee, and nothing written.
    page("complex:lease-add", "/complex/land/leases/add/", COMMITTEE, ok=422, method="POST"),
    page("complex:parcel-add", "/complex/land/parcels/add/", COMMITTEE, ok=422, method="POST"),
    page("complex:sublease-add", "/complex/land/subleases/add/", COMMITTEE, ok=422, method="POST"),
    page("complex:building-add", "/complex/land/buildings/add/", COMMITTEE, ok=422, method="POST"),
    api("GET", "/complex/firms?kind=tenant", READERS),
    api("POST", "/complex/firms", COMMITTEE, ok=201, body=FIRM_FORM),
    api("GET", FIRM, READERS),
    api("GET", OTHER, WHOLE, others=NOT_SEEN),
    api("PUT", OTHER, COMMITTEE, body=OTHER_FORM),
    api("PUT", FIRM + "/contacts", OWN, body={"contact_name": "김담당"}),
    api("PUT", OTHER + "/contacts", COMMITTEE, body={"contact_name": "김담당"}, others=NOT_SEEN),
    api("PUT", FIRM + "/approval", COMMITTEE, body={"approval_id": None}),
    api("GET", FIRM + "/output", READERS),
    api("GET", OTHER + "/output", WHOLE, others=NOT_SEEN),
    api("POST", FIRM + "/output", OWN, body=OUTPUT_BODY),
    api("POST", OTHER + "/output", COMMITTEE, ok=422, body=OUTPUT_BODY, others=NOT_SEEN),
    api("GET", FIRM + "/fees?first_year=2015&last_year=2020", READERS),
    api("GET", "/complex/output/months?year=2015", READERS),
    api("GET", "/complex/output/years", READERS),
    api("GET", "/complex/land/leases", WHOLE),
    api("GET", "/complex/land/parcels", WHOLE),
    api("GET", "/complex/land/subleases", WHOLE),
    api("GET", "/complex/land/fee-rules", READERS),
    api(
        "POST",
        "/complex/land/fee-rules",
        COMMITTEE,
        ok=201,
        body={"from_year": 2031, "rate": "0.0156"},
    ),
    # An unknown record named in the body: refused (422) for the committee, nothing written.
    api(
        "POST",
        "/complex/land/leases",
        COMMITTEE,
        ok=422,
        body={
            "title": "임대",
            "developer_id": MISSING,
            "lessor": "북측",
            "signed_on": "2004-04-13",
            "starts_on": "2004-04-13",
            "ends_on": "2054-04-12",
            "area_pyeong": "1000000",
            "price_usd": "16000000",
        },
    ),
    api(
        "POST",
        "/complex/land/parcels",
        COMMITTEE,
        ok=422,
        body={"lease_id": MISSING, "number": "Z-1", "area_m2": "1"},
    ),
    api(
        "POST",
        "/complex/land/subleases",
        COMMITTEE,
        ok=422,
        body={
            "firm_id": MISSING,
            "parcel_id": MISSING,
            "signed_on": "2005-01-01",
            "use_from": "2005-01-01",
            "ends_on": "2054-01-01",
            "sale_price_usd": "1",
        },
    ),
    api(
        "POST",
        "/complex/land/buildings",
        COMMITTEE,
        ok=422,
        body={"firm_id": MISSING, "parcel_id": MISSING, "kind": "factory", "floor_area_m2": "1"},
    ),
]


def world(personas: dict[str, Any]) -> dict[str, Any]:
    from panmun.complex.tests.firms_world import land_world, operating_firm, other_tenant

    firm = operating_firm(personas)
    land_world(personas, firm)
    return {"cx_firm": firm.pk, "cx_other": other_tenant().pk}
