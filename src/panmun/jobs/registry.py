"""The kinds of job Panmun can run, each a function `(job, progress) -> result dict`.

Apps register their kinds in their `tasks.py` module with `register(...)`, which names who may
start the kind (`allowed`, a predicate from its app's `access.py`: it alone decides) and how its
parameters are checked (`validate`, raising DomainError before anything is queued).

Transactions: the contract between a kind and `runner.job_run`
-----------------------------------------------------------------
- `atomic=True` (the default): the runner calls the function inside one `transaction.atomic()`
  and marks the job succeeded in that same transaction. Everything the function writes commits
  together or, on any exception, not at all. The price: the `Progress` updates of the Job row are
  part of that transaction too, so nobody else sees them before the end (PostgreSQL shows the
  old row; SQLite, whose transactions take the write lock first, makes every other writer wait),
  and the page shows 0% until it jumps to 100%. Fine for short jobs.
- `atomic=False`: for long jobs. The runner calls the function outside any transaction, so each
  progress update commits at once and other connections (the job page's htmx polling, the API)
  see it while the job runs. The function then owns its transactions, and must:
  1. do its long work without holding a write transaction open (reading in bounded chunks in
     autocommit is fine; writing to a temporary file is fine);
  2. make all of its writes to the database and to the job (its `result_file`, rows of its own
     app, the audit entry) inside ONE `with transaction.atomic():` block at the end, so that a
     failure still leaves nothing half-written (the block is rolled back; a `result_file`
     already stored is deleted by the runner, which records the failure);
  3. not call `job.save()` (the in-memory Job holds stale progress): set the file with
     `job.result_file.save(name, content, save=False)` and write the column with
     `Job.objects.filter(pk=job.pk).update(result_file=job.result_file.name)`;
  4. return the result dict; the runner marks the job succeeded right after.
  Reads spread over several statements see the data as each statement finds it: a change made
  meanwhile may or may not be in the result (an export is "the registry as it was while it was
  being read"). A kind that needs one snapshot must stay atomic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from panmun.common.bilingual import tr
from panmun.common.errors import DomainError, ErrorCode


@dataclass(frozen=True)
class JobKind:
    name: str
    title_ko: str
    title_en: str
    run: Callable[..., dict[str, Any]]
    # Checks the parameters before a job is queued; raises DomainError on bad input.
    validate: Callable[[dict[str, Any]], dict[str, Any]]
    # Who may start it (a predicate from its app's access.py).
    allowed: Callable[[Any], bool]
    # Run inside one transaction (see the module's docstring for the contract of False).
    atomic: bool = True
    # A kind started from a page with a file: reads the request's files into the parameters
    # (`validate` then checks them), refusing a file it cannot take with a DomainError.
    read_upload: Callable[[Any], dict[str, Any]] | None = None
    # The template of the form that starts this kind on the jobs page ("" = not started there).
    start_form: str = ""

    def title(self, language: str) -> str:
        return str(tr(self.title_ko, self.title_en, language))


KINDS: dict[str, JobKind] = {}


def no_parameters(params: dict[str, Any]) -> dict[str, Any]:
    """The validator of a kind that takes no parameters."""
    if params:
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
    atomic: bool = True,
    read_upload: Callable[[Any], dict[str, Any]] | None = None,
    start_form: str = "",
) -> Callable[[Callable[..., dict[str, Any]]], Callable[..., dict[str, Any]]]:
    """Register a kind of job (see the module's docstring for `allowed` and `atomic`)."""

    def decorator(func: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        KINDS[name] = JobKind(
            name, title_ko, title_en, func, validate, allowed, atomic, read_upload, start_form
        )
        return func

    return decorator
