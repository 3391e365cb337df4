"""The registry's monthly figures: exact counts on a small registry built by hand, what is left
out (merged duplicates, later registrations, relatives), the CSV and the page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import include, path
from django.utils import translation

from panmun.families.keys import person_keys, place_key
from panmun.families.models import Person, Seeking
from panmun.families.statistics import Figures, figures_csv, monthly_figures

ON = date(2025, 12, 31)


def _nothing(request: Any, *args: Any) -> HttpResponse:
    return HttpResponse()


# The page's template is rendered against these URLs only, so that it is tested on its own.
urlpatterns = [
    path(
        "",
        include(
            (
                [
                    path("", _nothing, name="home"),
                    path("language/", _nothing, name="language"),
                    path("logout/", _nothing, name="logout"),
                ],
                "web",
            )
        ),
    ),
    path(
        "families/",
        include(
            (
                [
                    path("statistics/", _nothing, name="statistics"),
                    path("statistics.csv", _nothing, name="statistics-csv"),
                ],
                "families",
            )
        ),
    ),
]


def person(**fields: Any) -> Person:
    """A person with valid values and its search keys, checked by full_clean."""
    values: dict[str, Any] = {"family_name": "김", "given_name": "영수", "sex": "M"}
    values.update(fields)
    if values.get("birth_year") and "birth_date" not in values:
        values["birth_date"] = str(values["birth_year"])
    p = Person(**values)
    keys = person_keys(p.family_name, p.given_name)
    p.family_key, p.given_key, p.name_key = keys.family_key, keys.given_key, keys.name_key
    p.hometown_key = place_key(p.hometown)
    p.full_clean()
    p.save()
    return p


def applicant(no: str, registered_on: date | None, **fields: Any) -> Person:
    return person(registry_no=no, registered_on=registered_on, **fields)


def seeks(who: Person, *relations: str) -> None:
    for relation in relations:
        sought = person(family_name="이", given_name="선권", hometown="평안북도 정주군")
        link = Seeking(applicant=who, sought=sought, relation=relation)
        link.full_clean()
        link.save()


@pytest.fixture
def registry(db: Any) -> dict[str, Person]:
    """Twelve applicants registered by the end of 2025 — nine living on 31 December 2025 —
    and one registered later, one merged duplicate, and relatives (not applicants)."""
    p: dict[str, Person] = {}
    p["a1"] = applicant("T-1", date(1988, 5, 1), status="alive", birth_year=1930)
    p["a2"] = applicant(
        "T-2", date(2000, 8, 15), status="alive", birth_year=1940, abroad=True, country="US"
    )
    p["a3"] = applicant("T-3", date(2000, 9, 1), status="alive", birth_year=1950)
    p["a4"] = applicant("T-4", date(2018, 1, 10), status="alive", birth_year=1966)
    p["a5"] = applicant("T-5", date(2015, 3, 3), status="alive", birth_year=1965)
    p["a6"] = applicant("T-6", date(1990, 1, 1), status="alive")  # no birth year
    p["a7"] = applicant("T-7", date(1988, 1, 2), status="alive", birth_year=1936)
    p["a8"] = applicant("T-8", None, status="alive", birth_year=1945)  # date not recorded
    p["d1"] = applicant(
        "T-9",
        date(1988, 2, 1),
        status="deceased",
        death_date="2010-03-04",
        birth_year=1920,
        abroad=True,
    )
    p["d2"] = applicant("T-10", date(1989, 6, 1), status="deceased", birth_year=1925)
    # Died after the reference date: living on 31 December 2025.
    p["d3"] = applicant(
        "T-11", date(1988, 3, 1), status="deceased", death_date="2026-01", birth_year=1935
    )
    p["u1"] = applicant("T-12", date(1995, 5, 5), status="unknown", birth_year=1930)
    p["later"] = applicant("T-13", date(2026, 2, 1), status="alive", birth_year=1930)
    p["merged"] = applicant(
        "T-14",
        date(1988, 1, 1),
        status="alive",
        birth_year=1930,
        abroad=True,
        merged_into=p["a1"],
    )
    seeks(p["a1"], "sibling", "parent")
    seeks(p["a2"], "sibling")
    seeks(p["a3"], "spouse")
    seeks(p["a4"], "other")
    seeks(p["a5"], "parent", "parent")  # both parents: counted once
    seeks(p["a8"], "sibling")
    seeks(p["d3"], "child")
    seeks(p["d1"], "sibling")  # deceased: not in the figures of the living
    seeks(p["merged"], "child")  # a merged duplicate: counted nowhere
    seeks(p["later"], "spouse")  # registered after the reference date
    return p


def test_figures_on_the_reference_date(registry: dict[str, Person]) -> None:
    f = monthly_figures(on=ON)
    assert (f.registered, f.living, f.deceased, f.status_unknown) == (12, 9, 2, 1)
    # 90+, 80–89, 70–79, 60–69, under 60, birth year unknown
    assert f.living_by_age == (2, 3, 1, 1, 1, 1)
    # spouse, parent, child, sibling, other
    assert f.living_by_relation == (1, 2, 1, 3, 1)
    assert (f.living_abroad, f.living_in_korea) == (1, 8)
    years = dict(f.registered_by_year)
    assert min(years) == 1988 and max(years) == 2018 and len(years) == 31
    assert {y: c for y, c in years.items() if c} == {
        1988: 4,
        1989: 1,
        1990: 1,
        1995: 1,
        2000: 2,
        2015: 1,
        2018: 1,
    }
    assert f.registered_year_unknown == 1


def test_figures_at_an_earlier_date(registry: dict[str, Person]) -> None:
    f = monthly_figures(on=date(2000, 8, 31))
    # Not yet registered: a3 (September 2000), a5, a4. d1 died in 2010: living in 2000.
    assert (f.registered, f.living, f.deceased, f.status_unknown) == (9, 7, 1, 1)
    assert f.living_by_age == (0, 1, 1, 3, 1, 1)
    assert f.living_by_relation == (0, 1, 1, 4, 0)
    assert f.registered_by_year[-1] == (2000, 1)


def test_rows_give_counts_and_shares_of_their_section(registry: dict[str, Person]) -> None:
    rows = monthly_figures(on=ON).rows()
    assert rows[:4] == [
        ("registry", "등록 신청자", "Registered applicants", 12, 1.0),
        ("registry", "생존자", "Living", 9, 0.75),
        ("registry", "사망자", "Deceased", 2, 2 / 12),
        ("registry", "생사 미상", "Alive or deceased unknown", 1, 1 / 12),
    ]
    assert ("age", "90세 이상", "90 and over", 2, 2 / 9) in rows
    assert ("age", "출생연도 미상", "Birth year unknown", 1, 1 / 9) in rows
    assert ("relation", "형제자매", "Siblings", 3, 3 / 9) in rows
    assert ("residence", "해외 거주", "Living abroad", 1, 1 / 9) in rows
    assert ("year", "1988년", "1988", 4, 4 / 12) in rows
    assert rows[-1] == ("year", "등록일 미상", "Date of registration unknown", 1, 1 / 12)
    assert sum(r[3] for r in rows if r[0] == "age") == 9
    # Each relation sought counts: these shares may pass 100% together.
    assert sum(r[4] for r in rows if r[0] == "relation") == pytest.approx(8 / 9)


def test_figures_take_three_queries_whatever_the_size(
    registry: dict[str, Person], django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(3):
        monthly_figures(on=ON)


def test_empty_registry(db: Any) -> None:
    f = monthly_figures(on=ON)
    assert (f.registered, f.living, f.registered_by_year) == (0, 0, ())
    assert all(share == 0.0 for *_rest, share in f.rows())
    assert f.year_chart()["bars"] == []


def test_csv_in_korean_and_english(registry: dict[str, Person]) -> None:
    f = monthly_figures(on=ON)
    data = figures_csv(f, "ko")
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "기준일,구분,항목,인원,비율(%)"
    assert "2025-12-31,등록 현황,생존자,9,75.0" in lines
    assert "2025-12-31,생존자 연령별,90세 이상,2,22.2" in lines
    assert lines[-1] == ""  # the file ends with a line break
    assert len(lines) - 2 == len(f.rows())
    english = figures_csv(f, "en").decode("utf-8-sig").split("\r\n")
    assert english[0] == "as of,section,figure,count,share (%)"
    assert "2025-12-31,Living applicants by age,90 and over,2,22.2" in english
    assert "2025-12-31,Living applicants by relation sought,Siblings,3,33.3" in english


def _sample() -> Figures:
    return Figures(
        on=ON,
        registered=10,
        living=4,
        deceased=6,
        status_unknown=0,
        living_by_age=(2, 1, 1, 0, 0, 0),
        living_by_relation=(0, 1, 0, 3, 1),
        living_abroad=1,
        registered_by_year=((1988, 6), (1989, 0), (1990, 4)),
        registered_year_unknown=0,
    )


def test_bars_scale_to_the_largest_count_of_their_section() -> None:
    sections = {s.key: s for s in _sample().sections()}
    assert list(sections) == ["registry", "age", "relation", "residence"]
    age = sections["age"]
    widths = [b.width for b in age.bars]
    assert widths[0] == age.chart_width - age.bar_x - 80 and widths[1] == widths[0] // 2
    assert widths[3:] == [0, 0, 0]
    chart = _sample().year_chart()
    assert [(b.year, b.count) for b in chart["bars"]] == [(1988, 6), (1989, 0), (1990, 4)]
    assert chart["bars"][1].height == 0 and chart["total"] == 10


@pytest.mark.urls(__name__)
def test_page_shows_tables_charts_date_form_and_csv_link() -> None:
    request = RequestFactory().get("/families/statistics/")
    request.user = AnonymousUser()
    with translation.override("ko"):
        html = render_to_string(
            "families/statistics.html", {"figures": _sample(), "on": ON}, request=request
        )
    assert 'name="on" type="date" value="2025-12-31"' in html
    assert 'href="/families/statistics.csv?on=2025-12-31"' in html
    assert 'action="/families/statistics/"' in html
    assert '<tr data-figure="90+" data-count="2"><th scope="row">90세 이상</th>' in html
    assert "<td>50.0%</td>" in html  # 2 of the 4 living are 90 or over
    assert html.count('<svg role="img"') == 5  # four sections and the years
    assert 'data-year="1990" data-count="4"' in html
    with translation.override("en"):
        english = render_to_string(
            "families/statistics.html", {"figures": _sample(), "on": ON}, request=request
        )
    assert '<th scope="row">90 and over</th>' in english


def test_cached_figures_follow_every_change_of_the_registry_but_not_its_views(
    personas: dict[str, Any],
) -> None:
    """The page's figures are kept while the registry is unchanged (reading them costs half a
    second over the demo's registry): a record viewed keeps them, a record changed renews
    them."""
    from panmun.families.selectors import registry_version
    from panmun.families.services import registry
    from panmun.families.statistics import monthly_figures_cached
    from panmun.families.tests.factories import applicant

    officer = personas["redcross_s"]
    person = applicant(officer)
    on = date(2026, 12, 1)
    before = monthly_figures_cached(on=on)
    assert (before.living, before.deceased) == (1, 0)
    version = registry_version()
    registry.person_viewed(actor=officer, person=person)
    assert registry_version() == version
    person.status, person.death_date = "deceased", "2026-11-30"
    registry.person_save(actor=officer, person=person)
    assert registry_version() != version
    after = monthly_figures_cached(on=on)
    assert (after.living, after.deceased) == (0, 1)


def test_the_csv_writes_a_formula_as_text_and_numbers_as_numbers(
    registry: dict[str, Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    from panmun.families import statistics

    f = monthly_figures(on=ON)
    hostile = statistics.Figure("registry", "x", "=cmd|' /C calc'!A0", "@SUM(A1)", -3, 0.5)
    monkeypatch.setattr(Figures, "figures", lambda self: [hostile])
    korean = figures_csv(f, "ko").decode("utf-8-sig").split("\r\n")
    assert korean[1] == "2025-12-31,등록 현황,'=cmd|' /C calc'!A0,-3,50.0"
    english = figures_csv(f, "en").decode("utf-8-sig").split("\r\n")
    assert english[1] == "2025-12-31,Registered applicants,'@SUM(A1),-3,50.0"
