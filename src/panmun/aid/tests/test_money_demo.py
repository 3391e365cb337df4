"""The demo's money on the lead's demo activities (made here as the lead's loader makes them):
the grant to the aid organisation counted once, the WFP pledge not counted, the rates labelled
as demo values; a second run adds nothing; a missing activity is an error."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from panmun.common.apps import DemoRun

from ..demo_money import FLOUR, FORMULA, GRANT, SOURCE, WFP, load
from ..models import ExchangeRate, Transaction
from ..services.money import counted
from .money_world import activity

SAID: list[str] = []
RUN = DemoRun(size=0, living=None, progress=lambda total, label: None, say=SAID.append)


def test_the_demo_money_counts_once_and_leaves_pledges_out(personas):
    ministry, aid = personas["ministry"].organisation, personas["aid"].organisation
    grant = activity(GRANT, ministry)
    activity(FORMULA, aid, parent=grant)
    activity(WFP, ministry)
    activity(FLOUR, aid, parent=None)
    load(RUN)
    assert set(ExchangeRate.objects.values_list("source", flat=True)) == {SOURCE}
    assert Transaction.objects.count() == 8
    child = Transaction.objects.filter(activity__identifier=FORMULA)
    paid = Transaction.objects.get(ref=f"{GRANT}-D1")
    assert set(child.values_list("passes_on", flat=True)) == {paid.pk}
    totals = counted(Transaction.objects.all()).aggregate(
        krw=Sum("value_krw"), usd=Sum("value_usd")
    )
    # 500,000,000 + 80,000,000 won, and USD 3,000,000 at 1,300 won (2024): the pledge and the
    # formula project's spending of the grant are left out
    assert totals["krw"] == Decimal("500000000") + Decimal("80000000") + Decimal("3900000000")
    pledge = Transaction.objects.get(ref=f"{WFP}-P1")
    assert pledge.value_usd == Decimal("1000000.00") and pledge.id not in counted(
        Transaction.objects.all()
    ).values_list("id", flat=True)
    load(RUN)
    assert Transaction.objects.count() == 8


def test_a_missing_activity_is_an_error(personas):
    activity(GRANT, personas["ministry"].organisation)
    with pytest.raises(LookupError, match=FORMULA):
        load(RUN)
    assert not Transaction.objects.exists()
