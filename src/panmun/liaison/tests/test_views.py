"""The liaison pages: the messages and their search, composing, a thread with its receipts and
answers, the meeting record, the calls' calendar, the logs and their bundles; who may do what,
and both languages. Data from the real services, as the personas of both sides."""

from __future__ import annotations

import datetime as dt
import html
import re
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings

from panmun.dialogue.models import Talks

from ..ledger import bundle
from ..models import CallState, ContactCall, Entry, Kind
from ..services import calls, messages

KST = calls.KST
NOTICE_SUBJECT = "개성공단 출입 일정 통지"
NOTICE_TEXT = "다음 주 월요일 09:30에 남측 인원 12명이 출경합니다."


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def main_of(response) -> str:
    return text_of(response).split("<main", 1)[1].split("</main>", 1)[0]


def notice(actor, subject=NOTICE_SUBJECT, text=NOTICE_TEXT, **kw):
    return messages.message_send(
        actor=actor, kind=Kind.NOTICE, body={"subject": subject, "text": text}, **kw
    )


def proposal(actor, subject="실무회담 개최 제의", **kw):
    body = {
        "subject": subject,
        "text": "실무회담을 열 것을 제의합니다.",
        "meeting": {
            "starts_at": "2026-12-01T01:00:00Z",
            "place": "개성 남북공동연락사무소 회의실",
            "agenda": ["화상상봉 일정", "영상편지 교환"],
        },
    }
    return messages.message_send(actor=actor, kind=Kind.PROPOSAL, body=body, **kw)


def answer_data(entry, **fields):
    prefix = f"{entry.log.side}-{entry.index}"
    return {f"{prefix}-{name}": value for name, value in fields.items()}


# --- reading: who, and the messages ------------------------------------------------------------


def test_the_navigation_offers_the_liaison_record_to_its_readers(client_for):
    assert 'data-nav="liaison"' in client_for("viewer").get("/").content.decode()
    assert 'data-nav="liaison"' in client_for("liaison_n").get("/").content.decode()
    assert 'data-nav="liaison"' not in client_for("redcross_s").get("/").content.decode()


@pytest.mark.parametrize(
    "path",
    ["/liaison/", "/liaison/calls/", "/liaison/logs/", "/liaison/south/0/", "/liaison/new/"],
)
def test_readers_only(client_for, south, path):
    notice(south)
    assert client_for("redcross_s").get(path).status_code == 403
    anonymous = client_for(None).get(path)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")


def test_the_messages_newest_first_with_their_receipts(client_for, south, north):
    first = notice(south, subject="첫째 통지")
    messages.message_send(
        actor=north, kind=Kind.REPLY, body={"text": "잘 받았습니다."}, in_reply_to=first
    )
    notice(south, subject="둘째 통지")
    page = english(client_for("viewer")).get("/liaison/")
    assert page.status_code == 200
    body = main_of(page)
    rows = re.findall(r'<tr data-entry="([a-z]+/\d+)" data-kind="(\w+)">', body)
    assert rows == [("south/1", "notice"), ("north/0", "reply"), ("south/0", "notice")]
    states = re.findall(r'<span class="receipt receipt-\w+" data-receipt="(\w+)"', body)
    assert states == ["cosigned", "cosigned", "answered"]
    assert "South → North" in body and "North → South" in body
    assert 'href="/liaison/south/1/#e-south-1">둘째 통지</a>' in body
    assert 'data-count="3"' in body
    assert "compose-link" not in body  # the viewer cannot write


def test_search_by_word_kind_side_date_and_threads_only(client_for, south, north):
    first = notice(south, subject="개성 출입", text="차량 세 대")
    messages.message_send(
        actor=south,
        kind=Kind.LETTER,
        body={"subject": "서한", "text": "화상상봉 장비", "signatory": "남측 소장"},
    )
    messages.message_send(
        actor=north, kind=Kind.REPLY, body={"text": "차량 확인"}, in_reply_to=first
    )
    client = client_for("ministry")

    def found(query: str) -> list[str]:
        body = client.get(f"/liaison/?{query}").content.decode()
        return re.findall(r'<tr data-entry="([a-z]+/\d+)"', body)

    assert found("q=화상상봉") == ["south/1"]
    assert found("q=차량") == ["north/0", "south/0"]
    assert found("kind=letter") == ["south/1"]
    assert found("side=north") == ["north/0"]
    assert found("q=차량&threads_only=on") == ["south/0"]
    today = dt.datetime.now(tz=KST).date()
    assert len(found(f"date_from={today}&date_to={today}")) == 3
    assert found(f"date_to={today - dt.timedelta(days=1)}") == []
    # a date that does not parse is shown as an error and left out of the search
    body = client.get("/liaison/?date_from=2026-13-45").content.decode()
    assert 'class="errorlist"' in body and len(re.findall(r"<tr data-entry=", body)) == 3


