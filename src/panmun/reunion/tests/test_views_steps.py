"""Irreversible steps of a round (issue 15, defect 6): freezing the pool, running the draw,
fixing the final list and removing a session are asked first; fixing the final list also needs
a second supervisor's approval (결재) that still holds; attendance is "not recorded" until the
officer says otherwise, and "took part" cannot be recorded before the first day."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.core.cache import cache

from panmun.accounts.models import AuditEntry, SignOff
from panmun.common.errors import DomainError
from panmun.families.tests.factories import applicant, relative

from ..criteria import default_criteria
from ..models import Candidate, Draw, Participant, ReunionSession, Stage
from ..services import selection
from .factories import answered_round, final_round, inquire_and_answer

SEED = "ab" * 32


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def draft(personas):
    officer = personas["redcross_s"]
    listed = []
    for n in range(3):
        seeker = applicant(officer, given_name=f"단계{n}", birth_date="1931")
        relative(officer, seeker, relation="child", given_name=f"단계자녀{n}")
        listed.append(seeker.registry_no)
    criteria = default_criteria(dt.date(2026, 11, 23), 1)
    criteria["strata"] = [
        {"name": "지정", "places": 2, "rule": {"kind": "listed", "registry_nos": listed}},
        {"name": "그 외", "places": 0, "rule": {"kind": "rest"}},
    ]
    criteria["candidates_per_place"] = 2
    return selection.round_create(
        actor=personas["supervisor"],
        kind="in_person",
        number=50,
        name="제50차",
        starts_on=dt.date(2027, 5, 1),
        criteria=criteria,
    )


def test_freezing_the_pool_is_asked_first(client_for, draft):
    client = client_for("supervisor")
    audit = AuditEntry.objects.count()
    response = client.post(f"/reunion/{draft.pk}/freeze/", {"seed_hex": SEED, "seed_text": ""})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert 'name="confirm" value="yes"' in page
    assert f'name="seed_hex" value="{SEED}"' in page
    assert "지정" in page and "3" in page  # the stratum and its applicants
    assert "4" in page  # four candidates to draw from three: a warning
    assert 'class="form-errors"' in page
    assert not Draw.objects.filter(round=draft).exists()
    assert AuditEntry.objects.count() == audit
    response = client.post(
        f"/reunion/{draft.pk}/freeze/", {"seed_hex": SEED, "seed_text": "", "confirm": "yes"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.stage == Stage.FROZEN and draft.draw.seed_hex == SEED


def test_a_bad_seed_comes_back_on_the_freeze_form(client_for, draft):
    audit = AuditEntry.objects.count()
    response = client_for("supervisor").post(
        f"/reunion/{draft.pk}/freeze/", {"seed_hex": "xyz", "seed_text": "", "confirm": "yes"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'value="xyz"' in page and 'id="id_seed_hex_error"' in page
    draft.refresh_from_db()
    assert draft.stage == Stage.DRAFT and AuditEntry.objects.count() == audit


def test_the_draw_is_asked_first(client_for, personas, draft):
    selection.pool_freeze(actor=personas["supervisor"], reunion_round=draft, seed_hex=SEED)
    client = client_for("supervisor")
    response = client.post(f"/reunion/{draft.pk}/draw/")
    assert response.status_code == 200
    assert 'name="confirm" value="yes"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.stage == Stage.FROZEN
    assert client.post(f"/reunion/{draft.pk}/draw/", {"confirm": "yes"}).status_code == 302
    draft.refresh_from_db()
    assert draft.stage == Stage.DRAWN


def test_the_final_list_needs_a_second_supervisors_approval(client_for, personas):
    answered = answered_round(personas, number=61, addresses=["서울", "부산"])
    supervisor, admin = client_for("supervisor"), client_for("admin")
    # Not without approval.
    response = supervisor.post(f"/reunion/{answered.pk}/final/", {"confirm": "yes"})
    assert response.status_code == 302
    answered.refresh_from_db()
    assert answered.stage == Stage.TRACING
    page = supervisor.get(f"/reunion/{answered.pk}/").content.decode()
    assert (
        f'action="/reunion/{answered.pk}/final/signoff/"' in page and 'id="fix-final"' not in page
    )
    # The supervisor asks; they cannot approve their own request.
    assert supervisor.post(f"/reunion/{answered.pk}/final/signoff/").status_code == 302
    signoff = SignOff.objects.get(action=selection.FINAL_FIX)
    assert signoff.state == "requested" and signoff.summary["drawn"] == 2
    supervisor.post(f"/signoffs/{signoff.pk}/decide/", {"decision": "approve"})
    signoff.refresh_from_db()
    assert signoff.state == "requested"
    # The administrator (another supervisor of the South) approves from the round's page.
    assert (
        f'action="/signoffs/{signoff.pk}/decide/"'
        in admin.get(f"/reunion/{answered.pk}/").content.decode()
    )
    admin.post(f"/signoffs/{signoff.pk}/decide/", {"decision": "approve"})
    signoff.refresh_from_db()
    assert signoff.state == "approved"
    # Asked first, then fixed.
    response = supervisor.post(f"/reunion/{answered.pk}/final/")
    assert response.status_code == 200 and 'name="confirm"' in response.content.decode()
    assert not Participant.objects.filter(round=answered).exists()
    response = supervisor.post(f"/reunion/{answered.pk}/final/", {"confirm": "yes"})
    assert response.status_code == 302
    answered.refresh_from_db()
    signoff.refresh_from_db()
    assert answered.stage == Stage.FINAL and signoff.state == "used"
    assert Participant.objects.filter(round=answered).count() == 2


def test_an_approval_no_longer_holds_once_the_checks_change(client_for, personas):
    answered = answered_round(personas, number=62, addresses=["서울", "부산"])
    supervisor, officer = personas["supervisor"], personas["redcross_s"]
    signoff = selection.final_signoff_request(actor=supervisor, reunion_round=answered)
    from panmun.accounts import signoffs

    signoffs.signoff_decide(actor=personas["admin"], signoff=signoff, approve=True)
    # Stepped back, one candidate now declines, asked and answered again.
    selection.stage_revert(actor=supervisor, reunion_round=answered, reason="의사 다시 확인")
    first = Candidate.objects.filter(round=answered, drawn=True).order_by("rank").first()
    selection.candidates_check(
        actor=officer,
        reunion_round=answered,
        checks={first.pk: selection.Check("declined", "fit")},
    )
    inquire_and_answer(personas, answered)
    answered.refresh_from_db()
    page = client_for("supervisor").post(f"/reunion/{answered.pk}/final/").content.decode()
    assert "결재 뒤에" in page or "changed after" in page  # warned before confirming
    with pytest.raises(DomainError) as err:
        selection.final_fix(actor=supervisor, reunion_round=answered)
    assert err.value.code == "conflict"
    answered.refresh_from_db()
    assert answered.stage == Stage.TRACING
    assert not Participant.objects.filter(round=answered).exists()


def test_removing_a_session_is_asked_first(client_for, personas):
    reunion_round = final_round(personas, number=63)
    session = reunion_round.event.sessions.first()
    client = client_for("redcross_s")
    url = f"/reunion/{reunion_round.pk}/event/sessions/{session.pk}/remove/"
    response = client.post(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="confirm" value="yes"' in page and session.place in html.unescape(page)
    assert ReunionSession.objects.filter(pk=session.pk).exists()
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert not ReunionSession.objects.filter(pk=session.pk).exists()


def test_attendance_is_not_recorded_until_said_and_not_yes_before_the_event(client_for, personas):
    reunion_round = final_round(personas, number=64)  # its first day is 2027-03-01
    participant = reunion_round.participants.get()
    client = client_for("redcross_s")
    page = client.get(f"/reunion/{reunion_round.pk}/event/").content.decode()
    form = page[page.index(f'action="/reunion/families/{participant.pk}/attendance/"') :]
    form = form[: form.index("</form>")]
    assert '<option value="" selected>' in form
    assert '<option value="yes" selected>' not in form
    audit = AuditEntry.objects.count()
    url = f"/reunion/families/{participant.pk}/attendance/"
    response = client.post(url, {"attended": "", "absence": "", "note": "확인 중"})
    assert response.status_code == 422
    assert 'value="확인 중"' in response.content.decode()
    response = client.post(url, {"attended": "yes", "absence": "", "note": "미리"})
    assert response.status_code == 422
    page = html.unescape(response.content.decode())
    assert "상봉 첫날(2027-03-01) 전에는 참석으로 기록할 수 없습니다." in page
    assert 'value="미리"' in page and '<option value="yes" selected>' in page
    participant.refresh_from_db()
    assert participant.attended is None and AuditEntry.objects.count() == audit
