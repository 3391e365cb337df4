"""The gate through /api/v1/complex/gate/: an event let through or refused (recorded alone,
201 either way), bad input refused naming the field (nothing written), the offline batch
merged once, the headcount, the day's events and the flags."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from panmun.accounts.models import AuditEntry

from ..models.crossings import GateEvent, GateFlag, Presence
from .gate_world import DAY, IN, OUT, after_the_day, at, gate_world, on


@pytest.fixture
def world(personas):
    return gate_world(personas)


def written() -> tuple[int, int, int]:
    return (GateEvent.objects.count(), Presence.objects.count(), AuditEntry.objects.count())


def post_event(api, when, headers: dict[str, str] | None = None, **body: Any):
    with on(when):
        return api.post("/complex/gate/events", {"direction": OUT, **body}, **(headers or {}))


def test_an_event_let_through_and_one_refused(api_for, world):
    gate = api_for("gate")
    response = post_event(gate, at(8, 45), key="m1000-001", vehicle_key="12가3456", source="scan")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["passed"], body["code"], body["message"]) == (True, "", "통과")
    assert body["event"]["key"] == "M1000001" and body["event"]["officer"] == "gate"
    assert Presence.objects.filter(key="M1000001", vehicle_key="12가3456").exists()
    before = written()
    refused = post_event(gate, at(8, 46), key="M1000001", headers={"HTTP_ACCEPT_LANGUAGE": "en"})
    assert refused.status_code == 201
    body = refused.json()
    assert (body["passed"], body["code"]) == (False, "already_inside")
    assert body["message"].startswith("Already inside")
    assert written() == (before[0] + 1, before[1], before[2])


@pytest.mark.parametrize(
    ("label", "direction", "when", "code"),
    [
        ("noapproval", OUT, (8, 45), "no_approval"),
        ("noplan", OUT, (8, 45), "not_on_plan"),
        ("late", OUT, (10, 45), "no_consent"),
        ("short1", OUT, (10, 0), "outside_slot"),
        ("short1", IN, (16, 10), "not_inside"),
    ],
)
def test_each_refusal_through_the_api(api_for, world, label, direction, when, code):
    gate = api_for("gate")
    before = written()
    response = post_event(gate, at(*when), key=world.people[label], direction=direction)
    assert response.status_code == 201
    assert (response.json()["passed"], response.json()["code"]) == (False, code)
    assert written() == (before[0] + 1, before[1], before[2])


def test_a_flag_raised_and_lifted_through_the_api(api_for, world):
    gate = api_for("gate")
    with on(at(7, 0)):
        raised = api_for("gic").post(
            "/complex/gate/flags",
            {"key": "M1000001", "reason": "체류 기한 초과", "instructions": "위원회에 연락"},
        )
    assert raised.status_code == 201, raised.content
    flag_id = raised.json()["id"]
    response = post_event(gate, at(8, 45), key="M1000001")
    body = response.json()
    assert body["code"] == "flagged"
    assert [f["instructions"] for f in body["flags"]] == ["위원회에 연락"]
    assert [f["id"] for f in gate.get("/complex/gate/flags").json()] == [flag_id]
    with on(at(8, 50)):
        lifted = gate.post(f"/complex/gate/flags/{flag_id}/lift", {"note": "확인"})
    assert lifted.status_code == 200 and lifted.json()["lifted_note"] == "확인"
    assert post_event(gate, at(8, 55), key="M1000001").json()["passed"] is True
    with on(at(9, 0)):
        again = gate.post(f"/complex/gate/flags/{flag_id}/lift", {})
    assert again.status_code == 409
    assert (
        api_for("firm").post("/complex/gate/flags", {"key": "M1", "reason": "x"}).status_code == 403
    )
    assert GateFlag.objects.count() == 1


def test_bad_input_names_the_field_and_writes_nothing(api_for, world):
    gate = api_for("gate")
    before = written()
    cases = [
        ({"key": "   "}, "key"),
        ({"key": "M1000001", "direction": "up"}, "direction"),
        ({"key": "M1000001", "source": "paper"}, "occurred_at"),
        ({"key": "M1000001", "occurred_at": "2015-09-14T08:00:00+09:00"}, "occurred_at"),
        (
            {"key": "M1000001", "source": "paper", "occurred_at": "2015-09-15T08:00:00+09:00"},
            "occurred_at",
        ),
        (
            {"key": "M1000001", "source": "paper", "occurred_at": "2015-09-14T08:00:00"},
            "occurred_at",
        ),
        ({"key": "M1000001", "source": "offline"}, "source"),
        ({"key": "M1000001", "uid": "x"}, "uid"),
        ({"key": "M1000001", "extra": 1}, "extra"),
    ]
    for body, field in cases:
        response = post_event(gate, at(8, 45), **body)
        assert response.status_code == 422, (body, response.content)
        details = response.json()["details"]
        fields = [e["field"] for e in details.get("errors", [])] or [details.get("field")]
        assert field in fields, (body, details)
    assert written() == before


def test_a_paper_event_is_typed_in_with_its_real_time(api_for, world):
    with after_the_day():
        response = api_for("gate").post(
            "/complex/gate/events",
            {
                "key": "M1000002",
                "direction": OUT,
                "source": "paper",
                "occurred_at": "2015-09-14T08:40:00+09:00",
            },
        )
    assert response.status_code == 201, response.content
    event = GateEvent.objects.get()
    assert (event.source, event.occurred_at, event.outcome) == ("paper", at(8, 40), "passed")


def test_an_offline_batch_is_merged_once(api_for, world):
    gate = api_for("gate")
    events = [
        {
            "uid": str(uuid.uuid4()),
            "key": "M1000001",
            "direction": IN,
            "occurred_at": "2015-09-14T16:10:00+09:00",
            "terminal": "gate-2",
        },
        {
            "uid": str(uuid.uuid4()),
            "key": "M2000001",
            "direction": OUT,
            "occurred_at": "2015-09-14T08:50:00+09:00",
        },
        {
            "uid": str(uuid.uuid4()),
            "key": "M1000001",
            "direction": OUT,
            "occurred_at": "2015-09-14T08:45:00+09:00",
        },
    ]
    with after_the_day():
        first = gate.post("/complex/gate/events/batch", {"events": events})
        second = gate.post("/complex/gate/events/batch", {"events": events})
    assert first.status_code == 200, first.content
    assert first.json()["stored"] == 3 and first.json()["review"] == []
    assert first.json()["stored_uids"] == [events[2]["uid"], events[1]["uid"], events[0]["uid"]]
    assert second.json()["stored"] == 0 and sorted(second.json()["known"]) == sorted(
        e["uid"] for e in events
    )
    assert GateEvent.objects.count() == 3
    assert list(Presence.objects.values_list("key", flat=True)) == ["M2000001"]
    with after_the_day():
        bad = gate.post(
            "/complex/gate/events/batch",
            {"events": [{**events[0], "uid": str(uuid.uuid4())}, {**events[1], "key": ""}]},
        )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["details"]["errors"]] == ["events.1.key"]
    assert GateEvent.objects.count() == 3
    assert api_for("gic").post("/complex/gate/events/batch", {"events": events}).status_code == 403


def test_the_headcount_inside_and_events_by_who_reads(api_for, world):
    gate = api_for("gate")
    for label in ("short1", "resident", "other"):
        post_event(gate, at(8, 45), key=world.people[label], vehicle_key="12가3456")
    post_event(gate, at(8, 46), key=world.vehicles["truck"], subject="vehicle")
    count = api_for("ministry").get("/complex/gate/headcount").json()
    assert (count["people"], count["residents"], count["short_stays"], count["vehicles"]) == (
        3,
        1,
        2,
        1,
    )
    firms = {f["firm_id"]: (f["people"], f["vehicles"]) for f in count["firms"]}
    assert firms == {world.firm.pk: (2, 1), world.other.pk: (1, 0)}
    own = api_for("firm").get("/complex/gate/inside").json()
    assert sorted(p["key"] for p in own) == ["12가3456", "M1000001", "M2000001"]
    assert api_for("firm").get("/complex/gate/headcount").json()["people"] == 2
    events = api_for("gic").get(f"/complex/gate/events?day={DAY}").json()
    assert [e["key"] for e in events] == ["M1000001", "M2000001", "M3000001", "12가3456"]
    assert api_for("firm").get(f"/complex/gate/events?day={DAY}").status_code == 403
    assert api_for("bureau").get("/complex/gate/headcount").status_code == 403


def test_a_terminals_large_file_goes_through_the_merge_job(
    api_for, world, django_capture_on_commit_callbacks
):
    """The batch endpoint merges at most 250 events in the request; a terminal's larger file
    (up to 5,000) is merged as the job `complex.gate_merge`, checked before it is queued (each
    bad row named, nothing queued) and run all or nothing with its progress."""
    import json

    from panmun.jobs.models import Job

    from ..schemas_gate import MAX_API_BATCH

    gate = api_for("gate")
    one = {
        "subject": "person",
        "key": "M1000001",
        "direction": OUT,
        "occurred_at": "2015-09-14T08:45:00+09:00",
    }
    too_many = [{**one, "uid": str(uuid.uuid4())} for _ in range(MAX_API_BATCH + 1)]
    with after_the_day():
        refused = gate.post("/complex/gate/events/batch", {"events": too_many})
    assert refused.status_code == 422
    assert GateEvent.objects.count() == 0
    description = api_for("gate").get("/openapi.json").json()
    assert "complex.gate_merge" in json.dumps(description)

    events = [
        {"uid": str(uuid.uuid4()), **one},
        {
            "uid": str(uuid.uuid4()),
            "subject": "person",
            "key": "M1000001",
            "direction": IN,
            "occurred_at": "2015-09-14T16:10:00+09:00",
        },
    ]
    bad = [{**events[0]}, {**events[1], "direction": "sideways"}]
    with after_the_day():
        refused = gate.post(
            "/jobs",
            {
                "kind": "complex.gate_merge",
                "params": {"document": json.dumps(bad), "filename": "t-9.json"},
            },
        )
    assert refused.status_code == 422, refused.content
    assert [(e["file"], e["row"], e["field"]) for e in refused.json()["details"]["errors"]] == [
        ("t-9.json", 2, "direction")
    ]
    assert not Job.objects.filter(kind="complex.gate_merge").exists()
    with after_the_day(), django_capture_on_commit_callbacks(execute=True):
        started = gate.post(
            "/jobs",
            {
                "kind": "complex.gate_merge",
                "params": {"document": json.dumps({"events": events}), "filename": "t-9.json"},
            },
        )
    assert started.status_code in (200, 201, 202), started.content
    job = Job.objects.get(kind="complex.gate_merge")
    assert job.state == "succeeded", job.error
    assert (job.result["stored"], job.result["known"], job.result["review_count"]) == (2, 0, 0)
    assert (job.progress_done, job.progress_total) == (job.progress_total, 1)  # the presence
    assert GateEvent.objects.filter(source="offline").count() == 2
    assert not Presence.objects.exists()
    with after_the_day():
        assert (
            api_for("gic")
            .post("/jobs", {"kind": "complex.gate_merge", "params": {"document": "[]"}})
            .status_code
            == 403
        )
