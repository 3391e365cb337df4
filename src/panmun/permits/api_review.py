"""/api/v1/permits/review/: what the ministry does: queues, assignment, decisions (one or in
bulk), policy exceptions, statistics; the other side's view of its invitations."""

from ninja import Router

router = Router(tags=["permits"])
