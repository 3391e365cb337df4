"""The reunion pages: what each side sees, the downloads, the forms' errors."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from .. import lottery
from ..models import Candidate, ReunionRound
from .factories import final_round


@pytest.fixture
def in_person(personas):
    return final_round(personas, addresses=["서울특별시 종로구", "부산광역시 중구"])


def test_a_supervisor_creates_a_round_with_the_usual_criteria(client_for):
    client = client_for("supervisor")
    response = client.post(
        "/reunion/",
        {
            "kind": "in_person",
            "number": 30,
            "name": "제30차 이산가족 대면상봉",
            "starts_on": "2027-05-01",
            "days": 3,
            "places": 100,
            "venue": "",
        },
    )
    created = ReunionRound.objects.get(number=30)
    assert response.status_code == 302 and response["Location"] == f"/reunion/{created.pk}/"
    assert [s["places"] for s in created.criteria["strata"]] == [50, 50]
    page = client.get(f"/reunion/{created.pk}/").content.decode()
    assert 'id="criteria-form"' in page and 'id="freeze"' in page


def test_the_bundle_downloads_and_verifies(client_for, in_person):
    response = client_for("redcross_n").get(f"/reunion/{in_person.pk}/bundle.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    data = response.content
    assert set(zipfile.ZipFile(io.BytesIO(data)).namelist()) >= {
        "pool.csv",
        "criteria.json",
        "commitment.json",
        "seed.hex",
        "result.csv",
    }
    assert lottery.verify_bundle(data, expect_pool_sha256=in_person.draw.pool_sha256).ok


def test_the_north_sees_draw_ids_but_no_names(client_for, in_person):
    page = client_for("redcross_n").get(f"/reunion/{in_person.pk}/").content.decode()
    assert in_person.draw.pool_sha256 in page
    name = Candidate.objects.filter(round=in_person).first().applicant.display_name
    assert name not in page
    event = client_for("redcross_n").get(f"/reunion/{in_person.pk}/event/").content.decode()
    assert name not in event and "data-participant" in event


@pytest.mark.parametrize("kind", ["participants", "programme", "cards", "report"])
def test_the_event_documents_are_pdfs(client_for, in_person, kind):
    response = client_for("redcross_s").get(f"/reunion/{in_person.pk}/event/{kind}.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_family_cards_are_for_the_south_only(client_for, in_person):
    assert (
        client_for("redcross_n").get(f"/reunion/{in_person.pk}/event/cards.pdf").status_code == 403
    )


def test_history_shows_every_round_and_the_chart(client_for):
    page = client_for("viewer").get("/reunion/history/").content.decode()
    assert page.count('<tr data-round="') == 21 + 1 + 7  # the 1985 visits have no number
    assert 'data-year="2000"' in page and "<polyline" in page


def test_letters_refuse_a_bad_checksum_on_the_form(client_for, in_person):
    registry_no = in_person.participants.first().candidate.applicant.registry_no
    response = client_for("redcross_s").post(
        "/reunion/letters/",
        {
            "registry_no": registry_no,
            "direction": "outgoing",
            "addressee": "북측 아들",
            "file_ref": "vl/1.mp4",
            "sha256": "z" * 64,
            "duration_seconds": 300,
            "language": "ko",
            "recorded_on": "2026-01-01",
        },
    )
    assert response.status_code == 422
    assert "SHA-256" in response.content.decode()


def test_the_north_sees_the_programme_before_the_final_list(client_for, personas):
    from ..criteria import default_criteria
    from ..services import selection

    reunion_round = selection.round_create(
        actor=personas["supervisor"],
        kind="in_person",
        number=31,
        name="제31차",
        starts_on=dt.date(2027, 5, 1),
        criteria=default_criteria(dt.date(2026, 11, 23), 2),
    )
    ReunionRound.objects.filter(pk=reunion_round.pk).update(stage="frozen")
    north = client_for("redcross_n")
    page = north.get(f"/reunion/{reunion_round.pk}/event/")
    assert page.status_code == 200 and "data-participant" not in page.content.decode()
    assert north.get(f"/reunion/{reunion_round.pk}/event/programme.pdf").status_code == 200
    assert north.get(f"/reunion/{reunion_round.pk}/event/participants.pdf").status_code == 403


def test_attendance_of_a_video_round_is_recorded_on_its_page(client_for, personas):
    video_round = final_round(personas, kind="video", number=8)
    participant = video_round.participants.get()
    response = client_for("redcross_s").post(
        f"/reunion/families/{participant.pk}/attendance/", {"attended": "no", "absence": "health"}
    )
    assert response["Location"] == f"/reunion/{video_round.pk}/video/"
    participant.refresh_from_db()
    assert (participant.attended, participant.absence) == (False, "health")
    page = client_for("redcross_s").get(response["Location"]).content.decode()
    assert 'data-attended="False"' in page


def test_a_video_round_has_no_event_to_change(client_for, personas):
    video_round = final_round(personas, kind="video", number=8)
    client = client_for("redcross_s")
    for path in ("event/places/", "event/sessions/1/remove/", "event/update/"):
        assert client.post(f"/reunion/{video_round.pk}/{path}").status_code == 404


def test_a_viewer_reads_the_event_but_takes_no_list_of_people_away(client_for, in_person):
    from panmun.accounts.models import AuditEntry

    viewer = client_for("viewer")
    page = viewer.get(f"/reunion/{in_person.pk}/event/").content.decode()
    assert "data-participant" in page
    assert 'data-download="participants"' not in page and 'data-download="cards"' not in page
    before = AuditEntry.objects.count()
    for kind in ("participants", "cards"):
        assert viewer.get(f"/reunion/{in_person.pk}/event/{kind}.pdf").status_code == 403
    assert viewer.get(f"/reunion/{in_person.pk}/event/programme.pdf").status_code == 200
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("who", "kind"),
    [("redcross_s", "participants"), ("redcross_s", "cards"), ("redcross_n", "participants")],
)
def test_a_list_of_people_taken_away_is_audited_with_its_rows(
    client_for, personas, in_person, who, kind
):
    from panmun.accounts.models import AuditEntry

    assert client_for(who).get(f"/reunion/{in_person.pk}/event/{kind}.pdf").status_code == 200
    entry = AuditEntry.objects.get(action="reunion.list.export")
    assert entry.actor == personas[who] and entry.object_id == str(in_person.pk)
    assert entry.changes == {"as": kind, "rows": in_person.participants.count()}
