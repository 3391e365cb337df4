"""Columns read as the database has them, for the exports that read the whole registry.

Django turns each value into its Python type (a date, a bool, parsed JSON) and SQLite's declared
types add their own conversion; over the registry's hundreds of thousands of rows that costs
seconds, only for the export to turn the values back into text. These expressions give the
text (or number) the file needs, made by the database. SQLite and PostgreSQL (the two databases
Panmun runs on) each have their form.
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Func, IntegerField


class DateText(Func):
    """A date column as its ISO text (YYYY-MM-DD), or NULL."""

    output_field = CharField()
    template = "(%(expressions)s || '')"  # SQLite keeps dates as ISO text; `|| ''` hides the type

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, Any]:
        template = "to_char(%(expressions)s, 'YYYY-MM-DD')"
        return self.as_sql(compiler, connection, template=template, **extra_context)


class FlagNumber(Func):
    """A boolean column as 0 or 1."""

    output_field = IntegerField()
    template = "(%(expressions)s + 0)"

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, Any]:
        return self.as_sql(compiler, connection, template="(%(expressions)s)::int", **extra_context)

    def get_db_converters(self, connection: Any) -> list[Any]:
        return []  # the driver's int as it is: no int() of each value


class JsonText(Func):
    """A JSON column as its text ("{}" for an empty object), not parsed."""

    output_field = CharField()
    template = "(%(expressions)s || '')"

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, Any]:
        template = "(%(expressions)s)::text"
        return self.as_sql(compiler, connection, template=template, **extra_context)


class PfifTime(Func):
    """A timestamp as PFIF writes it: UTC, whole seconds, 2024-05-01T09:30:00Z (as
    `exchange._time` makes it from a datetime), or NULL."""

    output_field = CharField()
    # Django keeps SQLite's timestamps as UTC text, "YYYY-MM-DD HH:MM:SS[.ffffff]".
    template = "(replace(substr(%(expressions)s, 1, 19), ' ', 'T') || 'Z')"

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, Any]:
        template = """to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""
        return self.as_sql(compiler, connection, template=template, **extra_context)
