"""Issue 15, defects 6 and 7 (the service side): the other side's replies are checked against
the request they name, doubtful ones wait for a reviewer with the reason, applying a round needs
a second person's approval (결재), and a person's status remembers the round that set it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from panmun.accounts import signoffs
from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError

from .. import selectors
from ..models import LinkState, Person, PersonNote, RoundStatus, TracingReply
from ..services import registry, tracing
from .factories import applicant, relative, round_apply_approved


@pytest.fixture
def officer(personas):
    return personas["redcross_s"]


@pytest.fixture
def supervisor(personas):
    return personas["supervisor"]


def _round(officer, *people, name="제1차"):
    """A round sent to the North, asking for each (family, given, born, sex) in `people`."""
    for n, (family, given, born, sex) in enumerate(people):
        seeker = applicant(officer, given_name=f"신청{n}", birth_date=f"{1925 + n}")
        relative(
            officer,
            seeker,
            family_name=family,
            given_name=given,
            birth_date=born,
            sex=sex,
            father_name="",
            hometown="",
        )
    tracing_round = tracing.round_create(actor=officer, name=name, target_size=len(people))
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    return tracing_round


def _answer(personas, tracing_round, seq, **values):
    request = tracing_round.requests.get(seq=seq)
    return tracing.reply_enter(
        actor=personas["redcross_n"],
        tracing_round=tracing_round,
        values={"request_id": request.request_id, "result": "found", **values},
    )


def _codes(reply):
    return [d["code"] for d in reply.doubts]


# --- names, birth dates, sex ------------------------------------------------------------------


def test_a_reply_naming_someone_else_under_a_request_id_goes_to_review(personas, officer):
    tracing_round = _round(officer, ("송", "덕순", "1938", "F"))
    reply = _answer(
        personas, tracing_round, 1, family_name="송", given_name="덕선", vital_status="alive"
    )
    assert reply.link_state == LinkState.REVIEW
    assert _codes(reply) == ["name"]
    doubt = reply.doubts[0]
    assert "송덕선" in doubt["ko"] and "송덕순" in doubt["ko"]
    assert "송덕선" in doubt["en"] and "송덕순" in doubt["en"]
    assert selectors.round_report(tracing_round).to_review == 1
    assert selectors.round_report(tracing_round).answered == 0


@pytest.mark.parametrize(
    "asked, answered",
    [
        (("이", "선권"), ("리", "선권")),  # the North's initial ㄹ
        (("유", "영희"), ("류", "영희")),
        (("노", "동수"), ("로", "동수")),
        (("임", "영"), ("림", "영")),
        (("이", "규열"), ("리", "규렬")),  # 렬 inside a name after a vowel
    ],
)
def test_the_norths_spelling_of_the_same_name_is_no_doubt(personas, officer, asked, answered):
    tracing_round = _round(officer, (*asked, "1940", "M"))
    reply = _answer(
        personas,
        tracing_round,
        1,
        family_name=answered[0],
        given_name=answered[1],
        vital_status="alive",
    )
    assert (reply.link_state, reply.doubts) == (LinkState.GIVEN, [])


def test_a_reply_without_a_name_is_not_doubted_for_its_name(personas, officer):
    tracing_round = _round(officer, ("송", "덕순", "1938", "F"))
    reply = _answer(personas, tracing_round, 1, vital_status="alive")
    assert (reply.link_state, reply.doubts) == (LinkState.GIVEN, [])


@pytest.mark.parametrize(
    "values, code",
    [
        ({"birth_date": "1950"}, "birth_date"),
        ({"birth_date": "1938-05-01", "sex": "M"}, "sex"),
    ],
)
def test_a_different_birth_date_or_sex_goes_to_review(personas, officer, values, code):
    tracing_round = _round(officer, ("송", "덕순", "1938", "F"))
    named = {"family_name": "송", "given_name": "덕순", "vital_status": "alive"}
    reply = _answer(personas, tracing_round, 1, **named, **values)
    assert reply.link_state == LinkState.REVIEW
    assert _codes(reply) == [code]


def test_a_lunar_birthday_written_as_solar_is_no_doubt(personas, officer):
    """음력 1938-12-20 is 1939-02-08 in the solar calendar: the same birthday, two calendars."""
    tracing_round = _round(officer, ("송", "덕순", "1938-12-20", "F"))
    Person.objects.filter(given_name="덕순").update(birth_calendar="lunar")
    reply = _answer(
        personas,
        tracing_round,
        1,
        family_name="송",
        given_name="덕순",
        birth_date="1939-02-08",
        birth_calendar="solar",
        vital_status="alive",
    )
    assert (reply.link_state, reply.doubts) == (LinkState.GIVEN, [])


# --- "alive" at an age nobody reaches -----------------------------------------------------------


def test_alive_at_115_goes_to_review_with_the_age(personas, officer):
    tracing_round = _round(officer, ("송", "덕순", "1911", "F"), ("김", "영수", "1911", "M"))
    alive = _answer(personas, tracing_round, 1, vital_status="alive")
    dead = _answer(personas, tracing_round, 2, vital_status="deceased", death_date="1990")
    assert alive.link_state == LinkState.REVIEW
    assert _codes(alive) == ["age"]
    age = timezone.localdate().year - 1911
    assert str(age - 1) in alive.doubts[0]["en"] or str(age) in alive.doubts[0]["en"]
    assert str(tracing.MAX_PLAUSIBLE_AGE) in alive.doubts[0]["ko"]
    assert (dead.link_state, dead.doubts) == (LinkState.GIVEN, [])


def test_the_age_is_checked_on_the_birth_date_the_reply_gives(personas, officer):
    tracing_round = _round(officer, ("송", "덕순", "", "F"))
    reply = _answer(personas, tracing_round, 1, vital_status="alive", birth_date="1910-03-01")
    assert _codes(reply) == ["age"]


def test_an_engine_link_that_would_be_alive_at_115_goes_to_review(personas, officer):
    tracing_round = _round(officer, ("송", "덕순", "1911-03-02", "F"))
    data = (
        "result,vital_status,family_name,given_name,sex,birth_date\n"
        "found,alive,송,덕순,F,1911-03-02\n"
    ).encode()
    tracing.reply_import(actor=officer, tracing_round=tracing_round, data=data, filename="r.csv")
    reply = TracingReply.objects.get()
    assert reply.request is not None
    assert reply.link_state == LinkState.REVIEW
    assert "age" in _codes(reply)


def test_a_reviewer_may_confirm_a_doubtful_reply(personas, officer):
    tracing_round = _round(officer, ("송", "덕순", "1938", "F"))
    reply = _answer(
        personas, tracing_round, 1, family_name="송", given_name="덕선", vital_status="alive"
    )
    reviewed = tracing.reply_review(actor=officer, reply=reply, accept=True)
    assert reviewed.link_state == LinkState.CONFIRMED
    assert selectors.round_report(tracing_round).answered == 1


# --- applying needs 결재 -------------------------------------------------------------------------


@pytest.fixture
def answered(personas, officer):
    """Three requests: one found alive, one found deceased, one unanswered."""
    people = [("이", "선권", "1935", "M"), ("유", "영희", "1940", "F"), ("박", "명수", "1932", "M")]
    tracing_round = _round(officer, *people)
    _answer(personas, tracing_round, 1, family_name="리", given_name="선권", vital_status="alive")
    _answer(personas, tracing_round, 2, vital_status="deceased", death_date="1999-03-01")
    return tracing_round


def test_the_preview_says_what_applying_will_do(answered):
    preview = tracing.apply_preview(answered)
    assert (
        preview.requests,
        preview.answered,
        preview.found_alive,
        preview.found_deceased,
        preview.not_found,
        preview.unanswered,
        preview.status_changes,
    ) == (3, 2, 1, 1, 0, 1, 2)
    summary = preview.summary()
    assert summary["unanswered"] == 1 and summary["lines"]
    assert all(set(line) == {"ko", "en"} for line in summary["lines"])
    warnings = preview.warnings()
    assert any("1 of 3" in w["en"] for w in warnings)


def test_a_round_is_not_applied_without_approval(answered, officer):
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as err:
        tracing.round_apply(actor=officer, tracing_round=answered)
    assert err.value.code == "invalid_transition"
    assert err.value.details["action"] == tracing.APPLY_STEP
    answered.refresh_from_db()
    assert answered.status == RoundStatus.REPLIED
    assert Person.objects.filter(status="alive", registry_no=None).count() == 0
    assert AuditEntry.objects.count() == before


def test_an_approved_round_is_applied_and_the_status_remembers_the_round(
    answered, officer, supervisor
):
    counts = round_apply_approved(officer=officer, approver=supervisor, tracing_round=answered)
    assert counts == {"alive": 1, "deceased": 1, "not_found": 0}
    found = Person.objects.get(given_name="선권")
    dead = Person.objects.get(given_name="영희")
    unanswered = Person.objects.get(given_name="명수")
    today = timezone.localdate()
    assert (found.status, found.status_round, found.status_changed_on) == (
        "alive",
        answered,
        today,
    )
    assert (dead.status, dead.death_date, dead.status_round) == ("deceased", "1999-03-01", answered)
    assert (unanswered.status, unanswered.status_round, unanswered.status_changed_on) == (
        "unknown",
        None,
        None,
    )
    assert PersonNote.objects.filter(person=found).count() == 1
    used = signoffs.signoffs_of(tracing.APPLY_STEP, answered).get()
    assert (used.state, used.decided_by) == ("used", supervisor)


def test_the_asker_cannot_approve_their_own_request(answered, officer):
    signoff = tracing.round_apply_request(actor=officer, tracing_round=answered)
    with pytest.raises(DomainError) as err:
        signoffs.signoff_decide(actor=officer, signoff=signoff, approve=True)
    assert err.value.code == "permission_denied"


def test_an_approval_stops_holding_when_the_replies_change(personas, answered, officer, supervisor):
    signoff = tracing.round_apply_request(actor=officer, tracing_round=answered)
    signoffs.signoff_decide(actor=supervisor, signoff=signoff, approve=True)
    _answer(personas, answered, 3, vital_status="alive")  # a late answer
    with pytest.raises(DomainError) as err:
        tracing.round_apply(actor=officer, tracing_round=answered)
    assert err.value.code == "conflict"
    answered.refresh_from_db()
    assert answered.status == RoundStatus.REPLIED


def test_approval_cannot_be_asked_while_links_wait_for_review(personas, officer):
    tracing_round = _round(officer, ("송", "덕순", "1938", "F"))
    _answer(personas, tracing_round, 1, family_name="송", given_name="덕선", vital_status="alive")
    with pytest.raises(DomainError) as err:
        tracing.round_apply_request(actor=officer, tracing_round=tracing_round)
    assert err.value.code == "invalid_transition"
    assert signoffs.signoff_open(tracing.APPLY_STEP, tracing_round) is None


def test_the_north_cannot_ask_to_apply(personas, answered):
    with pytest.raises(DomainError) as err:
        tracing.round_apply_request(actor=personas["redcross_n"], tracing_round=answered)
    assert err.value.code == "permission_denied"


def test_a_status_changed_by_hand_forgets_the_round(answered, officer, supervisor):
    round_apply_approved(officer=officer, approver=supervisor, tracing_round=answered)
    person = Person.objects.get(given_name="선권")
    person.status = "deceased"
    person.death_date = "2026"
    registry.person_save(actor=officer, person=person)
    person.refresh_from_db()
    assert (person.status_round, person.status_changed_on) == (None, timezone.localdate())
