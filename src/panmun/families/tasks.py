"""Background work on the registry, run as jobs (see panmun.jobs)."""

from __future__ import annotations

from typing import Any

from panmun.families.access import can_edit_registry, can_enter_replies, can_export_registry
from panmun.jobs.registry import register

from .services import duplicates, teaching
from .services.export import export_params, registry_export_job
from .services.registry import import_params, registry_import_job
from .services.tracing import reply_import_job, reply_import_params


@register(
    "families.duplicates",
    title_ko="등록부 중복 찾기",
    title_en="Find duplicates in the registry",
    allowed=can_edit_registry,
    atomic=False,  # minutes of reading and scoring, then one transaction (see jobs.registry)
)
def find_duplicates(job: Any, progress: Any) -> dict[str, Any]:
    """Score the registry against itself with the linkage engine; the pairs go to review.
    Its progress shows as it goes: reading the registry, training, scoring, writing."""
    # Imported here: every process registers the jobs at start-up, and the services bring the
    # PDF, Excel and linkage libraries (most of a second) that only the job itself needs.

    return duplicates.duplicates_find(actor=job.created_by, progress=progress)


def _retrain_params(params: dict[str, Any]) -> dict[str, Any]:

    return teaching.retrain_params(params)


@register(
    "families.linkage_retrain",
    title_ko="중복 찾기 모형 다시 학습",
    title_en="Retrain the duplicates model",
    allowed=can_edit_registry,
    validate=_retrain_params,
    atomic=False,  # reads and trains for a while, then writes one row (see jobs.registry)
)
def retrain_duplicates(job: Any, progress: Any) -> dict[str, Any]:
    """Train the duplicates model again from the reviewers' labels and EM, cross-validate it
    on the labelled pairs, and save it as the next version the duplicates search uses."""

    return teaching.duplicates_retrain(actor=job.created_by, progress=progress)


def _export_params(params: dict[str, Any]) -> dict[str, Any]:

    return export_params(params)


@register(
    "families.export",
    title_ko="등록부 내보내기",
    title_en="Export the registry",
    allowed=can_export_registry,  # personal data: officers and above, never a viewer
    validate=_export_params,
    atomic=False,  # reads for a while, writes once at the end (see jobs.registry)
)
def export_registry(job: Any, progress: Any) -> dict[str, Any]:
    """The registry as a CSV, Excel or PFIF file, streamed to the job's result file."""

    return registry_export_job(job=job, progress=progress)


def _import_params(params: dict[str, Any]) -> dict[str, Any]:

    return import_params(params)


@register(
    "families.import",
    title_ko="등록부 가져오기",
    title_en="Import a registry file",
    allowed=can_edit_registry,
    validate=_import_params,
    atomic=False,  # reads and checks the file for a while, then writes in one transaction
)
def import_registry(job: Any, progress: Any) -> dict[str, Any]:
    """A registry file uploaded on the import page, read row by row: all of it or nothing."""

    return registry_import_job(job=job, progress=progress)


def _reply_params(params: dict[str, Any]) -> dict[str, Any]:

    return reply_import_params(params)


@register(
    "families.reply_import",
    title_ko="생사확인 회보 가져오기",
    title_en="Import a reply list",
    allowed=can_enter_replies,
    validate=_reply_params,
    atomic=False,  # reads and checks the file, then locks the round for the writing alone
)
def import_replies(job: Any, progress: Any) -> dict[str, Any]:
    """A large reply list uploaded on the round's page: all of it or nothing."""

    return reply_import_job(job=job, progress=progress)
