"""Hooks for the tests under tests/ (the fixtures all tests share are in the root conftest.py)."""

from __future__ import annotations

from typing import Any

from _pytest.nodeid import coerce_node_id


def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Schemathesis (4.32.5 on pytest 9.2) gives every operation's test the one node id of its
    test function: `test_api_schemathesis.py::test_api_as_north_officer`, 47 times. pytest alone
    runs them all, but pytest-xdist schedules by node id: under `-n` (the suite's default) only
    the first operation ran, passing, and the other 46 silently did not. Each operation's test
    gets its own id, the operation in brackets."""
    for item in items:
        label = getattr(item, "operation_label", None)
        if label and not item.nodeid.endswith("]"):
            item._id = coerce_node_id(f"{item.nodeid}[{label}]")
    ids = [item.nodeid for item in items]
    assert len(ids) == len(set(ids)), "two tests share a node id"
