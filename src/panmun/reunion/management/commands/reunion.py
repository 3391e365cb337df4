"""`panmun reunion draw|verify-draw`: the selection lottery for reunions from the command line.

    panmun reunion draw --pool pool.csv --criteria criteria.json --round 21 --out draw-21.zip
    panmun reunion verify-draw draw-21.zip --pool-sha256 HEX --seed-sha256 HEX

The draw itself is `panmun.reunion.lottery` (pure Python); this command reads and writes files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from panmun.reunion import lottery

#: Problems printed for a refused file; the rest are counted.
MAX_LINES = 50


def _problems_text(err: lottery.LotteryError) -> str:
    count = len(err.problems)
    lines = [f"{count} problem(s) in the input / 입력에 문제가 {count}개 있습니다:"]
    lines += [f"  {_line(p)}" for p in err.problems[:MAX_LINES]]
    if len(err.problems) > MAX_LINES:
        more = len(err.problems) - MAX_LINES
        lines.append(f"  ... and {more} more / 그 밖에 {more}개 더")
    return "\n".join(lines)


def _line(finding: lottery.Finding) -> str:
    """`file row N field: English / Korean`."""
    return finding.line()


def _read(path_text: str) -> bytes:
    path = Path(path_text)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(
            f"{path}: cannot be read ({exc.strerror}) / 읽을 수 없습니다({exc.strerror})"
        ) from exc


class Command(BaseCommand):
    help = "Reunions: draw those selected by verifiable lottery, and verify a draw's bundle."
    # Files in, files out: no database, no pages. Django's system checks would load every
    # page's code (the PDF and Excel libraries among it) for nothing — about a second.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
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
        run.add_argument(
            "--out", required=True, help="The bundle: a folder, or a path ending .zip."
        )
        check = sub.add_parser(
            "verify-draw", help="Redo a draw from its bundle and report any difference."
        )
        check.add_argument("bundle", help="The bundle: a folder or a .zip file.")
        check.add_argument("--pool-sha256", help="pool_sha256 as announced before the draw.")
        check.add_argument("--seed-sha256", help="seed_sha256 as announced before the draw.")

    def handle(self, *args: Any, **options: Any) -> None:
        actions: dict[str, Callable[[dict[str, Any]], None]] = {
            "draw": self._draw,
            "verify-draw": self._verify,
        }
        try:
            actions[options["action"]](options)
        except lottery.LotteryError as err:
            raise CommandError(_problems_text(err)) from err

    def _draw(self, options: dict[str, Any]) -> None:
        out = Path(options["out"])
        if out.exists() and (out.is_file() or any(out.iterdir())):
            raise CommandError(
                f"{out} already exists; a draw's bundle is never overwritten / "
                f"{out}이(가) 이미 있습니다. 추첨 묶음은 덮어쓰지 않습니다"
            )
        problems: list[lottery.Finding] = []
        entries: list[lottery.PoolEntry] = []
        criteria: lottery.Criteria | None = None
        pool_data, criteria_data = _read(options["pool"]), _read(options["criteria"])
        try:
            entries = lottery.parse_pool(pool_data, Path(options["pool"]).name)
        except lottery.LotteryError as err:
            problems += err.problems
        try:
            criteria = lottery.parse_criteria(criteria_data, Path(options["criteria"]).name)
        except lottery.LotteryError as err:
            problems += err.problems
        seed = b""
        if options["seed_hex"]:
            try:
                seed = lottery.seed_from_hex(options["seed_hex"], filename="--seed-hex")
            except lottery.LotteryError as err:
                problems += err.problems
        elif options["seed_text"]:
            try:
                seed = lottery.seed_from_public_text(options["seed_text"])
            except lottery.LotteryError as err:
                problems += err.problems
        else:
            seed = lottery.new_seed()
            self.stdout.write(
                "seed: fresh random seed, kept in the bundle's seed.hex / "
                "시드: 새로 만든 무작위 시드(묶음의 seed.hex에 보관)"
            )
        if problems or criteria is None:
            raise lottery.LotteryError(problems)
        now = datetime.now(UTC).replace(microsecond=0)
        try:
            bundle = lottery.make_bundle(
                entries,
                criteria,
                seed,
                round_label=options["round"],
                committed_at=now,
                drawn_at=now,
            )
        except lottery.LotteryError as err:
            # The pool was read in canonical form, so its rows are the file's: name the file.
            name = Path(options["pool"]).name
            raise lottery.LotteryError(
                replace(p, file=name) if p.file == lottery.POOL_FILE else p for p in err.problems
            ) from err
        bundle.write(out)
        commitment = lottery.parse_commitment(bundle.commitment)
        self.stdout.write(f"bundle / 묶음: {out}")
        self.stdout.write(f"pool_sha256:     {commitment.pool_sha256}")
        self.stdout.write(f"seed_sha256:     {commitment.seed_sha256}")
        self.stdout.write(f"criteria_sha256: {commitment.criteria_sha256}")
        if bundle.criteria != criteria_data:
            self.stdout.write(
                "criteria.json was rewritten in canonical form in the bundle / "
                "묶음의 criteria.json은 표준 형식으로 다시 썼습니다"
            )
        sizes = Counter(e.stratum for e in entries)
        strata = [
            lottery.StratumSummary(s.name, s.places, sizes[s.name], min(s.places, sizes[s.name]))
            for s in criteria.strata
        ]
        self._strata(strata)
        selected = sum(s.selected for s in strata)
        self.stdout.write(
            self.style.SUCCESS(
                f"{commitment.pool_size:,} entries, {selected:,} selected / "
                f"대상 {commitment.pool_size:,}명 중 {selected:,}명 선정"
            )
        )

    def _strata(self, strata: Iterable[lottery.StratumSummary]) -> None:
        for s in strata:
            self.stdout.write(
                f"  {s.name}: {s.selected:,} selected of {s.entries:,} (places {s.places:,}) / "
                f"{s.entries:,}명 중 {s.selected:,}명 선정(정원 {s.places:,})"
            )

    def _verify(self, options: dict[str, Any]) -> None:
        report = lottery.verify_bundle(
            options["bundle"],
            expect_pool_sha256=options["pool_sha256"],
            expect_seed_sha256=options["seed_sha256"],
        )
        if not report.ok:
            for finding in report.findings:
                self.stdout.write(f"{finding.code}  {_line(finding)}")
            raise CommandError(f"bundle does not verify: {len(report.findings)} findings")
        self.stdout.write(self.style.SUCCESS("OK: the draw verifies / 추첨이 검증되었습니다"))
        if report.commitment is not None:
            self.stdout.write(f"round / 회차: {report.commitment.round}")
            self.stdout.write(f"pool_sha256: {report.commitment.pool_sha256}")
            self.stdout.write(f"seed_sha256: {report.commitment.seed_sha256}")
        self.stdout.write(
            f"{report.pool_size or 0:,} entries, {len(report.strata)} strata, "
            f"{report.selected:,} selected / 대상 {report.pool_size or 0:,}명, "
            f"층 {len(report.strata)}개, {report.selected:,}명 선정"
        )
        self._strata(report.strata)
