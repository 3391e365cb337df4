"""The customs rules as data (`complex.customs`): the banned list, the quarantine chapters, the
lanes' draw — its rates over 10,000 declarations, its recomputation from the commitment, and
tampering found."""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal

import pytest

from panmun.complex import customs as rules

SEED = bytes(range(32))


def facts(number: str, **changes: object) -> rules.DeclarationFacts:
    values: dict = {
        "number": number,
        "direction": "carry_in",
        "firm_id": 1,
        "hs_codes": ("620342",),
        "value_usd": Decimal("100"),
        "good_record": True,
        **changes,
    }
    return rules.DeclarationFacts(**values)


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (rules.LineFacts("930190"), "weapons"),
        (rules.LineFacts("852560"), "radios"),
        (rules.LineFacts("283711"), "poisons"),
        (rules.LineFacts("121130"), "narcotics"),
        (rules.LineFacts("284410"), "radioactive_toxic"),
        (rules.LineFacts("900510", magnification=Decimal(10)), "binoculars"),
        (rules.LineFacts("900510", magnification=None), "binoculars"),
        (rules.LineFacts("852589", focal_length_mm=Decimal(160)), "long_lens_cameras"),
        (rules.LineFacts("490199", harmful=True), "harmful_publications"),
    ],
)
def test_banned_items_are_named(line: rules.LineFacts, code: str) -> None:
    ban = rules.ban_for(line)
    assert ban is not None
    assert ban.code == code


@pytest.mark.parametrize(
    "line",
    [
        rules.LineFacts("620342"),
        rules.LineFacts("900510", magnification=Decimal("8")),
        rules.LineFacts("852589", focal_length_mm=Decimal("159.9")),
        rules.LineFacts("490199"),
    ],
)
def test_allowed_items_pass(line: rules.LineFacts) -> None:
    assert rules.ban_for(line) is None


def test_figures_asked_where_the_ban_depends_on_them() -> None:
    assert rules.attributes_needed("900510") == ["magnification"]
    assert rules.attributes_needed("900659") == ["focal_length_mm"]
    assert rules.attributes_needed("620342") == []


def test_quarantine_kinds() -> None:
    assert rules.quarantine_kinds(["020130", "100630", "620342"]) == ["plant", "animal"]
    assert rules.quarantine_kinds(["190531"]) == ["food"]
    assert rules.quarantine_kinds(["620342"]) == []


def test_rates_are_checked() -> None:
    assert rules.Rates(2000, 3000, 2000).problems() == []
    assert [p[0] for p in rules.Rates(2001, 0, 0).problems()] == ["red"]
    assert [p[0] for p in rules.Rates(2000, 5000, 4000).problems()] == ["blue"]
    assert [p[0] for p in rules.Rates(-1, 0, 0).problems()] == ["red"]


def test_rates_hold_over_ten_thousand_declarations() -> None:
    """Each lane's share of 10,000 draws is within 4 binomial standard deviations."""
    rates = rules.Rates(2000, 3000, 1500)
    n = 10_000
    routed = rules.route_many(
        (facts(f"GIC-2015-{i:06d}") for i in range(1, n + 1)), [], SEED, rates
    )
    counts = {lane: 0 for lane in rules.LANES}
    for r in routed:
        counts[r.lane] += 1
        assert r.drawn == r.lane
    for lane, bp in (("red", 2000), ("yellow", 3000), ("blue", 1500), ("green", rates.green)):
        p = bp / rules.BASIS
        sigma = math.sqrt(n * p * (1 - p))
        assert abs(counts[lane] - n * p) <= 4 * sigma, (lane, counts[lane])


def test_a_firm_without_good_record_is_always_inspected() -> None:
    routed = rules.route_many(
        (facts(f"N-{i}", good_record=False) for i in range(200)), [], SEED, rules.Rates(0, 0, 0)
    )
    assert {r.lane for r in routed} == {"red"}
    assert {r.drawn for r in routed} == {None}


