"""`panmun worker`: run queued jobs, through database errors, with a heartbeat (see
`panmun.jobs.worker`). Takes django-tasks' `db_worker` options."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from panmun.jobs.worker import GivenUp, SteadyWorker


class Command(DbWorkerCommand):
    help = (
        "Run queued jobs. A database error (a locked SQLite file, a lost PostgreSQL "
        "connection) is logged and waited out; the worker reports on the jobs page."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.set_defaults(reload=False)
        parser.add_argument(
            "--max-failures",
            type=int,
            default=None,
            help="Stop (and fail) after this many failed polls in a row (default: never).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = SteadyWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
            max_failures=options["max_failures"],
        )
        worker.configure_signals()
        try:
            worker.run()
        except GivenUp as exc:
            raise CommandError(str(exc)) from exc
