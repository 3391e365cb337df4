"""The demo's customs and quarantine (complex/demo_customs.py)."""

from __future__ import annotations

import pytest

from ..demo_customs import load
from ..demo_firms import load_firms_demo
from ..models import Declaration, LaneDraw, RiskRule
from ..services.customs import draw_verify

pytestmark = pytest.mark.django_db


def test_the_demo_declarations_in_every_state_and_once(personas):
    load_firms_demo()
    load()
    states = dict(Declaration.objects.values_list("lines__hs_code", "state"))
    assert states["620342"] == "released"
    assert states["852560"] == "stopped"
    assert states["100630"] == "registered"
    assert states["611020"] == "stored"
    assert Declaration.objects.get(state="stopped").stop_rule == "radios"
    assert Declaration.objects.get(state="registered").quarantine_required
    revealed = LaneDraw.objects.get(revealed_at__isnull=False)
    assert draw_verify(revealed).ok
    load()
    assert (Declaration.objects.count(), LaneDraw.objects.count(), RiskRule.objects.count()) == (
        4,
        2,
        2,
    )
