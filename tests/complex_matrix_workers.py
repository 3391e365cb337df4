"""The permission matrix: the complex's workers (rosters, their import and export). The world:
the `firm` persona's firm (`wk_firm`) with one worker (`wk_worker`), and another firm
(`wk_other`) with one (`wk_other_worker`), which the `firm` persona does not see (404). The
committee keeps every roster, a firm its own; the ministry reads; the North's bureau sees no
roster (403), nor does anyone else."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .matrix import api, page

READERS = {"gic", "ministry", "supervisor", "viewer", "admin", "firm"}
KEEPERS = {"gic", "admin", "firm"}
NOT_SEEN = {"firm": 404}

FIRM = "/complex/firms/{wk_firm}"
OTHER = "/complex/firms/{wk_other}"
WORKER_FORM = {
    "number": "M-1",
    "name": "리순희",
    "sex": "F",
    "birth_year": "1990",
    "hired_on": "2012-03-02",
}
WORKER_BODY = {**WORKER_FORM, "birth_year": 1990}

PLACEHOLDERS = {
    "{wk_firm}": "firm_id",
    "{wk_other}": "firm_id",
    "{wk_worker}": "worker_id",
    "{wk_other_worker}": "worker_id",
}

CASES = [
    page("complex:workers", FIRM + "/workers/?q=리영철", READERS),
    page("complex:workers", OTHER + "/workers/", READERS - {"firm"}, others=NOT_SEEN),
    page("complex:worker", FIRM + "/workers/{wk_worker}/", READERS),
    page(
        "complex:worker",
        OTHER + "/workers/{wk_other_worker}/",
        READERS - {"firm"},
        others=NOT_SEEN,
    ),
    page("complex:worker-add", FIRM + "/workers/add/", KEEPERS),
    page(
        "complex:worker-add",
        FIRM + "/workers/add/",
        KEEPERS,
        ok=302,
        method="POST",
        body=WORKER_FORM,
    ),
    page(
        "complex:worker-add",
        OTHER + "/workers/add/",
        KEEPERS - {"firm"},
        ok=302,
        method="POST",
        body=WORKER_FORM,
        others=NOT_SEEN,
    ),
    page(
        "complex:worker-leave",
        FIRM + "/workers/{wk_worker}/leave/",
        KEEPERS,
        ok=302,
        method="POST",
        body={"left_on": "2016-01-05"},
    ),
    page(
        "complex:worker-leave",
        OTHER + "/workers/{wk_other_worker}/leave/",
        KEEPERS - {"firm"},
        ok=302,
        method="POST",
        body={"left_on": "2016-01-05"},
        others=NOT_SEEN,
    ),
    page("complex:roster-import", FIRM + "/roster/import/", KEEPERS),
    # No file sent: the form is refused (422) for those who keep the roster; nothing is written.
    page("complex:roster-import", FIRM + "/roster/import/", KEEPERS, ok=422, method="POST"),
    page("complex:roster-export", FIRM + "/roster/export/", READERS),
    page("complex:roster-export", OTHER + "/roster/export/", READERS - {"firm"}, others=NOT_SEEN),
    api("GET", FIRM + "/workers?q=이영철", READERS),
    api("GET", OTHER + "/workers", READERS - {"firm"}, others=NOT_SEEN),
    api("GET", FIRM + "/workers/{wk_worker}", READERS),
    api("GET", OTHER + "/workers/{wk_other_worker}", READERS - {"firm"}, others=NOT_SEEN),
    api("POST", FIRM + "/workers", KEEPERS, ok=201, body=WORKER_BODY),
    api("POST", OTHER + "/workers", KEEPERS - {"firm"}, ok=201, body=WORKER_BODY, others=NOT_SEEN),
    api("POST", FIRM + "/workers/{wk_worker}/leave", KEEPERS, body={"left_on": "2016-01-05"}),
    api("POST", FIRM + "/roster", KEEPERS, ok=422),
    api("GET", FIRM + "/roster", READERS),
    api("GET", OTHER + "/roster?format=csv", READERS - {"firm"}, others=NOT_SEEN),
]


def world(personas: dict[str, Any]) -> dict[str, Any]:
    from panmun.complex.services.workers import worker_add
    from panmun.complex.tests.factories import firm_organisation, make_firm, persona_firm

    firm = persona_firm(personas)
    other = make_firm("매트릭스전자(주)", organisation=firm_organisation("매트릭스전자(주)"))
    facts = {"sex": "M", "birth_year": 1975, "hired_on": dt.date(2010, 3, 2)}
    worker = worker_add(actor=personas["gic"], firm=firm, number="W-1", name="리영철", **facts)
    theirs = worker_add(actor=personas["gic"], firm=other, number="W-1", name="김철", **facts)
    return {
        "wk_firm": firm.pk,
        "wk_other": other.pk,
        "wk_worker": worker.pk,
        "wk_other_worker": theirs.pk,
    }
