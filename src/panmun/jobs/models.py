"""A background job as users see it: what it does, who started it, its state and its progress.

The work itself runs through django-tasks (database backend, `panmun worker`); this row is
what pages, the API and the CLI show.
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from panmun.accounts.models import User


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=80)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=JobState.choices, default=JobState.QUEUED
    )
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), default=0)
    stage = models.CharField(_("stage"), max_length=200, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    result_file = models.FileField(_("result file"), upload_to="jobs/%Y/%m/", blank=True)
    error = models.JSONField(_("error"), default=dict, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="jobs"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    # While it runs, the worker renews the job's lease (see `lease.py`); a running job whose
    # lease has expired has lost its worker and is marked failed.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True, db_index=True)
    retry_of = models.ForeignKey(
        "self",
        verbose_name=_("retry of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retries",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_done__lte=F("progress_total")) | Q(progress_total=0),
                name="job_progress_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"

    @property
    def percent(self) -> int:
        if self.state == JobState.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(100 * self.progress_done / self.progress_total))

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)


class Heartbeat(models.Model):
    """A background process's sign of life: the task worker and the liaison runner each write
    theirs every few seconds (`heartbeat.py`), and the pages warn when it is missing or old.

    One row per process (name, host, pid); `every_s` is how often it promises to write, so a
    reader can tell a late process from a slow one."""

    process = models.CharField(_("process"), max_length=40)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"))
    beat_at = models.DateTimeField(_("last report"), db_index=True)
    every_s = models.PositiveIntegerField(_("reports every (seconds)"))
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)

    class Meta:
        ordering = ["-beat_at"]
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")
        constraints = [
            models.UniqueConstraint(fields=["process", "host", "pid"], name="heartbeat_one_row"),
        ]

    def __str__(self) -> str:
        return f"{self.process} {self.host}:{self.pid}"
