"""The duplicates model retrained from the reviewers' labels (the job `families.linkage_retrain`).

The registry is read as the duplicates search reads it, the model is trained by EM and the
labels (`linkage.learning.retrain`), with its F1 on the labelled pairs by cross-validation,
then saved as the next version of `DUPLICATES_MODEL` in the linkage model store and
recorded as a `LinkageModelVersion`. The duplicates search uses the latest version from then
on. Like the search, the long part holds no transaction; the row is written at the end.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode
from panmun.families.access import can_edit_registry
from panmun.jobs.progress import Progress

from ..models import LabelSet, LinkageLabel, LinkageModelVersion
from ..selectors.teaching import DUPLICATES_MODEL
from . import labels
from .duplicates import registry_records


def labels_check() -> None:
    """Nothing to learn from without a label: refused before a job is queued."""
    if not LinkageLabel.objects.filter(label_set=LabelSet.DUPLICATES).exists():
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "학습할 판정이 없습니다. 먼저 쌍을 판정하십시오.",
            "There are no labels to learn from: answer some pairs first.",
            {"labels": 0},
        )


def retrain_params(params: dict[str, Any]) -> dict[str, Any]:
    """The retraining job takes no parameters, and needs labels."""
    if params:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "이 작업은 매개변수를 받지 않습니다.",
            "This job takes no parameters.",
            {"field": "params", "allowed": []},
        )
    labels_check()
    return {}


def duplicates_retrain(*, actor: User | None, progress: Any = None) -> dict[str, Any]:
    """Retrain the duplicates model from the labels; its version and figures."""
    # Splink, DuckDB and pandas: loaded when the job runs, not with every page.
    from panmun.linkage import learning  # noqa: PLC0415
    from panmun.linkage.model import ModelStore  # noqa: PLC0415

    if actor is not None:
        require_authenticated(actor)
        require(can_edit_registry(actor))
    progress = progress or Progress()
    labels_check()
    given = labels.duplicate_labels()
    named = {int(label.left_id) for label in given} | {int(label.right_id) for label in given}
    records = registry_records(progress, also=named)
    progress.start(1, "학습과 교차 검증 / training and cross-validating")
    retrained = learning.retrain(records, None, given)
    progress.advance(1)
    progress.start(1, "모형 저장 / saving the model")
    store = ModelStore(Path(settings.PANMUN_LINKAGE_MODELS_DIR))
    stored = store.save(retrained.model, DUPLICATES_MODEL)
    cv = retrained.cross_validation
    same = sum(label.same for label in given)
    with transaction.atomic():
        version, _created = LinkageModelVersion.objects.update_or_create(
            name=DUPLICATES_MODEL,
            number=stored.number,
            defaults={
                "digest": retrained.model.version,
                "label_set": LabelSet.DUPLICATES,
                "records": len(records),
                "labels_same": same,
                "labels_different": len(given) - same,
                "folds": cv.folds if cv else None,
                "precision": cv.precision if cv else None,
                "recall": cv.recall if cv else None,
                "f1": cv.f1 if cv else None,
                "trained_by": actor,
                "trained_at": timezone.now(),
            },
        )
        result = {
            "model": version.name,
            "version": version.number,
            "digest": version.digest,
            "records": version.records,
            "labels_same": version.labels_same,
            "labels_different": version.labels_different,
            "f1": None if cv is None else round(cv.f1, 3),
            "precision": None if cv is None else round(cv.precision, 3),
            "recall": None if cv is None else round(cv.recall, 3),
            "folds": None if cv is None else cv.folds,
        }
        audit.record(
            actor=actor,
            action="families.duplicates.retrain",
            obj=version,
            changes=result,
        )
    progress.advance(1)
    return result
