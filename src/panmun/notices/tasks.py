"""The task worker's way into delivery: one task per notice, queued after the commit that wrote
it (`services.notice_queue`). A failed attempt queues the next one for its time where the
task backend can wait (the database backend: `run_after`); otherwise the sweep
(`panmun notices send`) picks it up when it is due."""

from django_tasks import task

from .delivery import notice_deliver
from .models import NoticeState


@task()
def deliver_notice(notice_id: int) -> str:
    notice = notice_deliver(notice_id)
    if notice is None:
        return "not due"
    if notice.state == NoticeState.CREATED and deliver_notice.get_backend().supports_defer:
        deliver_notice.using(run_after=notice.next_attempt_at).enqueue(notice.pk)
    return str(notice.state)
