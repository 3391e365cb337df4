"""The day plans' pages and API: who sees what (403/404), the gate officer's build and send,
the bureau's answer, refusals that keep what was typed, the printed list."""

from __future__ import annotations

import datetime as dt

import pytest

from ..models import DayPlan, PlanLine, PlanState
from ..services import plans as svc
from ..services import plans_north as north
from .factories import firm_organisation, make_firm, persona_firm
from .plans_world import crossing_application, future_day

DAY = dt.date(2010, 3, 2)


@pytest.fixture
def world(personas):
    """On 2 March 2010: the demo firm's crossing out at 09:30 (2 people, a vehicle) and another
    firm's at 10:30 (1 person, a vehicle); built by the gate."""
    persona_firm(personas)
    other_org = firm_organisation("다른기업(주)")
    make_firm("다른기업(주)", organisation=other_org)
    other_user = personas["firm"].__class__.objects.create(
        username="otherfirm", organisation=other_org, role=personas["firm"].role
    )
    mine = crossing_application(personas["firm"], DAY, slot=dt.time(9, 30), people=2)
    theirs = crossing_application(other_user, DAY, slot=dt.time(10, 30))
    result = svc.dayplans_build(actor=personas["gate"], day=DAY)
    return {"mine": result.plans[0], "theirs": result.plans[1], "apps": (mine, theirs)}


def test_the_day_page_shows_each_slot_with_its_counts_and_the_send_button(client_for, world):
    page = client_for("gate").get(f"/complex/crossings/plans/?day={DAY}")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<tr") == 1 + 12 + 11  # the 2009 summer slots: 12 out, 11 in
    assert f'data-plan="{world["mine"].pk}"' in html
    assert html.count("/send/") == 2


def test_readers_see_the_day_but_may_not_build_or_send(client_for, world):
    for username in ("gic", "ministry"):
        html = client_for(username).get(f"/complex/crossings/plans/?day={DAY}").content.decode()
        assert f'data-plan="{world["theirs"].pk}"' in html and "/send/" not in html
    refused = client_for("gic").post(f"/complex/crossings/plans/{world['mine'].pk}/send/")
    assert refused.status_code == 403
    assert DayPlan.objects.get(pk=world["mine"].pk).state == PlanState.DRAFT


def test_a_firm_sees_its_own_lines_only(client_for, world):
    firm = client_for("firm")
    html = firm.get(f"/complex/crossings/plans/?day={DAY}").content.decode()
    assert f'data-plan="{world["mine"].pk}"' in html
    assert f'data-plan="{world["theirs"].pk}"' not in html
    assert firm.get(f"/complex/crossings/plans/{world['theirs'].pk}/").status_code == 404
    detail = firm.get(f"/complex/crossings/plans/{world['mine'].pk}/").content.decode()
    assert detail.count("data-line=") == 3
    printed = firm.get(f"/complex/crossings/plans/print/?day={DAY}").content.decode()
    assert printed.count("data-key=") == 3


@pytest.mark.parametrize("username", ["bureau", "customs", "redcross_s", None])
def test_others_do_not_see_the_day(client_for, world, username):
    got = client_for(username).get(f"/complex/crossings/plans/?day={DAY}")
    assert got.status_code == (302 if username is None else 403)


def test_the_printed_list_has_a_line_to_tick_and_a_time_to_write(client_for, world):
    html = client_for("gate").get(f"/complex/crossings/plans/print/?day={DAY}").content.decode()
    assert html.count('class="plan-sheet"') == 2
    assert html.count('<td class="tick">☐</td>') == 5
    assert "complex/plans-print.css" in html


def test_a_bad_day_is_refused_on_the_build_form_with_what_was_typed(client_for, world):
    gate = client_for("gate")
    got = gate.post("/complex/crossings/plans/build/", {"build-day": "2010-13-40"})
    assert got.status_code == 422
    assert 'value="2010-13-40"' in got.content.decode()
    got = gate.post("/complex/crossings/plans/build/", {"build-day": "1999-01-01"})
    assert got.status_code == 422
    got = gate.post("/complex/crossings/plans/build/", {"build-day": "2007-01-05"})
    assert got.status_code == 422
    assert "2007-01-05" in got.content.decode()


