"""The registry's search page (defect 4 of issue 15): the true total, pages that keep the filters,
an order that serves the officer, and why each person matched in the page's language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from panmun.accounts.models import AuditEntry

from .. import selectors
from ..models import Person
from .factories import applicant


def _rows(text: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-person="(\d+)"', text)]


def _attr(text: str, name: str) -> str:
    found = re.search(rf'<table class="results"[^>]* {name}="([^"]*)"', text)
    assert found, f"no {name} on the results table"
    return found.group(1)


@pytest.fixture
def many_park(personas):
    """Sixty applicants named 박민호, born 1920–1979, one in three deceased."""
    officer = personas["redcross_s"]
    people = [
        applicant(
            officer,
            family_name="박",
            given_name="민호",
            birth_date=f"{1920 + n}-01-01",
            status=("alive", "unknown", "deceased")[n % 3],
            hometown="황해도 연백" if n % 2 else "",
        )
        for n in range(60)
    ]
    return people


@pytest.mark.parametrize("scan_from", [20_000, 10])  # fetched by id, or read in order
def test_the_page_says_how_many_matched_in_all_and_pages_through_them(
    many_park, client_for, monkeypatch, scan_from
):
    monkeypatch.setattr(selectors, "SCAN_FROM", scan_from)
    client = client_for("redcross_s")
    first = client.get("/families/", {"q": "박민호"}).content.decode()
    assert _attr(first, "data-total") == "60"
    assert _attr(first, "data-capped") == "false"
    assert "60명을 찾았습니다" in first  # not "50명": the page size is not the count
    assert len(_rows(first)) == 50
    second = client.get("/families/", {"q": "박민호", "page": "2"}, HTTP_HX_REQUEST="true")
    text = second.content.decode()
    assert second.status_code == 200 and "<html" not in text  # htmx gets the results only
    assert len(_rows(text)) == 10
    assert set(_rows(first)).isdisjoint(_rows(text))
    assert set(_rows(first)) | set(_rows(text)) == {p.pk for p in many_park}


def test_page_links_keep_the_filters(many_park, client_for):
    client = client_for("redcross_s")
    text = client.get(
        "/families/", {"q": "박민호", "hometown": "연백", "born_from": "1920"}
    ).content.decode()
    assert _attr(text, "data-total") == "30"
    assert len(_rows(text)) == 30
    wide = client.get("/families/", {"q": "박민호", "born_to": "1979"}).content.decode()
    links = re.findall(r'<a href="([^"]*)" hx-get="[^"]*" hx-target="#search-results"', wide)
    assert links, "no page links"
    for link in links:
        assert "q=%EB%B0%95%EB%AF%BC%ED%98%B8" in link and "born_to=1979" in link, link
    assert any("page=2" in link for link in links)


def test_a_page_past_the_last_or_not_a_number_is_still_a_page(many_park, client_for):
    client = client_for("redcross_s")
    past = client.get("/families/", {"q": "박민호", "page": "99"}).content.decode()
    assert _attr(past, "data-page") == "2" and len(_rows(past)) == 10
    letters = client.get("/families/", {"q": "박민호", "page": "two"}).content.decode()
    assert _attr(letters, "data-page") == "1"


def test_the_best_match_first_then_the_living_then_the_oldest(personas, client_for):
    officer = personas["redcross_s"]

    def person(family: str, given: str, year: int, status: str, **kw: str) -> Person:
        return applicant(
            officer,
            family_name=family,
            given_name=given,
            birth_date=str(year),
            status=status,
            death_date="",
            **kw,
        )

    dead_1930 = person("이", "선권", 1930, "deceased")
    alive_1950 = person("이", "선권", 1950, "alive")
    unknown_1920 = person("이", "선권", 1920, "unknown")
    alive_1935 = person("이", "선권", 1935, "alive")
    north_spelling = person("리", "선권", 1925, "alive")
    latin_only = person("", "", 1910, "alive", name_latin="Lee Sun-kwon")
    client = client_for("redcross_s")
    text = client.get("/families/", {"q": "이선권"}).content.decode()
    assert _rows(text) == [
        # the name exactly as typed: the living (oldest first), the unknown, the deceased
        alive_1935.pk,
        alive_1950.pk,
        unknown_1920.pk,
        dead_1930.pk,
        north_spelling.pk,  # the same name in the North's spelling
        latin_only.pk,  # the same name, found through its romanization
    ]
    whys = re.findall(r'data-why="([^"]*)"', text)
    assert whys == ["spelling"] * 4 + ["other spelling", "name"]


def test_why_each_person_matched_is_said_in_the_page_language(personas, client_for):
    officer = personas["redcross_s"]
    applicant(officer, family_name="이", given_name="선권")
    applicant(officer, family_name="리", given_name="선권")
    applicant(officer, family_name="", given_name="", name_latin="Lee Sun-kwon")
    client = client_for("redcross_s")
    korean = client.get("/families/", {"q": "이선권"}).content.decode()
    for words in ("입력한 그대로", "북측 또는 남측 표기", "로마자"):
        assert words in korean, words
    cells = re.findall(r"<td>([^<]*)</td></tr>", korean)
    assert cells and not {"spelling", "name", "other spelling", "given name"} & set(cells)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/families/", {"q": "이선권"}).content.decode()
    assert "the name exactly as typed" in english
    assert "the same name in the other side&#x27;s spelling" in english


def test_past_the_count_cap_the_page_says_more_than(many_park, client_for, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 40)
    client = client_for("redcross_s")
    text = client.get("/families/", {"q": "박민호"}).content.decode()
    assert _attr(text, "data-capped") == "true" and _attr(text, "data-total") == "40"
    assert "40명 넘게" in text
    assert 'rel="next"' in text
    last = client.get("/families/", {"q": "박민호", "page": "2"}).content.decode()
    assert len(_rows(last)) == 10 and 'rel="next"' not in last


def test_a_year_in_letters_is_said_on_the_page_and_the_typing_kept(many_park, client_for):
    client = client_for("redcross_s")
    before = AuditEntry.objects.count()
    response = client.get(
        "/families/", {"q": "박민호", "born_from": "19x0", "hometown": "연백", "status": "alive"}
    )
    text = response.content.decode()
    assert response.status_code == 422
    assert "출생 연도는 1850–2100 사이의 숫자여야 합니다" in text
    assert 'value="19x0"' in text and 'value="박민호"' in text and 'value="연백"' in text
    assert '<option value="alive" selected>' in text
    assert AuditEntry.objects.count() == before


def test_the_api_pages_and_counts_and_keeps_its_shape(many_park, api_for):
    api = api_for("redcross_s")
    first = api.get("/families/search?q=%EB%B0%95%EB%AF%BC%ED%98%B8")
    assert first.status_code == 200
    body = first.json()
    assert isinstance(body, list) and len(body) == 50  # still a list of hits
    assert first["X-Total-Count"] == "60" and first["X-Total-Capped"] == "false"
    assert {"id", "registry_no", "name", "score", "match"} <= body[0].keys()
    assert body[0]["match"] == "spelling"
    assert body[0]["match_ko"] == "입력한 그대로의 이름"
    assert body[0]["match_en"] == "the name exactly as typed"
    second = api.get("/families/search?q=%EB%B0%95%EB%AF%BC%ED%98%B8&page=2&per_page=25")
    assert len(second.json()) == 25
    assert {h["id"] for h in second.json()}.isdisjoint({h["id"] for h in body[:25]})
    bad = api.get("/families/search?q=x&per_page=100000")
    assert bad.status_code == 422


def test_each_hit_says_its_own_kind_of_match_in_both_languages(many_park, api_for):
    from django.utils import translation

    from panmun.families.selectors import MATCH_REASONS

    body = api_for("redcross_s").get("/families/search?q=%EB%B0%95&per_page=200").json()
    body += api_for("redcross_s").get("/families/search?q=%EB%B0%95%EB%AF%BC%ED%98%B8").json()
    assert len({h["match"] for h in body}) >= 2  # the reasons are not all one
    for hit in body:
        with translation.override("ko"):
            ko = str(MATCH_REASONS[hit["match"]])
        with translation.override("en"):
            en = str(MATCH_REASONS[hit["match"]])
        assert (hit["match_ko"], hit["match_en"]) == (ko, en)


@pytest.mark.parametrize("cap", [1000, 30])
def test_the_page_and_its_count_in_one_query_give_what_two_give(
    many_park, personas, monkeypatch, cap
):
    """PostgreSQL reads a search's page and its count in one query (a window count, issue 16's
    load target); every page, past the last and under a capped count, is the one the count
    and the page read apart give, with and without filters."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(selectors, "COUNT_CAP", cap)
    officer = personas["redcross_s"]
    for params in [
        {"q": "박민호"},
        {"q": "박민호", "born_from": 1930, "born_to": 1949},
        {"q": "Pak Minho", "status": "deceased"},
        {"q": "아무도없음"},
    ]:
        filters = selectors.SearchFilters.from_params(params)
        for page in [1, 2, 3, 9]:
            ranked = selectors._ranked(officer, filters)
            assert ranked is not None
            one = selectors._page_with_total(ranked, page, 25)
            monkeypatch.setattr(connection, "vendor", "sqlite")  # the two-query way
            try:
                two = selectors.search_page(officer, filters, page=page, per_page=25)
            finally:
                monkeypatch.undo()
                monkeypatch.setattr(selectors, "COUNT_CAP", cap)
            assert (one.number, one.total, one.capped, one.has_next) == (
                two.number,
                two.total,
                two.capped,
                two.has_next,
            ), (params, page)
            assert [h.person.pk for h in one.hits] == [h.person.pk for h in two.hits]
    if connection.vendor == "postgresql":
        filters = selectors.SearchFilters.from_params({"q": "박민호"})
        with CaptureQueriesContext(connection) as queries:
            found = selectors.search_page(officer, filters, page=1, per_page=25)
        assert found.total == min(60, cap) and len(queries) == 1


WRONG_VALUES = ["13월", "abc", "1934-13-45", "가" * 5000, "-1", "99999999999999999999", "'; DROP"]


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("field", ["q", "born_from", "born_to", "hometown", "status", "page"])
def test_a_wrong_value_in_any_search_field_is_never_a_server_error(
    client_for, api_for, language, field
):
    """An officer's ordinary mistakes in each field of the search, on the page (whole and as
    htmx asks for it) and through the API: never a 500; the API answers a 4xx with its stable
    body, and the page keeps what was typed."""
    from urllib.parse import urlencode

    client = client_for("redcross_s")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    api = api_for("redcross_s")
    for value in WRONG_VALUES:
        params = {"q": "박민호", field: value}
        page = client.get("/families/", params)
        part = client.get("/families/", params, HTTP_HX_REQUEST="true")
        answer = api.get("/families/search?" + urlencode(params))
        assert page.status_code < 500 and part.status_code < 500, (field, value)
        assert answer.status_code < 500, (field, value, answer.content[:200])
        if answer.status_code >= 400:
            assert {"code", "message"} <= set(answer.json())
        if field in ("born_from", "born_to") and page.status_code == 200:
            assert value[:100] in page.content.decode()  # what was typed is kept
