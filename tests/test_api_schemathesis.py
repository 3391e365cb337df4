"""Schemathesis over /api/v1/openapi.json: generated requests, valid and invalid, to every
operation of the API, as the South's and the North's Red Cross officers (issue 16's acceptance:
two tokens, one of each side) and, for the writes only supervisors may make, as a supervisor, in
process (WSGI).

No answer may be a server error, every 4xx carries the one error body, and every answer conforms
to the schema (status, content type, body). The world is the permission matrix's (tests/worlds.py),
built once for the file; most generated requests name the world's records in their path, so that
the generated bodies reach the code behind the lookups, the others keep the generated values.

Bounded and repeatable: a fixed number of generated examples per operation, derandomized.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from panmun.accounts.services import api_token_create

from .worlds import matrix_world, personas_now, world_once

PERSONAS = ("redcross_s", "redcross_n", "supervisor")
# Generated examples per operation in the fuzzing phase. The coverage phase adds its fixed cases
# (boundaries, missing and wrong-typed fields: about 40 an operation, 2,000 in all), for the
# supervisor only, who may write almost everywhere; the officers are refused most writes.
MAX_EXAMPLES = 15


# Operations whose valid requests the schema cannot describe whole: what they accept depends on
# records in the database, on a rule across fields, or on a document checked by its kind. A
# schema-valid request to them may still be refused with 422; every other check runs on them,
# and every check, positive_data_acceptance included, runs on all other operations.
BEYOND_THE_SCHEMA = {
    ("GET", "/api/v1/audit"): "`since` may not be after `until`",
    ("GET", "/api/v1/dialogue/timeline"): "`year_from` may not be after `year_to`",
    ("POST", "/api/v1/dialogue/talks"): "agreement keys must be recorded; end after start",
    ("PUT", "/api/v1/dialogue/talks/{talks_id}"): "as POST /dialogue/talks",
    ("POST", "/api/v1/dialogue/agreements"): "provision numbers unique within the agreement",
    ("POST", "/api/v1/jobs"): "the kind must be registered, its parameters are the kind's",
    ("POST", "/api/v1/families/rounds/{round_id}/replies"): "a request id of this round; "
    "the vital status agrees with the result; a real (lunar or solar) date",
    ("POST", "/api/v1/reunion/rounds"): "the criteria document (reunion/criteria.py)",
    ("POST", "/api/v1/reunion/letters"): "an applicant's registration number; not in the future",
    ("POST", "/api/v1/liaison/messages"): "the body is the message kind's document",
    ("POST", "/api/v1/liaison/meetings"): "outcomes name recorded agreements and talks",
    ("POST", "/api/v1/liaison/node/logs/{side}/entries"): "leaves signed by the side's key",
    ("POST", "/api/v1/liaison/node/logs/{side}/checkpoint"): "a checkpoint signed by the side",
    ("POST", "/api/v1/permits/applications"): "texts without control characters, within their "
    "lengths; end after start; the organisation is one of the North",
    ("PUT", "/api/v1/permits/applications/{application_id}"): "as POST /permits/applications; "
    "a kind submitted may not be amendable",
    ("PATCH", "/api/v1/permits/applications/{application_id}"): "as PUT",
    ("POST", "/api/v1/permits/applications/{application_id}/submit"): "the application must "
    "be complete, its drafts allowed by the policy in force",
    ("POST", "/api/v1/permits/approvals/{approval_id}/withdraw"): "the approval must be open",
    ("POST", "/api/v1/permits/approvals/{approval_id}/resubmit"): "the officer must have asked",
    ("POST", "/api/v1/permits/applications/{application_id}/travellers"): "a person's values "
    "as people.check_person reads them (a real birth date, a document number of its kind)",
    ("POST", "/api/v1/permits/applications/{application_id}/travellers/import"): "a people "
    "list: a spreadsheet or CSV whose rows check_person accepts",
    ("POST", "/api/v1/permits/applications/{application_id}/travellers/from-profile"): "people "
    "of the applicant's profile, not yet listed",
    ("POST", "/api/v1/permits/applications/{application_id}/vehicles"): "a plate number and a "
    "kind of vehicle; the driver a traveller of the application",
    ("POST", "/api/v1/permits/approvals/{approval_id}/goods-lines"): "a known HS code, positive "
    "numbers, an ISO 4217 currency; a goods approval or a crossing plan",
    ("POST", "/api/v1/permits/profile/people"): "as the travellers of an application",
    ("POST", "/api/v1/permits/profile/vehicles"): "as the vehicles of an application",
    ("POST", "/api/v1/permits/profile/goods"): "a known HS code, an ISO 4217 currency",
    ("POST", "/api/v1/complex/evacuation/orders"): "one order in force at a time; the deadline "
    "after the issue; each time with its zone; a person allowed to stay named once",
    ("POST", "/api/v1/complex/evacuation/orders/{order_id}/close"): "the order in force; "
    "closed not before it was given",
    ("POST", "/api/v1/complex/evacuation/orders/{order_id}/manifest"): "not before the order "
    "was given",
    ("POST", "/api/v1/complex/evacuation/firms/{firm_id}/assets"): "a quantity above 0",
}


def _config(*, coverage: bool) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": 15,
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                # The persona's token is sent with every request (below), not generated.
                "with-security-parameters": False,
            },
            "phases": {"coverage": {"enabled": coverage}},
            # Every check, positive_data_acceptance and negative_data_rejection included.
            "checks": {"enabled": True},
            "operations": [
                {
                    "include-method": method,
                    "include-path": path,
                    "checks": {"positive_data_acceptance": {"enabled": False}},
                }
                for method, path in BEYOND_THE_SCHEMA
            ],
        }
    )


SCHEMA = "/api/v1/openapi.json"
as_supervisor = schemathesis.openapi.from_wsgi(SCHEMA, WSGIHandler(), config=_config(coverage=True))
as_south = schemathesis.openapi.from_wsgi(SCHEMA, WSGIHandler(), config=_config(coverage=False))
as_north = schemathesis.openapi.from_wsgi(SCHEMA, WSGIHandler(), config=_config(coverage=False))


def _with_tokens() -> dict[str, Any]:
    world = matrix_world()
    personas = personas_now()
    for who in PERSONAS:
        # One token to call with, and one of their own to revoke.
        world[f"bearer:{who}"] = api_token_create(actor=personas[who], name="schemathesis")[1]
        world[f"token:{who}"] = api_token_create(actor=personas[who], name="to revoke")[0].pk
    return world


@pytest.fixture(scope="module")
def api_world(django_db_setup, django_db_blocker) -> Iterator[dict[str, Any]]:
    with world_once(django_db_blocker, _with_tokens) as ids:
        yield ids


@pytest.fixture(scope="module")
def keep_connection() -> Iterator[None]:
    """Django's WSGI handler closes the database connection after each request; the test's
    transaction lives on it. Django's test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _known_records(world: dict[str, Any], who: str, operation_path: str) -> dict[str, Any]:
    """The world's record for each path parameter of an operation."""
    side, index = world["lentry"].split("/")
    reunion = "/reunion/" in operation_path
    return {
        "talks_id": world["talks"],
        "agreement_id": world["agreement"],
        "job_id": str(world["job"]),
        "person_id": world["person"],
        "round_id": world["reunion"] if reunion else world["round"],
        "token_id": world[f"token:{who}"],
        "side": side,
        "index": int(index),
        "call_id": world["lcall"],
        "application_id": world["application"],
        "traveller_id": world["traveller"],
        "vehicle_id": world["vehicle"],
        "line_id": world["goods_line"],
        "goods_id": world["profile_goods"],
        "approval_id": world["papproval"],
        "kind": world["pkind"],
    }


