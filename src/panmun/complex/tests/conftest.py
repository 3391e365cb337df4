from __future__ import annotations

import pytest

# --- firms, land and output: the published figures by year -------------------------------------


@pytest.fixture(autouse=True)
def year_figures(request: pytest.FixtureRequest) -> None:
    """The figures of migration 0002 (`complex.history`), again where a test before emptied the
    database (a transactional test's flush), as `permits`' `policy_measures` does."""
    uses_db = {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db and request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("_django_db_helper")
    from ..services.output import year_figures_load

    year_figures_load()


# --- end of firms, land and output ---------------------------------------------------------------
