"""Acceptance 1: the wage history comes out of the rule table month by month; a raise above
the 5% cap is refused while the cap is in force (2013) and recorded as the North's demand after
the North struck it (2015)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from panmun.common.errors import DomainError, ErrorCode

from .. import wages as core
from ..models import DisputeState, WageDispute, WageRule
from ..services.payroll import rule_in_force
from ..services.wages import (
    wage_demand_record,
    wage_dispute_settle,
    wage_dispute_withdraw,
    wage_rule_agree,
)

# (a month, the minimum wage in force then): domain.md's history.
HISTORY = [
    (dt.date(2004, 12, 1), "50.000"),
    (dt.date(2007, 7, 1), "50.000"),
    (dt.date(2007, 8, 1), "52.500"),
    (dt.date(2008, 8, 1), "55.125"),
    (dt.date(2009, 8, 1), "57.881"),
    (dt.date(2010, 8, 1), "60.775"),
    (dt.date(2011, 8, 1), "63.814"),
    (dt.date(2012, 8, 1), "67.005"),
    (dt.date(2013, 8, 1), "67.005"),  # none in 2013
    (dt.date(2014, 4, 1), "67.005"),
    (dt.date(2014, 5, 1), "70.350"),
    (dt.date(2015, 2, 1), "70.350"),
    (dt.date(2015, 3, 1), "73.870"),  # agreed 17 August 2015, back-dated to March
    (dt.date(2015, 12, 1), "73.870"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("month", "wage"), HISTORY)
def test_every_figure_of_the_history_comes_out_of_the_table(month: dt.date, wage: str) -> None:
    rule = rule_in_force(month)
    assert rule is not None
    assert rule.minimum_wage_usd == Decimal(wage)


@pytest.mark.django_db
def test_the_table_keeps_the_cap_insurance_and_premiums() -> None:
    assert rule_in_force(dt.date(2014, 11, 19)).raise_cap == Decimal("0.05")
    assert rule_in_force(dt.date(2014, 11, 20)).raise_cap is None
    assert rule_in_force(dt.date(2015, 7, 1)).allowances_insured is False
    assert rule_in_force(dt.date(2015, 8, 1)).allowances_insured is True
    every = WageRule.objects.all()
    assert {r.insurance_rate for r in every} == {Decimal("0.15")}
    assert {(r.overtime_premium, r.night_premium, r.monthly_hours) for r in every} == {
        (Decimal("0.5"), Decimal("0.5"), 208)
    }
    assert WageRule.objects.get(effective_from=dt.date(2015, 3, 1)).agreed_on == dt.date(
        2015, 8, 17
    )


def test_each_raise_of_the_history_is_within_the_cap_before_it() -> None:
    history = core.WAGE_HISTORY
    for before, after in itertools.pairwise(history):
        over = core.raise_over_cap(
            before.minimum_wage_usd, after.minimum_wage_usd, before.raise_cap
        )
        assert over is None, after


def test_the_working_days_and_the_cap_arithmetic() -> None:
    assert core.working_days(dt.date(2015, 3, 1)) == 26  # 31 days, 5 Sundays
    assert core.working_days(dt.date(2015, 2, 1)) == 24
    assert core.raise_over_cap(Decimal("67.005"), Decimal("71.025"), Decimal("0.05")) == Decimal(
        "70.355"
    )
    assert core.raise_over_cap(Decimal("67.005"), Decimal("70.355"), Decimal("0.05")) is None
    assert core.raise_over_cap(Decimal("70.35"), Decimal("74.571"), None) is None


@pytest.mark.django_db
def test_a_six_percent_raise_in_2013_is_refused_by_the_cap(personas) -> None:
    gic = personas["gic"]
    raised = core.usd(Decimal("67.005") * Decimal("1.06"))
    before = (WageRule.objects.count(), WageDispute.objects.count())
    with pytest.raises(DomainError) as agreed:
        wage_rule_agree(
            actor=gic,
            effective_from=dt.date(2013, 8, 1),
            minimum_wage_usd=raised,
            agreed_on=dt.date(2013, 7, 30),
        )
    assert agreed.value.code == ErrorCode.POLICY_FORBIDS
    assert "5%" in agreed.value.message_en and "cap" in agreed.value.message_en
    assert "5%" in agreed.value.message_ko and "상한" in agreed.value.message_ko
    assert agreed.value.details["rule"] == "raise_cap"
    with pytest.raises(DomainError) as demanded:
        wage_demand_record(
            actor=gic,
            demanded_on=dt.date(2013, 7, 1),
            effective_from=dt.date(2013, 8, 1),
            demanded_wage_usd=raised,
        )
    assert demanded.value.details["largest"] == "70.355"
    assert (WageRule.objects.count(), WageDispute.objects.count()) == before


@pytest.mark.django_db
def test_the_same_raise_in_2015_is_recorded_as_the_norths_demand(personas) -> None:
    gic = personas["gic"]
    raised = core.usd(Decimal("70.350") * Decimal("1.06"))  # 74.571
    rules = WageRule.objects.count()
    dispute = wage_demand_record(
        actor=gic,
        demanded_on=dt.date(2015, 2, 24),
        effective_from=dt.date(2015, 3, 1),
        demanded_wage_usd=raised,
        note="북측 일방 통보",
    )
    assert dispute.state == DisputeState.OPEN
    assert dispute.demanded_by.code == "north"
    assert (dispute.effective_from, dispute.effective_to) == (dt.date(2015, 3, 1), None)
    assert dispute.demanded_wage_usd == Decimal("74.571")
    assert WageRule.objects.count() == rules  # the table is not changed by a demand


@pytest.mark.django_db
def test_settling_writes_the_rule_from_the_disputes_start(personas) -> None:
    gic = personas["gic"]
    dispute = wage_demand_record(
        actor=gic,
        demanded_on=dt.date(2016, 1, 5),
        effective_from=dt.date(2016, 1, 1),
        demanded_wage_usd=Decimal("80.000"),
    )
    settled = wage_dispute_settle(
        actor=gic,
        dispute=dispute,
        agreed_wage_usd=Decimal("77.563"),
        settled_on=dt.date(2016, 1, 20),
    )
    assert settled.state == DisputeState.SETTLED
    rule = rule_in_force(dt.date(2016, 1, 1))
    assert settled.settled_rule == rule
    assert rule.minimum_wage_usd == Decimal("77.563")
    assert rule.allowances_insured is True and rule.raise_cap is None
    with pytest.raises(DomainError) as again:
        wage_dispute_withdraw(actor=gic, dispute=dispute, withdrawn_on=dt.date(2016, 2, 1))
    assert again.value.code == ErrorCode.INVALID_TRANSITION


@pytest.mark.django_db
def test_only_the_committee_keeps_the_rules(personas) -> None:
    for name in ("firm", "ministry", "bureau", "viewer"):
        with pytest.raises(DomainError) as refused:
            wage_rule_agree(
                actor=personas[name],
                effective_from=dt.date(2016, 8, 1),
                minimum_wage_usd=Decimal("75"),
                agreed_on=dt.date(2016, 7, 1),
            )
        assert refused.value.code == ErrorCode.PERMISSION_DENIED
    assert not WageRule.objects.filter(effective_from=dt.date(2016, 8, 1)).exists()


@pytest.mark.django_db
def test_bad_amounts_are_refused_with_the_field(personas) -> None:
    for amount in (Decimal("0"), Decimal("-5"), Decimal("70.1234"), Decimal("NaN")):
        with pytest.raises(DomainError) as refused:
            wage_rule_agree(
                actor=personas["gic"],
                effective_from=dt.date(2016, 8, 1),
                minimum_wage_usd=amount,
                agreed_on=dt.date(2016, 7, 1),
            )
        assert refused.value.details["field"] == "minimum_wage_usd"