def error_body(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx answer of the API has the one error body {"code", "message", "details"}."""
    if 400 <= response.status_code < 500:
        body = response.json()
        assert isinstance(body, dict) and set(body) == {"code", "message", "details"}, body
        assert isinstance(body["code"], str) and body["code"], body
        assert isinstance(body["message"], str) and body["message"], body
    return None


def _names_known_records(case: Any) -> bool:
    """Four generated paths in five name the world's records, chosen by the generated values
    themselves, so that a derandomized run always makes the same choice."""
    return zlib.crc32(repr(sorted(case.path_parameters.items())).encode()) % 5 != 0


def _call(case: Any, who: str, world: dict[str, Any]) -> None:
    if case.path_parameters and _names_known_records(case):
        records = _known_records(world, who, case.operation.path)
        case.path_parameters = {
            name: records.get(name, value) for name, value in case.path_parameters.items()
        }
    # The token goes as an explicit header: the `ignored_auth` check then also sends the request
    # without it and with a wrong one, and expects a 401.
    bearer = world[f"bearer:{who}"]
    case.call_and_validate(
        headers={"Authorization": f"Bearer {bearer}"}, additional_checks=[error_body]
    )


@as_south.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_as_south_officer(case, api_world, keep_connection, db):
    _call(case, "redcross_s", api_world)


@as_supervisor.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_as_supervisor(case, api_world, keep_connection, db):
    _call(case, "supervisor", api_world)


@as_north.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_as_north_officer(case, api_world, keep_connection, db):
    _call(case, "redcross_n", api_world)


def test_no_two_schemas_share_a_name(monkeypatch):
    """Django Ninja files every schema under its class name in `components/schemas`, the last one
    winning: two classes of one name (families' and reunion's `RoundOut` did) documented one
    operation with the other's shape. Each name must stand for one definition."""
    from ninja.openapi.schema import OpenAPISchema

    from panmun.config.api import api

    seen: dict[str, list[Any]] = {}
    add = OpenAPISchema.add_schema_definitions

    def record(self: OpenAPISchema, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            if definition not in seen.setdefault(name, []):
                seen[name].append(definition)
        add(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", record)
    api.get_openapi_schema()
    assert {name: len(shapes) for name, shapes in seen.items() if len(shapes) > 1} == {}
