"""Benchmark 1 of issue 3: Panmun vs stock Splink 5 on generated North/South lists.

    .venv/bin/python benchmarks/korean_linkage.py --sizes 2000:5000,20000:50000 --seed 1
    .venv/bin/python benchmarks/korean_linkage.py --sizes 2000:5000 --generator two

For each size the generator (`korean_data.py`, or with `--generator two` the independent
`korean_data_two.py`, another noise model) writes the South's sought list, the North's
returned list and the truth to a temporary folder; then, in this one process:
- Panmun: `panmun.linkage.records.read` on both files and `engine.link` (trains its model by EM
  on these lists, no labels; default threshold and one-to-one), timed from the files to pairs;
- stock Splink 5 (`stock_splink.py`) on the raw columns, timed the same way, reported as it
  comes (every pair at the threshold) and with Panmun's one-to-one step applied, so the two
  differ only in what is compared.
Prints a Markdown table with precision, recall, F1, seconds and the machine.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from collections import Counter
from pathlib import Path

import duckdb
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))

import korean_data
import korean_data_two
import stock_splink
from common import machine, peak_rss_mib, scores, table, timed

from panmun.linkage.engine import DEFAULT_THRESHOLD, Pair, link, one_to_one, pair_count, train
from panmun.linkage.engine import blocking_rules as engine_blocking_rules
from panmun.linkage.features import feature_table
from panmun.linkage.profiles import KOREAN
from panmun.linkage.records import read, read_table


def _panmun(sought: Path, returned: Path) -> set[tuple[str, str]]:
    left, _ = read(sought)
    right, _ = read(returned)
    return {(p.left_id, p.right_id) for p in link(left, right)}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _stock(sought: Path, returned: Path) -> list[tuple[str, str, float]]:
    return stock_splink.link(_rows(sought), _rows(returned))


def _analysis(folder: Path, truth: set[tuple[str, str]]) -> list[str]:
    """Panmun's F1 at other thresholds, and where its errors at the default one come from;
    and its F1 with each pair judged alone, not weighed against its rivals (every pair over
    0.01 scored once each way, by one model)."""
    left, _ = read(folder / "sought.csv")
    right, _ = read(folder / "returned.csv")
    model = train(left, right)
    scored = link(left, right, model=model, threshold=0.01, many=True)  # each judged alone
    weighed = link(left, right, model=model, threshold=0.01)  # one-to-one, among rivals
    cells = []
    for threshold in (0.2, 0.3, 0.5, 0.7, 0.9):
        kept = [p for p in weighed if p.match_probability >= threshold]
        cells.append(
            f"{threshold}: {scores({(p.left_id, p.right_id) for p in kept}, truth).f1:.4f}"
        )
    alone = one_to_one([p for p in scored if p.match_probability >= DEFAULT_THRESHOLD])
    alone_f1 = scores({(p.left_id, p.right_id) for p in alone}, truth).f1
    kept = [p for p in weighed if p.match_probability >= DEFAULT_THRESHOLD]
    found = {(p.left_id, p.right_id) for p in kept}
    candidates = {(p.left_id, p.right_id) for p in scored}
    chosen_left = {p.left_id for p in kept}
    chosen_right = {p.right_id for p in kept}
    partner = dict(truth)
    misses = Counter()
    for pair in truth - found:
        if pair not in candidates:
            misses["not a candidate (blocking) or p < 0.01"] += 1
        elif pair[0] in chosen_left or pair[1] in chosen_right:
            misses["another pair chosen for one of the two"] += 1
        else:
            misses["scored below the threshold"] += 1
    false = Counter(
        "the person sought is not in the list" if left_id not in partner else "has a partner"
        for left_id, _ in found - truth
    )
    return [
        "F1 by threshold: " + ", ".join(cells),
        f"F1 with each pair judged alone (no rivals weighed), one-to-one at 0.5: {alone_f1:.4f}",
        "missed pairs: " + ", ".join(f"{n} {why}" for why, n in misses.most_common()),
        "false pairs: " + ", ".join(f"{n} {why}" for why, n in false.most_common()),
    ]


def _ceiling(folder: Path, truth: set[tuple[str, str]]) -> list[str]:
    """How many true pairs no linker could choose over another record.

    Every pair over 1e-6 is scored with its waterfall; each comparison's weight without the
    term-frequency part (0 where either side is blank) says how well the two agree on it. A
    true pair is *dominated* when another record of the returned list agrees with the person
    sought at least as well on every comparison and better on one: a linker that never
    prefers worse agreement to better cannot choose the true one. A tie on every comparison
    is a coin toss (counted half). Pairs never scored count as lost. The recall left is an
    upper bound; the real limit is lower, since a pair better on one field and worse on
    another is not counted here."""
    left, _ = read(folder / "sought.csv")
    right, _ = read(folder / "returned.csv")
    agreement: dict[tuple[str, str], tuple[float, ...]] = {}
    candidates: dict[str, list[str]] = {}
    for pair in link(left, right, threshold=1e-6, many=True, explain=True):
        assert pair.explanation is not None
        agreement[(pair.left_id, pair.right_id)] = tuple(
            round(s.match_weight - s.frequency_weight, 9) for s in pair.explanation.steps
        )
        candidates.setdefault(pair.left_id, []).append(pair.right_id)
    unscored = dominated = tied = 0
    for left_id, right_id in truth:
        true = agreement.get((left_id, right_id))
        if true is None:
            unscored += 1
            continue
        tie = False
        for other in candidates[left_id]:
            rival = agreement[(left_id, other)]
            if other == right_id or any(r < t for r, t in zip(rival, true, strict=True)):
                continue
            if rival != true:
                dominated += 1
                break
            tie = True
        else:
            tied += tie
    ceiling = (len(truth) - unscored - dominated - tied / 2) / len(truth)
    return [
        f"{len(truth):,} true pairs: {unscored} never scored, {dominated} dominated by "
        f"another record, {tied} tied with one; recall ceiling {ceiling:.4f}"
    ]


GENERATORS = {"one": korean_data, "two": korean_data_two}


def _blocking(folder: Path, truth: set[tuple[str, str]]) -> list[str]:
    """Recall of blocking alone: the share of true pairs that meet at least one of the
    blocking rules the engine uses on these lists (its own and the broad ones within the pair
    budget), and how many candidate pairs the rules generate (counted from their keys: a pair
    two rules find is counted twice, so an upper bound)."""
    tables = [
        feature_table(read_table(folder / "sought.csv")),
        feature_table(read_table(folder / "returned.csv")),
    ]
    rules = engine_blocking_rules(KOREAN, tables, "link_only")
    budget = sum(pair_count(rule, tables, "link_only") for rule in rules)
    connection = duckdb.connect()
    connection.register("l", tables[0])
    connection.register("r", tables[1])
    connection.register(
        "truth",
        pa.table({"left_id": [a for a, _ in truth], "right_id": [b for _, b in truth]}),
    )
    schema = tables[0].schema

    def holds(rule: tuple[str, ...]) -> str:
        return " AND ".join(
            f'list_has_any(l."{c}", r."{c}")'
            if pa.types.is_list(schema.field(c).type)
            else f'l."{c}" = r."{c}"'
            for c in rule
        )

    met = " OR ".join(f"coalesce({holds(rule)}, false)" for rule in rules)
    ((found,),) = connection.execute(
        f"SELECT count(*) FROM truth JOIN l ON l.record_id = truth.left_id "  # noqa: S608
        f"JOIN r ON r.record_id = truth.right_id WHERE {met}"
    ).fetchall()
    left_out = len(KOREAN.blocking_rules()) + len(KOREAN.broad_blocking_rules()) - len(rules)
    return [
        f"blocking alone finds {found:,} of {len(truth):,} true pairs (recall "
        f"{found / len(truth):.4f}) with {len(rules)} rules ({left_out} broad rules over the "
        f"pair budget left out), at most {budget:,} candidate pairs"
    ]


def run(
    n_sought: int,
    n_returned: int,
    seed: int,
    folder: Path,
    analysis: bool,
    ceiling: bool,
    notes: list[str],
    generator: str = "one",
    blocking: bool = False,
) -> list[dict[str, object]]:
    module = GENERATORS[generator]
    dataset = module.generate(n_sought, n_returned, seed)
    module.write(dataset, folder)
    truth = set(dataset.truth)
    sought, returned = folder / "sought.csv", folder / "returned.csv"
    results: list[dict[str, object]] = []

    def row(system: str, found: set[tuple[str, str]], seconds: float | None) -> None:
        s = scores(found, truth)
        results.append(
            {
                "lists": f"{n_sought:,} vs {len(dataset.returned):,}",
                "generator": generator,
                "system": system,
                "precision": f"{s.precision:.4f}",
                "recall": f"{s.recall:.4f}",
                "F1": f"{s.f1:.4f}",
                "TP / FP / FN": f"{s.true_positives} / {s.false_positives} / {s.false_negatives}",
                "seconds": f"{seconds:.1f}" if seconds is not None else "(same run)",
            }
        )

    found, seconds = timed(_panmun, sought, returned)
    row("Panmun (Korean profile)", found, seconds)
    if analysis:
        notes.extend(
            f"{n_sought:,} vs {n_returned:,}, Panmun — {line}" for line in _analysis(folder, truth)
        )
    if ceiling:
        notes.extend(f"{n_sought:,} vs {n_returned:,} — {line}" for line in _ceiling(folder, truth))
    if blocking:
        notes.extend(
            f"{n_sought:,} vs {n_returned:,} — {line}" for line in _blocking(folder, truth)
        )
    stock, seconds = timed(_stock, sought, returned)
    row("stock Splink 5, raw columns", {(a, b) for a, b, _ in stock}, seconds)
    kept = one_to_one([Pair(a, b, p) for a, b, p in stock])
    row("stock Splink 5 + one-to-one", {(p.left_id, p.right_id) for p in kept}, None)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000:5000,20000:50000", help="SOUGHT:RETURNED,…")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--generator",
        choices=sorted(GENERATORS),
        default="one",
        help="Which generator makes the lists: korean_data.py (one) or korean_data_two.py (two).",
    )
    parser.add_argument(
        "--analysis", action="store_true", help="Also Panmun's F1 by threshold and its errors."
    )
    parser.add_argument(
        "--ceiling",
        action="store_true",
        help="Also how many true pairs another record dominates (a bound on any linker's recall).",
    )
    parser.add_argument(
        "--blocking", action="store_true", help="Also the recall of blocking alone."
    )
    args = parser.parse_args()
    results: list[dict[str, object]] = []
    notes: list[str] = []
    for size in args.sizes.split(","):
        n_sought, n_returned = (int(n) for n in size.split(":"))
        with tempfile.TemporaryDirectory() as folder:
            results += run(
                n_sought,
                n_returned,
                args.seed,
                Path(folder),
                args.analysis,
                args.ceiling,
                notes,
                args.generator,
                args.blocking,
            )
    print(f"generator: {args.generator} ({GENERATORS[args.generator].__name__}.py)")
    print(table(results))
    print()
    for line in notes:
        print(f"- {line}")
    print(f"machine: {machine()}")
    print(f"peak memory of the run: {peak_rss_mib():,.0f} MiB")
    print("command: .venv/bin/python benchmarks/korean_linkage.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
