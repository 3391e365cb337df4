"""`panmun liaison export`: a log's bundle that anyone can verify with the bundle alone
(`panmun liaison verify`): its entries up to the last cosigned checkpoint, that checkpoint,
the public keys, and the inclusion and consistency proofs."""

from __future__ import annotations

from pathlib import Path

from panmun.common.errors import DomainError, ErrorCode

from .. import node
from ..ledger import bundle
from ..models import Entry
from .checkpoints import latest_checkpoint
from .keys import keys_published

#: How many earlier receipts the bundle proves consistency from.
EARLIER_RECEIPTS = 100


def export_bundle(*, side: str, target: Path) -> dict[str, int]:
    """Write the bundle of `side`'s log to `target` (a folder, or a .zip file)."""
    log = node.log_for(side)
    checkpoint = latest_checkpoint(log, cosigned=True)
    if checkpoint is None:
        raise DomainError(
            ErrorCode.CONFLICT,
            "상대측이 부서한 검증점이 아직 없어 내보낼 수 없습니다.",
            "Nothing to export yet: no checkpoint of this log has been cosigned.",
            {"side": side},
        )
    leaves = [
        text.encode("utf-8")
        for text in Entry.objects.filter(log=log, index__lt=checkpoint.size)
        .order_by("index")
        .values_list("leaf", flat=True)
    ]
    # Consistency proofs from the receipts before this one (the latest EARLIER_RECEIPTS): a
    # holder of any of them can check that the log only grew since.
    earlier = sorted(
        log.checkpoints.filter(size__lt=checkpoint.size)
        .exclude(cosigned_at=None)
        .order_by("-size")
        .values_list("size", flat=True)[:EARLIER_RECEIPTS]
    )
    bundle.write_bundle(
        target,
        leaves=leaves,
        checkpoint_note=checkpoint.note,
        keys=keys_published(),
        earlier_sizes=earlier,
    )
    return {"entries": len(leaves), "size": checkpoint.size, "earlier": len(earlier)}
