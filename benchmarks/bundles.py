"""Benchmark of the bundle verifiers against hostile bundles (issue 16), printing a table.

    .venv/bin/python benchmarks/bundles.py [--repeat 3] [--out /tmp/bundles] [--only NAME]

Builds bundles of at most 1 MB compressed in several shapes — empty lines (the issue's 25 KB
zip of 16 MiB, and a 1 MB zip of about 1 GiB), a zip bomb of zeros, many small bad lines,
dense JSON lines, a valid large bundle, and for the lottery a valid pool of 200,000 entries
whose result.csv differs in every row — then runs `python -m panmun.liaison verify` or
`python -m panmun.reunion.lottery verify-draw` on each in a subprocess (what `panmun liaison
verify` and `panmun reunion verify-draw` run, before Django), and measures its wall time and
its peak resident memory (from wait4, the child alone). Target: each ≤ 5 s and ≤ 200 MB.
The figures are printed, never checked.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from common import machine, table

from panmun.liaison.ledger import bundle as liaison_bundle
from panmun.liaison.ledger import notes
from panmun.liaison.tests.test_bundle import ORIGIN, PRIVATE, T0, build
from panmun.reunion import lottery

MB = 1_000_000
SEED = 16
TIME = "/usr/bin/time"  # GNU time


def _zip(path: Path, members: dict[str, bytes | Callable[[], Iterator[bytes]]]) -> None:
    """A zip of the members; a callable member is written from its chunks (never whole)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            if callable(data):
                with archive.open(name, "w", force_zip64=True) as handle:
                    for chunk in data():
                        handle.write(chunk)
            else:
                archive.writestr(name, data)


def _repeat(chunk: bytes, total: int) -> Callable[[], Iterator[bytes]]:
    def chunks() -> Iterator[bytes]:
        left = total
        while left > 0:
            yield chunk[:left]
            left -= len(chunk)

    return chunks


def _checkpoint(size: int) -> bytes:
    text = notes.Checkpoint(ORIGIN, size, bytes(32)).text()
    signed = notes.sign_note(text, name="south-log-2", private_key=PRIVATE["south-log-2"])
    stamp = int((T0 + timedelta(days=2)).timestamp())
    line = notes.cosignature_line(
        text, name="north-cosign-1", private_key=PRIVATE["north-cosign-1"], timestamp=stamp
    )
    return notes.add_signatures(signed, [line]).encode()


def _fit(make: Callable[[int], None], path: Path, low: int, high: int) -> int:
    """The largest n in [low, high] for which make(n) writes a zip of at most 1 MB."""
    while low < high:
        mid = (low + high + 1) // 2
        make(mid)
        if path.stat().st_size <= MB:
            low = mid
        else:
            high = mid - 1
    make(low)
    return low


# liaison shapes ----------------------------------------------------------------------------


def bad_lines(count: int) -> dict[str, bytes]:
    """A bundle of `count` lines that are not JSON, its checkpoint and proofs right for them."""
    from panmun.liaison.tests.test_bundle_hostile import bad_lines_bundle

    return bad_lines_bundle(count)


