import pytest
from django.http import QueryDict

from panmun.common.errors import DomainError
from panmun.dialogue.selectors import TimelineFilters, chart, timeline

pytestmark = pytest.mark.django_db


def f(query: str) -> TimelineFilters:
    return TimelineFilters.from_params(QueryDict(query))


def test_timeline_in_date_order_with_undated_last(personas):
    items = timeline(personas["viewer"], f(""))
    dated = [i.date for i in items if i.date]
    assert dated == sorted(dated)
    assert items[0].title_en.startswith("First")  # the Red Cross meeting of August 1971
    assert all(i.date is None for i in items[len(dated) :])
    assert {i.kind for i in items} == {"talks", "agreement", "event"}


def test_year_filter(personas):
    items = timeline(personas["viewer"], f("year_from=1990&year_to=1992"))
    assert items and all(1990 <= i.year <= 1992 for i in items)
    assert {i.kind for i in items} == {"talks", "agreement"}


def test_level_filter_gives_talks_only(personas):
    items = timeline(personas["viewer"], f("level=summit"))
    assert len(items) == 4
    assert {(i.kind, i.level) for i in items} == {("talks", "summit")}


def test_topic_filter(personas):
    items = timeline(personas["viewer"], f("topic=complex"))
    assert items and {i.topic for i in items} == {"complex"}
    assert sum(1 for i in items if i.kind == "agreement") == 4


@pytest.mark.parametrize(
    "query",
    ["year_from=x", "year_to=3000", "level=cabinet", "topic=sport", "year_from=2001&year_to=2000"],
)
def test_bad_filters_are_refused(query):
    with pytest.raises(DomainError):
        f(query)


def test_chart_counts_per_year(personas):
    filters = f("year_from=2018&year_to=2018")
    items = timeline(personas["viewer"], filters)
    data = chart(items, filters)
    assert [(b.year, b.count) for b in data["bars"]] == [(2018, len(items))]
    assert data["bars"][0].height == data["height"] - 20


def test_chart_spans_empty_years(personas):
    filters = f("year_from=1999&year_to=2004")
    data = chart(timeline(personas["viewer"], filters), filters)
    assert [b.year for b in data["bars"]] == [1999, 2000, 2001, 2002, 2003, 2004]
    assert dict((b.year, b.count) for b in data["bars"])[2001] == 0