def test_good_record_samples_at_most_the_red_rate() -> None:
    routed = rules.route_many(
        (facts(f"G-{i}") for i in range(2000)), [], SEED, rules.Rates(2000, 0, 0)
    )
    red = sum(r.lane == "red" for r in routed)
    assert 0 < red < 2000 * 0.25


def test_risk_rules_raise_the_lane_never_lower_it() -> None:
    rule = rules.RiskRule(7, "yellow", hs_prefix="62", min_value_usd=Decimal("50"))
    low = rules.RiskRule(8, "blue", direction="carry_in")
    routed = rules.route_many(
        (facts(f"R-{i}") for i in range(500)), [rule, low], SEED, rules.Rates(2000, 0, 0)
    )
    assert {r.lane for r in routed} <= {"red", "yellow"}
    assert {r.rule_id for r in routed} == {7}
    cheap = rules.route(
        facts("R-cheap", value_usd=Decimal(10)), [rule, low], SEED, rules.Rates(0, 0, 0)
    )
    assert (cheap.lane, cheap.rule_id) == ("blue", 8)
    other = rules.route(
        facts("R-out", direction="carry_out", hs_codes=("850440",)),
        [rule, low],
        SEED,
        rules.Rates(0, 0, 0),
    )
    assert (other.lane, other.rule_id) == ("green", None)


def test_route_and_draw_lane_agree() -> None:
    rates = rules.Rates(1000, 2000, 3000)
    for i in range(300):
        number = f"GIC-2016-{i:06d}"
        assert rules.route(facts(number), [], SEED, rates).drawn == rules.draw_lane(
            SEED, rates, number
        )


def _published(rates: rules.Rates) -> str:
    doc = rules.commitment_document("2015-01-01", "2015-12-31", rates, rules.seed_sha256(SEED))
    return rules.commitment_sha256(doc)


def _records(rates: rules.Rates, n: int = 500) -> list[rules.DrawnRecord]:
    return [
        rules.DrawnRecord(r.number, r.drawn or "")
        for r in rules.route_many((facts(f"V-{i}") for i in range(n)), [], SEED, rates)
    ]


def test_the_draw_recomputes_from_its_commitment() -> None:
    rates = rules.Rates(2000, 3000, 2000)
    report = rules.verify_draw(
        published_sha256=_published(rates),
        starts_on="2015-01-01",
        ends_on="2015-12-31",
        rates=rates,
        seed=SEED,
        records=_records(rates),
    )
    assert report.ok
    assert report.checked == 500


def test_a_tampered_seed_is_found() -> None:
    rates = rules.Rates(2000, 3000, 2000)
    other = bytes(reversed(SEED))
    report = rules.verify_draw(
        published_sha256=_published(rates),
        starts_on="2015-01-01",
        ends_on="2015-12-31",
        rates=rates,
        seed=other,
        records=_records(rates),
    )
    codes = [d.code for d in report.differences]
    assert codes[0] == "commitment_mismatch"
    assert "lane_mismatch" in codes


def test_a_tampered_rate_is_found() -> None:
    rates = rules.Rates(2000, 3000, 2000)
    report = rules.verify_draw(
        published_sha256=_published(rates),
        starts_on="2015-01-01",
        ends_on="2015-12-31",
        rates=replace(rates, yellow=1000),
        seed=SEED,
        records=_records(rates),
    )
    assert report.differences[0].code == "commitment_mismatch"
    assert any(d.code == "lane_mismatch" for d in report.differences)


def test_a_changed_lane_is_found() -> None:
    rates = rules.Rates(2000, 3000, 2000)
    records = _records(rates, 50)
    first = records[0]
    records[0] = rules.DrawnRecord(first.number, "green" if first.drawn != "green" else "red")
    report = rules.verify_draw(
        published_sha256=_published(rates),
        starts_on="2015-01-01",
        ends_on="2015-12-31",
        rates=rates,
        seed=SEED,
        records=records,
    )
    assert [(d.code, d.number) for d in report.differences] == [("lane_mismatch", first.number)]
