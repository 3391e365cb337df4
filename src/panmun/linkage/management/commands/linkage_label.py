"""`panmun linkage label LEFT.csv [RIGHT.csv] --labels LABELS.csv [--count N] [--model M]
[--save-model M]`: a reviewer teaches the engine at a terminal.

The lists are read (one list: deduplication); a model is trained on them with the decisions
already in LABELS.csv (or `--model` is used as it is); the pairs it is least sure of are shown
one by one (`learning.most_useful`), both records side by side, and each answer is appended to
LABELS.csv as it is given, so stopping loses nothing. At the end the model is trained again
with every decision and its F1 on them by cross-validation is printed; `--save-model` keeps
it. Answers come from stdin (end of input: stop). Also spelt `panmun linkage-label`.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
from django.core.management.base import BaseCommand, CommandParser

from panmun.linkage import commandline as cli
from panmun.linkage import engine, learning
from panmun.linkage.engine import Pair
from panmun.linkage.features import feature_table
from panmun.linkage.learning import Label
from panmun.linkage.model import Model

PROMPT = "같은 사람입니까? / The same person? [y]es [n]o [s]kip [q]uit "
ANSWERS = {
    "y": "same", "yes": "same", "예": "same", "네": "same",
    "n": "different", "no": "different", "아니오": "different", "아니요": "different",
    "s": "skip", "skip": "skip", "건너뛰기": "skip",
    "q": "quit", "quit": "quit", "그만": "quit",
}  # fmt: skip
# What a reviewer reads, in the order of the file contract (`records.COLUMNS`).
SHOWN = (
    ("record_id", "번호 / id"),
    ("family_name", "성 / family name"),
    ("given_name", "이름 / given name"),
    ("name_latin", "로마자 / Latin"),
    ("sex", "성별 / sex"),
    ("birth", "출생 / born"),
    ("birth_calendar", "달력 / calendar"),
    ("birthplace", "출생지 / birthplace"),
    ("father_name", "아버지 / father"),
)


def width(text: str) -> int:
    """Columns a text takes at a terminal: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def _birth(row: dict[str, Any]) -> str:
    parts = [row.get("birth_year"), row.get("birth_month"), row.get("birth_day")]
    shown = [f"{int(parts[0]):04d}"] if parts[0] else []
    shown += [f"{int(p):02d}" for p in parts[1:] if p]
    return "-".join(shown)


def side_by_side(left: dict[str, Any], right: dict[str, Any]) -> list[str]:
    """Both records as one table, a line a field, `≠` where they differ."""
    cells = []
    for column, name in SHOWN:
        values = [
            _birth(row) if column == "birth" else str(row.get(column) or "")
            for row in (left, right)
        ]
        if column == "birth_calendar":
            values = ["" if v == "unknown" else v for v in values]
        cells.append((name, *values))
    first = max(width(c[0]) for c in cells)
    second = max(width(c[1]) for c in cells)
    lines = []
    for name, a, b in cells:
        mark = "≠" if a and b and a != b else " "
        lines.append(f"  {pad(name, first)}  {pad(a, second)}  {mark}  {b}".rstrip())
    return lines


class Command(BaseCommand):
    help = (
        "Label the pairs the model is least sure of, one by one, at a terminal: the answers "
        "go to LABELS.csv as they are given, and the model is trained again with them."
    )
    stealth_options = ("stdin",)  # answers from a stream other than sys.stdin (tests)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("left", help="The list to deduplicate, or the left list (CSV).")
        parser.add_argument("right", nargs="?", help="The right list, to link (CSV).")
        parser.add_argument(
            "--labels",
            required=True,
            help="LABELS.csv: the decisions so far (left_id,right_id[,same]); created if new, "
            "each answer appended as it is given.",
        )
        parser.add_argument(
            "--count", type=int, default=20, help="How many pairs to ask about (20)."
        )
        parser.add_argument(
            "--model",
            help="Choose the pairs with this model (a .json file, or NAME[@vN]) instead of "
            "one trained here with the labels so far.",
        )
        parser.add_argument(
            "--save-model", help="Save the model trained at the end: a .json file, or a NAME."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stdin: IO[str] = options.get("stdin") or sys.stdin
        if options["count"] < 1:
            cli.fail(self, [f"--count {options['count']}: must be at least 1"])
        paths = [options["left"]] + ([options["right"]] if options["right"] else [])
        raws = cli.read_or_exit(self, *paths)
        one_list = len(raws) == 1
        left_ids, right_ids = cli.ids(raws[0]), cli.ids(raws[-1])
        labels_path = options["labels"]
        labels: list[Label] = []
        if Path(labels_path).exists():
            labels = cli.read_labels(self, labels_path, left_ids, right_ids)
        model = cli.load_model(self, options["model"]) if options["model"] else None
        if model is not None and model.link_type != ("dedupe_only" if one_list else "link_only"):
            kind = "deduplicate one list" if one_list else "link two lists"
            cli.fail(self, [f"{options['model']}: a {model.link_type} model cannot {kind}"])
        tables = [feature_table(raw) for raw in raws]
        left, right = tables[0], (None if one_list else tables[1])
        cli.open_labels(self, labels_path, labels)
        base = None  # EM's model of these lists: the labels do not change it, so it is reused
        if model is None:
            n = len(labels)
            self.stderr.write(
                f"training with the {n} decision(s) so far / 지금까지의 판정 {n}개로 학습"
            )
            base = engine.train(left, right)
            model = learning.retrain(left, right, labels, base=base).model
        pairs = learning.candidates(left, right, model)
        asked = learning.most_useful(
            pairs, options["count"], labelled=[(x.left_id, x.right_id) for x in labels]
        )
        if not asked:
            self.stderr.write("no pair left to ask about / 물어볼 쌍이 없습니다")
        new = self._session(stdin, asked, raws, labels_path)
        labels += new
        self.stdout.write(f"{len(new)} answer(s) written to {labels_path} / 판정 {len(new)}개 기록")
        if not labels:
            return
        retrained = learning.retrain(left, right, labels, base=base)
        self._report(retrained.model)
        if options["save_model"]:
            self.stdout.write(cli.save_model(self, retrained.model, options["save_model"]))

    def _session(
        self, stdin: IO[str], asked: list[Pair], raws: list[pa.Table], labels_path: str
    ) -> list[Label]:
        rows = [{str(r["record_id"]): r for r in raw.to_pylist()} for raw in (raws[0], raws[-1])]
        answered: list[Label] = []
        for number, pair in enumerate(asked, 1):
            self.stdout.write("")
            self.stdout.write(
                f"[{number}/{len(asked)}] {pair.left_id} · {pair.right_id}  "
                f"p = {pair.match_probability:.3f}"
            )
            for line in side_by_side(rows[0][pair.left_id], rows[1][pair.right_id]):
                self.stdout.write(line)
            answer = self._answer(stdin)
            if answer == "quit":
                break
            if answer == "skip":
                continue
            label = Label(pair.left_id, pair.right_id, answer == "same")
            cli.append_label(labels_path, label)
            answered.append(label)
        return answered

    def _answer(self, stdin: IO[str]) -> str:
        while True:
            self.stdout.write(PROMPT, ending="")
            self.stdout.flush()
            line = stdin.readline()
            if not line:  # end of input
                self.stdout.write("")
                return "quit"
            answer = ANSWERS.get(line.strip().lower())
            if answer:
                return answer
            self.stdout.write("y, n, s 또는 q로 답하십시오 / answer y, n, s or q")

    def _report(self, model: Model) -> None:
        line = cli.cross_validation_line(model)
        if line:
            self.stdout.write(line)
