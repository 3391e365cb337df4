"""Run the demo: the web server, the task worker and the liaison runner, each a child process
that is started again when it stops (with a message, and a growing wait if it keeps stopping),
and all stopped on SIGTERM or SIGINT (Ctrl-C)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from panmun.web.supervisor import Child, Supervisor, background_children, panmun

from .load_demo import logins_text


class Command(BaseCommand):
    help = (
        "Serve the demo on 127.0.0.1:8000 with the task worker and the liaison runner; "
        "a child that stops is started again; Ctrl-C or SIGTERM stops them all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        children = [
            Child("web server", panmun("runserver", options["addr"], "--noreload")),
            *background_children(),
        ]
        url = f"http://{options['addr']}/"
        self.stdout.write(self.style.SUCCESS(f"\nPanmun is running at {url}"))
        self.stdout.write(f"API docs: {url}api/v1/docs")
        self.stdout.write(logins_text())
        self.stdout.write("Press Ctrl-C to stop the server, the task worker and the runner.\n")
        Supervisor(children, write=self._say, name="serve-demo").run()
        self._say("Stopped / 종료했습니다.")

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
