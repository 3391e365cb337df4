"""The aid tests ask the policy table of the exchange approvals: its measures come back before
each test where a transactional test before emptied the database (the permits tests' fixture,
used here as it is)."""

from __future__ import annotations

from panmun.permits.tests.conftest import policy_measures

__all__ = ["policy_measures"]
