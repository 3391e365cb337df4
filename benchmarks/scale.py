"""Benchmark 3 of issue 3: Panmun's commands at scale, measured as an officer runs them.

    .venv/bin/python benchmarks/scale.py link --sought 100000 --returned 1000000
    .venv/bin/python benchmarks/scale.py dedupe --records 10000000

The generator (`korean_data.py`, or with `--generator two` the independent `korean_data_two.py`;
not timed) writes the lists to `--data`/GENERATOR (kept, so a second run reuses them; a folder
per generator, so the two never mix); then `panmun link SOUGHT RETURNED --out PAIRS` or
`panmun dedupe LIST --out CLUSTERS` runs as a child process, and the script reports its
wall-clock time and peak resident memory (the child's maximum RSS, from the kernel), with
precision, recall and F1 against the truth. For dedupe, the list is the sought and returned
lists together, and the true duplicates are the true pairs between them; scores count pairs of
records put in one cluster.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, scores, table

HERE = Path(__file__).resolve().parent


GENERATORS = {"one": "korean_data.py", "two": "korean_data_two.py"}


def _folder(args: argparse.Namespace) -> Path:
    """Where this generator's lists go: one folder per generator."""
    return Path(args.data) / args.generator


def _generate(folder: Path, sought: int, returned: int, seed: int, generator: str) -> None:
    stamp = folder / f".generated-{sought}-{returned}-{seed}"
    if stamp.exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    for other in folder.glob(".generated-*"):  # the files are about to be written over
        other.unlink()
    (folder / "all.csv").unlink(missing_ok=True)
    subprocess.run(  # noqa: S603 (our own interpreter and script, no shell)
        [sys.executable, str(HERE / GENERATORS[generator]), "--sought", str(sought),
         "--returned", str(returned), "--seed", str(seed), "--out", str(folder)],
        check=True,
    )  # fmt: skip
    stamp.touch()


def _panmun(*args: str) -> tuple[float, float]:
    """Run `panmun ARGS`; its wall-clock seconds and peak RSS in MiB."""
    command = [sys.executable, "-c", "from panmun.config.cli import main; main()", *args]
    started = time.perf_counter()
    subprocess.run(command, check=True)  # noqa: S603 (argv from this script, no shell)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kib / 1024


def _truth(folder: Path) -> set[tuple[str, str]]:
    with (folder / "truth.csv").open(encoding="utf-8", newline="") as handle:
        return {(r["left_id"], r["right_id"]) for r in csv.DictReader(handle)}


def link(args: argparse.Namespace) -> dict[str, object]:
    folder = _folder(args)
    _generate(folder, args.sought, args.returned, args.seed, args.generator)
    out = folder / "pairs.csv"
    seconds, peak = _panmun(
        "link", str(folder / "sought.csv"), str(folder / "returned.csv"), "--out", str(out)
    )
    with out.open(encoding="utf-8", newline="") as handle:
        found = {(r["left_id"], r["right_id"]) for r in csv.DictReader(handle)}
    s = scores(found, _truth(folder))
    return {
        "run": f"panmun link, {args.sought:,} vs {args.returned:,}",
        "generator": args.generator,
        "seconds": f"{seconds:.1f}",
        "peak MiB": f"{peak:,.0f}",
        "precision": f"{s.precision:.4f}",
        "recall": f"{s.recall:.4f}",
        "F1": f"{s.f1:.4f}",
    }


def merged_list(folder: Path) -> Path:
    """Both lists as one file (`all.csv`), the header once: what a dedupe run reads."""
    merged = folder / "all.csv"
    if not merged.exists():
        with merged.open("w", encoding="utf-8", newline="") as out:
            for number, name in enumerate(("sought.csv", "returned.csv")):
                with (folder / name).open(encoding="utf-8", newline="") as handle:
                    lines = iter(handle)
                    header = next(lines)
                    if number == 0:
                        out.write(header)
                    out.writelines(lines)
    return merged


def dedupe(args: argparse.Namespace) -> dict[str, object]:
    folder = _folder(args)
    sought = max(1, args.records // 11)
    _generate(folder, sought, args.records - sought, args.seed, args.generator)
    merged = merged_list(folder)
    out = folder / "clusters.csv"
    seconds, peak = _panmun("dedupe", str(merged), "--out", str(out))
    cluster_of: dict[str, str] = {}
    with out.open(encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle):
            cluster_of[r["record_id"]] = r["cluster_id"]
    truth = _truth(folder)
    together = sum(cluster_of[a] == cluster_of[b] for a, b in truth)
    sizes = Counter(cluster_of.values())
    clustered_pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    precision = together / clustered_pairs if clustered_pairs else 0.0
    recall = together / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if together else 0.0
    return {
        "run": f"panmun dedupe, {args.records:,} records",
        "generator": args.generator,
        "seconds": f"{seconds:.1f}",
        "peak MiB": f"{peak:,.0f}",
        "precision": f"{precision:.4f}",
        "recall": f"{recall:.4f}",
        "F1": f"{f1:.4f}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("link")
    one.add_argument("--sought", type=int, default=100_000)
    one.add_argument("--returned", type=int, default=1_000_000)
    two = commands.add_parser("dedupe")
    two.add_argument("--records", type=int, default=10_000_000)
    for sub in (one, two):
        sub.add_argument("--seed", type=int, default=1)
        sub.add_argument("--data", default="var/benchmarks/scale", help="Where the lists go.")
        sub.add_argument(
            "--generator",
            choices=sorted(GENERATORS),
            default="one",
            help="korean_data.py (one) or korean_data_two.py (two); lists in DATA/GENERATOR.",
        )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panmun.config.settings.base")
    result = link(args) if args.command == "link" else dedupe(args)
    print(table([result]))
    print()
    print(f"machine: {machine()}")
    print("command: .venv/bin/python benchmarks/scale.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
