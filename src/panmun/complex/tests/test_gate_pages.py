"""The gate's pages: the answer big and clear, a refusal recorded alone with the typed values
kept, bad input refused on its field (nothing written), the headcount board for each reader,
the day's events and the flags."""

from __future__ import annotations

from typing import Any

import pytest

from panmun.accounts.models import AuditEntry

from ..models.crossings import GateEvent, GateFlag, Presence
from .gate_world import DAY, OUT, at, gate_world, on


@pytest.fixture
def world(personas):
    return gate_world(personas)


def check(client, when, **data: Any):
    with on(when):
        return client.post(
            "/complex/gate/check/",
            {"subject": "person", "direction": OUT, "source": "typed", **data},
        )


def test_the_gate_lets_through_and_refuses_on_the_page(client_for, world):
    gate = client_for("gate")
    assert gate.get("/complex/gate/").status_code == 200
    response = check(gate, at(8, 45), key="M1000001", vehicle_key="12가3456")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-outcome="passed"' in page and "gate-passed" in page
    assert Presence.objects.filter(key="M1000001").exists()
    counts = (Presence.objects.count(), AuditEntry.objects.count())
    refused = check(gate, at(8, 50), key="m1000-005", terminal="G1")
    page = refused.content.decode()
    assert refused.status_code == 200
    assert 'data-code="not_on_plan"' in page and "gate-refused" in page
    assert "그날 이 방향의 출입계획에 없습니다." in page
    assert 'value="m1000-005"' in page and 'value="G1"' in page  # the typed values kept
    assert GateEvent.objects.filter(outcome="refused", key="M1000005").count() == 1
    assert (Presence.objects.count(), AuditEntry.objects.count()) == counts


@pytest.mark.django_db
def test_the_forms_source_field_says_how_the_event_was_recorded(client_for, personas):
    """The label "Recorded" as a way of recording (기록 방식), not the video letters' 녹화 완료."""
    page = client_for("gate").get("/complex/gate/").content.decode()
    assert '<label for="id_source">기록 방식:</label>' in page
    assert "녹화" not in page


def test_a_flag_shows_its_instructions_at_the_gate(client_for, world):
    with on(at(7, 0)):
        raised = client_for("gic").post(
            "/complex/gate/flags/raise/",
            {
                "subject": "person",
                "key": "M1000002",
                "reason": "검역 대상",
                "instructions": "검역관을 부르십시오.",
            },
        )
    assert raised.status_code == 302
    page = check(client_for("gate"), at(8, 45), key="M1000002").content.decode()
    assert 'data-code="flagged"' in page and "검역관을 부르십시오." in page
    flag = GateFlag.objects.get()
    with on(at(8, 50)):
        lifted = client_for("gate").post(
            f"/complex/gate/flags/{flag.pk}/lift/", {"lift-note": "검역 완료"}
        )
    assert lifted.status_code == 302
    flag.refresh_from_db()
    assert flag.lifted_note == "검역 완료"
    assert (
        'data-outcome="passed"'
        in check(client_for("gate"), at(8, 55), key="M1000002").content.decode()
    )


def test_bad_input_is_refused_on_its_field_and_writes_nothing(client_for, world):
    gate = client_for("gate")
    for data, field in (
        ({"key": ""}, "key"),
        ({"key": "M1000001", "direction": "up"}, "direction"),
        ({"key": "M1000001", "source": "paper"}, "occurred_at"),
        ({"key": "M1000001", "source": "paper", "occurred_at": "2015-09-15 08:00"}, "occurred_at"),
        ({"key": "M1000001", "occurred_at": "2015-09-14 08:00"}, "occurred_at"),
        ({"key": "M1000001", "occurred_at": "yesterday"}, "occurred_at"),
        ({"key": "X" * 61}, "key"),
        ({"key": "M1000001", "subject": "vehicle", "vehicle_key": "1가1"}, "vehicle_key"),
    ):
        response = check(gate, at(8, 45), **data)
        assert response.status_code == 422, data
        assert response.context["form"].errors.get(field), (data, response.context["form"].errors)
    assert not GateEvent.objects.exists()
    bad_flag = client_for("gate").post("/complex/gate/flags/raise/", {"key": "M1", "reason": ""})
    assert bad_flag.status_code == 422 and 'value="M1"' in bad_flag.content.decode()
    assert not GateFlag.objects.exists()


def test_an_htmx_check_answers_with_the_panel_alone(client_for, world):
    with on(at(8, 45)):
        response = client_for("gate").post(
            "/complex/gate/check/",
            {"subject": "person", "direction": OUT, "source": "scan", "key": "M1000001"},
            HTTP_HX_REQUEST="true",
        )
    page = response.content.decode()
    assert page.startswith('<div id="gate-panel">') and "<html" not in page


