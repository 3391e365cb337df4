"""Browser tests (issue 15, acceptance item 4): each persona's main task in Chromium, with one
wrong value typed and corrected without retyping the rest.

Each test signs in through the real form as one demo persona, does that persona's main task
through the pages as an officer would, types ONE wrong value (an impossible date, a number out
of range, a missing value), submits, sees the refusal on that field on the Korean page, checks
that every other value typed is still there, corrects only the wrong field, submits again, and
sees the result on the page and in the database.

Persona: task — the wrong value → its correction.
- redcross_s: registers an applicant, then a relative sought — birth date 1934-13-45 → 1934-12-05.
- redcross_n: types in a reply to a round sent to the North — date of death 1999-13-45 →
  1999-03-01.
- ministry: records talks with their delegates — an end date before the start → after it.
- liaison_s: records the meeting a proposal arranged, as talks too — outcomes left empty → typed.
- liaison_n: answers the South's proposal with a counter-proposal — its meeting time left empty
  → typed.
- supervisor: decides an approval (결재) on /signoffs/ — refused without a reason → with one.
- viewer: searches the registry and pages through the results — born from "193O" (the browser
  keeps 193 and refuses it on the field) → 1930.
- admin: searches the audit log — until the day before since → the same day.
- firm, aid: their home page says what is coming; they create an API token with an expiry and a
  scope — a name of blanks → a name.

The supervisor's other task, the reunion criteria editor with a wrong value corrected, is
covered by tests/test_browser_reunion.py::test_a_round_from_criteria_to_final_list. The other
browser tests (test_browser.py, test_browser_tracing.py, test_browser_liaison.py) type no wrong
value. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest

from .test_browser import Tab, browser, open_tab, record, sign_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# --- what every test does -----------------------------------------------------------------------


def submit(tab: Tab, button: Any) -> Any:
    """Click a submit button and wait for the page it loads; its response."""
    with tab.page.expect_navigation(wait_until="load") as navigation:
        button.click()
    return navigation.value


# The refusals each tab expects, as the console reports them: "... status of 422 ... (url)".
_EXPECTED: dict[int, list[str]] = {}


def refused(tab: Tab, response: Any, status: int) -> None:
    """The answer of a refused form: `status` (422, or 200 where the page answers so). A 4xx
    expected here is taken off the tab's errors (see `clean`); any other stays and fails."""
    assert response is not None and response.status == status, (
        response and response.status,
        status,
    )
    if status >= 400:
        line = f"HTTP {status}: {response.request.method} {response.url}"
        assert line in tab.errors, tab.errors
        tab.errors.remove(line)
        _EXPECTED.setdefault(id(tab), []).append(f"status of {status} ")
        _EXPECTED[id(tab)].append(f"({response.url})")


def clean(tab: Tab) -> None:
    """No console error, CSP violation or HTTP error but the refusals the test asked for (the
    console says "Failed to load resource: ... status of 422 ... (url)" for each)."""
    expected = _EXPECTED.pop(id(tab), [])
    pairs = list(zip(expected[::2], expected[1::2], strict=True))
    tab.errors[:] = [
        e
        for e in tab.errors
        if not (
            e.startswith("console error: Failed to load resource")
            and any(status in e and url in e for status, url in pairs)
        )
    ]
    tab.assert_clean()
    # The database connection the test's own queries opened while Playwright runs (see
    # `browser` in test_browser.py) is its own: closed here, it does not keep PostgreSQL from
    # dropping the test database at the end.
    from django.db import connections

    connections.close_all()


