"""Background work of the liaison record: delivering a log once an entry is committed."""

from django_tasks import task

from .services.delivery import deliver


@task()
def deliver_log(side: str) -> str:
    result = deliver(side)
    return result.error or f"{result.acknowledged}/{result.cosigned}"
