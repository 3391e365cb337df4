"""Sending: an entry appended to a local side's log (`log`) and delivered to the other side
(`delivery`), in one transaction — how every liaison service writes to the record.

The services import one way: `log` (entries), `checkpoints`, `delivery` (to the other side),
then `..tasks` (delivery in the background) and this module; `messages`, `calls`, `keys` and
`export` sit above.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction

from panmun.accounts.models import User

from .. import node
from ..models import Entry
from ..tasks import deliver_log
from . import delivery
from . import log as logs


@transaction.atomic
def entry_send(
    *,
    side: str,
    kind: str,
    body: Mapping[str, Any],
    in_reply_to: Entry | None = None,
    author: User | None = None,
    at: datetime | None = None,
) -> Entry:
    """Sign and append one entry to a local side's log (`log.entry_append`), then deliver it
    (`deliver_after`)."""
    row = logs.entry_append(
        side=side, kind=kind, body=body, in_reply_to=in_reply_to, author=author, at=at
    )
    deliver_after(side)
    return row


@transaction.atomic
def entries_send_batch(
    *,
    side: str,
    items: Sequence[tuple[str, Mapping[str, Any]]],
    author: User | None = None,
    at: datetime | None = None,
) -> int:
    """Sign and append many entries at once (`log.entries_append_batch`), then deliver them
    (`deliver_after`). Returns the log's new size."""
    size = logs.entries_append_batch(side=side, items=items, author=author, at=at)
    deliver_after(side)
    return size


def deliver_after(side: str) -> None:
    """After an entry is appended: with both sides on this node, the other side cosigns at
    once, in the same transaction (the entry and its receipt stand or fall together); with a
    peer, delivery is queued as a background task once the transaction has committed."""
    if node.is_local(node.other(side)):
        delivery.deliver_locally(side)
        return

    def queue() -> None:
        deliver_log.enqueue(side)

    transaction.on_commit(queue)