def refused_on(tab: Tab, field_id: str, reason: str) -> None:
    """The refusal is said on the one field that is wrong, and on no other."""
    from playwright.sync_api import expect

    page = tab.page
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^ko(-KP)?$"))
    expect(page.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{field_id}_error")).to_contain_text(reason)
    expect(page.locator("[aria-invalid='true']")).to_have_count(1)


def kept(tab: Tab, values: dict[str, str | bool]) -> None:
    """Every other value typed is still in the form: text and choices by value, boxes by
    whether they are ticked."""
    from playwright.sync_api import expect

    for selector, value in values.items():
        field = tab.page.locator(selector)
        if isinstance(value, bool):
            expect(field).to_be_checked(checked=value)
        else:
            expect(field).to_have_value(value)


def fill(tab: Tab, values: dict[str, str | bool]) -> None:
    """Type the values: text boxes filled, selects chosen, boxes ticked."""
    for selector, value in values.items():
        field = tab.page.locator(selector)
        if isinstance(value, bool):
            field.set_checked(value)
        elif field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def follow(tab: Tab, link: Any) -> None:
    with tab.page.expect_navigation(wait_until="load"):
        link.click()


# --- redcross_s: register an applicant, then a relative sought ----------------------------------


def test_redcross_s_registers_an_applicant_with_a_wrong_birth_date_corrected(
    open_tab: Callable[[str], Tab],  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    from panmun.families.models import Person, Seeking

    tab = open_tab("redcross_s")
    page = tab.page
    sign_in(tab, "redcross_s")
    follow(tab, page.locator("a[data-nav='families']"))
    follow(tab, page.locator("main a[href='/families/people/new/']"))
    typed: dict[str, str | bool] = {
        "#id_registry_no": "S-2026-0001",
        "#id_family_name": "김",
        "#id_given_name": "순례",
        "#id_name_latin": "Kim Sun-rye",
        "#id_sex": "F",
        "#id_birth_calendar": "solar",
        "#id_hometown": "황해도 연백군",
        "#id_father_name": "김덕수",
        "#id_status": "alive",
        "#id_address": "서울특별시 종로구 세종대로 1",
        "#id_phone": "010-1234-5678",
        "#id_registered_on": "1988-07-01",
        "#id_consent_share": True,
        "#id_consent_on": "2020-01-02",
    }
    fill(tab, typed | {"#id_birth_date": "1934-13-45"})
    tab.shot("01-typed")
    refused(tab, submit(tab, page.locator("form.record-form button[type=submit]")), 422)
    refused_on(tab, "id_birth_date", "날짜가 아닙니다")
    kept(tab, typed | {"#id_birth_date": "1934-13-45"})
    assert not Person.objects.filter(registry_no="S-2026-0001").exists()
    tab.shot("02-refused")

    page.locator("#id_birth_date").fill("1934-12-05")
    submit(tab, page.locator("form.record-form button[type=submit]"))
    expect(page.locator("main h1")).to_contain_text("김순례")
    expect(page.locator("ul.messages")).to_contain_text("저장")
    person = Person.objects.get(registry_no="S-2026-0001")
    assert (person.family_name, person.given_name) == ("김", "순례")
    assert person.birth_date == "1934-12-05"
    assert (person.hometown, person.father_name, person.phone) == (
        "황해도 연백군",
        "김덕수",
        "010-1234-5678",
    )
    assert person.consent_share and person.consent_on == dt.date(2020, 1, 2)
    tab.shot("03-saved")

    # Then the relative she seeks, from her page.
    follow(tab, page.locator(f"a[href='/families/people/{person.pk}/relatives/new/']"))
    fill(
        tab,
        {
            "#id_relation": "sibling",
            "#id_family_name": "김",
            "#id_given_name": "순덕",
            "#id_sex": "F",
            "#id_birth_date": "1938",
            "#id_hometown": "황해도 연백군",
            "#id_father_name": "김덕수",
            "#id_last_known_place": "연백군 해성면",
            "#id_separated_on": "1951-01",
        },
    )
    submit(tab, page.locator("form.record-form button[type=submit]"))
    expect(page).to_have_url(re.compile(rf"/families/people/{person.pk}/$"))
    expect(page.locator("main")).to_contain_text("김순덕")
    seeking = Seeking.objects.select_related("sought").get(applicant=person)
    assert (seeking.relation, seeking.sought.given_name, seeking.separated_on) == (
        "sibling",
        "순덕",
        "1951-01",
    )
    tab.shot("04-relative")
    clean(tab)


# --- redcross_n: a reply typed in -----------------------------------------------------------------


@pytest.fixture
def round_sent(personas: Any) -> Any:
    """A round of one request sent to the North: 이선권 (born 1940, 함경남도 혜산), sought by
    his sister in the South."""
    from panmun.families.services import tracing
    from panmun.families.tests.factories import applicant, relative

    officer = personas["redcross_s"]
    seeker = applicant(officer, family_name="이", given_name="선희", birth_date="1942")
    relative(officer, seeker)
    tracing_round = tracing.round_create(
        actor=officer, name="제31차 생사확인", target_size=1, reply_due=dt.date(2027, 1, 31)
    )
    return tracing.round_send(actor=officer, tracing_round=tracing_round)


def test_redcross_n_types_in_a_reply_with_a_wrong_date_of_death_corrected(
    round_sent: Any,
    open_tab: Callable[[str], Tab],  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    from panmun.families.models import TracingReply

    request_id = round_sent.requests.get().request_id
    tab = open_tab("redcross_n")
    page = tab.page
    sign_in(tab, "redcross_n")
    # The home page's work queue leads to the request list to answer.
    follow(tab, page.locator("li[data-task='tracing-answer'] a"))
    expect(page.locator("main h1")).to_have_text("제31차 생사확인")
    expect(page.locator(f"#requests tr[data-request='{request_id}']")).to_contain_text("리선권")
    page.locator("#reply-form").locator("xpath=..").locator("summary").click()
    typed: dict[str, str | bool] = {
        "#id_request_id": request_id,
        "#id_result": "found",
        "#id_vital_status": "deceased",
        "#id_family_name": "리",
        "#id_given_name": "선권",
        "#id_sex": "M",
        "#id_birth_date": "1940",
        "#id_birthplace": "량강도 혜산시",
        "#id_father_name": "리만수",
        "#id_address": "평양시 모란봉구역",
        "#id_relatives": "아들 리철 (1965)",
    }
    fill(tab, typed | {"#id_death_date": "1999-13-45"})
    tab.shot("01-typed")
    refused(tab, submit(tab, page.locator("#reply-form button[type=submit]")), 422)
    refused_on(tab, "id_death_date", "날짜가 아닙니다")
    kept(tab, typed | {"#id_death_date": "1999-13-45"})
    assert not TracingReply.objects.exists()
    tab.shot("02-refused")

    page.locator("#id_death_date").fill("1999-03-01")
    submit(tab, page.locator("#reply-form button[type=submit]"))
    expect(page.locator("ul.messages")).to_be_visible()
    row = page.locator("#replies tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("1999-03-01")
    reply = TracingReply.objects.get()
    assert (reply.request.request_id, reply.vital_status, reply.death_date) == (
        request_id,
        "deceased",
        "1999-03-01",
    )
    assert (reply.family_name, reply.given_name) == ("리", "선권")
    assert reply.birthplace == "량강도 혜산시"
    tab.shot("03-recorded")
    clean(tab)


# --- ministry: talks recorded ---------------------------------------------------------------------


def test_ministry_records_talks_with_an_end_date_before_the_start_corrected(
    open_tab: Callable[[str], Tab],  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    from panmun.dialogue.models import Talks

    tab = open_tab("ministry")
    page = tab.page
    sign_in(tab, "ministry")
    follow(tab, page.locator("a[data-nav='timeline']"))
    follow(tab, page.locator("main a[href='/dialogue/talks/new/']"))
    typed: dict[str, str | bool] = {
        "#id_title_ko": "제5차 남북 적십자 실무회담",
        "#id_title_en": "Fifth inter-Korean Red Cross working-level talks",
        "#id_level": "working_level",
        "#id_topic": "families",
        "#id_start_date": "2026-11-20",
        "#id_date_precision": "day",
        "#id_place_ko": "판문점 평화의 집",
        "#id_place_en": "Peace House, Panmunjeom",
        "#id_agenda_ko": "이산가족 생사확인",
        "#id_delegates-0-side": "south",
        "#id_delegates-0-name_ko": "김서연",
        "#id_delegates-0-is_head": True,
        "#id_delegates-1-side": "north",
        "#id_delegates-1-name_ko": "리선권",
        "#id_delegates-1-is_head": True,
    }
    fill(tab, typed | {"#id_end_date": "2026-11-19"})
    tab.shot("01-typed")
    refused(tab, submit(tab, page.locator("form.record-form button[type=submit]")), 200)
    refused_on(tab, "id_end_date", "종료일이 시작일보다 앞섭니다")
    expect(page.get_by_text("아무것도 저장하지 않았습니다")).to_have_count(1)  # said once
    kept(tab, typed | {"#id_end_date": "2026-11-19"})
    assert not Talks.objects.filter(title_en__startswith="Fifth inter-Korean Red Cross").exists()
    tab.shot("02-refused")

    page.locator("#id_end_date").fill("2026-11-21")
    submit(tab, page.locator("form.record-form button[type=submit]"))
    expect(page.locator("main h1")).to_have_text("제5차 남북 적십자 실무회담")
    talks = Talks.objects.get(title_en="Fifth inter-Korean Red Cross working-level talks")
    assert (talks.start_date, talks.end_date, talks.place_ko) == (
        dt.date(2026, 11, 20),
        dt.date(2026, 11, 21),
        "판문점 평화의 집",
    )
    heads = sorted(talks.delegates.filter(is_head=True).values_list("name_ko", flat=True))
    assert heads == ["김서연", "리선권"]
    tab.shot("03-saved")
    clean(tab)


# --- the liaison officers: a proposal, its answer, the meeting's record --------------------------

MEETING = {
    "subject": "적십자 실무회담 개최 제의",
    "text": "이산가족 화상상봉 재개를 위한 실무회담을 제의합니다.",
    "meeting": {
        "starts_at": "2026-12-10T01:00:00Z",  # 10:00 Korea time
        "place": "판문점 평화의 집",
        "agenda": ["화상상봉 재개", "영상편지 교환"],
    },
}


@pytest.fixture
def proposal(personas: Any) -> Any:
    """The South's proposal of a meeting, cosigned (received) by the North."""
    from panmun.liaison.services import messages

    return messages.message_send(actor=personas["liaison_s"], kind="proposal", body=MEETING)


@pytest.fixture
def accepted(personas: Any, proposal: Any) -> Any:
    """The North's acceptance of the proposal."""
    from panmun.liaison.services import messages

    return messages.message_send(
        actor=personas["liaison_n"],
        kind="acceptance",
        body={"text": "제의를 수락합니다."},
        in_reply_to=proposal,
    )


def test_liaison_s_records_the_meeting_with_its_outcome_forgotten_then_typed(
    accepted: Any,
    open_tab: Callable[[str], Tab],  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    from panmun.dialogue.models import Talks
    from panmun.liaison.models import Entry

    tab = open_tab("liaison_s")
    page = tab.page
    sign_in(tab, "liaison_s")
    follow(tab, page.locator("a[data-nav='liaison']"))
    follow(tab, page.locator("#entries tr[data-entry='south/0'] a").first)
    form = page.locator("#meeting-form")
    # Filled in from the proposal: its subject, time and place.
    expect(form.locator("#id_title")).to_have_value(MEETING["subject"])
    expect(form.locator("#id_held_at")).to_have_value("2026-12-10T10:00")
    typed: dict[str, str | bool] = {
        "#id_title": MEETING["subject"],
        "#id_held_at": "2026-12-10T10:30",
        "#id_place": "판문점 평화의 집 2층",
        "#id_attendees_south": "김서연\n최은정",
        "#id_attendees_north": "리선권\n림광혁",
        "#id_minutes": "양측은 화상상봉 재개에 합의하였다.",
        "#id_record_talks": True,
    }
    fill(tab, typed | {"#id_outcomes": ""})
    tab.shot("01-typed")
    refused(tab, submit(tab, form.locator("button[type=submit]")), 200)
    refused_on(tab, "id_outcomes", "결과")
    kept(tab, typed | {"#id_outcomes": ""})
    assert not Entry.objects.filter(kind="meeting_record").exists()
    tab.shot("02-refused")

    page.locator("#id_outcomes").fill("화상상봉을 2027년 2월에 재개한다")
    submit(tab, page.locator("#meeting-form button[type=submit]"))
    card = page.locator("article[data-kind='meeting_record']")
    expect(card.locator("h3.subject")).to_have_text(MEETING["subject"])
    expect(card.locator("[data-meeting-record]")).to_contain_text("리선권, 림광혁")
    expect(card.locator("ol.outcomes [data-record='talks']")).to_have_count(1)
    minutes = Entry.objects.get(kind="meeting_record").body
    assert minutes["attendees"] == {"south": ["김서연", "최은정"], "north": ["리선권", "림광혁"]}
    assert minutes["outcomes"][0]["text"] == "화상상봉을 2027년 2월에 재개한다"
    talks = Talks.objects.get(title_ko=MEETING["subject"])
    assert talks.start_date == dt.date(2026, 12, 10)
    tab.shot("03-recorded")
    clean(tab)


def test_liaison_n_counters_the_proposal_with_its_meeting_time_forgotten_then_typed(
    proposal: Any,
    open_tab: Callable[[str], Tab],  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    from panmun.liaison.models import Entry

    tab = open_tab("liaison_n")
    page = tab.page
    sign_in(tab, "liaison_n")
    # The home page's work queue leads to the South's messages not yet answered.
    follow(tab, page.locator("li[data-task='liaison-answer'] a"))
    follow(tab, page.locator("#entries tr[data-entry='south/0'] a").first)
    card = page.locator("article[data-entry='south/0']")
    card.locator("details.answer summary").click()
    form = card.locator("form[data-answer='south/0']")
    p = "#id_south-0-"
    typed: dict[str, str | bool] = {
        f"{p}kind": "counter_proposal",
        f"{p}text": "회담 날짜를 하루 늦추어 제의합니다.",
        f"{p}subject": "적십자 실무회담 일정 수정 제의",
        f"{p}meeting_place": "통일각",
        f"{p}meeting_agenda": "화상상봉 재개\n영상편지 교환",
    }
    fill(tab, typed)
    tab.shot("01-typed")
    refused(tab, submit(tab, form.locator("button[type=submit]")), 200)
    refused_on(tab, "id_south-0-meeting_starts_at", "회의 일시")
    kept(tab, typed | {f"{p}meeting_starts_at": ""})
    assert not Entry.objects.filter(kind="counter_proposal").exists()
    tab.shot("02-refused")

    page.locator(f"{p}meeting_starts_at").fill("2026-12-11T10:00")
    submit(tab, page.locator("form[data-answer='south/0'] button[type=submit]"))
    expect(page).to_have_url(re.compile(r"/liaison/north/0/"))
    answer = page.locator("article[data-entry='north/0']")
    expect(answer).to_have_attribute("data-kind", "counter_proposal")
    expect(answer.locator("[data-meeting] time")).to_have_text("2026-12-11 10:00")
    entry = Entry.objects.get(kind="counter_proposal")
    assert entry.in_reply_to_id == proposal.pk
    assert entry.body["meeting"] == {
        "starts_at": "2026-12-11T01:00:00Z",
        "place": "통일각",
        "agenda": ["화상상봉 재개", "영상편지 교환"],
    }
    tab.shot("03-sent")
    clean(tab)


# --- supervisor: an approval (결재) decided ------------------------------------------------------


@pytest.fixture
def approval_asked(personas: Any, round_sent: Any) -> Any:
    """The North answered the round; the South's officer asks for approval to apply it."""
    from panmun.families.services import tracing

    request_id = round_sent.requests.get().request_id
    tracing.reply_enter(
        actor=personas["redcross_n"],
        tracing_round=round_sent,
        values={
            "request_id": request_id,
            "result": "found",
            "vital_status": "alive",
            "family_name": "리",
            "given_name": "선권",
            "birth_date": "1940",
        },
    )
    return tracing.round_apply_request(
        actor=personas["redcross_s"],
        tracing_round=round_sent,
        note="회보 1건 확인",
        link=f"/families/rounds/{round_sent.pk}/",
    )


def test_supervisor_refuses_an_approval_without_a_reason_then_with_one(
    approval_asked: Any,
    open_tab: Callable[[str], Tab],  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    from panmun.accounts.models import SignOff

    tab = open_tab("supervisor")
    page = tab.page
    sign_in(tab, "supervisor")
    follow(tab, page.locator("li[data-task='signoffs-waiting'] a"))
    row = page.locator("table[data-table='waiting'] tbody tr").filter(has_text="제31차 생사확인")
    expect(row).to_contain_text("회보 1건 확인")
    note = row.locator(f"#note-{approval_asked.pk}")
    # Refuse, the reason forgotten: refused, nothing decided.
    submit(tab, row.locator("button[value='refuse']"))
    # Said in one sentence, in the page's words (not "note: 필수").
    expect(page.locator("ul.messages li.error")).to_have_text(["반려하는 이유를 적으십시오."])
    expect(note).to_have_value("")
    assert SignOff.objects.get(pk=approval_asked.pk).state == "requested"
    tab.shot("01-refused")

    note.fill("북측 회보의 생년이 의뢰와 다릅니다. 재확인 바랍니다.")
    submit(tab, row.locator("button[value='refuse']"))
    expect(page.locator("ul.messages li.success")).to_be_visible()
    expect(page.locator("table[data-table='waiting'] tbody tr")).to_have_count(1)
    expect(page.locator("table[data-table='waiting'] tbody")).not_to_contain_text("제31차")
    decided = SignOff.objects.get(pk=approval_asked.pk)
    assert (decided.state, decided.decision_note) == (
        "refused",
        "북측 회보의 생년이 의뢰와 다릅니다. 재확인 바랍니다.",
    )
    assert decided.decided_by.username == "supervisor"
    tab.shot("02-decided")
    clean(tab)


# --- viewer: the registry searched, and paged -----------------------------------------------------


@pytest.fixture
def sixty_five(personas: Any) -> None:
    """65 applicants named 박민호 from 개성: 5 born in the 1920s, 60 born 1930–1959 (more than
    one page of results)."""
    from panmun.families.tests.factories import applicant

    years = [1920 + n for n in range(5)] + [1930 + n // 2 for n in range(60)]
    for year in years:
        applicant(
            personas["redcross_s"],
            family_name="박",
            given_name="민호",
            birth_date=f"{year}-01-01",
            hometown="개성",
        )


def test_viewer_searches_the_registry_with_a_mistyped_year_corrected(
    sixty_five: None,
    open_tab: Callable[[str], Tab],  # noqa: F811
) -> None:
    from urllib.parse import parse_qs, urlsplit

    from playwright.sync_api import expect

    tab = open_tab("viewer")
    page = tab.page
    sign_in(tab, "viewer")
    follow(tab, page.locator("a[data-nav='families']"))
    page.locator("#f-hometown").fill("개성")
    page.locator("#f-status").select_option("alive")
    page.locator("#f-q").fill("박민호")
    page.locator("#f-q").press("Enter")
    # What the filters typed so far find: all 65.
    expect(page.locator("#search-results table.results")).to_have_attribute("data-total", "65")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "born_from=193&" in r.url else None)
    # The year typed 193O (a letter O for the zero): the number field keeps the digits, 193,
    # and the browser refuses it on the field (born from 1850 at the earliest): nothing is sent.
    born_from = page.locator("#f-born-from")
    born_from.press_sequentially("193O")
    page.locator("#registry-search button[type=submit]").click()
    expect(page.locator("#f-born-from:invalid")).to_have_count(1)
    assert born_from.evaluate("e => e.validity.rangeUnderflow && e.validationMessage !== ''")
    kept(
        tab,
        {"#f-q": "박민호", "#f-born-from": "193", "#f-hometown": "개성", "#f-status": "alive"},
    )
    tab.shot("01-refused")

    page.locator("#f-born-from").fill("1930")
    with page.expect_response(lambda r: "born_from=1930" in r.url and r.status == 200):
        page.locator("#registry-search button[type=submit]").click()
    results = page.locator("#search-results table.results")
    expect(results).to_have_attribute("data-total", "60")
    expect(results.locator("tbody tr")).to_have_count(50)
    expect(page.locator("#search-results [role='alert']")).to_have_count(0)
    tab.shot("02-page-1")
    page.locator("nav.pager a[data-page='2']").click()
    expect(page.locator("#search-results table.results")).to_have_attribute("data-page", "2")
    expect(page.locator("#search-results tbody tr")).to_have_count(10)
    query = parse_qs(urlsplit(page.url).query)
    assert (query["born_from"], query["hometown"], query["page"]) == (["1930"], ["개성"], ["2"])
    kept(tab, {"#f-q": "박민호", "#f-born-from": "1930", "#f-hometown": "개성"})
    assert not sent, sent  # the year the browser refused never reached the server
    tab.shot("03-page-2")
    clean(tab)


# --- admin: the audit log searched ----------------------------------------------------------------


@pytest.fixture
def registered(personas: Any) -> Any:
    """Something in the audit log: an applicant registered by the South's Red Cross officer."""
    from panmun.families.tests.factories import applicant

    return applicant(personas["redcross_s"], family_name="정", given_name="말순")


def test_admin_searches_the_audit_log_with_the_dates_the_wrong_way_round_corrected(
    registered: Any,
    open_tab: Callable[[str], Tab],  # noqa: F811
) -> None:
    from django.utils import timezone
    from playwright.sync_api import expect

    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    tab = open_tab("admin")
    page = tab.page
    sign_in(tab, "admin")
    follow(tab, page.locator("a[data-nav='audit']"))
    page.locator("#f-actor").fill("redcross_s")
    page.locator("#f-since").fill(today.isoformat())
    with page.expect_response(lambda r: f"until={yesterday.isoformat()}" in r.url) as answer:
        page.locator("#f-until").fill(yesterday.isoformat())
    refused(tab, answer.value, 422)
    expect(page.locator("#audit-rows [role='alert']")).to_have_text("시작일이 종료일보다 늦습니다.")
    typed = {
        "#f-actor": "redcross_s",
        "#f-since": today.isoformat(),
        "#f-until": yesterday.isoformat(),
    }
    kept(tab, typed)
    tab.shot("01-refused")
    # The address now holds the filters; opened again (reloaded, bookmarked), the page says the
    # same on the form with every filter as typed.
    assert f"until={yesterday.isoformat()}" in page.url
    with page.expect_navigation(wait_until="load") as reload:
        page.reload()
    refused(tab, reload.value, 422)
    expect(page.locator("#audit-rows [role='alert']")).to_have_text("시작일이 종료일보다 늦습니다.")
    kept(tab, typed)

    with page.expect_response(lambda r: f"until={today.isoformat()}" in r.url and r.status == 200):
        page.locator("#f-until").fill(today.isoformat())
    rows = page.locator("#audit-rows tbody tr")
    expect(rows.filter(has_text="정말순")).to_have_count(1)
    expect(page.locator("#audit-rows [role='alert']")).to_have_count(0)
    assert all("redcross_s" in t for t in rows.all_inner_texts())
    tab.shot("02-results")
    clean(tab)


# --- firm and aid: their home page, and an API token ----------------------------------------------


@pytest.mark.parametrize(
    ("persona", "programme", "days", "scope"),
    [("firm", "complex", "30", "read_write"), ("aid", "aid", "365", "read")],
)
def test_firm_and_aid_create_an_api_token_with_its_name_forgotten_then_typed(
    persona: str,
    programme: str,
    days: str,
    scope: str,
    open_tab: Callable[[str], Tab],  # noqa: F811
) -> None:
    from django.utils import timezone
    from playwright.sync_api import expect

    from panmun.accounts.models import ApiToken

    tab = open_tab(persona)
    page = tab.page
    sign_in(tab, persona)
    # Firms have the complex, aid organisations their ledger: no programme being built, the
    # tokens in the header as for everyone.
    expect(page.locator(f"section[data-programme='{programme}']")).to_have_count(0)
    tab.shot("01-home")
    follow(tab, page.locator("a[href='/tokens/']").first)
    form = page.locator("form[data-form='token']")
    # A name of blanks only: the browser lets it through, the page does not.
    page.locator("#id_name").fill("   ")
    page.locator("#id_days").select_option(days)
    form.locator(f"input[name='scope'][value='{scope}']").check()
    refused(tab, submit(tab, form.locator("button[type=submit]")), 200)
    refused_on(tab, "id_name", "필수")
    kept(tab, {"#id_days": days, f"input[name='scope'][value='{scope}']": True})
    assert not ApiToken.objects.filter(user__username=persona).exists()
    tab.shot("02-refused")

    page.locator("#id_name").fill("월간 보고서 스크립트")
    submit(tab, page.locator("form[data-form='token'] button[type=submit]"))
    raw = page.locator("code[data-token]").inner_text()
    token = ApiToken.objects.get(user__username=persona)
    assert (token.name, token.scope) == ("월간 보고서 스크립트", scope)
    assert raw.startswith(token.prefix)
    life = token.expires_at - timezone.now()
    assert dt.timedelta(days=int(days) - 1) < life <= dt.timedelta(days=int(days))
    expect(page.locator(f"tr[data-token-row='{token.pk}'] td[data-scope]")).to_have_attribute(
        "data-scope", scope
    )
    tab.shot("03-created")
    # Shown once: the page opened again does not show it.
    tab.goto("/tokens/")
    expect(page.locator("code[data-token]")).to_have_count(0)
    expect(page.locator(f"tr[data-token-row='{token.pk}']")).to_be_visible()
    clean(tab)