def liaison_shapes(out: Path) -> list[tuple[str, str, Path, str]]:
    small = build(5).files()
    shapes: list[tuple[str, str, Path, str]] = []

    path = out / "liaison-empty-16mib.zip"
    _zip(path, {**small, "entries.jsonl": _repeat(b"\n" * 2**20, 2**24)})
    shapes.append(("liaison", "empty lines, 16 MiB (the issue's 25 KB zip)", path, "liaison"))

    path = out / "liaison-empty-1mb.zip"
    _zip(path, {**small, "entries.jsonl": _repeat(b"\n" * 2**20, 1000 * 2**20)})
    shapes.append(("liaison", "empty lines, about 1 GiB", path, "liaison"))

    path = out / "liaison-bomb.zip"
    _zip(path, {**small, "proofs.json": _repeat(bytes(2**20), 1000 * 2**20)})
    shapes.append(("liaison", "zip bomb: zeros in proofs.json", path, "liaison"))

    rng = random.Random(SEED)  # noqa: S311 (test data)
    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    junk = b"\n".join(bytes(rng.choices(alphabet, k=3)) for _ in range(400_000)) + b"\n"
    path = out / "liaison-bad-lines.zip"

    def bad(n: int) -> None:
        cut = junk[: n * 4]
        _zip(path, {**small, "checkpoint.txt": _checkpoint(2_000_000), "entries.jsonl": cut})

    lines = _fit(bad, path, 1, 400_000)
    shapes.append(("liaison", f"{lines:,} small bad lines, checkpoint of 2,000,000", path, "x"))

    values = ",".join(str(rng.randrange(10)) for _ in range(400_000))
    dense = f'{{"a":[{values}]}}\n'.encode()
    path = out / "liaison-dense-json.zip"

    def dense_lines(n: int) -> None:
        _zip(path, {**small, "checkpoint.txt": _checkpoint(n), "entries.jsonl": dense * n})

    count = _fit(dense_lines, path, 1, 50)
    shapes.append(("liaison", f"{count} lines of 400,000 random digits each", path, "x"))

    values = ",".join(
        "0" if rng.random() < 0.85 else str(rng.randrange(10)) for _ in range(400_000)
    )
    sparse = f'{{"a":[{values}]}}\n'.encode()
    path = out / "liaison-dense-zeros.zip"

    def zeros_lines(n: int) -> None:
        _zip(path, {**small, "checkpoint.txt": _checkpoint(n), "entries.jsonl": sparse * n})

    count = _fit(zeros_lines, path, 1, 100)
    shapes.append(("liaison", f"{count} lines of 400,000 digits, mostly 0", path, "x"))

    per_item = b'{"index":0,"leaf_hash":"","path":[' + b",".join([b'""'] * 1_000) + b"]}"
    path = out / "liaison-junk-proofs.zip"
    many = bad_lines(5_000)

    def junk_proofs(n: int) -> None:
        proofs = b'{"consistency":[],"inclusion":[' + b",".join([per_item] * n) + b"]}"
        _zip(path, {**many, "proofs.json": proofs})

    count = _fit(junk_proofs, path, 1, 5_000)
    shapes.append(("liaison", f"{count:,} proofs of 1,000 empty strings each", path, "x"))

    path = out / "liaison-valid.zip"

    def valid(n: int) -> None:
        path.unlink(missing_ok=True)
        log = build(n)
        path.write_bytes(liaison_bundle.bundle_zip(log.files()))

    size = _fit(valid, path, 3_500, 5_500)
    shapes.append(("liaison", f"valid bundle of {size:,} entries", path, "x"))
    return shapes


# lottery shapes ----------------------------------------------------------------------------


def _draw_files(entries: list[lottery.PoolEntry]) -> dict[str, bytes]:
    criteria = lottery.Criteria.of([("a", 500), ("b", 100)])
    moment = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    made = lottery.make_bundle(
        entries, criteria, bytes(range(32)), round_label="21", committed_at=moment,
        drawn_at=moment,
    )  # fmt: skip
    return {n: d for n, d in made.files().items() if n != "README.txt"}


def _pool(size: int) -> list[lottery.PoolEntry]:
    rng = random.Random(SEED)  # noqa: S311 (test data)
    return [
        lottery.PoolEntry(f"{i:08d}", rng.choice("ab"), float(rng.randrange(1, 7)))
        for i in range(size)
    ]


def _differing(files: dict[str, bytes]) -> dict[str, bytes]:
    lines = files["result.csv"].split(b"\n")[:-1]
    flipped = [line[:-1] + (b"0" if line.endswith(b"1") else b"1") for line in lines[1:]]
    return {**files, "result.csv": b"\n".join([lines[0], *flipped]) + b"\n"}


