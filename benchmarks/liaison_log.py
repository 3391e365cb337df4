"""Benchmark of the liaison log's protocol layer (panmun.liaison), printing its figures.

    # a tree of 1,000,000 leaves: build it, then make and verify 1,000 inclusion proofs
    .venv/bin/python benchmarks/liaison_log.py proofs --entries 1000000

    # signing: make_entry (checked, canonical JSON, Ed25519) and its leaf hash, in batches
    .venv/bin/python benchmarks/liaison_log.py sign --entries 50000 --batch 1000 --repeat 5

    # the database: signed appends through the real service, checkpoint and cosignature each
    .venv/bin/python benchmarks/liaison_log.py append --entries 50000 --batch 5000
    .venv/bin/python benchmarks/liaison_log.py append --entries 50000 --batch 5000 \
        --database-url postgres://postgres@127.0.0.1:5432/panmun_bench_liaison --fresh

`proofs`: random 32-byte entries are hashed into leaves (RFC 9162 leaf hash), the tree's levels
are built bottom-up (merkle.levels, whose top is the root), 1,000 random leaves get their
inclusion proofs (merkle.path_from_levels) and each proof is verified alone
(merkle.verify_inclusion) and timed: best, median and 99th percentile in microseconds. The proof
size is compared with 32 * ceil(log2 n) bytes. `sign`: entries of a realistic Korean notice,
each made by entries.make_entry and hashed by entries.entry_leaf_hash, in batches; entries per
second, best and median of --repeat runs. Pure Python, no database, no Django setup.
`append`: one node hosting both sides; each batch is one call of `sending.entries_send_batch` in its
own transaction (batches of 2,000 and more are signed on every core; `--one-process` not):
the South's notices signed and stored, the log's frontier moved on, a checkpoint signed and
the North's cosignature on it, so each figure includes the receipt; then single appends
(`sending.entry_send`, one transaction, checkpoint and cosignature each). The
figures are printed, never checked.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, peak_rss_mib
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from panmun.liaison.ledger import entries, merkle

SEED = 9162


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


# proofs ------------------------------------------------------------------------------------


def _proofs_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--entries", type=int, default=1_000_000, help="Leaves in the tree.")
    parser.add_argument("--proofs", type=int, default=1_000, help="Random leaves to prove.")


def run_proofs(options: argparse.Namespace) -> None:
    n, count = options.entries, min(options.proofs, options.entries)
    rng = random.Random(SEED)  # noqa: S311 (test data, not secrets)
    start = time.perf_counter()
    leaves = [merkle.leaf_hash(rng.randbytes(32)) for _ in range(n)]
    hashed = time.perf_counter() - start
    start = time.perf_counter()
    tree = merkle.levels(leaves)
    built = time.perf_counter() - start
    root = tree[-1][0]
    indices = rng.sample(range(n), count)
    start = time.perf_counter()
    proofs = [merkle.path_from_levels(tree, i) for i in indices]
    made = time.perf_counter() - start
    times_us: list[float] = []
    failed = 0
    for i, proof in zip(indices, proofs, strict=True):
        t0 = time.perf_counter_ns()
        ok = merkle.verify_inclusion(i, n, leaves[i], proof, root)
        times_us.append((time.perf_counter_ns() - t0) / 1000)
        failed += not ok
    sizes = [32 * len(p) for p in proofs]
    bound = 32 * math.ceil(math.log2(n)) if n > 1 else 0
    print(f"tree of {n:,} leaves; root {root.hex()}")
    print(f"  hash {n:,} entries into leaves: {hashed:.2f} s")
    print(f"  build the levels (and root):     {built:.2f} s ({tree_nodes(tree):,} nodes)")
    print(f"  make {count:,} inclusion proofs:    {made * 1e3:.1f} ms")
    print(
        f"verify one proof, over {count:,} proofs: best {min(times_us):.1f} us, "
        f"median {statistics.median(times_us):.1f} us, p99 {_percentile(times_us, 0.99):.1f} us; "
        f"{failed} failed"
    )
    print(
        f"proof size: {min(sizes)}..{max(sizes)} bytes, mean {statistics.fmean(sizes):.1f} "
        f"(32 * ceil(log2 n) = {bound} bytes)"
    )
    print(f"peak RSS: {peak_rss_mib():.0f} MiB")


def tree_nodes(tree: list[list[bytes]]) -> int:
    return sum(len(level) for level in tree)


# sign ---------------------------------------------------------------------------------------


def _sign_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--entries", type=int, default=50_000, help="Entries per run.")
    parser.add_argument("--batch", type=int, default=1_000, help="Entries per batch.")
    parser.add_argument("--repeat", type=int, default=5, help="Runs; best and median shown.")


BODY = {
    "subject": "연락사무소 업무 안내",
    "text": (
        "남북공동연락사무소는 평일 오전 9시부터 오후 5시까지 운영합니다. "
        "개시 통화는 오전 9시, 마감 통화는 오후 4시에 합니다. "
        "이산가족 생사 확인 의뢰 명단은 매주 화요일에 전달합니다."
    ),
}


def _one_run(key: Ed25519PrivateKey, n: int, batch: int) -> tuple[float, list[float]]:
    t0 = datetime(2026, 3, 2, tzinfo=UTC)
    batches: list[float] = []
    start = time.perf_counter()
    for first in range(0, n, batch):
        b0 = time.perf_counter()
        for index in range(first, min(n, first + batch)):
            entry = entries.make_entry(
                log="panmun.example/liaison/south",
                index=index,
                kind="notice",
                sent_at=t0 + timedelta(seconds=index),
                from_side="south",
                to_side="north",
                body=BODY,
                key="south-log-1",
                in_reply_to=None,
                private_key=key,
            )
            entries.entry_leaf_hash(entry)
        batches.append(time.perf_counter() - b0)
    return time.perf_counter() - start, batches


def run_sign(options: argparse.Namespace) -> None:
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    n, batch = options.entries, options.batch
    rates: list[float] = []
    batch_times: list[float] = []
    for _ in range(options.repeat):
        total, batches = _one_run(key, n, batch)
        rates.append(n / total)
        batch_times += batches
    print(f"{n:,} signed entries per run, batches of {batch:,}, {options.repeat} runs")
    print(
        f"  entries/s: best {max(rates):,.0f}, median {statistics.median(rates):,.0f} "
        f"({1e6 / statistics.median(rates):.0f} us per entry)"
    )
    print(
        f"  one batch of {batch:,}: best {min(batch_times) * 1e3:.0f} ms, "
        f"median {statistics.median(batch_times) * 1e3:.0f} ms"
    )


def _append_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", default=None, help="Default: a new SQLite file.")
    parser.add_argument("--fresh", action="store_true", help="Drop the PostgreSQL database first.")
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--single", type=int, default=200, help="Single appends to time.")
    parser.add_argument(
        "--one-process", action="store_true", help="Sign every batch in this process only."
    )


def run_append(options: argparse.Namespace) -> None:
    import os
    import tempfile

    os.environ.setdefault("PANMUN_LIAISON_KEY_DIR", tempfile.mkdtemp(prefix="panmun-keys-"))
    os.environ["PANMUN_LIAISON_SIDES"] = "south,north"
    from families import _setup

    _setup(options.database_url, options.fresh)
    from panmun.accounts.models import User
    from panmun.liaison.models import Checkpoint, Log
    from panmun.liaison.services import sending

    if options.one_process:
        from panmun.liaison.ledger import signing

        signing.PARALLEL_FROM = 10**12
    officer = User.objects.get(username="liaison_s")
    first = Log.objects.filter(side="south").values_list("size", flat=True).first() or 0
    rates: list[float] = []
    spent = 0.0  # in the service only (making the notices' text is not timed)
    done = 0
    while done < options.entries:
        n = min(options.batch, options.entries - done)
        items = [
            (
                "notice",
                {
                    "subject": f"개성공단 출입 통지 {first + done + i}호",
                    "text": "내일 09:00 남측 인원 12명과 차량 3대가 군사분계선을 통과합니다.",
                },
            )
            for i in range(n)
        ]
        t0 = time.perf_counter()
        sending.entries_send_batch(side="south", items=items, author=officer)
        took = time.perf_counter() - t0
        spent += took
        rates.append(n / took)
        done += n
    log = Log.objects.get(side="south")
    receipt = Checkpoint.objects.filter(log=log).exclude(cosigned_at=None).order_by("-size")[0]
    print(f"  log size {log.size:,}; last receipt (cosigned checkpoint) at {receipt.size:,}")
    print(
        f"  batches of {options.batch:,}: {options.entries / spent:,.0f} signed appends/s over "
        f"{options.entries:,} ({spent:.1f} s); per batch best {max(rates):,.0f}/s, "
        f"median {statistics.median(rates):,.0f}/s"
    )
    t0 = time.perf_counter()
    for i in range(options.single):
        sending.entry_send(
            side="south",
            kind="notice",
            body={"subject": f"단건 통지 {i}", "text": "개별 통지문"},
            author=officer,
        )
    single = time.perf_counter() - t0
    print(
        f"  single appends (a transaction, checkpoint and cosignature each): "
        f"{options.single / single:,.0f}/s over {options.single}"
    )
    print(f"  peak RSS {peak_rss_mib():,.0f} MiB")


COMMANDS: dict[
    str,
    tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], None], str],
] = {
    "proofs": (_proofs_arguments, run_proofs, "Tree of N leaves; make and verify proofs."),
    "sign": (_sign_arguments, run_sign, "Make signed entries and their leaf hashes."),
    "append": (_append_arguments, run_append, "Signed appends to a log in the database."),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmarks of the liaison log.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (arguments, _, help_text) in COMMANDS.items():
        arguments(sub.add_parser(name, help=help_text))
    options = parser.parse_args(argv)
    print(machine())
    COMMANDS[options.command][1](options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
