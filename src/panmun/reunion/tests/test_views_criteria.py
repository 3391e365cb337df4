"""The selection criteria as a form (issue 15, defect 5): age bands, relation weights, strata
and places, candidates per place and exclusions in words; the criteria module's rules decide,
their problems come back on the form's fields; the pool counted as the supervisor types."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.core.cache import cache

from panmun.accounts.models import AuditEntry
from panmun.families.tests.factories import applicant, relative

from ..criteria import default_criteria, parse_criteria
from ..models import ReunionRound
from ..services import selection

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the pool preview caches the registry's eligible applicants
    yield
    cache.clear()


@pytest.fixture
def draft(personas):
    return selection.round_create(
        actor=personas["supervisor"],
        kind="in_person",
        number=40,
        name="제40차",
        starts_on=dt.date(2027, 5, 1),
        criteria=default_criteria(dt.date(2026, 11, 23), 10),
    )


@pytest.fixture
def registry(personas):
    """Three applicants of 90 and over, two younger, each seeking a child."""
    officer = personas["redcross_s"]
    for n, born in enumerate(["1930", "1932", "1934", "1950", "1955"]):
        seeker = applicant(officer, given_name=f"기준{n}", birth_date=born)
        relative(officer, seeker, relation="child", given_name=f"자녀{n}")


def form_data(document: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The criteria form's fields for a criteria document, as the page sends them."""
    data: dict[str, Any] = {
        "reference_date": document["reference_date"],
        "unknown_age_weight": document["unknown_age_weight"],
        "candidates_per_place": document["candidates_per_place"],
        "exclusions": list(document["exclusions"]),
        "bands": len(document["age_weights"]) + 1,
        "strata": len(document["strata"]) + 1,
    }
    for n, band in enumerate(document["age_weights"]):
        data[f"band-{n}-min"], data[f"band-{n}-weight"] = band["min"], band["weight"]
    for code, weight in document["relation_weights"].items():
        data[f"relation-{code}"] = weight
    for n, stratum in enumerate(document["strata"]):
        data[f"stratum-{n}-name"] = stratum["name"]
        data[f"stratum-{n}-places"] = stratum["places"]
        data[f"stratum-{n}-kind"] = stratum["rule"]["kind"]
        data[f"stratum-{n}-age"] = stratum["rule"].get("age", "")
        data[f"stratum-{n}-registry_nos"] = "\n".join(stratum["rule"].get("registry_nos", []))
    data.update(changes)
    return data


def visible(page: str) -> str:
    """The text a reader sees: no tags, no attributes."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_criteria_are_a_form_in_words_not_json(client_for, draft):
    page = client_for("supervisor").get(f"/reunion/{draft.pk}/").content.decode()
    assert 'name="criteria"' not in page
    for name in ("band-0-min", "band-0-weight", "relation-spouse", "stratum-0-places"):
        assert f'name="{name}"' in page
    text = visible(page)
    for code in ("declined_before", "unfit_before", "reunited_before", "age_at_least", "{"):
        assert code not in text, code
    assert "이전 회차에서 상봉을 포기한 신청자 제외" in text
    assert f'hx-post="/reunion/{draft.pk}/criteria/preview/"' in page


def test_the_form_saves_the_criteria_document(client_for, draft):
    document = default_criteria(dt.date(2026, 11, 23), 10)
    data = form_data(
        document,
        **{"stratum-0-places": 6, "stratum-1-places": 4, "band-5-min": 50, "band-5-weight": 1.5},
    )
    data["exclusions"] = ["declined_before", "reunited_before"]
    response = client_for("supervisor").post(f"/reunion/{draft.pk}/criteria/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    expected = dict(document)
    expected["strata"] = [
        {**document["strata"][0], "places": 6},
        {**document["strata"][1], "places": 4},
    ]
    expected["age_weights"] = [*document["age_weights"], {"min": 50, "weight": 1.5}]
    expected["exclusions"] = ["declined_before", "reunited_before"]
    assert draft.criteria == expected
    assert parse_criteria(draft.criteria).strata[0].places == 6


def test_criteria_problems_come_back_on_their_fields_as_typed(client_for, draft):
    before, audit = draft.criteria, AuditEntry.objects.count()
    data = form_data(
        draft.criteria,
        **{"stratum-0-places": 20000, "band-1-weight": -3, "stratum-1-name": "그,외"},
    )
    response = client_for("supervisor").post(f"/reunion/{draft.pk}/criteria/", data)
    assert response.status_code == 422
    page = response.content.decode()
    for field, value in (("stratum-0-places", "20000"), ("band-1-weight", "-3")):
        tag = re.search(rf'<input[^>]*name="{field}"[^>]*>', page)
        assert tag and f'value="{value}"' in tag.group(0), field
        assert f'id="id_{field}_error"' in page, field
    assert 'value="그,외"' in page and 'id="id_stratum-1-name_error"' in page
    assert "0–10000 사이의 정수여야 합니다" in html.unescape(page)
    draft.refresh_from_db()
    assert draft.criteria == before and AuditEntry.objects.count() == audit


def test_the_pool_is_counted_as_the_form_changes(client_for, draft, registry):
    data = form_data(draft.criteria)
    response = client_for("supervisor").post(f"/reunion/{draft.pk}/criteria/preview/", data, **HTMX)
    assert response.status_code == 200
    part = response.content.decode()
    assert "<html" not in part
    counts = dict(re.findall(r'data-stratum="([^"]+)".*?data-figure="applicants">(\d+)<', part))
    assert counts == {"90세 이상": "3", "그 외": "2"}
    assert 'data-figure="pool">5<' in part
    text = visible(part)
    assert "이전 회차에서 상봉을 포기함" in text and "declined_before" not in text
    # The first stratum from 93: two applicants of 93 and over (born 1930, 1932), the rest 3.
    data["stratum-0-age"] = 93
    part = (
        client_for("supervisor")
        .post(f"/reunion/{draft.pk}/criteria/preview/", data, **HTMX)
        .content.decode()
    )
    counts = dict(re.findall(r'data-stratum="([^"]+)".*?data-figure="applicants">(\d+)<', part))
    assert counts == {"90세 이상": "2", "그 외": "3"}
    assert ReunionRound.objects.get(pk=draft.pk).criteria == draft.criteria  # nothing saved


def test_the_counts_say_why_they_cannot_be_made(client_for, draft):
    data = form_data(draft.criteria, **{"stratum-0-places": -1})
    response = client_for("supervisor").post(f"/reunion/{draft.pk}/criteria/preview/", data, **HTMX)
    assert response.status_code == 200
    part = html.unescape(response.content.decode())
    assert "<html" not in part and 'class="form-errors"' in part and "data-figure" not in part
    assert "0–10000 사이의 정수여야 합니다" in part


def test_without_javascript_the_pool_is_counted_on_the_page(client_for, draft, registry):
    data = form_data(draft.criteria, preview="1", **{"stratum-0-places": 7})
    response = client_for("supervisor").post(f"/reunion/{draft.pk}/criteria/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-figure="pool">5<' in page
    assert re.search(r'<input[^>]*name="stratum-0-places"[^>]*value="7"', page)
    draft.refresh_from_db()
    assert draft.criteria["strata"][0]["places"] == 5  # counted, not saved
