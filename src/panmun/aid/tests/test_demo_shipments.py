"""The demo's shipments on the demo's activities (written here through the ORM, as the lead's
activity demo would), loaded twice."""

from __future__ import annotations

import pytest

from panmun.common.apps import DemoRun

from ..demo_shipments import FLOUR, FORMULA, load
from ..models import Channel, Shipment
from ..selectors_shipments import receipt_status, unmonitored
from .shipment_factories import activity

pytestmark = pytest.mark.django_db


def test_demo_shipments(personas):
    formula = activity(personas, identifier=FORMULA, channel=Channel.NGO_OWN)
    flour = activity(personas, identifier=FLOUR, channel=Channel.NGO_OWN)
    said: list[str] = []
    run = DemoRun(size=0, living=None, progress=lambda total, label: None, say=said.append)
    load(run)
    load(run)
    received = Shipment.objects.get(activity=formula)
    status = receipt_status(received)
    assert (received.state, status.state if status else None) == ("received", "cosigned")
    waiting = Shipment.objects.get(activity=flour)
    assert (waiting.state, waiting.approval.state) == ("in_process", "submitted")
    assert unmonitored(type(formula).objects.all()) == []  # the flour has not left yet
    assert len(said) == 1


def test_demo_without_its_activities_says_so(personas):
    said: list[str] = []
    load(DemoRun(size=0, living=None, progress=lambda total, label: None, say=said.append))
    assert Shipment.objects.count() == 0
    assert said == ["Aid shipments: the demo's activities or personas are missing; none loaded."]
