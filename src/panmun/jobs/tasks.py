"""The django-tasks entry point: the worker calls this with a Job's id."""

from django_tasks import task

from .runner import job_run


@task()
def run_job(job_id: str) -> str:
    return str(job_run(job_id).state)
