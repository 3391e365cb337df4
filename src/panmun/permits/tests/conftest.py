from __future__ import annotations

import pytest

from ..policy import measures_load


@pytest.fixture(autouse=True)
def policy_measures(request: pytest.FixtureRequest) -> None:
    """The measures of migration 0002, again where a test before emptied the database (a
    transactional test flushes every table, data migrations' rows included)."""
    uses_db = {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db and request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("_django_db_helper")
    measures_load()
