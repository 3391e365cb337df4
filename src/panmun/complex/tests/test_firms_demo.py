"""The demo's firms, land and output (complex/demo_firms.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from ..demo_firms import load_firms_demo
from ..models import Firm, FirmKind, OutputMonth, Sublease
from ..selectors_firms import fees_due
from ..services.firms import operates

pytestmark = pytest.mark.django_db


def test_the_demo_is_shaped_like_2015_and_loads_once(personas):
    loaded = load_firms_demo()
    assert loaded == {"firms": 130, "tenants": 124, "output_months": 124 * 12}
    assert load_firms_demo() == {"firms": 0}
    assert Firm.objects.count() == 130
    sectors = dict(
        Firm.objects.filter(kind=FirmKind.TENANT)
        .values_list("sector")
        .annotate(n=Count("pk"))
        .values_list("sector", "n")
    )
    assert sectors == {
        "textiles": 72,
        "machinery_metal": 24,
        "electric_electronic": 13,
        "chemical": 9,
        "paper_wood": 3,
        "food": 2,
        "non_metallic": 1,
    }
    total = OutputMonth.objects.filter(month__year=2015).aggregate(t=Sum("production_usd"))["t"]
    assert Decimal(total).quantize(Decimal("0.001")) == Decimal("560000000.000")
    own = Firm.objects.get(organisation=personas["firm"].organisation)
    assert own.name_ko == "한빛어패럴(주) (예시 기업)" and own.sector == "textiles"
    assert own.project_approval.application.applicant == personas["firm"]
    tenants = Firm.objects.filter(kind=FirmKind.TENANT).select_related("project_approval")
    assert all(operates(t) for t in tenants)
    assert Sublease.objects.count() == 124
    due = fees_due(Sublease.objects.all(), 2015)
    # 2015 is the 11th year (or later) of the sites used from 2005 or before: those pay.
    assert len(due) == Sublease.objects.filter(use_from__year__lte=2005).count() > 0
    assert all(d.fee.due_on == dt.date(2015, 12, 20) for d in due)


def test_the_demo_persona_sees_its_firm_on_the_dashboard(personas, client_for):
    load_firms_demo()
    board = client_for("firm").get("/complex/?year=2015").context["board"]
    assert board.firms == 2  # its own and its subcontractor
    assert [(t.key, t.count) for t in board.by_kind] == [("tenant", 1), ("subcontractor", 1)]
    assert board.year_total > 0
    whole = client_for("gic").get("/complex/").context["board"]
    assert whole.year == 2015 and whole.year_total == Decimal("560000000.000")
