"""Issue 15 on the round pages: applying a round asks first and needs a second person's approval
(defect 6), doubtful replies show their reason to the reviewer and the person page says which
round set a status (defect 7), and the North's officers read the request list in their spelling.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from panmun.accounts.models import AuditEntry, SignOff

from ..models import Person, PersonNote, RoundStatus
from ..services import tracing
from .factories import applicant, relative


@pytest.fixture
def replied(personas):
    """A round of three sent to the North: 이선권 found alive (as 리선권), 유영희 found
    deceased, 박명수 unanswered."""
    officer = personas["redcross_s"]
    for n, (family, given, born) in enumerate(
        [("이", "선권", "1935"), ("유", "영희", "1940"), ("박", "명수", "1932")]
    ):
        seeker = applicant(officer, given_name=f"신청{n}", birth_date=f"{1925 + n}")
        relative(officer, seeker, family_name=family, given_name=given, birth_date=born)
    tracing_round = tracing.round_create(actor=officer, name="제60차 생사확인", target_size=3)
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    north = personas["redcross_n"]
    ids = list(tracing_round.requests.order_by("seq").values_list("request_id", flat=True))
    tracing.reply_enter(
        actor=north,
        tracing_round=tracing_round,
        values={
            "request_id": ids[0],
            "result": "found",
            "vital_status": "alive",
            "family_name": "리",
            "given_name": "선권",
        },
    )
    tracing.reply_enter(
        actor=north,
        tracing_round=tracing_round,
        values={
            "request_id": ids[1],
            "result": "found",
            "vital_status": "deceased",
            "death_date": "1999-03-01",
        },
    )
    return tracing_round


def _text(response) -> str:
    return unescape(response.content.decode())


def _state(tracing_round) -> tuple:
    tracing_round.refresh_from_db()
    return (
        tracing_round.status,
        list(Person.objects.order_by("pk").values_list("status", flat=True)),
        PersonNote.objects.count(),
    )


def test_applying_asks_first_and_needs_a_supervisors_approval(replied, client_for):
    south = client_for("redcross_s")
    url = f"/families/rounds/{replied.pk}/"
    page = south.get(url).content.decode()
    assert 'data-signoff="none"' in page
    assert f'action="/families/rounds/{replied.pk}/apply/request/"' in page
    assert 'id="apply-round"' not in page  # nothing to apply before the approval

    # Without approval, applying is refused with a message and changes nothing.
    before = _state(replied)
    response = south.post(f"{url}apply/", {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == url
    assert _state(replied) == before
    assert "결재" in _text(south.get(url))

    # The officer asks; the facts asked on are the round's figures.
    response = south.post(f"{url}apply/request/", {"note": "회보 3건 중 2건"})
    assert response.status_code == 302 and response["Location"] == url
    signoff = SignOff.objects.get(action=tracing.APPLY_STEP, object_id=str(replied.pk))
    assert signoff.state == "requested" and signoff.requested_by.username == "redcross_s"
    assert signoff.summary["unanswered"] == 1 and signoff.summary["status_changes"] == 2
    assert 'data-signoff="requested"' in south.get(url).content.decode()

    # The ministry's supervisor approves it from the round page.
    boss = client_for("supervisor")
    page = boss.get(url).content.decode()
    assert f'action="/signoffs/{signoff.pk}/decide/"' in page
    assert (
        boss.post(
            f"/signoffs/{signoff.pk}/decide/", {"decision": "approve", "next": url}
        ).status_code
        == 302
    )

    # Now the officer applies: first the page that says what will happen.
    page = south.get(url).content.decode()
    assert 'id="apply-round"' in page
    audit_before = AuditEntry.objects.count()
    confirm = south.post(f"{url}apply/")
    text = _text(confirm)
    assert confirm.status_code == 200
    assert 'name="confirm" value="yes"' in text
    assert "3" in text and "1" in text
    assert re.search(r"3건 중 1건|1 of 3", text)  # the unanswered request, as a warning
    assert _state(replied) == before
    assert AuditEntry.objects.count() == audit_before

    response = south.post(f"{url}apply/", {"confirm": "yes"})
    assert response.status_code == 302
    replied.refresh_from_db()
    assert replied.status == RoundStatus.APPLIED
    found = Person.objects.get(given_name="선권")
    assert (found.status, found.status_round) == ("alive", replied)
    signoff.refresh_from_db()
    assert signoff.state == "used"


def test_the_person_page_says_which_round_set_the_status(replied, personas, client_for):
    from .factories import round_apply_approved

    round_apply_approved(
        officer=personas["redcross_s"], approver=personas["supervisor"], tracing_round=replied
    )
    found = Person.objects.get(given_name="선권")
    page = client_for("redcross_s").get(f"/families/people/{found.pk}/").content.decode()
    source = r'<[^>]*data-status-source="round"[^>]*>(.*?)</(section|div|p)>'
    block = re.search(source, page, re.S)
    assert block, page[:3000]
    assert "제60차 생사확인" in block.group(1)
    assert f'href="/families/rounds/{replied.pk}/"' in block.group(1)
    unanswered = Person.objects.get(given_name="명수")
    page = client_for("redcross_s").get(f"/families/people/{unanswered.pk}/").content.decode()
    assert 'data-status-source="registration"' in page


def test_the_north_cannot_ask_for_approval(replied, client_for):
    response = client_for("redcross_n").post(f"/families/rounds/{replied.pk}/apply/request/")
    assert response.status_code == 403
    assert not SignOff.objects.exists()


def test_the_reviewer_reads_why_a_reply_is_doubted(personas, client_for):
    officer = personas["redcross_s"]
    relative(officer, applicant(officer), family_name="송", given_name="덕순", birth_date="1911")
    tracing_round = tracing.round_create(actor=officer, name="의심", target_size=1)
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    rid = tracing_round.requests.get().request_id
    north = client_for("redcross_n").post(
        f"/families/rounds/{tracing_round.pk}/replies/new/",
        {
            "request_id": rid,
            "result": "found",
            "vital_status": "alive",
            "family_name": "송",
            "given_name": "덕선",
        },
        follow=True,
    )
    said = " ".join(str(m) for m in north.context["messages"])
    assert "검토를 기다립니다" in said and "송덕선" in said  # the North is told why
    page = _text(client_for("redcross_s").get(f"/families/rounds/{tracing_round.pk}/"))
    assert 'data-doubt="name"' in page and 'data-doubt="age"' in page
    assert "송덕선" in page and "송덕순" in page
    english = client_for("redcross_s")
    english.cookies["panmun_language"] = "en"
    page = _text(english.get(f"/families/rounds/{tracing_round.pk}/"))
    assert re.search(r"name .*송덕선.*송덕순|송덕순.*송덕선", page)


def test_the_north_reads_the_request_list_in_its_own_spelling(replied, client_for):
    page = client_for("redcross_n").get(f"/families/rounds/{replied.pk}/").content.decode()
    table = re.search(r'<table class="results" id="requests">(.*?)</table>', page, re.S)
    assert table
    assert "리선권" in table.group(1) and "이선권" not in table.group(1)
    assert "류영희" not in table.group(1)  # 유 may be 柳 (류) or 兪 (유): kept as written
    south = client_for("redcross_s").get(f"/families/rounds/{replied.pk}/").content.decode()
    table = re.search(r'<table class="results" id="requests">(.*?)</table>', south, re.S)
    assert table and "이선권" in table.group(1)
