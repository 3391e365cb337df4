"""The complex's reference tables come from data migrations (0002: the published figures by
year; 0003: the wage rules' history; 0005: the crossing timetables). A transactional test
empties the database when it ends, so each is loaded again before the tests that use the
database (as `permits`' `policy_measures` does)."""

from __future__ import annotations

import pytest


def _uses_db(request: pytest.FixtureRequest) -> bool:
    uses_db = {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db and request.node.get_closest_marker("django_db") is None:
        return False
    request.getfixturevalue("_django_db_helper")
    return True


@pytest.fixture(autouse=True)
def year_figures(request: pytest.FixtureRequest) -> None:
    """The figures of migration 0002 (`complex.history`)."""
    if not _uses_db(request):
        return
    from ..services.output import year_figures_load

    year_figures_load()


@pytest.fixture(autouse=True)
def wage_rules(request: pytest.FixtureRequest) -> None:
    """The wage history of migration 0003 (`complex.wages`)."""
    if not _uses_db(request):
        return
    from ..models import WageRule
    from ..wages import history_load

    history_load(WageRule)


@pytest.fixture(autouse=True)
def crossing_timetables(request: pytest.FixtureRequest) -> None:
    """The timetables of migration 0005 (`complex.timetables`)."""
    if not _uses_db(request):
        return
    from ..models import Slot, Timetable
    from ..timetables import timetables_load

    timetables_load(Timetable, Slot)


@pytest.fixture(autouse=True)
def certificate_keys(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A key folder of the test's own for the visit certificates that approving a visit issues:
    the complex's tests approve visits of 2010 or 2015 (under time-machine), and a key made
    "now" by an earlier test in the same process is not valid then."""
    if not _uses_db(request):
        return
    settings = request.getfixturevalue("settings")
    settings.PANMUN_PERMITS_KEY_DIR = tmp_path_factory.mktemp("permits-keys")
