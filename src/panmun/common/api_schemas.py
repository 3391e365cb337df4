"""Shapes shared by every API router: the one error body, documented on every operation, and the
types that make the OpenAPI document say exactly what the API accepts.

Pydantic's lax mode reads more than the schema promises: `0` as a date (the Unix epoch), `"5"`
and `true` as whole numbers, `"yes"` as true, and a list such as `[null, null]` as an object
whose fields all have defaults (Ninja reads a body's fields as attributes). A request body is
therefore a `BodyIn` (a JSON object, no fields but its own) built from the types below, which
accept only what their JSON Schema says; dates, in the body and in the query, are `IsoDate`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Annotated, Any

from ninja import Field, Path, Schema
from pydantic import (
    BeforeValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StrictBool,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

# The statuses an operation may answer with the error body.
ERROR_STATUSES = frozenset({400, 401, 403, 404, 405, 409, 413, 422, 429})

# The largest id a path may name: the largest integer both databases store (PostgreSQL's
# bigint, SQLite's INTEGER). A larger one is refused with 422 before any query is made.
MAX_ID = 2**63 - 1
# The furthest a list may be read into (`offset`): ten million rows, far beyond any list Panmun
# keeps and far inside what a 64-bit OFFSET holds. (A log's `start` is an index, up to MAX_ID.)
MAX_OFFSET = 10_000_000


class ErrorOut(Schema):
    """Every 4xx answer: a stable code, a message in the caller's language, and details."""

    code: str
    message: str
    details: Any = None


def responds(schema: Any, status: int = 200) -> dict[Any, Any]:
    """`response=` for an operation: its success shape, and the error body for every 4xx."""
    return {status: schema, ERROR_STATUSES: ErrorOut}


class BodyIn(Schema):
    """A request body: a JSON object with no fields but those declared (the schema says
    `additionalProperties: false`). Anything else, a list or a number, is refused with 422."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class QueryIn(Schema):
    """Query parameters read into one object (`Query[...]`)."""

    model_config = ConfigDict(use_enum_values=True)


class OneOf:
    """`Annotated[str, OneOf(values)]`: one of a list of codes (a model's choices), documented
    as the schema's `enum`. With `blank=True` the empty string (no filter) is one of them."""

    def __init__(self, values: Iterable[str], *, blank: bool = False) -> None:
        self.allowed = [*([""] if blank else []), *values]

    def _check(self, value: str) -> str:
        if value not in self.allowed:
            raise PydanticCustomError(
                "enum",
                "Input should be one of {allowed}",
                {"allowed": ", ".join(repr(v) for v in self.allowed)},
            )
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "enum": list(self.allowed)}


# A path parameter naming a record by its id: 1 to `MAX_ID`.
RecordId = Annotated[int, Path(..., ge=1, le=MAX_ID)]


def offset_field(default: int = 0, description: str = "") -> Any:
    """How many rows to skip: 0 to `MAX_OFFSET`."""
    return Field(default, ge=0, le=MAX_OFFSET, description=description or f"0 to {MAX_OFFSET:,}")


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
    r"([Zz]|[+-][0-9]{2}:?[0-9]{2})?"
)


def _date_text(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise PydanticCustomError("date_type", "Input should be a date as YYYY-MM-DD")
    return value


def _date_time_text(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE_TIME.fullmatch(value):
        raise PydanticCustomError(
            "datetime_type", "Input should be a date and time as YYYY-MM-DDTHH:MM:SS+HH:MM"
        )
    return value


def _whole_number(value: Any) -> Any:
    # JSON's 3 and 3.0 are the same integer; "3" and true are not.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


# A date written as YYYY-MM-DD (ISO 8601), never a number of seconds.
IsoDate = Annotated[dt.date, BeforeValidator(_date_text)]
# A date and time in ISO 8601 / RFC 3339, never a number of seconds.
IsoDateTime = Annotated[dt.datetime, BeforeValidator(_date_time_text)]
# A whole number given as a JSON number, never as a string or a boolean.
Int = Annotated[int, BeforeValidator(_whole_number)]
# true or false, never 0, 1, "yes" or "off".
Bool = StrictBool

# A text without NUL characters (PostgreSQL cannot store them; the API refuses them).
NO_NUL = r"^[^\x00]*$"
