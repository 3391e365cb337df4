"""What the reunion pages show (issue 15, defects 4 and 5): the history counted once and its
sources named, the video schedule's names kept whole, and words for every code and hash."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from panmun.families.models import Person
from panmun.families.statistics import applicants_on, living_on
from panmun.families.tests.factories import applicant, relative

from ..selectors import living_per_year
from .factories import drawn_round, final_round

CSS = Path(__file__).resolve().parents[2] / "web" / "static" / "web" / "panmun.css"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def visible(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def registry(personas):
    """Applicants registered in 1988 and 2005; two died, in 2001 and (a partial date) 2010."""
    officer = personas["redcross_s"]
    people = [
        applicant(officer, given_name="역사1", registered_on=dt.date(1988, 7, 1)),
        applicant(officer, given_name="역사2", registered_on=dt.date(2005, 3, 2)),
        applicant(
            officer,
            given_name="역사3",
            registered_on=dt.date(1988, 7, 1),
            status="deceased",
            death_date="2001-05-06",
        ),
        applicant(
            officer,
            given_name="역사4",
            registered_on=dt.date(2000, 1, 1),
            status="deceased",
            death_date="2010",
        ),
    ]
    for person in people:
        relative(officer, person, given_name=f"가족{person.given_name}")
    return people


def test_living_applicants_per_year_are_those_of_the_registry(registry):
    years = [1987, 1988, 2000, 2001, 2005, 2009, 2010, 2026]
    expected = {}
    for y in years:
        on = dt.date(y, 12, 31)
        expected[y] = (
            Person.objects.filter(pk__in=applicants_on(on).values("pk"))
            .filter(living_on(on))
            .count()
        )
    assert living_per_year(years) == expected
    assert expected == {1987: 0, 1988: 2, 2000: 3, 2001: 2, 2005: 3, 2009: 3, 2010: 2, 2026: 2}


def test_the_history_page_counts_the_registry_once(client_for, registry):
    client = client_for("supervisor")
    first = client.get("/reunion/history/")
    assert first.status_code == 200 and "<polyline" in first.content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/reunion/history/")
    chart = re.compile(r"<svg.*?</table>", re.S)  # the chart and the table of years
    assert chart.search(again.content.decode()).group(0) == chart.search(
        first.content.decode()
    ).group(0)
    counting = [q["sql"] for q in queries.captured_queries if "death_date" in q["sql"]]
    assert counting == []  # the living applicants per year come from the cache


def test_the_history_names_its_sources_instead_of_broken_links(client_for):
    page = client_for("viewer").get("/reunion/history/").content.decode()
    assert 'href="shared/' not in page and 'href="../shared/' not in page
    for href in re.findall(r'<a href="([^"#]+)"', page.split("<main", 1)[1]):
        assert href.startswith(("https://", "http://", "/")), href
    text = visible(page)
    assert "Inter-Korean Exchanges and Cooperation (Panmun seed;" in text
    assert 'data-source="document"' in page
    notes = re.findall(r'<a href="#source-(\d+)"', page)
    ids = set(re.findall(r'<li id="source-(\d+)"', page))
    assert notes and set(notes) <= ids


def test_the_video_schedule_keeps_names_whole(client_for, personas):
    video_round = final_round(
        personas, kind="video", number=81, addresses=["서울특별시 종로구", "부산광역시 중구"]
    )
    page = client_for("redcross_s").get(f"/reunion/{video_round.pk}/video/").content.decode()
    table = page[page.index('id="schedule"') :]
    table = table[: table.index("</table>")]
    names = [p.candidate.applicant.display_name for p in video_round.participants.all()]
    for name in names:
        assert f'<td class="name">{name}</td>' in table
    assert re.search(r'<div class="table-wrap"><table class="results[^"]*" id="schedule"', page)
    css = CSS.read_text(encoding="utf-8")
    rule = re.search(r"td\.name[^{]*\{([^}]*)\}", css)
    assert rule and "keep-all" in rule.group(1) and "nowrap" in rule.group(1)


def test_the_round_page_names_hashes_and_codes_in_words(client_for, personas):
    drawn = drawn_round(personas, strata=(("지정가", 3),))
    page = client_for("supervisor").get(f"/reunion/{drawn.pk}/").content.decode()
    text = visible(page)
    assert "추첨 대상 명단의 SHA-256" in text and "시드의 SHA-256" in text
    for code in ("pool_sha256", "seed_sha256", "criteria_sha256", "declined_before", "listed"):
        assert code not in text, code
    assert re.search(r'data-hash="pool">[0-9a-f]{64}<', page)
    assert re.search(r'data-hash="seed">[0-9a-f]{64}<', page)
    # The criteria, read only once the pool is frozen, in words.
    assert "등록번호 3개를 지정" in text


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_letter_delivered_meanwhile_says_why_its_date_was_refused(client_for, personas, language):
    """Another officer delivered the letter while this one's page was open: the row has no form
    left to show the refusal on, so the reasons come as messages (a bad date, or the delivery)."""
    from django.conf import settings

    from panmun.reunion.models import LetterStatus
    from panmun.reunion.services import video

    participant = final_round(personas, kind="video", number=93).participants.get()
    officer = personas["redcross_s"]
    letter = video.letter_record(
        actor=officer,
        registry_no=participant.candidate.applicant.registry_no,
        direction="incoming",
        addressee="남측 딸",
        file_ref="vl/2026/delivered.mp4",
        sha256="cd" * 32,
        duration_seconds=120,
        language="ko",
        recorded_on=dt.date(2026, 1, 5),
    )
    video.letter_advance(actor=officer, letter=letter, on=dt.date(2026, 1, 6))
    client = client_for("redcross_s")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = f"/reunion/letters/{letter.pk}/advance/"
    expected = {
        "1934-13-45": {"ko": "올바른 날짜를 입력하세요.", "en": "Enter a valid date."},
        "2026-01-07": {
            "ko": "이미 전달된 영상편지입니다.",
            "en": "This letter has already been delivered.",
        },
    }
    for typed, said in expected.items():
        response = client.post(url, {"on": typed})
        assert response.status_code in (409, 422)
        messages = re.findall(r'<li class="error">(.*?)</li>', response.content.decode())
        assert html.unescape(said[language]) in [html.unescape(m) for m in messages], messages
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DELIVERED and letter.delivered_on == dt.date(2026, 1, 6)
