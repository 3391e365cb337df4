"""What the API's schema promises, it keeps: every offset and limit bounded, every id that cannot
exist refused, dates only as dates, a body only as the object it documents, and one name for
each shape in the OpenAPI document. Each refusal is a 4xx with the one error body, never a 500,
on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import re
from typing import Any

import pytest
from ninja import NinjaAPI, Schema

from panmun.common.api_schemas import MAX_ID, MAX_OFFSET
from panmun.reunion.models import Draw, ReunionRound

from .test_api_errors import assert_error

HUGE = "38713042395540340736"  # more than 2**64


def _fields(body: dict[str, Any]) -> list[str]:
    return [e["field"] for e in body["details"]["errors"]]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (f"/liaison/entries?offset={HUGE}", "offset"),
        (f"/liaison/entries?offset={MAX_OFFSET + 1}", "offset"),
        ("/liaison/entries?offset=-1", "offset"),
        ("/liaison/entries?limit=0", "limit"),
        (f"/liaison/entries?limit={HUGE}", "limit"),
        (f"/audit?offset={HUGE}", "offset"),
        (f"/audit?limit={HUGE}", "limit"),
        (f"/liaison/node/logs/south/entries?start={HUGE}", "start"),
        ("/liaison/node/logs/south/entries?start=-1", "start"),
        (f"/liaison/node/logs/south/entries?limit={HUGE}", "limit"),
        (f"/families/search?q=kim&page={HUGE}", "page"),
        (f"/families/search?q=kim&per_page={HUGE}", "per_page"),
    ],
)
def test_offsets_and_limits_out_of_range_are_422(api_for, path, field):
    body = assert_error(api_for("supervisor").get(path), 422, "invalid_input")
    assert _fields(body) == [field]


def test_the_largest_offset_is_answered(api_for):
    response = api_for("supervisor").get(f"/liaison/entries?offset={MAX_OFFSET}")
    assert response.status_code == 200
    assert response.json() == []


def test_offset_bound_is_documented():
    from panmun.config.api import api

    document = api.get_openapi_schema()
    params = document["paths"]["/api/v1/liaison/entries"]["get"]["parameters"]
    offset = next(p for p in params if p["name"] == "offset")["schema"]
    assert (offset["minimum"], offset["maximum"]) == (0, MAX_OFFSET)


ID_PATHS = [
    ("DELETE", "/tokens/{}"),
    ("GET", "/dialogue/talks/{}"),
    ("GET", "/dialogue/agreements/{}"),
    ("GET", "/families/persons/{}"),
    ("GET", "/families/rounds/{}"),
    ("GET", "/reunion/rounds/{}"),
    ("GET", "/reunion/rounds/{}/candidates"),
    ("GET", "/reunion/rounds/{}/participants"),
    ("GET", "/reunion/rounds/{}/bundle"),
    ("POST", "/reunion/rounds/{}/draw"),
    ("POST", "/liaison/calls/{}/answer"),
    ("GET", "/liaison/entries/south/{}"),
]


@pytest.mark.parametrize(("method", "path"), ID_PATHS)
@pytest.mark.parametrize("number", [HUGE, str(MAX_ID + 1), "-1"])
def test_ids_no_database_can_hold_are_422(api_for, method, path, number):
    response = api_for("supervisor").call(method, path.format(number))
    assert_error(response, 422, "invalid_input")


@pytest.mark.parametrize(("method", "path"), ID_PATHS)
def test_the_largest_id_is_not_found(api_for, method, path):
    """The largest 64-bit id passes the schema and is simply not there, also where the column
    is PostgreSQL's 32-bit integer."""
    response = api_for("supervisor").call(method, path.format(MAX_ID))
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/liaison/calls?until=0", "until"),
        ("/liaison/calls?since=0", "since"),
        ("/liaison/calls?until=1700000000", "until"),
        ("/liaison/calls?until=2026-01-01T00:00:00", "until"),
        ("/liaison/entries?date_to=0", "date_to"),
        ("/liaison/entries?date_from=20260101", "date_from"),
        ("/audit?until=0", "until"),
        ("/audit?since=1.5", "since"),
    ],
)
def test_dates_are_only_iso_dates(api_for, path, field):
    body = assert_error(api_for("supervisor").get(path), 422, "invalid_input")
    assert _fields(body) == [field]
    assert body["details"]["errors"][0]["type"] == "date_type"


def test_an_iso_date_is_still_a_date(api_for):
    response = api_for("supervisor").get("/liaison/calls?since=2026-01-01&until=2026-12-31")
    assert response.status_code == 200


@pytest.mark.parametrize("raw", ["[null, null]", "[]", "5", '"seed"', "true"])
def test_freeze_takes_only_an_object(api_for, raw):
    before = (Draw.objects.count(), list(ReunionRound.objects.values_list("stage", flat=True)))
    response = api_for("supervisor").call("POST", "/reunion/rounds/1/freeze", raw=raw)
    assert_error(response, 422, "invalid_input")
    assert (Draw.objects.count(), list(ReunionRound.objects.values_list("stage", flat=True))) == (
        before
    )


