"""/api/v1/reunion: a round through the API, with the same rules as the pages."""

from __future__ import annotations

import datetime as dt

from panmun.families.tests.factories import applicant, relative

from .. import lottery
from ..criteria import default_criteria
from ..models import ReunionRound, VideoLetter
from .factories import final_round


def _payload(**changes):
    data = {
        "kind": "in_person",
        "number": 40,
        "name": "제40차",
        "starts_on": "2027-05-01",
        "criteria": default_criteria(dt.date(2026, 11, 23), 2),
    }
    data.update(changes)
    return data


def test_a_round_is_created_frozen_drawn_and_its_bundle_verifies(api_for, personas):
    officer = personas["redcross_s"]
    for n in range(4):
        relative(officer, applicant(officer, given_name=f"신청{n}", birth_date=str(1930 + 8 * n)))
    api = api_for("supervisor")
    created = api.post("/reunion/rounds", _payload())
    assert created.status_code == 201, created.content
    round_id = created.json()["id"]
    assert created.json()["stage"] == "draft" and created.json()["commitment"] is None
    frozen = api.post(f"/reunion/rounds/{round_id}/freeze", {"seed_hex": "ab" * 32})
    commitment = frozen.json()["commitment"]
    assert commitment["pool_size"] == 4 and commitment["seed_hex"] is None
    drawn = api.post(f"/reunion/rounds/{round_id}/draw").json()
    assert drawn["stage"] == "drawn" and drawn["commitment"]["seed_hex"] == "ab" * 32
    bundle = api.get(f"/reunion/rounds/{round_id}/bundle")
    assert bundle.status_code == 200 and bundle["Content-Type"] == "application/zip"
    report = lottery.verify_bundle(
        bundle.content,
        expect_pool_sha256=commitment["pool_sha256"],
        expect_seed_sha256=commitment["seed_sha256"],
    )
    assert report.ok
    candidates = api.get(f"/reunion/rounds/{round_id}/candidates").json()
    assert len(candidates) == 4 and all(c["drawn"] for c in candidates)


def test_bad_criteria_are_a_422_naming_each_field(api_for):
    criteria = default_criteria(dt.date(2026, 11, 23), 2)
    criteria["strata"][1]["rule"] = {"kind": "everyone"}
    response = api_for("supervisor").post("/reunion/rounds", _payload(criteria=criteria))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert [e["field"] for e in body["details"]["errors"]] == ["strata[1].rule.kind"]
    assert not ReunionRound.objects.exists()


def test_a_second_draw_is_a_409_and_changes_nothing(api_for, personas):
    reunion_round = final_round(personas)
    before = reunion_round.draw.result_csv
    response = api_for("supervisor").post(f"/reunion/rounds/{reunion_round.pk}/draw")
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    reunion_round.draw.refresh_from_db()
    assert reunion_round.draw.result_csv == before


def test_the_north_reads_the_final_list_without_names(api_for, personas):
    reunion_round = final_round(personas)
    rows = api_for("redcross_n").get(f"/reunion/rounds/{reunion_round.pk}/participants").json()
    assert len(rows) == 1 and set(rows[0]) >= {"draw_id", "table", "room"}
    assert "name" not in rows[0]
    assert (
        api_for("redcross_n").get(f"/reunion/rounds/{reunion_round.pk}/candidates").status_code
        == 403
    )


def test_a_video_letter_is_recorded(api_for, personas):
    person = applicant(personas["redcross_s"])
    response = api_for("redcross_s").post(
        "/reunion/letters",
        {
            "registry_no": person.registry_no,
            "direction": "outgoing",
            "addressee": "북측 딸",
            "file_ref": "vl/9.mp4",
            "sha256": "EF" * 32,
            "duration_seconds": 420,
            "recorded_on": "2026-10-01",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["sha256"] == "ef" * 32 and response.json()["status"] == "recorded"


def test_a_letter_for_an_unknown_family_is_a_422_and_writes_nothing(api_for):
    response = api_for("redcross_s").post(
        "/reunion/letters",
        {
            "registry_no": "X-404",
            "direction": "outgoing",
            "addressee": "북측 딸",
            "file_ref": "vl/9.mp4",
            "sha256": "ab" * 32,
            "duration_seconds": 420,
            "recorded_on": "2026-10-01",
        },
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["details"]["errors"]] == ["registry_no"]
    assert not VideoLetter.objects.exists()
