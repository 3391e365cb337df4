"""Run the demo: the task worker in the background and the web server in the foreground."""

import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from panmun.accounts.management.commands.load_demo import logins_text


class Command(BaseCommand):
    help = "Serve the demo on 127.0.0.1:8000 with a task worker (Ctrl-C stops both)."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, **options):
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "panmun.config.cli",
                "db_worker",
                "--interval",
                "0.5",
                "--no-reload",
            ]
        )
        # The joint office's contact calls (09:00 and 17:00 on weekdays) and its receipts.
        liaison = subprocess.Popen(
            [sys.executable, "-m", "panmun.config.cli", "liaison", "run", "--every", "60"],
            stdout=subprocess.DEVNULL,
        )
        url = f"http://{options['addr']}/"
        self.stdout.write(self.style.SUCCESS(f"\nPanmun is running at {url}"))
        self.stdout.write(f"API docs: {url}api/v1/docs")
        self.stdout.write(logins_text())
        self.stdout.write("Press Ctrl-C to stop the server and the task worker.\n")
        try:
            call_command("runserver", options["addr"], use_reloader=False)
        finally:
            liaison.terminate()
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
