"""A tracing round from the request list to the report."""

import pytest

from panmun.common.errors import DomainError

from .. import selectors
from ..models import LinkState, Person, PersonNote, RoundStatus, TracingReply
from ..services import tracing
from .factories import applicant, relative, round_apply_approved

HEADER = (
    "result,vital_status,death_date,family_name,given_name,sex,birth_date,birthplace,"
    "father_name,relatives\n"
)


@pytest.fixture
def sought(personas):
    """Five relatives sought by five living applicants who consented, oldest applicant first."""
    officer = personas["redcross_s"]
    people = [
        ("이", "선권", "M", "1935-03-02", "함경남도 혜산", "이만수"),
        ("유", "영희", "F", "1940-05-01", "황해도 연백군", "유철호"),
        ("김", "순자", "F", "1938-05-01", "평안북도 강계", "김동호"),
        ("박", "명수", "M", "1932", "개성부", "박기석"),
        ("최", "옥순", "F", "1936-07-07", "평양", "최병철"),
    ]
    out = []
    for n, (family, given, sex, born, place, father) in enumerate(people):
        seeker = applicant(officer, given_name=f"신청{n}", birth_date=f"{1920 + n}")
        out.append(
            relative(
                officer,
                seeker,
                family_name=family,
                given_name=given,
                sex=sex,
                birth_date=born,
                hometown=place,
                father_name=father,
            )
        )
    # Not eligible: no consent; deceased applicant.
    relative(officer, applicant(officer, consent_share=False), given_name="동의없음")
    relative(officer, applicant(officer, status="deceased", death_date="2020"), given_name="사망")
    return officer, out


def test_the_request_list_takes_eligible_relatives_oldest_applicant_first(sought):
    officer, seekings = sought
    tracing_round = tracing.round_create(actor=officer, name="제1차", target_size=3)
    requests = list(tracing.requests_of(tracing_round))
    assert [r.request_id for r in requests] == [
        f"T{tracing_round.pk:03d}-0001",
        f"T{tracing_round.pk:03d}-0002",
        f"T{tracing_round.pk:03d}-0003",
    ]
    assert [r.seeking for r in requests] == seekings[:3]
    # The next round does not ask again for people an open round asks for.
    second = tracing.round_create(actor=officer, name="제2차", target_size=10)
    assert [r.seeking for r in tracing.requests_of(second)] == seekings[3:]
    with pytest.raises(DomainError) as err:
        tracing.round_create(actor=officer, name="제3차", target_size=10)
    assert err.value.details["field"] == "seeking_ids"


def _round_with_replies(officer, rows, given_ids=False):
    tracing_round = tracing.round_create(actor=officer, name="제1차", target_size=5)
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    data = (HEADER + "".join(rows)).encode("utf-8")
    counts = tracing.reply_import(
        actor=officer, tracing_round=tracing_round, data=data, filename="reply.csv"
    )
    return tracing_round, counts


ROWS = [
    # the North's spellings and today's place names, no request ids
    'found,alive,,리,선권,M,1935-04-10,량강도 혜산시,리만수,"동생 리선희 (1942)"\n',
    "found,deceased,1999-03-01,류,영희,F,1940,황해남도 연안군,류철호,\n",
    "found,alive,,김,순자,F,1939-06-01,자강도 강계시,,\n",
    "found,alive,,박,명수,M,1950,개성시,,\n",
    "not_found,,,,,,,,,\n",
]


def test_a_reply_without_request_ids_is_linked_and_doubts_go_to_review(sought):
    officer, seekings = sought
    tracing_round, counts = _round_with_replies(officer, ROWS)
    assert counts["rows"] == 5
    replies = {r.row: r for r in TracingReply.objects.filter(round=tracing_round)}
    assert replies[2].request.seeking == seekings[0]
    assert replies[2].link_state == LinkState.PROPOSED
    assert replies[3].request.seeking == seekings[1]
    # 박명수 born 1932 asked, one born 1950 answered: a doubt for an officer.
    assert replies[5].link_state == LinkState.REVIEW
    assert replies[5].explanation["steps"]
    # A "not found" row without an id cannot say whom it is about.
    assert replies[6].link_state == LinkState.UNMATCHED
    tracing_round.refresh_from_db()
    assert tracing_round.status == RoundStatus.REPLIED


