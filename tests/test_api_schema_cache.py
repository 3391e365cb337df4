"""The OpenAPI document is built once per language, not on every request (building it walks
every operation's models: up to a second, and the interactive docs waited on it)."""

from __future__ import annotations

import pytest
from django.utils import translation

from panmun.config.api import api


def test_the_document_is_built_once_per_language() -> None:
    with translation.override("ko"):
        first = api.get_openapi_schema(path_prefix="/api/v1/")
        assert api.get_openapi_schema(path_prefix="/api/v1/") is first
    with translation.override("en"):
        english = api.get_openapi_schema(path_prefix="/api/v1/")
    assert english is not first
    assert english["paths"].keys() == first["paths"].keys()


@pytest.mark.django_db
def test_the_served_document_is_the_built_one(client_for) -> None:
    client = client_for("supervisor")
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    again = client.get("/api/v1/openapi.json")
    assert again.json() == response.json()
    assert "/api/v1/dialogue/timeline" in response.json()["paths"]
