"""Acceptance 2: two Panmun nodes on loopback, the South's and the North's, each with its own
database and keys. Each signs and delivers its log over the HTTP API and cosigns the other's
checkpoints; the North's node goes down and comes back; nothing is lost or duplicated, and both
nodes hold the same receipts. Both nodes run as real servers (`panmun runserver`)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from panmun.liaison.ledger.bundle import verify_bundle

TOKEN_SCRIPT = """
from panmun.accounts.demo import demo_load
from panmun.accounts.models import User
from panmun.accounts.services import api_token_create
demo_load()
for name in ("liaison_s", "liaison_n"):
    print("token", name, api_token_create(actor=User.objects.get(username=name), name="node")[1])
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Node:
    def __init__(self, root: Path, side: str, port: int) -> None:
        self.root, self.side, self.port = root, side, port
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "panmun.config.settings.base",
            "PANMUN_HOME": str(root),
            "DATABASE_URL": f"sqlite:///{root / 'panmun.sqlite3'}",
            "PANMUN_LIAISON_SIDES": side,
            "PANMUN_LIAISON_KEY_DIR": str(root / "keys"),
            "PANMUN_LIAISON_PEER_TIMEOUT": "3",
            "LOG_LEVEL": "WARNING",
        }
        self.tokens: dict[str, str] = {}
        self.server: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def panmun(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "panmun.config.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self) -> None:
        self.server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "panmun.config.cli",
                "runserver",
                f"127.0.0.1:{self.port}",
                "--noreload",
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=(self.root / "server.log").open("ab"),
        )
        for _ in range(1200):
            if self.server.poll() is not None:
                log = (self.root / "server.log").read_text(errors="replace")[-3000:]
                raise AssertionError(f"the {self.side} node stopped:\n{log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"the {self.side} node did not start")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=20)
            self.server = None

    def call(self, method: str, path: str, payload: Any = None, as_user: str = "") -> Any:
        user = as_user or ("liaison_s" if self.side == "south" else "liaison_n")
        request = urllib.request.Request(
            f"{self.url}/api/v1/liaison{path}",
            data=None if payload is None else json.dumps(payload).encode(),
            method=method,
            headers={
                "Authorization": f"Bearer {self.tokens[user]}",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{method} {path}: {exc.code} {exc.read()!r}") from exc
        return (
            json.loads(body) if response.headers.get_content_type() == "application/json" else body
        )


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    base = tmp_path_factory.mktemp("two-nodes")
    south = Node(base / "south", "south", free_port())
    north = Node(base / "north", "north", free_port())
    south.root.mkdir()
    south.panmun("migrate", "--noinput", "-v", "0")
    north.root.mkdir()
    shutil.copy(south.root / "panmun.sqlite3", north.root / "panmun.sqlite3")
    # Tokens: each node issues one to its own officer (to drive it) and one to the other
    # side's officer (the other node delivers with it).
    for n in (south, north):
        for line in n.panmun("shell", "-c", TOKEN_SCRIPT).splitlines():
            if line.startswith("token "):
                _, name, raw = line.split()
                n.tokens[name] = raw
    for n in (south, north):
        n.panmun("liaison", "init")
        n.panmun("liaison", "keys", "--out", str(n.root / "keys.json"))
    south.panmun("liaison", "trust", str(north.root / "keys.json"))
    north.panmun("liaison", "trust", str(south.root / "keys.json"))
    south.env |= {
        "PANMUN_LIAISON_PEER_URL": north.url,
        "PANMUN_LIAISON_PEER_TOKEN": north.tokens["liaison_s"],
    }
    north.env |= {
        "PANMUN_LIAISON_PEER_URL": south.url,
        "PANMUN_LIAISON_PEER_TOKEN": south.tokens["liaison_n"],
    }
    south.start()
    north.start()
    yield south, north
    south.stop()
    north.stop()


def logs_of(n: Node) -> dict[str, dict[str, Any]]:
    return {item["side"]: item for item in n.call("GET", "/logs")}


def leaves_of(n: Node, side: str) -> list[str]:
    return n.call("GET", f"/node/logs/{side}/entries?start=0&limit=500")["leaves"]


def test_two_nodes_deliver_cosign_and_survive_one_going_down(nodes, tmp_path):
    south, north = nodes
    notice = {"kind": "notice", "body": {"subject": "근무 일정 통지", "text": "09:00 개시"}}
    assert south.call("POST", "/messages", notice)["index"] == 0
    south.call("POST", "/node/sync")
    assert logs_of(south)["south"]["cosigned_size"] == 1
    assert leaves_of(north, "south") == leaves_of(south, "south")

    reply = {
        "kind": "reply",
        "body": {"text": "잘 받았습니다."},
        "in_reply_to": {"side": "south", "index": 0},
    }
    assert north.call("POST", "/messages", reply)["index"] == 0
    north.call("POST", "/node/sync")
    assert logs_of(north)["north"]["cosigned_size"] == 1
    thread = south.call("GET", "/entries/south/0")
    assert [e["side"] for e in thread["entries"]] == ["south", "north"]
    assert thread["root"]["receipt"]["state"] == "answered"

    # The North's node goes down: the South keeps working, and its delivery waits.
    north.stop()
    for n in range(1, 4):
        body = {"subject": f"통지 {n}", "text": "북측 노드가 꺼진 동안 보냄"}
        assert south.call("POST", "/messages", {"kind": "notice", "body": body})["index"] == n
    south.call("POST", "/node/sync")
    south.call("POST", "/node/sync")
    state = logs_of(south)["south"]
    assert (state["size"], state["waiting"], state["cosigned_size"]) == (4, 3, 1)
    assert "unreachable" in state["last_error"]

    # It comes back: everything is delivered once, in order, and cosigned.
    north.start()
    south.call("POST", "/node/sync")
    state = logs_of(south)["south"]
    assert (state["size"], state["waiting"], state["cosigned_size"], state["last_error"]) == (
        4,
        0,
        4,
        "",
    )
    south_leaves = leaves_of(south, "south")
    assert leaves_of(north, "south") == south_leaves
    assert [json.loads(x)["index"] for x in south_leaves] == [0, 1, 2, 3]
    assert logs_of(north)["south"]["size"] == 4
    south.call("POST", "/node/sync")  # a retry after success sends nothing twice
    assert len(leaves_of(north, "south")) == 4

    # Both nodes hold the same receipts, for both logs.
    for side in ("south", "north"):
        held_s = south.call("GET", f"/node/logs/{side}")
        held_n = north.call("GET", f"/node/logs/{side}")
        assert held_s["receipt"] == held_n["receipt"]
        assert held_s["receipt"] is not None

    # Either node's bundle of the South's log verifies, and they are the same record.
    for n in (south, north):
        data = n.call("GET", "/logs/south/bundle")
        path = tmp_path / f"south-from-{n.side}.zip"
        path.write_bytes(data)
        report = verify_bundle(path)
        assert report.ok, [f.line() for f in report.findings]
        assert report.size == 4
