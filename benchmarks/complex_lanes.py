"""Benchmark of issue 21: lane selection for 5,000 customs declarations (target ≤ 1 s).

    .venv/bin/python benchmarks/complex_lanes.py [--declarations 5000] [--rules 50] [--repeat 5]

Timed: `panmun.complex.customs.route_many` routing `--declarations` declarations (three lines
each, 124 firms, half of them with a good record, values from 100 to 2 M USD) through `--rules`
risk rules (HS chapters and headings, directions, firms, value thresholds) and the period's
draw (HMAC-SHA256 of each number under the committed seed, compared with the rates in
integers); then `verify_draw` recomputing the same declarations' draws from the commitment.
Pure Python: no database (registration reads a declaration's lines and writes its lane one
at a time; what is measured here is the selection). Best and median of `--repeat` runs, after
one warm-up. The figures are printed, never checked.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine

from panmun.complex import customs as rules

CODES = ("620342", "611020", "640399", "850440", "392690", "100630", "190531", "900510", "482110")


def world(
    n: int, n_rules: int, rng: random.Random
) -> tuple[list[rules.DeclarationFacts], list[rules.RiskRule]]:
    declarations = [
        rules.DeclarationFacts(
            number=f"GIC-2015-{i:06d}",
            direction=rng.choice(("carry_in", "carry_out")),
            firm_id=rng.randint(1, 124),
            hs_codes=tuple(rng.choice(CODES) for _ in range(3)),
            value_usd=Decimal(rng.randint(100, 2_000_000)),
            good_record=rng.random() < 0.5,
        )
        for i in range(1, n + 1)
    ]
    risk = [
        rules.RiskRule(
            id=k,
            lane=rng.choice(rules.LANES[:3]),
            hs_prefix=rng.choice(("62", "6403", "8504", "10", "9005", "190531")),
            direction=rng.choice(("", "carry_in", "carry_out")),
            firm_id=rng.choice((None, None, rng.randint(1, 124))),
            min_value_usd=Decimal(rng.randint(500_000, 5_000_000)),
        )
        for k in range(1, n_rules + 1)
    ]
    return declarations, risk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--declarations", type=int, default=5000)
    parser.add_argument("--rules", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(2015)  # noqa: S311  (a repeatable world, not a secret)
    declarations, risk = world(args.declarations, args.rules, rng)
    seed = bytes(range(32))
    rates = rules.Rates(2000, 3000, 1500)
    published = rules.commitment_sha256(
        rules.commitment_document("2015-01-01", "2015-12-31", rates, rules.seed_sha256(seed))
    )

    def select() -> list[rules.Routing]:
        return rules.route_many(declarations, risk, seed, rates)

    routed = select()
    records = [rules.DrawnRecord(r.number, r.drawn) for r in routed if r.drawn]

    def verify() -> rules.DrawReport:
        return rules.verify_draw(
            published_sha256=published,
            starts_on="2015-01-01",
            ends_on="2015-12-31",
            rates=rates,
            seed=seed,
            records=records,
        )

    assert verify().ok
    print(machine())
    print(f"{args.declarations:,} declarations, {args.rules} risk rules, rates {rates.as_dict()}")
    for name, fn in (("lane selection", select), ("draw verification", verify)):
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        print(f"{name}: best {min(times):.3f} s, median {statistics.median(times):.3f} s")
    lanes = {lane: sum(r.lane == lane for r in routed) for lane in rules.LANES}
    print("lanes:", lanes)


if __name__ == "__main__":
    main()
