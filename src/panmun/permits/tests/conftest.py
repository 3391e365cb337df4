from __future__ import annotations

import pytest

from ..policy import measures_load


@pytest.fixture(autouse=True)
def policy_measures(request: pytest.FixtureRequest) -> None:
    """The measures of migration 0002, again where a test before emptied the database. The
    root conftest puts them back after a transactional test's flush, but only when pytest
    names the next test; under xdist the last test of a batch has none, and the flush stays."""
    uses_db = {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db and request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("_django_db_helper")
    measures_load()