def test_htmx_asks_for_the_results_only(client_for, south):
    notice(south)
    response = client_for("viewer").get("/liaison/?q=개성공단", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and body.count("<tr data-entry=") == 1


def test_fifty_messages_a_page(client_for, south):
    for n in range(51):
        messages.message_send(
            actor=south, kind=Kind.NOTICE, body={"subject": f"통지 {n}", "text": ""}
        )
    client = client_for("viewer")
    first = client.get("/liaison/?kind=notice").content.decode()
    assert first.count("<tr data-entry=") == 50
    assert 'href="?kind=notice&amp;page=2"' in first
    second = client.get("/liaison/?kind=notice&page=2").content.decode()
    assert re.findall(r'<tr data-entry="([a-z]+/\d+)"', second) == ["south/0"]


# --- composing -----------------------------------------------------------------------------------


def test_an_officer_sends_a_notice_and_lands_on_its_thread(client_for, south):
    client = english(client_for("liaison_s"))
    assert 'id="compose-form"' in client.get("/liaison/new/").content.decode()
    response = client.post(
        "/liaison/new/", {"kind": "notice", "subject": NOTICE_SUBJECT, "text": NOTICE_TEXT}
    )
    assert response.status_code == 302 and response["Location"] == "/liaison/south/0/#e-south-0"
    entry = Entry.objects.get()
    assert (entry.log.side, entry.index, entry.kind, entry.author) == ("south", 0, "notice", south)
    assert entry.body == {"subject": NOTICE_SUBJECT, "text": NOTICE_TEXT}
    page = text_of(english(client).get("/liaison/south/0/"))
    assert f'<h3 class="subject">{NOTICE_SUBJECT}</h3>' in page
    assert NOTICE_TEXT in page
    assert f'data-leaf-hash="{entry.leaf_hash}">{entry.leaf_hash[:16]}…</code>' in page
    assert '<dd data-receipt="cosigned"' in page
    assert "Received and cosigned at" in page
    assert "<span data-author>최은정</span>" in page
    assert "Signed and sent as south/0." in page  # the message after the redirect
    assert 'data-answer="south/0"' not in page  # no answering one's own side


def test_a_viewer_cannot_compose(client_for):
    client = client_for("viewer")
    assert client.get("/liaison/new/").status_code == 403
    response = client.post("/liaison/new/", {"kind": "notice", "subject": "s", "text": "t"})
    assert response.status_code == 403
    assert not Entry.objects.exists()


def test_a_refused_message_is_shown_on_the_form_and_nothing_is_sent(client_for):
    client = english(client_for("liaison_s"))
    response = client.post("/liaison/new/", {"kind": "notice", "subject": "", "text": "본문"})
    assert response.status_code == 200
    page = text_of(response)
    assert "The entry's content is not valid." in page
    assert re.search(r"<li>body\.subject: [^<]+</li>", page)
    assert "본문</textarea>" in page  # what was typed is kept
    assert not Entry.objects.exists()


def test_a_proposal_offers_a_meeting_in_korea_time(client_for):
    client = client_for("liaison_s")
    response = client.post(
        "/liaison/new/",
        {
            "kind": "proposal",
            "subject": "실무회담 개최 제의",
            "text": "실무회담을 제의합니다.",
            "meeting_starts_at": "2026-12-01T10:00",
            "meeting_place": "개성 남북공동연락사무소",
            "meeting_agenda": "화상상봉 일정\n\n  영상편지 교환  \n",
            "list_kind": "other",
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.body == {
        "subject": "실무회담 개최 제의",
        "text": "실무회담을 제의합니다.",
        "meeting": {
            "starts_at": "2026-12-01T01:00:00Z",
            "place": "개성 남북공동연락사무소",
            "agenda": ["화상상봉 일정", "영상편지 교환"],
        },
    }
    page = text_of(client.get("/liaison/south/0/"))
    assert '<time datetime="2026-12-01T10:00:00+09:00">2026-12-01 10:00</time>' in page
    assert "<li>화상상봉 일정</li><li>영상편지 교환</li>" in page


def test_a_meeting_place_without_a_time_is_refused_by_the_form(client_for):
    response = english(client_for("liaison_s")).post(
        "/liaison/new/",
        {"kind": "proposal", "subject": "제의", "text": "", "meeting_place": "판문점"},
    )
    assert response.status_code == 200
    assert "Give the meeting&#x27;s date and time." in response.content.decode()
    assert not Entry.objects.exists()


def test_a_list_has_one_item_a_line_and_a_letter_its_signatory(client_for):
    client = client_for("liaison_n")
    client.post(
        "/liaison/new/",
        {
            "kind": "list",
            "subject": "대표단 명단",
            "list_kind": "delegation",
            "items": "김성철 단장\n리영철 부장\n",
        },
    )
    client.post(
        "/liaison/new/",
        {
            "kind": "letter",
            "subject": "출입 인원 관련 서한",
            "text": "명단을 보내 주기 바랍니다.",
            "addressee": "남측 연락사무소 소장",
            "signatory": "북측 연락사무소 소장",
            "list_kind": "other",
        },
    )
    listed, letter = Entry.objects.order_by("index")
    assert listed.body == {
        "list_kind": "delegation",
        "title": "대표단 명단",
        "items": [{"text": "김성철 단장"}, {"text": "리영철 부장"}],
        "source": None,
    }
    assert letter.body == {
        "subject": "출입 인원 관련 서한",
        "text": "명단을 보내 주기 바랍니다.",
        "addressee": "남측 연락사무소 소장",
        "signatory": "북측 연락사무소 소장",
    }
    page = text_of(english(client).get("/liaison/north/0/"))
    assert '<ol class="list-items"><li>김성철 단장</li><li>리영철 부장</li></ol>' in page
    assert "Delegation · 2 items" in page


# --- a thread: answers and the meeting --------------------------------------------------------


def test_the_north_answers_a_notice_and_the_south_sees_it_answered(client_for, south):
    sent = notice(south)
    north_client = client_for("liaison_n")
    page = north_client.get("/liaison/south/0/").content.decode()
    assert 'data-answer="south/0"' in page
    kinds = re.findall(r'<option value="(\w+)"', page.split('data-answer="south/0"')[1])
    assert kinds == ["reply"]
    response = north_client.post(
        "/liaison/south/0/answer/", answer_data(sent, kind="reply", text="통지를 받았습니다.")
    )
    assert response.status_code == 302 and response["Location"] == "/liaison/north/0/#e-north-0"
    reply = Entry.objects.get(log__side="north")
    assert (reply.kind, reply.in_reply_to, reply.body) == (
        "reply",
        sent,
        {"text": "통지를 받았습니다."},
    )
    page = text_of(english(client_for("liaison_s")).get("/liaison/south/0/"))
    cards = re.findall(r'<article class="entry depth-(\d)[^"]*" id="e-(\w+-\d+)"', page)
    assert cards == [("0", "south-0"), ("1", "north-0")]
    receipts = re.findall(r'<dd data-receipt="(\w+)"', page)
    assert receipts == ["answered", "cosigned"]
    assert re.search(r"Answered</span> · received and cosigned at \d{4}-\d\d-\d\d \d\d:\d\d", page)


def test_a_south_officer_cannot_answer_a_south_notice(client_for, south):
    sent = notice(south)
    client = client_for("liaison_s")
    response = client.post("/liaison/south/0/answer/", answer_data(sent, kind="reply", text="x"))
    assert response.status_code == 403
    viewer = client_for("viewer")
    assert 'data-answer="' not in viewer.get("/liaison/south/0/").content.decode()
    refused = viewer.post("/liaison/south/0/answer/", answer_data(sent, kind="reply", text="x"))
    assert refused.status_code == 403
    assert Entry.objects.count() == 1


def test_a_refused_answer_is_shown_on_its_form(client_for, south, north):
    offered = proposal(south)
    messages.message_send(
        actor=north, kind=Kind.ACCEPTANCE, body={"text": "수락합니다."}, in_reply_to=offered
    )
    # a page loaded before the acceptance still offers it: the service refuses the second one
    response = english(client_for("liaison_n")).post(
        "/liaison/south/0/answer/", answer_data(offered, kind="counter_proposal", subject="")
    )
    assert response.status_code == 200
    page = text_of(response)
    form = page.split('data-answer="south/0"', 1)[1].split("</form>", 1)[0]
    assert "That proposal has already been accepted or countered." in form
    assert '<details class="answer" open>' in page
    assert Entry.objects.count() == 2


def test_a_missing_entry_is_not_found(client_for, south):
    notice(south)
    client = client_for("ministry")
    for path in (
        "/liaison/south/1/",
        "/liaison/north/0/",
        "/liaison/east/0/",
        "/liaison/south/1/pdf",
        "/liaison/south/1/leaf.json",
    ):
        assert client.get(path).status_code == 404, path
    assert client_for("liaison_n").post("/liaison/south/5/answer/", {}).status_code == 404


def test_proposal_counter_acceptance_and_the_meeting_record(client_for, south, north):
    offered = proposal(south)
    north_client, south_client = client_for("liaison_n"), client_for("liaison_s")
    page = north_client.get("/liaison/south/0/").content.decode()
    options = re.findall(r'<option value="(\w+)"', page.split('data-answer="south/0"')[1])
    assert options == ["acceptance", "counter_proposal", "reply"]
    response = north_client.post(
        "/liaison/south/0/answer/",
        answer_data(
            offered,
            kind="counter_proposal",
            subject="일자 수정 제의",
            text="하루 늦출 것을 제의합니다.",
            meeting_starts_at="2026-12-02T14:30",
            meeting_place="판문점 평화의 집",
            meeting_agenda="화상상봉 일정",
        ),
    )
    assert response.status_code == 302
    counter = Entry.objects.get(log__side="north")
    assert counter.body["meeting"] == {
        "starts_at": "2026-12-02T05:30:00Z",
        "place": "판문점 평화의 집",
        "agenda": ["화상상봉 일정"],
    }
    # once countered, the proposal can only be replied to
    page = north_client.get("/liaison/south/0/").content.decode()
    options = re.findall(r'<option value="(\w+)"', page.split('data-answer="south/0"')[1])
    assert options == ["reply"]
    assert 'id="meeting-form"' not in page
    south_client.post("/liaison/north/0/answer/", answer_data(counter, kind="acceptance"))
    acceptance = Entry.objects.get(kind=Kind.ACCEPTANCE)
    assert (acceptance.log.side, acceptance.in_reply_to) == ("south", counter)

    page = text_of(south_client.get("/liaison/south/0/"))
    assert 'action="/liaison/south/1/meeting/"' in page
    assert 'value="일자 수정 제의"' in page  # the form starts from the accepted meeting
    assert 'value="2026-12-02T14:30"' in page
    assert 'value="판문점 평화의 집"' in page
    assert 'id="meeting-form"' not in client_for("viewer").get("/liaison/south/0/").content.decode()

    response = south_client.post(
        "/liaison/south/1/meeting/",
        {
            "title": "화상상봉 실무회담",
            "held_at": "2026-12-02T14:30",
            "place": "판문점 평화의 집",
            "attendees_south": "이정민\n박지훈",
            "attendees_north": "김성철",
            "minutes": "양측은 화상상봉 재개에 합의하였다.",
            "outcomes": "화상상봉 재개에 원칙적 합의\n영상편지 명단 교환",
            "record_talks": "on",
        },
    )
    assert response.status_code == 302
    record = Entry.objects.get(kind=Kind.MEETING_RECORD)
    talks = Talks.objects.get(title_ko="화상상봉 실무회담")
    assert record.in_reply_to == acceptance
    assert record.body["held_at"] == "2026-12-02T05:30:00Z"
    assert record.body["attendees"] == {"south": ["이정민", "박지훈"], "north": ["김성철"]}
    assert record.body["outcomes"] == [
        {"text": "화상상봉 재개에 원칙적 합의", "record": {"kind": "talks", "ref": talks.key}},
        {"text": "영상편지 명단 교환", "record": None},
    ]
    page = text_of(english(south_client).get(response["Location"]))
    assert f"talks recorded: {talks.key}" in page
    assert "이정민, 박지훈" in page
    depths = re.findall(r'<article class="entry depth-(\d)', page)
    assert depths == ["0", "1", "2", "3"]
    # once recorded, the thread links the record instead of offering the form again
    assert 'id="meeting-form"' not in page
    assert 'id="meeting-recorded"' in page and 'href="/liaison/south/2/#e-south-2"' in page


def test_recording_talks_needs_an_outcome(client_for, south, north):
    offered = proposal(south)
    messages.message_send(
        actor=north, kind=Kind.ACCEPTANCE, body={"text": "수락합니다."}, in_reply_to=offered
    )
    response = english(client_for("liaison_s")).post(
        "/liaison/north/0/meeting/",
        {"title": "회담", "held_at": "2026-12-01T10:00", "record_talks": "on"},
    )
    assert response.status_code == 200
    assert "Give at least one outcome to record the talks." in text_of(response)
    assert not Entry.objects.filter(kind=Kind.MEETING_RECORD).exists()


def test_the_north_records_a_meeting_but_not_talks_in_the_souths_record(client_for, south, north):
    """The dialogue record is the South's (`dialogue.access.can_edit_dialogue`): the North's
    liaison officer records the meeting in its own signed log, and is not offered (nor given,
    if the box is posted anyway) talks in the dialogue record."""
    offered = proposal(south)
    messages.message_send(
        actor=north, kind=Kind.ACCEPTANCE, body={"text": "수락합니다."}, in_reply_to=offered
    )
    client = client_for("liaison_n")
    page = client.get("/liaison/north/0/").content.decode()
    assert 'id="meeting-form"' in page and 'name="record_talks"' not in page
    talks_before = Talks.objects.count()
    response = client.post(
        "/liaison/north/0/meeting/",
        {
            "title": "북측이 기록한 회담",
            "held_at": "2026-12-01T10:00",
            "outcomes": "합의",
            "record_talks": "on",
        },
    )
    assert response.status_code == 302
    record = Entry.objects.get(kind=Kind.MEETING_RECORD)
    assert record.body["outcomes"] == [{"text": "합의", "record": None}]
    assert Talks.objects.count() == talks_before


def test_the_leaf_and_the_pdf(client_for, south):
    sent = notice(south)
    client = client_for("viewer")
    leaf = client.get("/liaison/south/0/leaf.json")
    assert leaf["Content-Type"] == "text/plain; charset=utf-8"
    assert leaf.content == sent.leaf.encode("utf-8")
    pdf = client.get("/liaison/south/0/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="liaison-south-0.pdf"'
    assert pdf.content.startswith(b"%PDF") and pdf.content.rstrip().endswith(b"%%EOF")


def test_the_pdf_document_data_of_a_thread(south, north):
    from .. import selectors
    from ..views import thread_document

    sent = notice(south)
    messages.message_send(
        actor=north, kind=Kind.REPLY, body={"text": "받았습니다."}, in_reply_to=sent
    )
    printed = dt.datetime(2026, 11, 20, 9, tzinfo=KST)
    doc = thread_document(selectors.thread(sent), printed)
    assert (doc.subject, doc.ref, doc.printed_at) == (NOTICE_SUBJECT, "south/0", printed)
    first, second = doc.entries
    assert (first.kind, first.from_side, first.to_side, first.author) == (
        "통지문",
        "남측",
        "북측",
        "최은정",
    )
    assert first.lines == (NOTICE_TEXT,)
    assert first.receipt.startswith("답신 받음 · 수신 확인(부서) ")
    assert (second.ref, second.depth, second.kind, second.lines) == (
        "north/0",
        1,
        "회신",
        ("받았습니다.",),
    )


# --- both languages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/liaison/", "/liaison/south/0/", "/liaison/calls/", "/liaison/logs/"]
)
def test_pages_render_in_korean_and_in_english(client_for, south, path):
    notice(south)
    client = client_for("liaison_n")
    korean = client.get(path)
    assert korean.status_code == 200
    # A North officer reads Korean in the North's wording (ko-KP): 련락, not 연락.
    assert '<html lang="ko-KP">' in korean.content.decode()
    assert 'data-nav="liaison">련락<' in korean.content.decode()
    english_page = english(client).get(path)
    assert english_page.status_code == 200
    assert '<html lang="en">' in english_page.content.decode()
    assert 'data-nav="liaison">Liaison<' in english_page.content.decode()


def test_the_language_switch_applies_to_the_liaison_pages(client_for, south):
    notice(south)
    client = client_for("viewer")
    client.post("/language/", {"language": "en", "next": "/liaison/"})
    assert "<h1>Liaison record</h1>" in client.get("/liaison/").content.decode()
    client.post("/language/", {"language": "ko", "next": "/liaison/"})
    assert '<html lang="ko">' in client.get("/liaison/").content.decode()


# --- contact calls -----------------------------------------------------------------------------


@pytest.fixture
def november_calls(north):
    """Mon 16 Nov 2026: the opening call answered at 09:02, the closing call unanswered after
    30 minutes; Tue 17 Nov: the opening call placed and waiting."""
    opening = calls.call_place(
        side="south",
        call="opening",
        scheduled_at=dt.datetime(2026, 11, 16, 9, tzinfo=KST),
        at=dt.datetime(2026, 11, 16, 9, tzinfo=KST),
    )
    calls.call_answer(actor=north, call=opening, at=dt.datetime(2026, 11, 16, 9, 2, tzinfo=KST))
    closing = calls.call_place(
        side="south",
        call="closing",
        scheduled_at=dt.datetime(2026, 11, 16, 17, tzinfo=KST),
        at=dt.datetime(2026, 11, 16, 17, tzinfo=KST),
    )
    calls.call_close_unanswered(call=closing, now=dt.datetime(2026, 11, 16, 17, 30, tzinfo=KST))
    waiting = calls.call_place(
        side="south",
        call="opening",
        scheduled_at=dt.datetime(2026, 11, 17, 9, tzinfo=KST),
        at=dt.datetime(2026, 11, 17, 9, tzinfo=KST),
    )
    return waiting


def _day(page: str, day: str) -> str:
    return page.split(f'data-day="{day}">', 1)[1].split("</td>", 1)[0]


def test_the_calendar_of_a_month(client_for, november_calls):
    page = text_of(english(client_for("liaison_n")).get("/liaison/calls/?month=2026-11"))
    monday = _day(page, "2026-11-16")
    assert re.findall(r'data-call="(\w+)" data-state="(\w+)"', monday) == [
        ("opening", "answered"),
        ("closing", "unanswered"),
    ]
    assert "answered by the North at 09:02" in monday
    links = re.findall(r'<a class="call-name" href="([^"]+)"', monday)
    assert links == ["/liaison/south/0/", "/liaison/south/1/"]  # each call's thread
    assert "unanswered (waited 30 min)" in monday
    tuesday = _day(page, "2026-11-17")
    assert re.findall(r'data-call="(\w+)" data-state="(\w+)"', tuesday) == [
        ("opening", "placed"),
        ("closing", "none"),
    ]
    assert "placed at 09:00, waiting" in tuesday
    assert f'data-answer-call="{november_calls.pk}"' in tuesday
    assert 'data-call="' not in _day(page, "2026-11-21")  # a Saturday without calls
    figures = dict(re.findall(r'<dd data-figure="(\w+)">(\d+)</dd>', page))
    assert figures == {"answered": "1", "unanswered": "1", "placed": "1", "total": "3"}
    assert 'href="?month=2026-10"' in page and 'href="?month=2026-12"' in page
    # the first week starts on Monday 26 October
    assert re.search(r'<tbody>\s*<tr>\s*<td class="other-month" data-day="2026-10-26">', page)
    # the calling side, and readers who cannot write, get no answer button
    assert (
        "data-answer-call"
        not in client_for("liaison_s").get("/liaison/calls/?month=2026-11").content.decode()
    )
    assert (
        "data-answer-call"
        not in client_for("viewer").get("/liaison/calls/?month=2026-11").content.decode()
    )


def test_a_call_thread_shows_the_call_and_its_answer(client_for, november_calls):
    page = text_of(english(client_for("viewer")).get("/liaison/south/0/"))
    states = re.findall(r'data-call-state="(\w+)">([^<]+)<', page)
    assert states == [("placed", "placed"), ("answered", "answered")]
    assert '<time datetime="2026-11-16T09:00:00+09:00">2026-11-16 09:00</time>' in page


def test_the_north_answers_a_waiting_call(client_for, november_calls):
    response = client_for("liaison_n").post(f"/liaison/calls/{november_calls.pk}/answer/")
    assert response.status_code == 302
    assert response["Location"] == "/liaison/calls/?month=2026-11"
    november_calls.refresh_from_db()
    assert november_calls.state == CallState.ANSWERED
    assert november_calls.answer.from_side == "north"
    # answering again is refused as a message, nothing changes
    again = english(client_for("liaison_n")).post(
        f"/liaison/calls/{november_calls.pk}/answer/", follow=True
    )
    assert "The call has already been answered or recorded as unanswered." in text_of(again)
    assert ContactCall.objects.get(pk=november_calls.pk).answer == november_calls.answer


def test_a_call_is_not_answered_by_its_own_side_or_a_reader(client_for, november_calls):
    path = f"/liaison/calls/{november_calls.pk}/answer/"
    assert client_for("liaison_s").post(path).status_code == 403  # the calling side
    assert client_for("viewer").post(path).status_code == 403
    assert client_for("liaison_n").post("/liaison/calls/999999/answer/").status_code == 404
    assert client_for("liaison_n").get(path).status_code == 405
    november_calls.refresh_from_db()
    assert november_calls.state == CallState.PLACED


def test_a_bad_month_is_refused(client_for):
    client = client_for("viewer")
    assert client.get("/liaison/calls/?month=2026-13").status_code == 422
    assert client.get("/liaison/calls/?month=junk").status_code == 422
    assert client.get("/liaison/calls/").status_code == 200


# --- the logs ----------------------------------------------------------------------------------


def test_the_logs_page_and_the_bundle_that_verifies(client_for, south, tmp_path: Path):
    notice(south)
    notice(south, subject="둘째 통지")
    client = english(client_for("viewer"))
    page = text_of(client.get("/liaison/logs/"))
    south_log = page.split('id="log-south"', 1)[1].split("</section>", 1)[0]
    assert "<code>liaison.panmun.example/south</code>" in south_log
    assert '<dd data-figure="size">2</dd>' in south_log
    assert re.search(r'data-figure="receipt">2 entries, cosigned by north-cosign-\d+ at', south_log)
    assert "<pre data-note>liaison.panmun.example/south\n2\n" in south_log
    assert 'href="/liaison/logs/south/bundle.zip"' in south_log
    assert "panmun liaison verify liaison-south.zip" in south_log
    assert re.search(r'<tr data-key="south-log-\d+">', south_log)
    north_log = page.split('id="log-north"', 1)[1].split("</section>", 1)[0]
    assert "bundle.zip" not in north_log  # nothing cosigned yet

    response = client.get("/liaison/logs/south/bundle.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="liaison-south.zip"'
    names = set(zipfile.ZipFile(BytesIO(response.content)).namelist())
    assert {"entries.jsonl", "checkpoint.txt", "keys.json", "proofs.json"} <= names
    path = tmp_path / "liaison-south.zip"
    path.write_bytes(response.content)
    report = bundle.verify_bundle(path)
    assert report.ok, report.findings
    assert report.entries == 2


def test_a_bundle_with_nothing_cosigned_or_of_no_log(client_for):
    client = english(client_for("viewer"))
    response = client.get("/liaison/logs/north/bundle.zip", follow=True)
    assert response.redirect_chain == [("/liaison/logs/", 302)]
    assert "no checkpoint of this log has been cosigned" in text_of(response)
    assert client.get("/liaison/logs/east/bundle.zip").status_code == 404
    assert client_for("redcross_s").get("/liaison/logs/south/bundle.zip").status_code == 403