def lottery_shapes(out: Path) -> list[tuple[str, str, Path, str]]:
    shapes: list[tuple[str, str, Path, str]] = []
    small = _draw_files(_pool(1_000))

    path = out / "draw-empty-1mb.zip"
    _zip(path, {**small, "pool.csv": _repeat(b"\n" * 2**20, 1000 * 2**20)})
    shapes.append(("lottery", "empty lines in pool.csv, about 1 GiB", path, "x"))

    path = out / "draw-valid.zip"
    size = _fit(lambda n: _zip(path, _draw_files(_pool(n))), path, 50_000, 200_000)
    shapes.append(("lottery", f"valid pool of {size:,} entries (sequential ids)", path, "x"))

    path = out / "draw-result-differs.zip"
    size = _fit(lambda n: _zip(path, _differing(_draw_files(_pool(n)))), path, 50_000, size)
    shapes.append(("lottery", f"{size:,} entries, every result row differs", path, "x"))

    rng = random.Random(SEED)  # noqa: S311 (test data)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    junk = "\n".join("".join(rng.choices(alphabet, k=3)) for _ in range(200_000))
    commitment = json.loads(small["commitment.json"])
    commitment["pool_size"] = 200_000
    path = out / "draw-bad-rows.zip"

    def bad(n: int) -> None:
        pool = f"draw_id,stratum,weight\n{junk[: n * 4]}\n".encode()
        _zip(path, {**small, "commitment.json": json.dumps(commitment).encode(), "pool.csv": pool})

    rows = _fit(bad, path, 1_000, 200_000)
    shapes.append(("lottery", f"{rows:,} bad pool rows, pool_size 200,000", path, "x"))

    import reunion_draw

    path = out / "draw-realistic.zip"
    moment = datetime(2026, 11, 23, tzinfo=UTC)
    made = lottery.make_bundle(
        reunion_draw.pool(32_829), reunion_draw.criteria(), bytes(range(32)),
        round_label="21", committed_at=moment, drawn_at=moment,
    )  # fmt: skip
    path.write_bytes(made.to_zip())
    shapes.append(("lottery", "realistic pool of 32,829 (a round's)", path, "x"))
    return shapes


# running -----------------------------------------------------------------------------------


def run(verifier: str, path: Path) -> tuple[float, float, int, int, str]:
    """Wall seconds, peak MiB, exit status, lines printed and the first finding's code.

    The peak is GNU time's %M: Linux counts a child's resident memory before its exec in its
    peak, so the verifier is started by the small `time` program, not by this process."""
    if verifier == "liaison":
        argv = [sys.executable, "-m", "panmun.liaison", "verify", str(path)]
    else:
        argv = [sys.executable, "-m", "panmun.reunion.lottery", "verify-draw", str(path)]
    with tempfile.NamedTemporaryFile() as peak, tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        done = subprocess.run(  # noqa: S603
            [TIME, "-f", "%M", "-o", peak.name, *argv], stdout=output, stderr=subprocess.STDOUT
        )
        wall = time.perf_counter() - start
        kib = int(Path(peak.name).read_text().split()[-1])
        output.seek(0)
        text = output.read().decode("utf-8", "replace").splitlines()
    first = text[0].split()[0] if text else ""
    return wall, kib / 1024, done.returncode, len(text), first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each verifier.")
    parser.add_argument("--out", help="Folder for the bundles (default: a temporary one).")
    parser.add_argument("--only", choices=["liaison", "lottery"], help="One verifier only.")
    options = parser.parse_args()
    out = Path(options.out or tempfile.mkdtemp(prefix="panmun-bundles-"))
    out.mkdir(parents=True, exist_ok=True)
    print(machine())
    shapes = []
    if options.only in (None, "liaison"):
        shapes += liaison_shapes(out)
    if options.only in (None, "lottery"):
        shapes += lottery_shapes(out)
    rows = []
    for verifier, shape, path, _ in shapes:
        with zipfile.ZipFile(path) as archive:
            declared = sum(i.file_size for i in archive.infolist())
        runs = [run(verifier, path) for _ in range(options.repeat)]
        walls = [r[0] for r in runs]
        rows.append(
            {
                "verifier": verifier,
                "bundle": shape,
                "zip KB": f"{path.stat().st_size / 1000:,.0f}",
                "declared MB": f"{declared / MB:,.1f}",
                "median s": f"{statistics.median(walls):.2f}",
                "worst s": f"{max(walls):.2f}",
                "peak MiB": f"{max(r[1] for r in runs):.0f}",
                "exit": runs[0][2],
                "lines printed": runs[0][3],
                "first line": runs[0][4],
            }
        )
        print(f"  {verifier}: {shape}: {rows[-1]['median s']} s, {rows[-1]['peak MiB']} MiB")
    print(table(rows))


if __name__ == "__main__":
    main()