def test_building_and_sending_through_the_pages(client_for, personas, world):
    gate = client_for("gate")
    crossing_application(personas["firm"], DAY, slot=dt.time(9, 30), vehicle=False)
    built = gate.post("/complex/crossings/plans/build/", {"build-day": DAY.isoformat()})
    assert built.status_code == 302
    assert PlanLine.objects.filter(plan=world["mine"]).count() == 4
    sent = gate.post(f"/complex/crossings/plans/{world['mine'].pk}/send/")
    assert sent.status_code == 302
    assert DayPlan.objects.get(pk=world["mine"].pk).state == PlanState.SENT
    again = gate.post(f"/complex/crossings/plans/{world['mine'].pk}/send/", follow=True)
    assert "already sent" in again.content.decode() or "이미 보낸" in again.content.decode()


def test_the_bureau_answers_on_its_page(client_for, personas, world):
    plan = north.dayplan_send(actor=personas["gate"], plan=world["mine"])
    bureau = client_for("bureau")
    page = bureau.get("/complex/crossings/north/").content.decode()
    assert f'data-plan="{plan.pk}"' in page and f'data-plan="{world["theirs"].pk}"' not in page
    # Not sent: the bureau does not learn that the plan exists.
    assert bureau.get(f"/complex/crossings/plans/{world['theirs'].pk}/").status_code == 404
    assert bureau.get(f"/complex/crossings/plans/{plan.pk}/").status_code == 200
    url = f"/complex/crossings/north/{plan.pk}/answer/"
    refused = bureau.post(url, {"answer-consent": "no", "answer-note": ""})
    assert refused.status_code == 422
    assert DayPlan.objects.get(pk=plan.pk).state == PlanState.SENT
    bad = bureau.post(url, {"answer-consent": "maybe", "answer-note": "메모 그대로"})
    assert bad.status_code == 422 and "메모 그대로" in bad.content.decode()
    done = bureau.post(url, {"answer-consent": "no", "answer-note": "차량 번호 확인"})
    assert done.status_code == 302
    got = DayPlan.objects.get(pk=plan.pk)
    assert (got.state, got.answer_note) == (PlanState.REFUSED, "차량 번호 확인")
    assert client_for("gate").post(url, {"answer-consent": "yes"}).status_code == 403


# --- the API ------------------------------------------------------------------------------------


def test_the_api_lists_gets_builds_sends_and_answers(api_for, personas, world):
    gate = api_for("gate")
    listed = gate.get(f"/complex/dayplans?day={DAY}")
    assert listed.status_code == 200
    assert [(p["direction"], p["opens_at"], p["people"], p["vehicles"]) for p in listed.json()] == [
        ("out", "09:30", 2, 1),
        ("out", "10:30", 1, 1),
    ]
    one = gate.get(f"/complex/dayplans/{world['mine'].pk}").json()
    assert len(one["lines"]) == 3 and one["state"] == "draft"
    built = gate.post("/complex/dayplans/build", {"day": DAY.isoformat()})
    assert built.status_code == 200 and built.json()["added"] == 0
    sent = gate.post(f"/complex/dayplans/{world['mine'].pk}/send")
    assert sent.status_code == 200 and sent.json()["sent_entry"].startswith("south/")
    bureau = api_for("bureau")
    answer = f"/complex/dayplans/{world['mine'].pk}/answer"
    assert bureau.post(answer, {"consent": False}).status_code == 422
    ok = bureau.post(answer, {"consent": True, "note": "동의"})
    assert ok.status_code == 200 and ok.json()["state"] == "consented"
    assert ok.json()["answer_entry"].startswith("north/")
    assert bureau.post(answer, {"consent": True}).status_code == 409


