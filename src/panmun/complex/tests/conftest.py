from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def wage_rules(request: pytest.FixtureRequest) -> None:
    """The wage history of migration 0002, again where a transactional test before emptied the
    database (as the permits tests do for their measures)."""
    uses_db = {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db and request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("_django_db_helper")
    from ..models import WageRule
    from ..wages import history_load

    history_load(WageRule)
