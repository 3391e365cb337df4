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
    # Who may start it (a predicate from accounts.access).
    allowed: Callable[[Any], bool]

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_ko


KINDS: dict[str, JobKind] = {}


def no_parameters(params: dict[str, Any]) -> dict[str, Any]:
    """The validator of a kind that takes no parameters."""
    if params:
        from panmun.errors import DomainError, ErrorCode

        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"이 작업은 매개변수를 받지 않습니다: {', '.join(sorted(map(str, params)))}",
            f"This job takes no parameters: {', '.join(sorted(map(str, params)))}",
            {"field": "params"},
        )
    return {}


def register(
    name: str,
    *,
    title_ko: str,
    title_en: str,
    allowed: Callable[[Any], bool],
    validate: Callable[[dict[str, Any]], dict[str, Any]] = no_parameters,
) -> Callable[[Callable[..., dict[str, Any]]], Callable[..., dict[str, Any]]]:
    def decorator(func: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        KINDS[name] = JobKind(name, title_ko, title_en, func, validate, allowed)
        return func

    return decorator