def test_the_api_refuses_by_role_and_hides_other_firms_plans(api_for, world):
    firm = api_for("firm")
    assert firm.get(f"/complex/dayplans/{world['theirs'].pk}").status_code == 404
    assert len(firm.get(f"/complex/dayplans/{world['mine'].pk}").json()["lines"]) == 3
    assert firm.post("/complex/dayplans/build", {"day": DAY.isoformat()}).status_code == 403
    assert api_for("gic").post(f"/complex/dayplans/{world['mine'].pk}/send").status_code == 403
    assert api_for("customs").get(f"/complex/dayplans?day={DAY}").status_code == 403
    bureau = api_for("bureau")
    assert bureau.get(f"/complex/dayplans/{world['mine'].pk}").status_code == 404
    assert (
        bureau.post(f"/complex/dayplans/{world['mine'].pk}/answer", {"consent": True}).status_code
        == 404
    )
    assert api_for(None).get(f"/complex/dayplans?day={DAY}").status_code == 401


def test_the_api_bounds_and_limits(api_for, personas):
    gate = api_for("gate")
    assert gate.post("/complex/dayplans/build", {"day": "2010-02-30"}).status_code == 422
    assert gate.post("/complex/dayplans/build", {"day": DAY.isoformat(), "x": 1}).status_code == 422
    assert gate.get("/complex/dayplans?day=nope").status_code == 422
    day = dt.date(2008, 12, 15)
    crossing_application(personas["firm"], day, slot=dt.time(10, 0), people=251)
    over = gate.post("/complex/dayplans/build", {"day": day.isoformat()})
    assert over.status_code == 422
    assert over.json()["details"]["over"][0] == {
        "slot": "out 10:00",
        "subject": "person",
        "count": 251,
        "limit": 250,
    }
    assert not DayPlan.objects.exists()


def test_the_timetable_of_a_day(api_for):
    got = api_for("gate").get("/complex/timetable?day=2010-01-15")
    assert got.status_code == 200
    body = got.json()
    assert (body["effective_from"], body["season"], body["mode"]) == (
        "2009-09-01",
        "winter",
        "slots",
    )
    outs = [s["opens_at"] for s in body["slots"] if s["direction"] == "out"]
    assert (len(outs), outs[0], outs[-1]) == (9, "08:30", "16:30")
    assert (body["guarantee_from"], body["guarantee_to"]) == ("07:00", "22:00")
    assert "ASSUMED" in body["source"]
    assert api_for("gate").get("/complex/timetable?day=2007-01-01").status_code == 404
    rfid = api_for("firm").get(f"/complex/timetable?day={future_day()}").json()
    assert rfid["mode"] == "rfid"
    assert api_for("redcross_s").get("/complex/timetable?day=2010-01-15").status_code == 403


@pytest.mark.parametrize(
    "query", ["day=abc", "day=2010-02-30", "day=99999-01-01", "day=1999-12-31", "day="]
)
def test_a_bad_day_in_the_address_shows_today_and_says_why(client_for, world, query):
    for path in ("/complex/crossings/plans/", "/complex/crossings/plans/print/"):
        got = client_for("gate").get(f"{path}?{query}")
        assert got.status_code == 200


@pytest.mark.parametrize(
    "form",
    [
        {"build-day": ""},
        {"build-day": "x" * 5000},
        {"build-day": "2010-03-02\x00"},
        {},
    ],
)
def test_wrong_values_on_the_build_form_are_refused_not_a_crash(client_for, world, form):
    got = client_for("gate").post("/complex/crossings/plans/build/", form)
    assert got.status_code == 422


@pytest.mark.parametrize(
    "form",
    [
        {"answer-consent": "yes", "answer-note": "x" * 501},
        {"answer-consent": "", "answer-note": ""},
        {"answer-note": "\x00"},
        {"answer-consent": ["yes", "no"]},
    ],
)
def test_wrong_values_on_the_answer_form_are_refused_not_a_crash(client_for, personas, world, form):
    plan = north.dayplan_send(actor=personas["gate"], plan=world["mine"])
    got = client_for("bureau").post(f"/complex/crossings/north/{plan.pk}/answer/", form)
    assert got.status_code == 422
    assert DayPlan.objects.get(pk=plan.pk).state == PlanState.SENT


def test_a_line_of_another_plan_or_an_absurd_id_is_not_found(client_for, world):
    gate = client_for("gate")
    theirs = world["theirs"].lines.first()
    url = f"/complex/crossings/plans/{world['mine'].pk}/lines/{theirs.pk}/withdraw/"
    assert gate.post(url).status_code == 404
    assert gate.get("/complex/crossings/plans/99999999999999999999999/").status_code == 404
    assert gate.post("/complex/crossings/plans/99999999999999999999999/send/").status_code == 404
    assert PlanLine.objects.get(pk=theirs.pk).state == "planned"


