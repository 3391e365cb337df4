"""`panmun serve`, the production server (issue 16, item 10): with the production settings, as
docs/production.md runs them, the sign-in page, the home page and the static files answer (not
`Missing staticfiles manifest entry` → 500), since `serve` collects the static files first; the
worker and the runner run beside gunicorn; SIGTERM stops them all.

The test runs the real command in a process of its own, on a free port, with PANMUN_HOME and
STATIC_ROOT in a temporary folder and a freshly migrated SQLite database (allowed on purpose:
PANMUN_ALLOW_SQLITE). Requests come from 127.0.0.1, a trusted proxy by default, saying
`X-Forwarded-Proto: https` as nginx would."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_serve_demo import _alive, _children, _free_port, _wait_for

PANMUN = [sys.executable, "-m", "panmun.config.cli"]
PASSWORD = "a-long-production-password-9"


def _env(home: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        PANMUN_HOME=str(home),
        DJANGO_SETTINGS_MODULE="panmun.config.settings.production",
        SECRET_KEY="production-test-" + "k" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        PANMUN_ALLOW_SQLITE="true",
        STATIC_ROOT=str(home / "collected-static"),
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="WARNING",
    )
    return env


class Browser:
    """Just enough of a browser over plain HTTP behind a 'proxy' that says HTTPS: it keeps
    cookies (Secure ones included) and sends the Origin Django's CSRF check wants."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, {k.lower(): v for k, v in response.getheaders()}, content
        finally:
            connection.close()

    def answers(self) -> bool:
        try:
            return self.request("GET", "/login/")[0] == 200
        except OSError:
            return False


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("panmun-production")
    env = _env(path)
    subprocess.run([*PANMUN, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=180)
    subprocess.run(
        [*PANMUN, "createsuperuser", "--noinput", "--username", "chief", "--email", "c@x.invalid"],
        env={**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
        check=True,
        timeout=60,
    )
    return path


@pytest.fixture
def served(home: Path) -> Iterator[tuple[subprocess.Popen[str], list[str], int]]:
    port = _free_port()
    process = subprocess.Popen(
        [*PANMUN, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)

    threading.Thread(target=read, daemon=True).start()
    try:
        yield process, output, port
    finally:
        left = _children(process.pid)
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in left:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_production_serves_pages_and_static_files_and_sigterm_stops_everything(
    served, home: Path
) -> None:
    process, output, port = served
    browser = Browser(port)
    _wait_for("the sign-in page", browser.answers, output, timeout=120)
    assert any((home / "collected-static").rglob("staticfiles.json"))

    status, _, login = browser.request("GET", "/login/")
    assert status == 200
    stylesheet = re.search(rb'href="(/static/web/panmun\.[0-9a-f]{12}\.css)"', login)
    assert stylesheet is not None, login[:2000]
    status, headers, css = browser.request("GET", stylesheet.group(1).decode())
    assert status == 200 and headers["content-type"].startswith("text/css") and css
    assert browser.request("GET", "/static/web/no-such-file.css")[0] == 404

    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', login)
    assert token is not None
    status, headers, _ = browser.request(
        "POST",
        "/login/",
        {"username": "chief", "password": PASSWORD, "csrfmiddlewaretoken": token.group(1).decode()},
    )
    assert status == 302, output
    status, _, page = browser.request("GET", "/")
    assert status == 200
    assert b"chief" in page

    children = _children(process.pid)
    commands = sorted(children.values())
    assert len(children) == 3, commands
    assert any("gunicorn panmun.config.wsgi:application" in cmd for cmd in commands)
    assert any("config.cli worker" in cmd for cmd in commands)
    assert any("liaison run" in cmd for cmd in commands)
    everyone = set(children)
    for pid in children:
        everyone |= set(_children(pid))  # gunicorn's own workers

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    _wait_for("every child to stop", lambda: not [p for p in everyone if _alive(p)], output, 15)
    assert any("SIGTERM: stopping every child" in line for line in output)


def test_serve_refuses_a_database_without_its_migrations(tmp_path: Path) -> None:
    result = subprocess.run(
        [*PANMUN, "serve", "--bind", f"127.0.0.1:{_free_port()}"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "run `panmun migrate` first" in result.stderr
    assert "마이그레이션" in result.stderr
    assert not (tmp_path / "collected-static").exists()


def test_serve_runs_sync_workers_with_the_application_frozen():
    """The defaults measured best on the 2-core machine (docs/benchmarks.md §8.3): cores + 1
    sync workers, the application loaded once and frozen out of the workers' collections."""
    import gc

    from panmun.web import gunicorn_hooks
    from panmun.web.management.commands.serve import default_workers, gunicorn_argv

    argv = gunicorn_argv(
        bind="127.0.0.1:0", workers=default_workers(), threads=1, timeout=60, access_log=False
    )
    assert argv[argv.index("--worker-class") + 1] == "sync"
    assert argv[argv.index("--config") + 1] == "python:panmun.web.gunicorn_hooks"
    assert default_workers() == (os.cpu_count() or 1) + 1
    try:
        gunicorn_hooks.when_ready(None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