def test_freeze_refuses_fields_it_does_not_know(api_for):
    response = api_for("supervisor").post("/reunion/rounds/1/freeze", {"seed": "x" * 64})
    body = assert_error(response, 422, "invalid_input")
    assert _fields(body) == ["seed"]


NUMBER = "provisions.0.number"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"signed_on": 0}, "signed_on"),
        ({"signed_on": "0"}, "signed_on"),
        ({"signed_on": "2026-01-01T00:00:00"}, "signed_on"),
        ({"provisions": [{"number": "1", "text_ko": "가", "text_en": "a"}]}, "provisions.0.number"),
        (
            {"provisions": [{"number": True, "text_ko": "가", "text_en": "a"}]},
            "provisions.0.number",
        ),
        ({"parties": ["south"], "topic": 1}, "topic"),
    ],
)
def test_bodies_take_no_lax_values(api_for, change, field):
    from panmun.dialogue.models import Agreement

    from .factories import agreement_payload

    before = Agreement.objects.count()
    response = api_for("ministry").post("/dialogue/agreements", agreement_payload(**change))
    body = assert_error(response, 422, "invalid_input")
    assert _fields(body) == [field]
    assert Agreement.objects.count() == before


def test_a_whole_number_written_as_a_json_float_is_still_a_number(api_for):
    from .factories import agreement_payload

    data = agreement_payload(provisions=[{"number": 2.0, "text_ko": "가", "text_en": "a"}])
    response = api_for("ministry").post("/dialogue/agreements", data)
    assert response.status_code == 201, response.content
    assert response.json()["provisions"][0]["number"] == 2


def test_delegate_is_head_is_a_boolean(api_for):
    from .factories import talks_payload

    delegate = {"side": "south", "name_ko": "김", "is_head": 0}
    response = api_for("ministry").post("/dialogue/talks", talks_payload(delegates=[delegate]))
    body = assert_error(response, 422, "invalid_input")
    assert _fields(body) == ["delegates.0.is_head"]


# --- the OpenAPI document ---------------------------------------------------------------------


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


def component_problems(document: dict[str, Any]) -> dict[str, Any]:
    """What is wrong with the names of a document's schemas: names that are not a plain class
    name (pydantic files two classes of one name met in one schema under their module paths,
    `panmun__families__api__RoundOut`), schemas filed under another name than their own title,
    and references to schemas that are not there."""
    components = document.get("components", {}).get("schemas", {})
    return {
        "renamed": [n for n in components if not re.fullmatch(r"[A-Z][A-Za-z]*[A-Za-z]", n)],
        "mistitled": {n: c.get("title") for n, c in components.items() if c.get("title") != n},
        "dangling": sorted(
            r
            for r in set(_refs(document))
            if r.removeprefix("#/components/schemas/") not in components
        ),
    }


def test_every_component_has_one_plain_name():
    """Walk the API's document. (Two classes of one name in different operations, which Ninja
    files under the one name, the last winning, are caught as they are filed:
    `test_no_two_schemas_share_a_name` in test_api_schemathesis.py.)"""
    from panmun.config.api import api

    assert component_problems(api.get_openapi_schema()) == {
        "renamed": [],
        "mistitled": {},
        "dangling": [],
    }


def _families_round() -> type[Schema]:
    class RoundOut(Schema):
        target_size: int

    return RoundOut


FamiliesRoundOut = _families_round()


class RoundOut(Schema):
    stage: str


class BothRounds(Schema):
    tracing: FamiliesRoundOut  # type: ignore[valid-type]
    reunion: RoundOut


def test_the_walk_finds_renamed_duplicates():
    """Two classes named RoundOut in one response, as families' and reunion's once were."""
    probe = NinjaAPI(urls_namespace="component-probe")

    @probe.get("/both", response=BothRounds)
    def both(request: Any) -> Any:
        return None

    problems = component_problems(probe.get_openapi_schema(path_prefix="/probe"))
    assert len(problems["renamed"]) == 2
    assert all(name.endswith("RoundOut") for name in problems["renamed"])
    assert set(problems["mistitled"].values()) == {"RoundOut"}


def test_no_two_operations_share_an_id():
    from panmun.config.api import api

    document = api.get_openapi_schema()
    ids = [op["operationId"] for ops in document["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))


def test_states_sides_and_kinds_are_enums():
    from panmun.config.api import api

    components = api.get_openapi_schema()["components"]["schemas"]
    expect = {
        ("JobOut", "state"): ["queued", "running", "succeeded", "failed"],
        ("EntryOut", "kind"): ["notice", "letter"],
        ("EntryOut", "side"): ["south", "north"],
        ("CallOut", "state"): ["placed", "answered", "unanswered"],
        ("ReunionRoundOut", "stage"): ["draft", "frozen"],
        ("TracingRoundOut", "status"): ["draft", "sent", "replied", "applied"],
        ("TalksOut", "level"): ["summit"],
        ("LetterIn", "direction"): ["outgoing", "incoming"],
        ("RoundIn", "kind"): ["in_person", "video"],
        ("MessageIn", "kind"): ["notice"],
    }
    for (component, field), values in expect.items():
        enum = components[component]["properties"][field]["enum"]
        assert set(values) <= set(enum), (component, field, enum)
