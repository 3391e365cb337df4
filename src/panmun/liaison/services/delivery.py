"""Delivery of the local logs to the other side, and the receipts that come back.

- One node hosting both sides (the joint office): after each commit the other side, on the
  same node, verifies the new checkpoint and cosigns it at once.
- Two nodes: entries go to the other node over its API in index order (`POST .../entries`),
  then the checkpoint (`POST .../checkpoint`), answered by a cosignature. Anything that fails
  (node down, timeout, refusal) leaves the `Delivery` where it was, counts the failed attempt,
  and is tried again by the next delivery (`panmun liaison sync`, the `run` loop, or the task
  queued after the next entry): nothing is skipped, and the receiver's idempotent acceptance of
  entries it already holds means nothing is duplicated.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from panmun.common.errors import DomainError

from .. import node
from ..models import Checkpoint, Delivery, Entry, Log
from . import checkpoints

logger = logging.getLogger(__name__)

#: Entries sent per request.
BATCH = 200


class PeerError(Exception):
    """The other node could not be reached, or refused what was sent."""

    def __init__(self, message: str, status: int | None = None, body: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body


@dataclass(frozen=True)
class Delivered:
    side: str
    acknowledged: int
    cosigned: int
    error: str = ""


def _peer_call(method: str, path: str, payload: Any = None) -> Any:
    base = settings.PANMUN_LIAISON_PEER_URL.rstrip("/")
    data = None if payload is None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - the peer's URL comes from settings
        f"{base}/api/v1/liaison/node{path}",
        data=data,
        method=method,
        headers={
            "Authorization": f"Bearer {settings.PANMUN_LIAISON_PEER_TOKEN}",
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Accept-Language": "en",
        },
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.PANMUN_LIAISON_PEER_TIMEOUT
        ) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        try:
            body = json.loads(exc.read() or b"null")
        except ValueError:
            body = None
        message = body.get("message", "") if isinstance(body, dict) else ""
        raise PeerError(f"HTTP {exc.code}: {message}", exc.code, body) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise PeerError(f"unreachable: {exc}") from exc


def _details(exc: PeerError) -> dict[str, Any]:
    details = exc.body.get("details") if isinstance(exc.body, dict) else None
    return details if isinstance(details, dict) else {}


def _state(log: Log) -> Delivery:
    return Delivery.objects.get_or_create(log=log)[0]


def _push_entries(log: Log, delivery: Delivery) -> None:
    """Send entries from what the other node acknowledged, in order, until it holds all."""
    for _ in range(10_000):
        if delivery.acknowledged_size >= log.size:
            return
        batch = list(
            Entry.objects.filter(log=log, index__gte=delivery.acknowledged_size)
            .order_by("index")
            .values_list("leaf", flat=True)[:BATCH]
        )
        try:
            answer = _peer_call(
                "POST",
                f"/logs/{log.side}/entries",
                {"start": delivery.acknowledged_size, "leaves": batch},
            )
            held = int(answer["size"])
        except PeerError as exc:
            held_there = _details(exc).get("held")
            if exc.status == 409 and isinstance(held_there, int) and held_there < log.size:
                held = held_there  # the other node holds fewer than we thought: resend from there
            else:
                raise
        Delivery.objects.filter(pk=delivery.pk).update(acknowledged_size=held)
        delivery.acknowledged_size = held


def _push_checkpoint(log: Log, delivery: Delivery) -> None:
    checkpoint = checkpoints.checkpoint_sign(side=log.side)
    if checkpoint is None or checkpoint.cosigned_at is not None:
        return
    first = delivery.cosigned_size
    for _ in range(2):
        proof = checkpoints.consistency_from(log, first, checkpoint.size)
        try:
            answer = _peer_call(
                "POST",
                f"/logs/{log.side}/checkpoint",
                {"note": checkpoint.note, "proof": [checkpoints.b64(p) for p in proof]},
            )
            break
        except PeerError as exc:
            held = _details(exc).get("held_checkpoint_size")
            if exc.status == 409 and isinstance(held, int) and held != first:
                first = held  # prove consistency from the checkpoint the other node holds
                continue
            raise
    else:  # pragma: no cover - the loop breaks or raises
        return
    checkpoints.cosignature_accept(side=log.side, size=checkpoint.size, line=answer["cosignature"])
    Delivery.objects.filter(pk=delivery.pk).update(cosigned_size=checkpoint.size)


def deliver_locally(side: str) -> Delivered:
    """Both sides on this node: the other side cosigns the new checkpoint directly."""
    log = node.log_for(side)
    with transaction.atomic():
        checkpoint = checkpoints.checkpoint_sign(side=side)
        if checkpoint is not None and checkpoint.cosigned_at is None:
            checkpoints.checkpoint_cosign(
                actor=None, side=side, note_text=checkpoint.note, proof=None
            )
        Delivery.objects.update_or_create(
            log=log,
            defaults={
                "acknowledged_size": log.size,
                "cosigned_size": checkpoint.size if checkpoint else 0,
                "attempts": 0,
                "last_attempt_at": timezone.now(),
                "last_success_at": timezone.now(),
                "last_error": "",
            },
        )
    return Delivered(side, log.size, checkpoint.size if checkpoint else 0)


def deliver(side: str) -> Delivered:
    """Deliver a local log as far as it goes now; a failure is recorded, not raised."""
    if node.is_local(node.other(side)):
        return deliver_locally(side)
    log = node.log_for(side)
    delivery = _state(log)
    now = timezone.now()
    if not settings.PANMUN_LIAISON_PEER_URL:
        return Delivered(side, delivery.acknowledged_size, delivery.cosigned_size, "no peer")
    try:
        _push_entries(log, delivery)
        _push_checkpoint(log, delivery)
    except (PeerError, DomainError) as exc:
        logger.warning("liaison delivery of %s failed: %s", side, exc)
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=delivery.attempts + 1, last_attempt_at=now, last_error=str(exc)[:2000]
        )
        delivery.refresh_from_db()
        return Delivered(side, delivery.acknowledged_size, delivery.cosigned_size, str(exc))
    Delivery.objects.filter(pk=delivery.pk).update(
        attempts=0, last_attempt_at=now, last_success_at=now, last_error=""
    )
    delivery.refresh_from_db()
    return Delivered(side, delivery.acknowledged_size, delivery.cosigned_size)


def deliver_all() -> list[Delivered]:
    return [deliver(side) for side in node.local_sides()]


def pending(side: str) -> dict[str, Any]:
    """What the other side does not hold yet, for pages and the API."""
    log = node.log_for(side)
    delivery = Delivery.objects.filter(log=log).first()
    acknowledged = delivery.acknowledged_size if delivery else 0
    cosigned = delivery.cosigned_size if delivery else 0
    return {
        "size": log.size,
        "acknowledged": acknowledged,
        "cosigned": cosigned,
        "waiting": log.size - acknowledged,
        "attempts": delivery.attempts if delivery else 0,
        "last_error": delivery.last_error if delivery else "",
        "last_success_at": delivery.last_success_at if delivery else None,
    }


def latest_receipt(log: Log) -> Checkpoint | None:
    return checkpoints.latest_checkpoint(log, cosigned=True)
