"""Serve Panmun in production: gunicorn, the task worker and the liaison runner, each a child
process kept running by `panmun.web.supervisor` (as `serve-demo` does), all stopped on SIGTERM.

Before it starts them it refuses a database with unapplied migrations (run `panmun migrate`)
and collects the static files into STATIC_ROOT (`collectstatic`: the production settings serve
them under hashed names, and a page whose stylesheet is missing from the manifest answers 500).
See docs/production.md."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from panmun.web.supervisor import Child, Supervisor, background_children

#: gunicorn's own wait for its workers to finish their requests on SIGTERM; shorter than the
#: supervisor's grace period, so that the server stops before it would be killed.
GRACEFUL_TIMEOUT_S = 8


def default_workers() -> int:
    """cores + 1 sync workers: each request is CPU in Django and in PostgreSQL on the same
    machine, and one more worker than cores keeps the cores busy while a worker waits for
    PostgreSQL. Measured in `benchmarks/load.py` on 2 cores (docs/benchmarks.md §8.3): 3 sync
    workers 316–359 requests/s at p99 117–141 ms; 4 sync workers 302–324 at 129–146 ms; 5
    gthread workers of 4 threads, the earlier default, 336 at p99 292 ms."""
    return (os.cpu_count() or 1) + 1


def gunicorn_argv(
    *, bind: str, workers: int, threads: int, timeout: int, access_log: bool
) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "panmun.config.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        # The URLconf, the API and the catalogues are loaded once, before the workers fork,
        # and frozen out of the workers' garbage collections (`gunicorn_hooks.when_ready`).
        "--preload",
        "--config",
        "python:panmun.web.gunicorn_hooks",
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        str(GRACEFUL_TIMEOUT_S),
        # A worker is replaced after this many requests (spread out), so none grows for ever;
        # not more often: each new one starts with empty caches and a new connection.
        "--max-requests",
        "20000",
        "--max-requests-jitter",
        "2000",
        "--no-control-socket",
    ]
    if access_log:
        argv += ["--access-logfile", "-"]
    return argv


class Command(BaseCommand):
    help = (
        "Serve Panmun with gunicorn, the task worker and the liaison runner (each started again "
        "if it stops; SIGTERM stops them all), after checking migrations and collecting the "
        "static files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=settings.PANMUN_SERVE_BIND,
            help="address:port or unix:/path (PANMUN_SERVE_BIND; default 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.PANMUN_SERVE_WORKERS or default_workers(),
            help="web worker processes (PANMUN_SERVE_WORKERS; default cores + 1)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.PANMUN_SERVE_THREADS,
            help="threads per worker (PANMUN_SERVE_THREADS; default 1: sync workers, behind "
            "nginx; more: gthread workers)",
        )
        parser.add_argument("--timeout", type=int, default=60, help="seconds per request")
        parser.add_argument("--access-log", action="store_true", help="log every request")
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="do not collect the static files first (they are already in STATIC_ROOT)",
        )
        parser.add_argument(
            "--web-only",
            action="store_true",
            help="run gunicorn alone (the worker and the runner are run elsewhere)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError(
                "--workers and --threads must be at least 1 / "
                "--workers와 --threads는 1 이상이어야 합니다."
            )
        self._check_migrations()
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
            self._say(f"Static files collected in {settings.STATIC_ROOT} / 정적 파일을 모았습니다.")
        web = Child(
            "web server",
            gunicorn_argv(
                bind=options["bind"],
                workers=options["workers"],
                threads=options["threads"],
                timeout=options["timeout"],
                access_log=options["access_log"],
            ),
        )
        children = [web] if options["web_only"] else [web, *background_children()]
        stops = "it" if options["web_only"] else "the server, the worker and the runner"
        self._say(
            f"Panmun serves on {options['bind']} with {options['workers']} worker(s) × "
            f"{options['threads']} thread(s) (settings {settings.SETTINGS_MODULE}); "
            f"SIGTERM stops {stops}."
        )
        if not settings.SETTINGS_MODULE.endswith(".production"):
            self._say(
                "Warning: not the production settings (DJANGO_SETTINGS_MODULE="
                "panmun.config.settings.production) / 경고: 운영 설정이 아닙니다."
            )
        Supervisor(children, write=self._say, name="serve").run()
        self._say("Stopped / 종료했습니다.")

    def _check_migrations(self) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        connection.close()
        if plan:
            raise CommandError(
                f"The database lacks {len(plan)} migration(s): run `panmun migrate` first / "
                f"데이터베이스에 적용되지 않은 마이그레이션이 {len(plan)}개 있습니다. "
                "먼저 `panmun migrate`를 실행하십시오."
            )

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
