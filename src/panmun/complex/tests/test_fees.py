"""The land-use fee schedule and the revision limits (complex/fees.py), by hand figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..fees import FeeYear, Rule, Site, check_rules, rule_in_force, schedule

RULE_2015 = Rule(from_year=2015, rate=Decimal("0.0156"))
#: A site used from June 2005 (its 1st lease year), sold at USD 1,234,567.89.
SITE = Site(
    use_from=dt.date(2005, 6, 1),
    ends_on=dt.date(2054, 4, 12),
    sale_price_usd=Decimal("1234567.89"),
)


def test_the_fee_is_charged_from_the_11th_year_at_1_56_percent_due_20_december():
    years = schedule(SITE, [RULE_2015], last_year=2016)
    # 2005 is the 1st lease year, 2015 the 11th: 1,234,567.89 × 0.0156 = 19,259.259084.
    assert years == [
        FeeYear(2015, 11, 2015, Decimal("0.0156"), Decimal("19259.259"), dt.date(2015, 12, 20)),
        FeeYear(2016, 12, 2015, Decimal("0.0156"), Decimal("19259.259"), dt.date(2016, 12, 20)),
    ]


def test_a_site_used_later_pays_from_its_own_11th_year():
    site = Site(dt.date(2008, 2, 1), dt.date(2054, 4, 12), Decimal("500000"))
    years = schedule(site, [RULE_2015], last_year=2019)
    assert [(y.year, y.lease_year, y.fee_usd) for y in years] == [
        (2018, 11, Decimal("7800.000")),
        (2019, 12, Decimal("7800.000")),
    ]


def test_a_revision_applies_from_its_year():
    revised = Rule(from_year=2019, rate=Decimal("0.01872"))  # +20%
    years = schedule(SITE, [revised, RULE_2015], first_year=2018, last_year=2019)
    # 1,234,567.89 × 0.01872 = 23,111.11090… → 23,111.111.
    assert [(y.year, y.rule_from_year, y.fee_usd) for y in years] == [
        (2018, 2015, Decimal("19259.259")),
        (2019, 2019, Decimal("23111.111")),
    ]
    assert rule_in_force([RULE_2015, revised], 2014) is None
    assert rule_in_force([RULE_2015, revised], 2022) == revised


def test_no_fee_before_any_rule_and_none_after_the_sublease_ends():
    ended = Site(dt.date(2005, 6, 1), dt.date(2054, 4, 12), Decimal("1000"), dt.date(2016, 12, 19))
    # Given up the day before the 2016 fee fell due: 2015 only.
    assert [y.year for y in schedule(ended, [RULE_2015])] == [2015]
    assert schedule(SITE, []) == []
    # The last year: the lease ends 12 April 2054, before that year's due day.
    assert schedule(SITE, [RULE_2015])[-1].year == 2053
    assert len(schedule(SITE, [RULE_2015])) == 2053 - 2015 + 1


def test_half_a_tenth_of_a_cent_rounds_up():
    site = Site(dt.date(2005, 1, 1), dt.date(2054, 4, 12), Decimal("0.25"))
    rule = Rule(from_year=2015, rate=Decimal("0.5"))
    assert schedule(site, [rule], last_year=2015)[0].fee_usd == Decimal("0.125")
    site = Site(dt.date(2005, 1, 1), dt.date(2054, 4, 12), Decimal("0.001"))
    assert schedule(site, [rule], last_year=2015)[0].fee_usd == Decimal("0.001")  # 0.0005 up


def test_a_revision_within_4_years_or_above_20_percent_is_named():
    assert check_rules([RULE_2015, Rule(2019, Decimal("0.01872"))]) == []
    assert check_rules([RULE_2015, Rule(2019, Decimal("0.01248"))]) == []  # −20%
    soon = check_rules([RULE_2015, Rule(2018, Decimal("0.0160"))])
    assert [(p.from_year, p.follows, p.code) for p in soon] == [(2018, 2015, "too_soon")]
    assert "2015" in soon[0].en and "every 4 years" in soon[0].en
    large = check_rules([RULE_2015, Rule(2019, Decimal("0.018721"))])
    assert [(p.from_year, p.follows, p.code) for p in large] == [(2019, 2015, "too_large")]
    assert "20.01%" in large[0].en
    both = check_rules([RULE_2015, Rule(2016, Decimal("0.03"))])
    assert [p.code for p in both] == ["too_soon", "too_large"]