def test_the_headcount_board_for_each_reader(client_for, world):
    for label in ("short1", "resident", "other"):
        check(client_for("gate"), at(8, 45), key=world.people[label])
    board = client_for("gic").get("/complex/gate/headcount/")
    page = board.content.decode()
    assert board.status_code == 200
    assert '<strong data-count="people">3</strong>' in page
    assert '<strong data-count="residents">1</strong>' in page
    assert 'hx-trigger="every 5s"' in page
    own = client_for("firm").get("/complex/gate/headcount/board/").content.decode()
    assert '<strong data-count="people">2</strong>' in own
    assert 'data-key="M1000001"' in own and 'data-key="M3000001"' not in own
    by_firm = client_for("gate").get(f"/complex/gate/headcount/?firm={world.other.pk}")
    assert 'data-key="M3000001"' in by_firm.content.decode()
    assert client_for("bureau").get("/complex/gate/headcount/").status_code == 403
    events = client_for("ministry").get(f"/complex/gate/events/?day={DAY}")
    assert events.content.decode().count("data-event=") == 3
    assert client_for("firm").get("/complex/gate/events/").status_code == 403
    for bad in ("?day=x", "?day=1800-01-01", "?outcome=z&page=abc"):
        assert client_for("gic").get(f"/complex/gate/events/{bad}").status_code == 200
    assert client_for("gic").get("/complex/gate/headcount/?firm=99999999999").status_code == 200


def test_the_offline_terminals_file_is_merged_once_on_its_page(
    client_for, world, django_capture_on_commit_callbacks
):
    """The file is checked at once (a bad one refused on the form, nothing queued), then
    merged as a job (`complex.gate_merge`) whose progress and report show on the page."""
    import json
    import uuid

    from django.core.files.uploadedfile import SimpleUploadedFile

    from panmun.jobs.models import Job

    events = [
        {
            "uid": str(uuid.uuid4()),
            "subject": "person",
            "key": key,
            "direction": OUT,
            "occurred_at": f"2015-09-14T{time}:00+09:00",
        }
        for key, time in (("M1000005", "08:47"), ("M1000001", "08:45"))
    ]
    gate = client_for("gate")

    def upload(data: bytes, name: str = "gate-2.json"):
        with on(at(23, 0)), django_capture_on_commit_callbacks(execute=True):
            return gate.post("/complex/gate/merge/", {"file": SimpleUploadedFile(name, data)})

    def get(path: str, **headers: str):
        with on(at(23, 1)):
            return gate.get(path, **headers)

    first = upload(json.dumps({"events": events}).encode())
    assert first.status_code == 302 and "?job=" in first["Location"]
    page = get(first["Location"]).content.decode()
    assert 'data-state="succeeded"' in page
    assert 'data-stored="2"' in page and 'data-code="not_on_plan"' in page
    assert "gate-2.json" in page
    assert GateEvent.objects.filter(source="offline").count() == 2
    again = upload(json.dumps(events).encode(), "gate-2-again.json")
    again_page = get(again["Location"]).content.decode()
    assert 'data-stored="0" data-known="2"' in again_page
    assert GateEvent.objects.count() == 2
    jobs = Job.objects.filter(kind="complex.gate_merge")
    assert jobs.count() == 2
    # The htmx poll gets the job's panel alone.
    polled = get(again["Location"], HTTP_HX_REQUEST="true")
    assert polled.content.decode().lstrip().startswith('<section id="merge-job"')
    assert polled["HX-Refresh"] == "true"  # finished: the page again, its list up to date
    bad = upload(
        json.dumps([{**events[0], "uid": str(uuid.uuid4()), "occurred_at": "soon"}]).encode()
    )
    assert bad.status_code == 422
    assert "gate-2.json, 1행, occurred_at" in bad.content.decode()  # the file, row and field
    not_json = upload(b"\xff not json", "broken.json")
    assert not_json.status_code == 422 and "broken.json" in not_json.content.decode()
    assert jobs.count() == 2 and GateEvent.objects.count() == 2
    for odd in ("?job=x", "?job=00000000-0000-0000-0000-000000000000", "?job=" + "9" * 80):
        assert get(f"/complex/gate/merge/{odd}").status_code == 200
    mine = jobs.first()
    # The job's own page shows the events to review as words, not as the stored data.
    first_job = first["Location"].split("?job=")[1]  # both jobs started at the same frozen time
    job_page = get(f"/jobs/{first_job}/").content.decode()
    assert "uid: " in job_page and "code: not_on_plan" in job_page
    assert "{'" not in job_page
    with on(at(23, 2)):
        assert client_for("firm").get(f"/complex/gate/merge/?job={mine.pk}").status_code == 403
    assert client_for("gic").get("/complex/gate/merge/").status_code == 403


@pytest.mark.django_db
def test_a_refused_lift_keeps_the_note_typed_and_says_why(client_for, personas) -> None:
    from ..services.gate_flags import gate_flag_raise

    flag = gate_flag_raise(actor=personas["gate"], subject="person", key="M7000001", reason="시험")
    gate = client_for("gate")
    for note in ("x" * 501, "메모\x00"):
        refused = gate.post(f"/complex/gate/flags/{flag.pk}/lift/", {"lift-note": note})
        assert refused.status_code == 422
        page = refused.content.decode()
        assert 'id="lift-error"' in page
        shown = note.replace("\x00", "")
        assert f'value="{shown}"' in page or f'value="{note}"' in page
    flag.refresh_from_db()
    assert flag.lifted_at is None
    done = gate.post(f"/complex/gate/flags/{flag.pk}/lift/", {"lift-note": "해제"})
    assert done.status_code == 302
    again = gate.post(f"/complex/gate/flags/{flag.pk}/lift/", {"lift-note": "다시"})
    assert again.status_code == 422
    assert "already lifted" in again.content.decode() or "이미 내린" in again.content.decode()
