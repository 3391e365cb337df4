"""Filing and changing aid activities: the service's rules, the pages (a wrong value in each
field comes back on its field, with what was typed kept) and the API — each refusal writes
nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from panmun.accounts.audit import AuditEntry
from panmun.accounts.models import Organisation
from panmun.aid.demo import CHILD, GRANT, MINISTRY_REF, demo_activities, load_activities
from panmun.aid.models import Activity, ActivitySector, ParticipatingOrg
from panmun.aid.services.activities import (
    ActivityData,
    ParticipantLine,
    SectorLine,
    activity_create,
    activity_update,
)
from panmun.common.errors import DomainError, ErrorCode

pytestmark = pytest.mark.django_db


def _data(**changes) -> ActivityData:
    base = ActivityData(
        identifier="KR-MOU-TEST-1",
        reporting_org_ref="KR-MOU",
        title_ko="시험 사업",
        title_en="Test activity",
        description_ko="시험 설명",
        description_en="Test description",
        channel="government",
        planned_start=dt.date(2026, 1, 1),
        sectors=[SectorLine("52010")],
    )
    return replace(base, **changes)


def _counts() -> tuple[int, int, int, int]:
    return (
        Activity.objects.count(),
        ActivitySector.objects.count(),
        ParticipatingOrg.objects.count(),
        AuditEntry.objects.count(),
    )


def _fields(err: DomainError) -> dict[str, str]:
    return {e["field"]: e["reason_en"] for e in err.details["errors"]}


def test_a_ministry_officer_files_an_activity_with_its_lines_and_audit(personas):
    activity = activity_create(
        actor=personas["ministry"],
        data=_data(
            sectors=[SectorLine("12240", "1", "70"), SectorLine("72040", "1", "30.00")],
            participants=[
                ParticipantLine(4, "세계식량계획", "World Food Programme", "XM-DAC-41140", "40")
            ],
            target_groups=["infants_children", "infants_children"],
        ),
    )
    assert activity.organisation == personas["ministry"].organisation
    assert [(s.code, s.percentage) for s in activity.sectors.all()] == [
        ("12240", Decimal("70.00")),
        ("72040", Decimal("30.00")),
    ]
    assert [(p.role, p.ref) for p in activity.participants.all()] == [(4, "XM-DAC-41140")]
    assert activity.target_groups == ["infants_children"]
    entry = AuditEntry.objects.get(action="aid.activity.create")
    assert entry.actor == personas["ministry"]


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"title_en": " "}, "title_en", "Required."),
        ({"description_ko": ""}, "description_ko", "Required."),
        ({"identifier": "KR-OTHER-1"}, "identifier", "An IATI identifier begins with"),
        ({"identifier": "KR-MOU-has space"}, "identifier", "Use letters, digits"),
        ({"channel": "gift"}, "channel", "Choose a channel."),
        ({"status": 9}, "status", "Choose a status."),
        ({"target_groups": ["soldiers"]}, "target_groups", "Choose the groups from the list."),
        ({"default_currency": "won"}, "default_currency", "A currency is ISO 4217"),
        (
            {"planned_start": dt.date(2026, 5, 1), "planned_end": dt.date(2026, 4, 1)},
            "planned_end",
            "Cannot be before the start.",
        ),
        ({"planned_start": None}, "planned_start", "Give a planned or an actual start."),
        ({"actual_start": dt.date(2099, 1, 1)}, "actual_start", "An actual start cannot be"),
        ({"sectors": [SectorLine("5201")]}, "sectors.1.code", "Not a sector code"),
        (
            {"sectors": [SectorLine("12240", "1", "70"), SectorLine("72040", "1", "20")]},
            "sectors",
            "The shares of vocabulary 1 add up to 90, not 100.",
        ),
        (
            {"sectors": [SectorLine("12240", "1", "70"), SectorLine("72040")]},
            "sectors",
            "With several sectors in vocabulary 1, each needs its share.",
        ),
        ({"sectors": [SectorLine("12240", "1", "abc")]}, "sectors.1.percentage", "A number from 0"),
        ({"participants": [ParticipantLine(7, "x")]}, "participants.1.role", "Choose a role."),
        ({"participants": [ParticipantLine(1)]}, "participants.1.name_ko", "Give the name"),
    ],
)
def test_a_wrong_value_is_refused_on_its_field_and_nothing_is_written(
    personas, changes, field, reason
):
    before = _counts()
    with pytest.raises(DomainError) as refused:
        activity_create(actor=personas["ministry"], data=_data(**changes))
    assert refused.value.code == ErrorCode.INVALID_INPUT
    assert _fields(refused.value)[field].startswith(reason)
    assert _counts() == before


def test_an_identifier_is_used_once(personas):
    activity_create(actor=personas["ministry"], data=_data())
    with pytest.raises(DomainError) as refused:
        activity_create(actor=personas["ministry"], data=_data())
    assert _fields(refused.value) == {"identifier": "That identifier is already in the ledger."}


def test_the_recipient_must_be_of_the_north(personas):
    south = Organisation.objects.get(name_ko=personas["aid"].organisation.name_ko)
    with pytest.raises(DomainError) as refused:
        activity_create(actor=personas["ministry"], data=_data(recipient_organisation=south))
    assert _fields(refused.value) == {
        "recipient_organisation": "Choose an organisation of the North."
    }


def test_an_aid_organisation_files_its_own_under_its_own_identifier(personas):
    load_activities()
    aid = personas["aid"]
    own = activity_create(
        actor=aid,
        data=_data(
            identifier="KR-NANUM-T-1",
            reporting_org_ref="KR-NANUM",
            channel="ngo_own",
            target_groups=["elderly"],
        ),
    )
    assert own.organisation == aid.organisation
    before = _counts()
    # The ministry's identifier, the government's channel: both refused.
    with pytest.raises(DomainError) as refused:
        activity_create(actor=aid, data=_data(identifier="KR-MOU-T-2", channel="government"))
    assert set(_fields(refused.value)) == {"reporting_org_ref", "channel"}
    assert _counts() == before


def test_an_aid_organisation_sits_its_project_under_a_grant_that_names_it(personas):
    load_activities()
    aid = personas["aid"]
    grant = Activity.objects.get(identifier=GRANT)
    wfp = Activity.objects.get(identifier=f"{MINISTRY_REF}-2024-WFP-NUTRITION")
    data = _data(
        identifier="KR-NANUM-T-3",
        reporting_org_ref="KR-NANUM",
        channel="via_ngo",
        target_groups=["infants_children"],
    )
    child = activity_create(actor=aid, data=replace(data, parent=grant))
    assert child.parent == grant
    with pytest.raises(DomainError) as refused:
        activity_create(actor=aid, data=replace(data, identifier="KR-NANUM-T-4", parent=wfp))
    assert _fields(refused.value) == {
        "parent": "The parent must be an activity that names your organisation."
    }


def test_a_viewer_files_nothing(personas):
    before = _counts()
    with pytest.raises(DomainError) as refused:
        activity_create(actor=personas["viewer"], data=_data())
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    assert _counts() == before


def test_an_activity_cannot_sit_under_its_own_child(personas):
    load_activities()
    grant = Activity.objects.get(identifier=GRANT)
    child = Activity.objects.get(identifier=CHILD)
    from panmun.aid.services.activities import data_of

    with pytest.raises(DomainError) as refused:
        activity_update(
            actor=personas["ministry"], activity=grant, data=replace(data_of(grant), parent=child)
        )
    assert _fields(refused.value) == {"parent": "An activity cannot sit under itself."}


def test_a_change_replaces_the_lines_and_is_audited(personas):
    activity = activity_create(actor=personas["ministry"], data=_data())
    changed = activity_update(
        actor=personas["ministry"],
        activity=activity,
        data=_data(title_en="Changed", sectors=[SectorLine("72040")], identifier="ignored"),
    )
    assert changed.identifier == "KR-MOU-TEST-1"
    assert changed.title_en == "Changed"
    assert [s.code for s in changed.sectors.all()] == ["72040"]
    entry = AuditEntry.objects.get(action="aid.activity.update")
    assert entry.changes == {"title_en": "Changed"}


def test_the_demo_ledger_loads_once(personas):
    assert load_activities() == len(demo_activities())
    assert load_activities() == 0
    assert Activity.objects.get(identifier=CHILD).parent.identifier == GRANT


# --- pages -----------------------------------------------------------------------------------

FORM = {
    "identifier": "KR-MOU-PAGE-1",
    "reporting_org_ref": "KR-MOU",
    "reporting_org_type": "10",
    "title_ko": "화면 사업",
    "title_en": "Page activity",
    "description_ko": "화면 설명",
    "description_en": "Page description",
    "channel": "government",
    "status": "1",
    "planned_start": "2026-02-01",
    "default_currency": "KRW",
    "sector-TOTAL_FORMS": "2",
    "sector-INITIAL_FORMS": "0",
    "sector-0-code": "12240",
    "sector-0-percentage": "60",
    "sector-0-vocabulary": "1",
    "sector-1-code": "72040",
    "sector-1-percentage": "40",
    "sector-1-vocabulary": "1",
    "participant-TOTAL_FORMS": "1",
    "participant-INITIAL_FORMS": "0",
    "participant-0-role": "4",
    "participant-0-name_en": "World Food Programme",
    "participant-0-org_type": "40",
}


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_page_files_an_activity(personas, client_for, language):
    client = client_for("ministry")
    client.cookies["panmun_language"] = language
    response = client.post("/aid/activities/new/", FORM)
    activity = Activity.objects.get(identifier="KR-MOU-PAGE-1")
    assert response.status_code == 302 and response["Location"] == f"/aid/activities/{activity.pk}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "KR-MOU-PAGE-1" in page.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("planned_start", "1934-13-45", "planned_start"),
        ("status", "9", "status"),
        ("sector-1-percentage", "30", "sector"),
        ("sector-0-code", "abc", "sector-0"),
        ("participant-0-role", "", "participant-0"),
        ("identifier", "KR-ELSE-1", "identifier"),
        ("sector-TOTAL_FORMS", "x", "sector"),
    ],
)
def test_a_wrong_value_on_the_page_keeps_what_was_typed(personas, client_for, field, value, where):
    before = _counts()
    response = client_for("ministry").post("/aid/activities/new/", {**FORM, field: value})
    assert response.status_code == 422
    html = response.content.decode()
    assert "화면 사업" in html  # what was typed comes back
    assert 'class="errorlist' in html or "form-errors" in html
    assert _counts() == before


def test_a_viewer_has_no_form_and_the_aid_organisation_no_other_activity(personas, client_for):
    load_activities()
    wfp = Activity.objects.get(identifier=f"{MINISTRY_REF}-2024-WFP-NUTRITION")
    assert client_for("viewer").get("/aid/activities/new/").status_code == 403
    assert client_for("viewer").get(f"/aid/activities/{wfp.pk}/").status_code == 200
    assert client_for("viewer").post(f"/aid/activities/{wfp.pk}/edit/", FORM).status_code == 403
    assert client_for("aid").get(f"/aid/activities/{wfp.pk}/").status_code == 404
    assert client_for("redcross_n").get("/aid/").status_code == 403


# --- API -------------------------------------------------------------------------------------

BODY = {
    "identifier": "KR-MOU-API-1",
    "reporting_org_ref": "KR-MOU",
    "title_ko": "API 사업",
    "title_en": "API activity",
    "description_ko": "API 설명",
    "description_en": "API description",
    "channel": "via_international",
    "planned_start": "2026-03-01",
    "sectors": [{"code": "12240", "percentage": 50}, {"code": "72040", "percentage": 50}],
}


def test_the_api_files_reads_and_changes_an_activity(personas, api_for):
    api = api_for("ministry")
    created = api.post("/aid/activities", BODY)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["identifier"] == "KR-MOU-API-1"
    assert body["sectors"] == [
        {"vocabulary": "1", "code": "12240", "percentage": "50.00"},
        {"vocabulary": "1", "code": "72040", "percentage": "50.00"},
    ]
    pk = body["id"]
    assert api.get(f"/aid/activities/{pk}").json()["title_en"] == "API activity"
    change = {k: v for k, v in BODY.items() if k != "identifier"}
    changed = api.call("PUT", f"/aid/activities/{pk}", json={**change, "title_en": "Changed"})
    assert changed.status_code == 200 and changed.json()["title_en"] == "Changed"
    listed = api.get("/aid/activities?channel=via_international&year=2026").json()
    assert [a["identifier"] for a in listed] == ["KR-MOU-API-1"]


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"channel": "gift"}, 422, None),
        ({"sectors": [{"code": "12240", "percentage": 150}]}, 422, None),
        ({"sectors": [{"code": "12240", "percentage": 50}]}, 422, "sectors"),
        ({"identifier": "X-1"}, 422, "identifier"),
        ({"parent_id": 999999}, 422, "parent_id"),
        ({"planned_start": "1934-13-45"}, 422, None),
    ],
)
def test_the_api_refuses_wrong_values_with_a_stable_body(personas, api_for, change, status, field):
    api = api_for("ministry")
    before = _counts()
    response = api.post("/aid/activities", {**BODY, **change})
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    if field:
        assert field in {e["field"] for e in body["details"]["errors"]}
    assert _counts() == before


def test_the_api_refuses_readers_and_strangers(personas, api_for):
    load_activities()
    wfp = Activity.objects.get(identifier=f"{MINISTRY_REF}-2024-WFP-NUTRITION")
    viewer, north, aid = api_for("viewer"), api_for("redcross_n"), api_for("aid")
    before = _counts()
    assert viewer.post("/aid/activities", BODY).status_code == 403
    assert north.get("/aid/activities").status_code == 403
    assert aid.get(f"/aid/activities/{wfp.pk}").status_code == 404
    change = {k: v for k, v in BODY.items() if k != "identifier"}
    put = aid.call("PUT", f"/aid/activities/{wfp.pk}", json=change)
    assert put.status_code == 404
    assert _counts() == before


# --- the policy in force ---------------------------------------------------------------------


def test_a_new_activity_is_refused_under_a_measure_that_forbids_it(personas):
    before = _counts()
    general = _data(planned_start=dt.date(2010, 6, 1), target_groups=["general"])
    with pytest.raises(DomainError) as refused:
        activity_create(actor=personas["ministry"], data=general)
    assert refused.value.code == ErrorCode.POLICY_FORBIDS
    assert refused.value.details["measures"] == ["2010-05-24"]
    assert _counts() == before
    # Aid to infants and children was still allowed.
    infants = replace(general, target_groups=["infants_children"])
    assert activity_create(actor=personas["ministry"], data=infants).pk


def test_a_supervisor_files_it_as_an_exception_with_the_reason_audited(personas):
    from panmun.aid.models import PolicyException

    general = _data(planned_start=dt.date(2010, 6, 1), target_groups=["general"])
    with pytest.raises(DomainError) as refused:
        activity_create(
            actor=personas["supervisor"], data=replace(general, exception_reason_ko="홍수")
        )
    assert "give the reason in Korean and English" in refused.value.message_en
    activity = activity_create(
        actor=personas["supervisor"],
        data=replace(
            general, exception_reason_ko="홍수 긴급 구호", exception_reason_en="Flood relief"
        ),
    )
    exception = PolicyException.objects.get(activity=activity)
    assert (exception.measure.code, exception.what, exception.what_id) == (
        "2010-05-24",
        "activity",
        activity.pk,
    )
    entry = AuditEntry.objects.get(action="aid.policy.exception")
    assert entry.changes["reason_en"] == "Flood relief"
    # An officer's reasons do not make an exception.
    with pytest.raises(DomainError) as officer:
        activity_create(
            actor=personas["ministry"],
            data=replace(
                general,
                identifier="KR-MOU-TEST-2",
                exception_reason_ko="사유",
                exception_reason_en="Reason",
            ),
        )
    assert officer.value.code == ErrorCode.POLICY_FORBIDS