def test_review_then_apply_updates_the_registry_and_the_report(sought, personas):
    officer, seekings = sought
    tracing_round, _ = _round_with_replies(officer, ROWS)
    with pytest.raises(DomainError) as err:
        tracing.round_apply(actor=officer, tracing_round=tracing_round)
    assert err.value.code == "invalid_transition"
    for reply in TracingReply.objects.filter(round=tracing_round, link_state=LinkState.REVIEW):
        tracing.reply_review(actor=officer, reply=reply, accept=reply.row != 5)
    counts = round_apply_approved(
        officer=officer, approver=personas["supervisor"], tracing_round=tracing_round
    )
    assert counts["alive"] >= 1 and counts["deceased"] == 1
    이선권 = Person.objects.get(pk=seekings[0].sought_id)
    류영희 = Person.objects.get(pk=seekings[1].sought_id)
    박명수 = Person.objects.get(pk=seekings[3].sought_id)
    assert (이선권.status, 류영희.status, 류영희.death_date) == ("alive", "deceased", "1999-03-01")
    assert 박명수.status == "unknown"  # rejected in review
    assert "리선희" in PersonNote.objects.get(person=이선권).text
    report = selectors.round_report(tracing_round)
    assert report.sent == 5
    assert report.found_deceased == 1
    assert (
        report.answered
        == report.found_alive + report.found_deceased + report.found_unknown + report.not_found
    )
    assert report.unanswered == report.sent - report.answered
    tracing_round.refresh_from_db()
    assert tracing_round.status == RoundStatus.APPLIED


def test_a_reply_with_request_ids_links_directly(sought):
    officer, _ = sought
    tracing_round = tracing.round_create(actor=officer, name="ids", target_size=2)
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    first = tracing_round.requests.first().request_id
    data = f"request_id,result,vital_status\n{first},found,alive\n".encode()
    tracing.reply_import(actor=officer, tracing_round=tracing_round, data=data, filename="r.csv")
    reply = TracingReply.objects.get()
    assert (reply.request.request_id, reply.link_state) == (first, LinkState.GIVEN)


@pytest.mark.parametrize(
    "text, row, field",
    [
        ("result,vital_status\nmaybe,alive\n", 2, "result"),
        ("result,vital_status,death_date\nfound,alive,1999\n", 2, "death_date"),
        ("result,birth_date\nfound,1950-02-30\n", 2, "birth_date"),
        ("request_id,result\nT999-0001,found\n", 2, "request_id"),
        ("result,colour\nfound,red\n", 1, "colour"),
        ("vital_status\nalive\n", 1, "result"),
    ],
)
def test_a_bad_reply_file_is_refused_whole(sought, text, row, field):
    officer, _ = sought
    tracing_round = tracing.round_create(actor=officer, name="bad", target_size=5)
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    with pytest.raises(DomainError) as err:
        tracing.reply_import(
            actor=officer,
            tracing_round=tracing_round,
            data=text.encode("cp949"),
            filename="reply.csv",
        )
    problems = err.value.details["errors"]
    assert {"row": row, "field": field} in [
        {"row": p["row"], "field": p["field"]} for p in problems
    ]
    assert TracingReply.objects.count() == 0
    tracing_round.refresh_from_db()
    assert tracing_round.status == RoundStatus.SENT


def test_a_draft_round_takes_no_replies_and_the_north_enters_replies_once_sent(sought, personas):
    officer, _ = sought
    tracing_round = tracing.round_create(actor=officer, name="n", target_size=1)
    north = personas["redcross_n"]
    with pytest.raises(DomainError) as err:
        tracing.reply_enter(actor=north, tracing_round=tracing_round, values={"result": "found"})
    assert err.value.code == "invalid_transition"
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    rid = tracing_round.requests.get().request_id
    reply = tracing.reply_enter(
        actor=north,
        tracing_round=tracing_round,
        values={"request_id": rid, "result": "found", "vital_status": "alive"},
    )
    assert reply.link_state == LinkState.GIVEN and reply.entered_by == north
    with pytest.raises(DomainError) as err:
        tracing.round_apply(actor=north, tracing_round=tracing_round)
    assert err.value.code == "permission_denied"


def test_rows_of_the_reply_form_left_unanswered_are_skipped(sought):
    officer, _ = sought
    tracing_round = tracing.round_create(actor=officer, name="form", target_size=2)
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    first, second = tracing_round.requests.values_list("request_id", flat=True)
    data = f"request_id,result,vital_status\n{first},found,alive\n{second},,\n".encode()
    counts = tracing.reply_import(
        actor=officer, tracing_round=tracing_round, data=data, filename="r.csv"
    )
    assert counts["rows"] == 1
    assert list(TracingReply.objects.values_list("given_request_id", flat=True)) == [first]


@pytest.mark.parametrize(
    "name, data", [("reply.txt", b"result\nfound\n"), ("reply.xlsx", b"PK\x03\x04 broken")]
)
def test_a_reply_file_that_cannot_be_read_is_named(sought, name, data):
    officer, _ = sought
    tracing_round = tracing.round_create(actor=officer, name="r", target_size=1)
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    with pytest.raises(DomainError) as err:
        tracing.reply_import(actor=officer, tracing_round=tracing_round, data=data, filename=name)
    assert err.value.details["errors"][0]["file"] == name
    assert TracingReply.objects.count() == 0
