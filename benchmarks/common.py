"""Helpers shared by the benchmark scripts: scores against a truth set, wall-clock timing,
peak memory, a line describing the machine, and Markdown tables.

Scripts in this folder import it after putting the folder on `sys.path`:

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from common import scores, timed
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
Link = tuple[str, str]


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    false_negatives: int


def scores(found: set[Link], truth: set[Link]) -> Scores:
    """Precision, recall and F1 of the pairs `found` against the true pairs."""
    tp = len(found & truth)
    fp, fn = len(found) - tp, len(truth) - tp
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, tp, fp, fn)


def timed(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> tuple[R, float]:
    """The result of `fn(*args, **kwargs)` and the wall-clock seconds it took."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def peak_rss_mib() -> float:
    """Peak resident memory so far of this process and of its (waited-for) children, MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    unit = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return (own + children) * unit / 2**20


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gib() -> float | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def machine() -> str:
    """One line: CPU, logical cores (all and usable), RAM, Python, OS, splink and duckdb."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    ram = _ram_gib()
    return (
        f"{_cpu_model()}; {os.cpu_count()} logical cores ({usable} usable); "
        f"{f'{ram:.1f} GiB RAM' if ram is not None else 'RAM unknown'}; "
        f"Python {platform.python_version()}; {platform.system()} {platform.release()}; "
        f"splink {_version('splink')}; duckdb {_version('duckdb')}"
    )


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value).replace("|", "\\|")


def table(rows: Sequence[Mapping[str, Any]]) -> str:
    """A Markdown table of `rows`, its columns those of the first row."""
    if not rows:
        return ""
    columns = list(rows[0])
    lines = [
        "| " + " | ".join(columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    lines += ["| " + " | ".join(_cell(row.get(c, "")) for c in columns) + " |" for row in rows]
    return "\n".join(lines)
