"""What `panmun link`, `panmun dedupe` and `panmun link-new` share: reading the lists (every
problem reported, exit status 2, nothing written), labelled pairs, models by file or by name,
progress bars, and writing the output file whole or not at all."""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pyarrow as pa
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from panmun.common import csvcells

from .engine import Pair
from .learning import Label, parse_labels
from .model import Model, ModelError, ModelStore
from .profiles import KOREAN
from .records import InputError, decode, read_table

EXIT_BAD_INPUT = 2
# Splink narrates its training at INFO; an officer at a shell needs the stages, not that.
logging.getLogger("splink").setLevel(logging.WARNING)
_STORED = re.compile(r"(?P<name>[a-z0-9][a-z0-9_.-]*?)(?:@v?(?P<number>[1-9][0-9]*))?")


def fail(command: BaseCommand, lines: Iterable[str]) -> None:
    for line in lines:
        command.stderr.write(line)
    raise SystemExit(EXIT_BAD_INPUT)


def read_or_exit(command: BaseCommand, *paths: str) -> list[pa.Table]:
    """Every file's records as columns (`records.RAW_COLUMNS`), for `features.feature_table`
    (the commands read the file contract of people; `load_model` refuses other models); on
    bad input, every problem to stderr and exit status 2."""
    problems: list[str] = []
    tables: list[pa.Table] = []
    for path in paths:
        try:
            tables.append(read_table(Path(path)))
        except InputError as exc:
            problems.extend(p.line() for p in exc.problems)
    if problems:
        fail(command, problems)
    return tables


def ids(table: pa.Table) -> set[str]:
    return set(table.column("record_id").to_pylist())


def read_labels(
    command: BaseCommand, path: str, left_ids: set[str], right_ids: set[str]
) -> list[Label]:
    """Reviewers' decisions: a CSV with `left_id,right_id` and optionally `same` (1/0,
    yes/no, true/false, 같음/다름; no such column: every pair the same person), each id in its
    list (`learning.parse_labels`); on any problem, every one to stderr and exit status 2."""
    name = Path(path).name
    try:
        text, _ = decode(Path(path).read_bytes(), name)
    except OSError as exc:
        fail(command, [f"{path}: cannot be read ({exc.strerror})"])
    except InputError as exc:
        fail(command, [p.line() for p in exc.problems])
    labels, problems = parse_labels(text, name, left_ids, right_ids)
    if problems:
        fail(command, [p.line() for p in problems])
    return labels


LABEL_HEADER = ("left_id", "right_id", "same")


def open_labels(command: BaseCommand, path: str, labels: Sequence[Label]) -> None:
    """Make `path` ready to take one decision a line: created with its header if new; written
    again whole (UTF-8, with a `same` column) if it is not so already, keeping its decisions."""
    target = Path(path)
    if target.exists():
        data = target.read_bytes()
        try:
            header = data.decode("utf-8").splitlines()[0].lower().replace(" ", "")
        except (UnicodeDecodeError, IndexError):
            header = ""
        if header == ",".join(LABEL_HEADER) and data.endswith(b"\n"):
            return
        command.stderr.write(
            f"{path}: written again in UTF-8 with the columns {','.join(LABEL_HEADER)}"
        )
    write_atomically(path, LABEL_HEADER, (label_row(label) for label in labels))


def label_row(label: Label) -> tuple[str, str, str]:
    return (label.left_id, label.right_id, "1" if label.same else "0")


def append_label(path: str, label: Label) -> None:
    """One decision added to the labels file at once, so that stopping loses nothing."""
    with Path(path).open("a", encoding="utf-8", newline="") as out:
        csvcells.writer(out, lineterminator="\n").writerow(label_row(label))
        out.flush()
        os.fsync(out.fileno())


def cross_validation_line(model: Model) -> str | None:
    """What the labels did, as the model's training records it, for a terminal."""
    figures = model.training.get("cross_validation")
    labels = model.training.get("labels")
    if not labels:
        return None
    counts = f"{labels['same']} same, {labels['different']} different"
    if not figures:
        return (
            f"labels: {counts}; too few of each kind to cross-validate (2 of each needed) / "
            f"교차 검증에는 같음과 다름이 각각 2개 이상 필요합니다"
        )
    before = figures.get("unsupervised_f1")
    return (
        f"labels: {counts}; F1 on them by {figures['folds']}-fold cross-validation "
        f"{figures['f1']:.3f} (precision {figures['precision']:.3f}, recall "
        f"{figures['recall']:.3f}"
        + (f"; EM alone {before:.3f}" if before is not None else "")
        + f") / 판정 쌍에 대한 교차 검증 F1 {figures['f1']:.3f}"
    )


