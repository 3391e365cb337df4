"""Issue 22, item 4: what reviewers' labels add to deduplication, with a simulated reviewer.

    .venv/bin/python benchmarks/linkage_labels.py --records 110000 --labels 300

The generator (`korean_data.py`, through `scale.py`'s data folder, so the lists are those of
`scale.py dedupe --records N`) writes the sought and returned lists; they are deduplicated as
one list. In this one process: the model is trained by EM alone and the list deduplicated with
it (F1 before); then, in rounds of `--batch`, the engine picks the pairs it is least sure of
(`learning.most_useful` over every candidate pair at or above 0.01), a reviewer who knows the
truth labels them, and the EM model is corrected with all the labels so far (`learning.retrain`
with the EM model reused: the labels do not change EM); the list is deduplicated with the final
model (F1 after), and the final model's F1 on the labels by 5-fold cross-validation is shown
beside the EM model's on the same labels. Scores count pairs of records put in one cluster,
as `scale.py` does.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, peak_rss_mib, table
from scale import _generate, _truth, merged_list

from panmun.linkage import engine, learning
from panmun.linkage.features import feature_table
from panmun.linkage.learning import Label
from panmun.linkage.records import read_table


def _cluster_scores(clusters: list[engine.Cluster], truth: set[frozenset[str]]) -> dict[str, float]:
    cluster_of = {c.record_id: c.cluster_id for c in clusters}
    together = sum(cluster_of[a] == cluster_of[b] for a, b in map(tuple, truth))
    sizes = Counter(cluster_of.values())
    clustered = sum(n * (n - 1) // 2 for n in sizes.values())
    precision = together / clustered if clustered else 0.0
    recall = together / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if together else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=110_000)
    parser.add_argument("--labels", type=int, default=300, help="Pairs the reviewer labels.")
    parser.add_argument("--batch", type=int, default=50, help="Pairs labelled per round.")
    parser.add_argument("--penalty", type=float, default=learning.PENALTY)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", default="var/benchmarks/scale", help="Where the lists go.")
    parser.add_argument(
        "--generator", choices=("one", "two"), default="one", help="As scale.py's option."
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panmun.config.settings.base")

    folder = Path(args.data) / args.generator  # the lists scale.py makes and keeps
    sought = max(1, args.records // 11)
    _generate(folder, sought, args.records - sought, args.seed, args.generator)
    data = feature_table(read_table(merged_list(folder)))
    truth = {frozenset(pair) for pair in _truth(folder)}

    started = time.perf_counter()
    base = engine.train(data)
    trained = time.perf_counter() - started
    before = _cluster_scores(engine.dedupe(data, model=base), truth)
    print(f"EM alone: F1 {before['f1']:.4f} (trained in {trained:.1f} s)", file=sys.stderr)

    labels: list[Label] = []
    model = base
    rounds = []
    while len(labels) < args.labels:
        started = time.perf_counter()
        pairs = learning.candidates(data, None, model)
        wanted = min(args.batch, args.labels - len(labels))
        asked = learning.most_useful(
            pairs, wanted, labelled=[(x.left_id, x.right_id) for x in labels]
        )
        if not asked:
            break
        new = [
            Label(p.left_id, p.right_id, frozenset((p.left_id, p.right_id)) in truth) for p in asked
        ]
        labels += new
        model = learning.retrain(data, None, labels, base=base, penalty=args.penalty).model
        seconds = time.perf_counter() - started
        rounds.append(seconds)
        same = sum(x.same for x in new)
        print(
            f"round {len(rounds)}: {len(new)} asked ({same} same, {len(new) - same} different, "
            f"p {min(p.match_probability for p in asked):.2f}–"
            f"{max(p.match_probability for p in asked):.2f}) in {seconds:.1f} s",
            file=sys.stderr,
        )
    retrained = learning.retrain(data, None, labels, base=base, penalty=args.penalty)
    after = _cluster_scores(engine.dedupe(data, model=retrained.model), truth)
    cv = retrained.cross_validation
    same = sum(x.same for x in labels)
    row = {
        "records": f"{data.num_rows:,}",
        "labels (same/different)": f"{len(labels)} ({same}/{len(labels) - same})",
        "F1 EM alone": f"{before['f1']:.4f}",
        "P/R EM alone": f"{before['precision']:.4f}/{before['recall']:.4f}",
        "F1 with labels": f"{after['f1']:.4f}",
        "P/R with labels": f"{after['precision']:.4f}/{after['recall']:.4f}",
        "CV F1 on labels": f"{cv.f1:.4f}" if cv else "–",
        "EM's F1 on labels": f"{cv.unsupervised_f1:.4f}"
        if cv and cv.unsupervised_f1 is not None
        else "–",
        "s per round": f"{sum(rounds) / len(rounds):.1f}" if rounds else "–",
        "peak MiB": f"{peak_rss_mib():,.0f}",
    }
    print(table([row]))
    print()
    print(f"machine: {machine()}")
    print("command: .venv/bin/python benchmarks/linkage_labels.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
