"""The permission matrix: the aid ledger's activities."""

from __future__ import annotations

from typing import Any

from .matrix import api, page

# The ledger's readers: the ministry (viewers included) and the aid organisation's officers.
LEDGER_READERS = {"ministry", "supervisor", "viewer", "admin", "aid"}
MINISTRY_READERS = {"ministry", "supervisor", "viewer", "admin"}
KEEPERS = {"ministry", "supervisor", "admin"}
FILERS = {*KEEPERS, "aid"}

FORM = {
    "reporting_org_ref": "KR-MOU",
    "reporting_org_type": "10",
    "title_ko": "시험 지원 사업",
    "title_en": "Test aid activity",
    "description_ko": "시험 설명",
    "description_en": "Test description",
    "channel": "ngo_own",
    "status": "1",
    "planned_start": "2026-11-01",
    "default_currency": "KRW",
    "humanitarian": "on",
    "target_groups": ["infants_children"],
    "sector-TOTAL_FORMS": "1",
    "sector-INITIAL_FORMS": "0",
    "sector-0-code": "12240",
    "sector-0-vocabulary": "1",
    "participant-TOTAL_FORMS": "0",
    "participant-INITIAL_FORMS": "0",
}
# Under the aid organisation's own identifier, which the ministry may also file under.
NEW_FORM = {**FORM, "reporting_org_ref": "KR-NANUM", "identifier": "KR-NANUM-MATRIX-1"}
BODY = {
    "reporting_org_ref": "KR-MOU",
    "title_ko": "시험 지원 사업",
    "title_en": "Test aid activity",
    "description_ko": "시험 설명",
    "description_en": "Test description",
    "channel": "ngo_own",
    "planned_start": "2026-11-01",
    "target_groups": ["infants_children"],
    "sectors": [{"code": "12240"}],
}

PLACEHOLDERS = {"{aid_ministry_activity}": "activity_id"}

CASES = [
    page("aid:activities", "/aid/", LEDGER_READERS),
    page("aid:activity-new", "/aid/activities/new/", FILERS),
    page("aid:activity-new", "/aid/activities/new/", FILERS, ok=302, method="POST", body=NEW_FORM),
    page(
        "aid:activity",
        "/aid/activities/{aid_ministry_activity}/",
        MINISTRY_READERS,
        others={"aid": 404},
    ),
    page(
        "aid:activity-edit",
        "/aid/activities/{aid_ministry_activity}/edit/",
        KEEPERS,
        others={"aid": 404},
    ),
    page(
        "aid:activity-edit",
        "/aid/activities/{aid_ministry_activity}/edit/",
        KEEPERS,
        ok=302,
        method="POST",
        body=FORM,
        others={"aid": 404},
    ),
    api("GET", "/aid/activities", LEDGER_READERS),
    api(
        "POST",
        "/aid/activities",
        FILERS,
        ok=201,
        body={**BODY, "reporting_org_ref": "KR-NANUM", "identifier": "KR-NANUM-MATRIX-2"},
    ),
    api("GET", "/aid/activities/{aid_ministry_activity}", MINISTRY_READERS, others={"aid": 404}),
    api(
        "PUT",
        "/aid/activities/{aid_ministry_activity}",
        KEEPERS,
        body=BODY,
        others={"aid": 404},
    ),
]


def world(personas: dict[str, Any]) -> dict[str, Any]:
    """The ministry's WFP contribution of the demo ledger."""
    from panmun.aid.demo import MINISTRY_REF, load_activities
    from panmun.aid.models import Activity

    load_activities()
    activity = Activity.objects.get(identifier=f"{MINISTRY_REF}-2024-WFP-NUTRITION")
    return {"aid_ministry_activity": activity.pk}