def store() -> ModelStore:
    return ModelStore(Path(settings.PANMUN_LINKAGE_MODELS_DIR))


def load_model(command: BaseCommand, reference: str) -> Model:
    """A model file (a path, or anything ending in .json), or NAME / NAME@vN in the store."""
    match = _STORED.fullmatch(reference)
    try:
        if reference.endswith(".json") or os.sep in reference or not match:
            model = Model.load(Path(reference))
        else:
            number = int(match["number"]) if match["number"] else None
            model = store().load(match["name"], number)[0]
    except ModelError as exc:
        fail(command, [str(exc)])
        raise  # not reached
    if model.profile.name != KOREAN.name:
        fail(
            command,
            [
                f"{reference}: a {model.profile.name} model; the commands link lists of people "
                "(the Korean profile) — use the Python API for other lists"
            ],
        )
    return model


def save_model(command: BaseCommand, model: Model, reference: str) -> str:
    """Save to a file (a path ending in .json) or as the next version of NAME in the store."""
    try:
        if reference.endswith(".json") or os.sep in reference:
            model.save(Path(reference))
            return f"model {model.version} saved to {reference}"
        stored = store().save(model, reference)
    except (ModelError, OSError) as exc:
        fail(command, [f"{reference}: the model cannot be saved ({exc})"])
    return f"model {model.version} saved as {stored.name}@v{stored.number} ({stored.path})"


def add_model_arguments(parser: CommandParser, *, train: bool = True) -> None:
    parser.add_argument(
        "--model",
        help="Use this model instead of training one: a .json file, or NAME[@vN] in the store.",
    )
    parser.add_argument("--threshold", type=float, default=None, help="Match probability.")
    if train:
        parser.add_argument(
            "--save-model", help="Save the model trained here: a .json file, or a NAME."
        )
        parser.add_argument(
            "--labels",
            help="CSV of reviewers' decisions to train on: left_id,right_id[,same] (same: 1/0, "
            "yes/no, true/false, 같음/다름; without the column, every pair is the same person).",
        )


def check_threshold(command: BaseCommand, threshold: float | None) -> None:
    if threshold is not None and not 0 <= threshold <= 1:
        fail(command, [f"--threshold {threshold}: must be between 0 and 1"])


class Stages:
    """A progress bar over the stages of a run, each named as it starts (on stderr)."""

    def __init__(self, names: Sequence[str]) -> None:
        self._total = len(names)
        self._bar = tqdm(total=self._total, unit=" stage", file=sys.stderr, disable=None)
        self._started = time.perf_counter()
        self._first = True

    def next(self, name: str) -> None:
        if not self._first:
            self._bar.update(1)
        self._first = False
        self._bar.set_description(name)
        if self._bar.disable:
            note(f"[{time.perf_counter() - self._started:6.1f} s] {name}")

    def close(self) -> None:
        self._bar.update(self._total - self._bar.n)
        self._bar.close()


@contextmanager
def atomic_file(path: str) -> Iterator[IO[str]]:
    """A text file written beside `path` and renamed into place only when complete."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or Path(".")
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            yield out
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomically(path: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write a CSV whole or not at all."""
    with atomic_file(path) as out:
        writer = csvcells.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_pairs(
    options: dict[str, object], header: tuple[str, str, str], pairs: Sequence[Pair]
) -> None:
    """PAIRS.csv (`--out`) and, with `--explain`, the waterfalls beside it."""
    write_atomically(
        str(options["out"]),
        header,
        ((p.left_id, p.right_id, f"{p.match_probability:.6f}") for p in pairs),
    )
    if options["explain"]:
        write_explanations(str(options["explain"]), pairs)


def write_explanations(path: str, pairs: Iterable[Pair]) -> None:
    """One JSON object per line: the pair and its match-weight waterfall."""
    with atomic_file(path) as out:
        for pair in pairs:
            document = {
                "left_id": pair.left_id,
                "right_id": pair.right_id,
                "match_probability": pair.match_probability,
                "waterfall": pair.explanation.to_dict() if pair.explanation else None,
            }
            out.write(json.dumps(document, ensure_ascii=False, default=str) + "\n")


def note(message: str) -> None:
    print(message, file=sys.stderr)
