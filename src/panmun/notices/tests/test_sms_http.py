"""The HTTP gateway against a local server: 2xx is delivered, anything else a DeliveryError."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import transaction

from panmun.notices.models import Notice, NoticeState
from panmun.notices.sms import DeliveryError, HttpSmsBackend


class Gateway(ThreadingHTTPServer):
    status = 200
    answer: bytes = b'{"id": "msg-42"}'
    received: list[dict[str, Any]]


class Handler(BaseHTTPRequestHandler):
    server: Gateway

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.server.received.append(
            {
                "path": self.path,
                "authorization": self.headers["Authorization"],
                "body": json.loads(self.rfile.read(length)),
            }
        )
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.server.answer)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def gateway(settings) -> Iterator[Gateway]:
    server = Gateway(("127.0.0.1", 0), Handler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PANMUN_SMS_BACKEND = "panmun.notices.sms.HttpSmsBackend"
    settings.PANMUN_SMS_URL = f"http://127.0.0.1:{server.server_address[1]}/send"
    settings.PANMUN_SMS_TOKEN = "s3cret"
    yield server
    server.shutdown()
    server.server_close()


def test_a_2xx_answer_is_delivered_with_the_gateways_reference(gateway):
    assert HttpSmsBackend().send("+821012345678", "안녕하세요\n\nHello") == "msg-42"
    assert gateway.received == [
        {
            "path": "/send",
            "authorization": "Bearer s3cret",
            "body": {"to": "+821012345678", "text": "안녕하세요\n\nHello"},
        }
    ]


def test_a_500_is_a_delivery_error(gateway):
    gateway.status = 500
    gateway.answer = b'{"error": "queue full"}'
    with pytest.raises(DeliveryError, match=r"HTTP 500: .*queue full"):
        HttpSmsBackend().send("+821012345678", "text")


def test_no_gateway_is_a_delivery_error(settings):
    settings.PANMUN_SMS_URL = "http://127.0.0.1:9/send"  # the discard port: nothing listens
    with pytest.raises(DeliveryError, match="unreachable"):
        HttpSmsBackend().send("+821012345678", "text")


@pytest.mark.django_db
def test_a_notice_through_the_gateway(gateway, queue_sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        queue_sms()
    notice = Notice.objects.get()
    assert (notice.state, notice.provider_ref) == (NoticeState.DELIVERED, "msg-42")
    assert gateway.received[0]["body"]["text"].startswith("[교류협력 승인]")

    gateway.status = 503
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        queue_sms(topic="permits.approval:13")
    notice = Notice.objects.get(topic="permits.approval:13")
    assert (notice.state, notice.attempts) == (NoticeState.CREATED, 1)
    assert notice.last_error.startswith("HTTP 503")