def test_withdrawing_a_line_on_the_page(client_for, world):
    line = world["mine"].lines.first()
    html = client_for("gate").get(f"/complex/crossings/plans/{world['mine'].pk}/").content.decode()
    assert html.count('id="line-form"') == 1 and html.count("/withdraw/") == 3
    read = client_for("gic").get(f"/complex/crossings/plans/{world['mine'].pk}/").content.decode()
    assert 'id="line-form"' not in read and "/withdraw/" not in read
    got = client_for("gate").post(
        f"/complex/crossings/plans/{world['mine'].pk}/lines/{line.pk}/withdraw/"
    )
    assert got.status_code == 302
    assert PlanLine.objects.get(pk=line.pk).state == "withdrawn"
    again = client_for("gate").post(
        f"/complex/crossings/plans/{world['mine'].pk}/lines/{line.pk}/withdraw/", follow=True
    )
    assert "already withdrawn" in again.content.decode() or "이미 뺀" in again.content.decode()


def test_a_firm_counts_only_its_own_people_on_a_shared_slot(api_for, personas, world):
    crossing_application(personas["gic"], DAY, slot=dt.time(9, 30), people=4)
    svc.dayplans_build(actor=personas["gate"], day=DAY)
    firm = api_for("firm").get(f"/complex/dayplans?day={DAY}").json()
    assert [(p["people"], p["vehicles"]) for p in firm] == [(2, 1)]
    gate = api_for("gate").get(f"/complex/dayplans?day={DAY}").json()
    assert [(p["people"], p["vehicles"]) for p in gate] == [(6, 2), (1, 1)]
    assert len(api_for("firm").get(f"/complex/dayplans/{world['mine'].pk}").json()["lines"]) == 3


def test_a_person_is_moved_to_another_slot_by_hand(client_for, api_for, personas, world):
    theirs = world["apps"][1]
    gate = client_for("gate")
    doc = theirs.travellers.get().document_number
    url = f"/complex/crossings/plans/{world['mine'].pk}/lines/"
    refused = gate.post(url, {"line-subject": "person", "line-key": "NOBODY1"})
    assert refused.status_code == 422 and 'value="NOBODY1"' in refused.content.decode()
    added = gate.post(url, {"line-subject": "person", "line-key": doc.lower()})
    assert added.status_code == 302
    assert world["mine"].lines.filter(traveller__document_number=doc).exists()
    moved_from = world["theirs"].lines.get(traveller__document_number=doc)
    assert moved_from.state == "withdrawn"
    # Building the day again keeps the move.
    assert svc.dayplans_build(actor=personas["gate"], day=DAY).added == 0
    assert world["mine"].lines.get(traveller__document_number=doc).state == "planned"
    assert PlanLine.objects.get(pk=moved_from.pk).state == "withdrawn"
    again = api_for("gate").post(
        f"/complex/dayplans/{world['mine'].pk}/lines", {"subject": "person", "key": doc}
    )
    assert again.status_code == 409
    plate = theirs.vehicles.get().plate_number
    api = api_for("gate").post(
        f"/complex/dayplans/{world['mine'].pk}/lines", {"subject": "vehicle", "key": plate}
    )
    assert api.status_code == 201 and api.json()["state"] == "planned"
    assert (
        api_for("gate")
        .post(f"/complex/dayplans/{world['mine'].pk}/lines", {"subject": "ship", "key": plate})
        .status_code
        == 422
    )


def test_a_day_without_plans_links_to_the_nearest_days_with_plans(client_for, world):
    before = client_for("gate").get(f"/complex/crossings/plans/?day={DAY - dt.timedelta(days=9)}")
    html = before.content.decode()
    assert 'id="later-plans"' in html and f"?day={DAY}" in html
    assert 'id="earlier-plans"' not in html
    same = client_for("gate").get(f"/complex/crossings/plans/?day={DAY}").content.decode()
    assert 'id="nearest-plans"' not in same
