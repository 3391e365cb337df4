"""Approvals at the ministry's end for the review tests and the permission matrix: filed by an
applicant and submitted, some taken up or decided; a North organisation invited the visit."""

from __future__ import annotations

from typing import Any

from panmun.accounts.models import Organisation, User

from ..models import Application, Approval
from ..services.moves import approval_transition
from .factories import complete_application

TEXT = {"ko": "사유", "en": "A reason"}
#: The steps from a draft to each state, and who takes each.
STEPS = {
    "submitted": [("submit", "firm")],
    "under_review": [("submit", "firm"), ("start_review", "ministry")],
    "info_requested": [
        ("submit", "firm"),
        ("start_review", "ministry"),
        ("request_info", "ministry"),
    ],
    "approved": [("submit", "firm"), ("start_review", "ministry"), ("approve", "ministry")],
    "refused": [("submit", "firm"), ("start_review", "ministry"), ("refuse", "ministry")],
}


def north_organisation() -> Organisation:
    """The North's Red Cross of the demo (the `redcross_n` persona's), which invites visits."""
    return Organisation.objects.get(side__code="north", kind="red_cross")


def submitted(
    personas: dict[str, User],
    kinds: list[str] | None = None,
    *,
    state: str = "submitted",
    people: int = 1,
    **changes: Any,
) -> Application:
    """An application of `firm`, each of its approvals moved to `state`."""
    application = complete_application(personas["firm"], kinds, people=people, **changes)
    for approval in application.approvals.all():
        for move, who in STEPS[state]:
            approval = approval_transition(
                actor=personas[who], approval=approval, move=move, **TEXT
            )
    return application


def one(application: Application, kind: str = "visit") -> Approval:
    return application.approvals.select_related("application").get(kind=kind)


def review_world(personas: dict[str, User]) -> dict[str, Any]:
    """For the permission matrix: a visit under review (invited by the North's Red Cross), one
    submitted, one approved; their ids by placeholder name."""
    north = north_organisation()
    reviewing = submitted(personas, state="under_review", north_organisation_id=north.pk)
    waiting = submitted(personas)
    approved = submitted(personas, state="approved")
    return {
        "pkind": "visit",
        "papproval": one(reviewing).pk,
        "psubmitted": one(waiting).pk,
        "papproved": one(approved).pk,
    }
