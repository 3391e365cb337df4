"""Every schema of the API has a name of its own: Django Ninja names an OpenAPI component by
its class, so two apps' `PersonOut` would document one app's answers with the other's fields
(schemathesis then finds the answers "violate the schema")."""

from __future__ import annotations

from collections import defaultdict

from panmun.config.api import api


def test_no_two_schemas_share_a_name() -> None:
    from ninja import Schema

    schema = api.get_openapi_schema()
    assert schema["components"]["schemas"]
    by_name: dict[str, set[str]] = defaultdict(set)
    stack = list(Schema.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("panmun."):
            by_name[cls.__name__].add(cls.__module__)
    shared = {name: sorted(mods) for name, mods in by_name.items() if len(mods) > 1}
    assert not shared, shared
