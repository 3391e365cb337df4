"""The permission matrix: the complex's stay registrations and their fees, communications lines,
calls and monthly bills.

The world: the persona firm's person who arrived yesterday (open, not registered), another of
its people registered with the fee due, another firm's person (whom the firm does not see:
404), a line of the persona firm. The committee (`gic`, `admin`) registers stays, records fees
and keeps lines, calls and bills; a firm's officers file their own people's arrivals and
departures and read their own; the ministry reads all; the gate's officers read the stay flags."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .matrix import api, page

READERS = {"gic", "ministry", "supervisor", "viewer", "admin", "firm"}
COMMITTEE = {"gic", "admin"}
FILERS = COMMITTEE | {"firm"}
FLAG_READERS = {"gate", "gic", "admin", "ministry", "supervisor", "viewer"}
NOT_SEEN = {"firm": 404}

MINE = "{stay_mine}"
OTHER = "{stay_other}"
IN_A_MONTH = (dt.date.today() + dt.timedelta(days=30)).isoformat()

PLACEHOLDERS = {
    "{stay_mine}": "stay_id",
    "{stay_other}": "stay_id",
    "{stay_registration}": "registration_id",
    "{phone_line}": "line_id",
}

CASES: list[Any] = [
    page("complex:stays", "/complex/stays/?all=1", READERS),
    # Nothing typed: refused on the form (422) for those who may file.
    page("complex:stay-arrive", "/complex/stays/arrive/", FILERS, ok=422, method="POST"),
    page("complex:stay", f"/complex/stays/{MINE}/", READERS),
    page("complex:stay", f"/complex/stays/{OTHER}/", READERS - {"firm"}, others=NOT_SEEN),
    page(
        "complex:stay-register",
        f"/complex/stays/{MINE}/register/",
        COMMITTEE,
        ok=302,
        method="POST",
        body={"reg-step": "registration", "reg-valid_until": IN_A_MONTH},
    ),
    page(
        "complex:stay-register",
        f"/complex/stays/{OTHER}/register/",
        COMMITTEE,
        ok=302,
        method="POST",
        body={"reg-step": "registration", "reg-valid_until": IN_A_MONTH},
        others=NOT_SEEN,
    ),
    page("complex:stay-fee", f"/complex/stays/{MINE}/fee/", COMMITTEE, ok=422, method="POST"),
    page("complex:stay-depart", f"/complex/stays/{MINE}/depart/", FILERS, ok=422, method="POST"),
    page("complex:phone-lines", "/complex/phones/", READERS),
    page(
        "complex:phone-line-install", "/complex/phones/install/", COMMITTEE, ok=422, method="POST"
    ),
    page(
        "complex:phone-line-remove",
        "/complex/phones/{phone_line}/remove/",
        COMMITTEE,
        ok=302,
        method="POST",
        body={"remove-removed_on": "2099-01-01"},
    ),
    page("complex:phone-calls-import", "/complex/phones/calls/", COMMITTEE, ok=422, method="POST"),
    page("complex:phone-bill-compute", "/complex/phones/bills/", COMMITTEE, ok=422, method="POST"),
    api("GET", "/complex/stays", READERS),
    api("POST", "/complex/stays", FILERS, ok=422, body={}),
    api("GET", f"/complex/stays/{MINE}", READERS),
    api("GET", f"/complex/stays/{OTHER}", READERS - {"firm"}, others=NOT_SEEN),
    api(
        "POST",
        f"/complex/stays/{MINE}/registrations",
        COMMITTEE,
        ok=201,
        body={"step": "registration", "valid_until": IN_A_MONTH},
    ),
    api(
        "POST",
        "/complex/stay-registrations/{stay_registration}/fee",
        COMMITTEE,
        body={"paid_on": "2090-01-01", "receipt": "R-1"},
    ),
    api("POST", f"/complex/stays/{MINE}/departure", FILERS, ok=422, body={}),
    api("GET", "/complex/stay-flags", FLAG_READERS),
    api("GET", "/complex/phone-lines", READERS),
    api("POST", "/complex/phone-lines", COMMITTEE, ok=422, body={}),
    api(
        "POST",
        "/complex/phone-lines/{phone_line}/removal",
        COMMITTEE,
        body={"removed_on": "2099-01-01"},
    ),
    api("GET", "/complex/phone-calls?month=2010-03", READERS),
    api("POST", "/complex/phone-calls", COMMITTEE, ok=422, body={}),
    api("POST", "/complex/phone-calls/import", COMMITTEE, ok=422),
    api("GET", "/complex/phone-bills", READERS),
    api("POST", "/complex/phone-bills", COMMITTEE, ok=422, body={}),
]


def world(personas: dict[str, Any]) -> dict[str, Any]:
    from django.utils import timezone

    from panmun.complex.services.comms import phone_line_install
    from panmun.complex.services.stay import stay_arrive, stay_register
    from panmun.complex.tests.factories import make_firm, persona_firm

    gic = personas["gic"]
    firm = persona_firm(personas)
    yesterday = timezone.now() - dt.timedelta(days=1)

    def arrive(number: str, on: Any = firm) -> Any:
        return stay_arrive(
            actor=gic, document_number=number, name="체류시험", arrived_at=yesterday, firm=on
        )

    mine = arrive("MX0000001")
    registered = arrive("MX0000002")
    registration = stay_register(
        actor=gic, stay=registered, valid_until=timezone.localdate() + dt.timedelta(days=20)
    )
    other = arrive("MX0000003", make_firm("체류시험섬유(주)", name_en="Stay Test Textiles"))
    line = phone_line_install(actor=gic, firm=firm, number="7001", installed_on=dt.date(2010, 1, 4))
    return {
        "stay_mine": mine.pk,
        "stay_other": other.pk,
        "stay_registration": registration.pk,
        "phone_line": line.pk,
    }
