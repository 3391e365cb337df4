"""The kinds of job Panmun can run, each a function `(job, progress) -> result dict`.

A job's function does its writes inside one transaction (all-or-nothing) and reports progress
through the `Progress` it is given. Apps register their kinds in their `jobs.py` module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class JobKind:
    name: str
    title_ko: str
    title_en: str
    run: Callable[..., dict[str, Any]]
    # Checks the parameters before a job is queued; raises DomainError on bad input.
    validate: Callable[[dict[str, Any]], dict[str, Any]]

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_ko


KINDS: dict[str, JobKind] = {}


def register(
    name: str,
    *,
    title_ko: str,
    title_en: str,
    validate: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Callable[[Callable[..., dict[str, Any]]], Callable[..., dict[str, Any]]]:
    def decorator(func: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        KINDS[name] = JobKind(name, title_ko, title_en, func, validate or (lambda p: p))
        return func

    return decorator
