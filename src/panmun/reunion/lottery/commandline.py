"""`panmun reunion draw|verify-draw`: the selection lottery from the command line, with no
database and no Django — a third party checking a draw needs only this package:

    panmun reunion draw --pool pool.csv --criteria criteria.json --round 21 --out draw-21.zip
    panmun reunion verify-draw draw-21.zip --pool-sha256 HEX --seed-sha256 HEX
    python -m panmun.reunion.lottery verify-draw draw-21.zip

The `panmun` command runs these two before Django starts (`config/cli.py`); the management
command `reunion` uses the same functions, for `call_command` and `panmun help`.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .bundle import make_bundle
from .commitment import parse_commitment
from .criteria import Criteria, parse_criteria
from .findings import Finding, LotteryError
from .pool import PoolEntry, parse_pool
from .scheme import POOL_FILE
from .seeds import new_seed, seed_from_hex, seed_from_public_text
from .verify import StratumSummary, verify_bundle


class CommandFailed(Exception):
    """The command could not do what was asked; the message says why, in both languages."""


#: Problems printed for a refused file; the rest are counted.
MAX_LINES = 50


def _problems_text(err: LotteryError) -> str:
    count = len(err.problems)
    lines = [f"{count} problem(s) in the input / 입력에 문제가 {count}개 있습니다:"]
    lines += [f"  {_line(p)}" for p in err.problems[:MAX_LINES]]
    if len(err.problems) > MAX_LINES:
        more = len(err.problems) - MAX_LINES
        lines.append(f"  ... and {more} more / 그 밖에 {more}개 더")
    return "\n".join(lines)


def _line(finding: Finding) -> str:
    """`file row N field: English / Korean`."""
    return finding.line()


def _read(path_text: str) -> bytes:
    path = Path(path_text)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandFailed(
            f"{path}: cannot be read ({exc.strerror}) / 읽을 수 없습니다({exc.strerror})"
        ) from exc


def add_arguments(parser: Any) -> None:
    """The subcommands `draw` and `verify-draw`, on any argparse parser."""
    sub = parser.add_subparsers(dest="action", required=True)
    run = sub.add_parser(
        "draw",
        help="Draw from a pool and criteria; write the bundle (folder, or .zip).",
    )
    run.add_argument("--pool", required=True, help="pool.csv: draw_id,stratum,weight.")
    run.add_argument("--criteria", required=True, help='criteria.json: {"strata": [...]}.')
    seed = run.add_mutually_exclusive_group()
    seed.add_argument("--seed-hex", help="The seed as 64 hex characters (default: random).")
    seed.add_argument(
        "--seed-text",
        help="Derive the seed from a public text, e.g. a broadcast number drawing.",
    )
    run.add_argument("--round", default="", help="Label of the round, e.g. 21.")
    run.add_argument("--out", required=True, help="The bundle: a folder, or a path ending .zip.")
    check = sub.add_parser(
        "verify-draw", help="Redo a draw from its bundle and report any difference."
    )
    check.add_argument("bundle", help="The bundle: a folder or a .zip file.")
    check.add_argument("--pool-sha256", help="pool_sha256 as announced before the draw.")
    check.add_argument("--seed-sha256", help="seed_sha256 as announced before the draw.")


def run(options: dict[str, Any], write: Callable[[str], object]) -> None:
    """Run the subcommand named in `options["action"]`; CommandFailed if it cannot."""
    actions: dict[str, Callable[[dict[str, Any], Callable[[str], object]], None]] = {
        "draw": _draw,
        "verify-draw": _verify,
    }
    try:
        actions[options["action"]](options, write)
    except LotteryError as err:
        raise CommandFailed(_problems_text(err)) from err


def _draw(options: dict[str, Any], write: Callable[[str], object]) -> None:
    out = Path(options["out"])
    if out.exists() and (out.is_file() or any(out.iterdir())):
        raise CommandFailed(
            f"{out} already exists; a draw's bundle is never overwritten / "
            f"{out}이(가) 이미 있습니다. 추첨 묶음은 덮어쓰지 않습니다"
        )
    problems: list[Finding] = []
    entries: list[PoolEntry] = []
    criteria: Criteria | None = None
    pool_data, criteria_data = _read(options["pool"]), _read(options["criteria"])
    try:
        entries = parse_pool(pool_data, Path(options["pool"]).name)
    except LotteryError as err:
        problems += err.problems
    try:
        criteria = parse_criteria(criteria_data, Path(options["criteria"]).name)
    except LotteryError as err:
        problems += err.problems
    seed = b""
    if options["seed_hex"]:
        try:
            seed = seed_from_hex(options["seed_hex"], filename="--seed-hex")
        except LotteryError as err:
            problems += err.problems
    elif options["seed_text"]:
        try:
            seed = seed_from_public_text(options["seed_text"])
        except LotteryError as err:
            problems += err.problems
    else:
        seed = new_seed()
        write(
            "seed: fresh random seed, kept in the bundle's seed.hex / "
            "시드: 새로 만든 무작위 시드(묶음의 seed.hex에 보관)"
        )
    if problems or criteria is None:
        raise LotteryError(problems)
    now = datetime.now(UTC).replace(microsecond=0)
    try:
        bundle = make_bundle(
            entries,
            criteria,
            seed,
            round_label=options["round"],
            committed_at=now,
            drawn_at=now,
        )
    except LotteryError as err:
        # The pool was read in canonical form, so its rows are the file's: name the file.
        name = Path(options["pool"]).name
        raise LotteryError(
            replace(p, file=name) if p.file == POOL_FILE else p for p in err.problems
        ) from err
    bundle.write(out)
    commitment = parse_commitment(bundle.commitment)
    write(f"bundle / 묶음: {out}")
    write(f"pool_sha256:     {commitment.pool_sha256}")
    write(f"seed_sha256:     {commitment.seed_sha256}")
    write(f"criteria_sha256: {commitment.criteria_sha256}")
    if bundle.criteria != criteria_data:
        write(
            "criteria.json was rewritten in canonical form in the bundle / "
            "묶음의 criteria.json은 표준 형식으로 다시 썼습니다"
        )
    sizes = Counter(e.stratum for e in entries)
    strata = [
        StratumSummary(s.name, s.places, sizes[s.name], min(s.places, sizes[s.name]))
        for s in criteria.strata
    ]
    _strata(strata, write)
    selected = sum(s.selected for s in strata)
    write(
        f"{commitment.pool_size:,} entries, {selected:,} selected / "
        f"대상 {commitment.pool_size:,}명 중 {selected:,}명 선정"
    )


def _strata(strata: Iterable[StratumSummary], write: Callable[[str], object]) -> None:
    for s in strata:
        write(
            f"  {s.name}: {s.selected:,} selected of {s.entries:,} (places {s.places:,}) / "
            f"{s.entries:,}명 중 {s.selected:,}명 선정(정원 {s.places:,})"
        )


def _verify(options: dict[str, Any], write: Callable[[str], object]) -> None:
    report = verify_bundle(
        options["bundle"],
        expect_pool_sha256=options["pool_sha256"],
        expect_seed_sha256=options["seed_sha256"],
    )
    if not report.ok:
        for finding in report.findings:
            write(f"{finding.code}  {_line(finding)}")
        count = len(report.findings)
        raise CommandFailed(
            f"bundle does not verify: {count} findings listed / "
            f"묶음이 검증되지 않았습니다: 문제 {count}건을 적었습니다"
        )
    write("OK: the draw verifies / 추첨이 검증되었습니다")
    if report.commitment is not None:
        write(f"round / 회차: {report.commitment.round}")
        write(f"pool_sha256: {report.commitment.pool_sha256}")
        write(f"seed_sha256: {report.commitment.seed_sha256}")
    write(
        f"{report.pool_size or 0:,} entries, {len(report.strata)} strata, "
        f"{report.selected:,} selected / 대상 {report.pool_size or 0:,}명, "
        f"층 {len(report.strata)}개, {report.selected:,}명 선정"
    )
    _strata(report.strata, write)


def main(argv: Sequence[str] | None = None) -> int:
    """`panmun reunion draw|verify-draw ...` without Django: 0 if done, 1 if not."""
    parser = argparse.ArgumentParser(
        prog="panmun reunion",
        description="Reunions: draw those selected by verifiable lottery, and verify a draw.",
    )
    add_arguments(parser)
    options = vars(parser.parse_args(list(sys.argv[1:] if argv is None else argv)))
    try:
        run(options, print)
    except CommandFailed as err:
        print(f"CommandError: {err}", file=sys.stderr)
        return 1
    return 0
