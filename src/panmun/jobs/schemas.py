from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from ninja import Field, Schema

from panmun.common.api_schemas import OneOf

from .models import Job, JobState


class JobIn(Schema):
    kind: str = Field(min_length=1, max_length=80, examples=["dialogue.export"])
    params: dict[str, Any] = Field(default_factory=dict)


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    state: Annotated[str, OneOf(JobState.values)]
    progress_done: int
    progress_total: int
    percent: int
    stage: str
    result: dict[str, Any]
    error: dict[str, Any]
    has_file: bool
    created_by: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    heartbeat_at: dt.datetime | None = Field(
        description="When the worker running it last renewed its lease."
    )
    lease_until: dt.datetime | None = Field(
        description="A running job whose lease has passed has lost its worker: it is failed."
    )
    retry_of: uuid.UUID | None = Field(description="The failed job this one starts again.")

    @staticmethod
    def resolve_has_file(job: Job) -> bool:
        return bool(job.result_file)

    @staticmethod
    def resolve_created_by(job: Job) -> str:
        return job.created_by.get_username()

    @staticmethod
    def resolve_retry_of(job: Job) -> uuid.UUID | None:
        return job.retry_of_id
