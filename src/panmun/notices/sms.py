"""Text messages (SMS): the interface of a gateway and its implementations. The one in use is
named by the setting PANMUN_SMS_BACKEND (a dotted path):

- `ConsoleSmsBackend` — writes the message to the log (development and the demo);
- `LocmemSmsBackend` — keeps it in `outbox` (the tests; as Django's locmem e-mail backend);
- `HttpSmsBackend` — POSTs it as JSON to PANMUN_SMS_URL with the bearer token PANMUN_SMS_TOKEN.

A backend returns the gateway's reference for the message, or raises `DeliveryError`."""

from __future__ import annotations

import json
import logging
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """The channel did not take the message (unreachable, refused, timed out)."""


class SmsBackend:
    """A gateway for text messages."""

    def send(self, to: str, text: str) -> str:
        """Send `text` to the number `to` (international form); return the gateway's reference
        for it, or raise `DeliveryError`."""
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    def send(self, to: str, text: str) -> str:
        ref = f"console-{secrets.token_hex(6)}"
        logger.info("SMS to %s (%s):\n%s", to, ref, text)
        return ref


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str
    ref: str


#: The messages `LocmemSmsBackend` has sent, oldest first (tests empty it).
outbox: list[SmsMessage] = []


class LocmemSmsBackend(SmsBackend):
    def send(self, to: str, text: str) -> str:
        ref = f"locmem-{len(outbox) + 1}"
        outbox.append(SmsMessage(to=to, text=text, ref=ref))
        return ref


class HttpSmsBackend(SmsBackend):
    """A gateway over HTTP: ``POST PANMUN_SMS_URL`` with ``{"to": ..., "text": ...}`` and
    ``Authorization: Bearer PANMUN_SMS_TOKEN``; any 2xx answer is taken, its JSON ``id`` (if
    any) is the reference; anything else, or no answer within PANMUN_SMS_TIMEOUT seconds, is a
    `DeliveryError`."""

    def send(self, to: str, text: str) -> str:
        url = settings.PANMUN_SMS_URL
        if not url:
            raise DeliveryError("PANMUN_SMS_URL is not set")
        request = urllib.request.Request(  # noqa: S310 - the gateway's URL comes from settings
            url,
            data=json.dumps({"to": to, "text": text}, ensure_ascii=False).encode("utf-8"),
            method="POST",
            headers={
                "Authorization": f"Bearer {settings.PANMUN_SMS_TOKEN}",
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(  # noqa: S310
                request, timeout=settings.PANMUN_SMS_TIMEOUT
            ) as response:
                status = response.status
                raw = response.read(65536)
        except urllib.error.HTTPError as exc:
            detail = exc.read(500).decode("utf-8", "replace")
            raise DeliveryError(f"HTTP {exc.code}: {detail}".strip()) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise DeliveryError(f"unreachable: {exc}") from exc
        if not 200 <= status < 300:
            raise DeliveryError(f"HTTP {status}")
        try:
            answer = json.loads(raw or b"null")
        except ValueError:
            answer = None
        ref = answer.get("id") if isinstance(answer, dict) else None
        return str(ref) if ref is not None else ""


def sms_backend() -> SmsBackend:
    """The backend PANMUN_SMS_BACKEND names."""
    backend: SmsBackend = import_string(settings.PANMUN_SMS_BACKEND)()
    return backend
