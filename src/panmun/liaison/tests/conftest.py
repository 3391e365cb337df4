"""Fixtures shared by the liaison app's tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def south(personas):
    """The South's liaison officer (a demo persona)."""
    return personas["liaison_s"]


@pytest.fixture
def north(personas):
    """The North's liaison officer (a demo persona)."""
    return personas["liaison_n"]
