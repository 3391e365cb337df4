"""Registry test data, written through the real services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from panmun.accounts.models import User

from ..models import Person, Seeking
from ..services import registry

_numbers = itertools.count(1)


def applicant(actor: User, **fields: Any) -> Person:
    values: dict[str, Any] = {
        "registry_no": f"T-{next(_numbers):06d}",
        "family_name": "김",
        "given_name": "영수",
        "sex": "M",
        "birth_date": "1935-03-02",
        "birth_calendar": "solar",
        "status": "alive",
        "address": "서울특별시 종로구",
        "registered_on": dt.date(1988, 7, 1),
        "consent_share": True,
        "consent_on": dt.date(2020, 1, 1),
    }
    values.update(fields)
    return registry.person_save(actor=actor, person=Person(**values))


def relative(actor: User, of: Person, relation: str = "sibling", **fields: Any) -> Seeking:
    values: dict[str, Any] = {
        "family_name": "이",
        "given_name": "선권",
        "sex": "M",
        "birth_date": "1940",
        "hometown": "함경남도 혜산",
        "father_name": "이만수",
    }
    link = {k: fields.pop(k) for k in ("last_known_place", "separated_on", "notes") if k in fields}
    values.update(fields)
    return registry.seeking_add(
        actor=actor,
        applicant=of,
        sought=Person(**values),
        seeking=Seeking(relation=relation, **link),
    )


def round_apply_approved(*, officer: User, approver: User, tracing_round: Any) -> dict[str, int]:
    """Apply a tracing round the way the programme does it: the officer asks for approval
    (결재), a supervisor of the same side approves, then the officer applies."""
    from panmun.accounts import signoffs

    from ..services import tracing

    signoff = tracing.round_apply_request(actor=officer, tracing_round=tracing_round)
    signoffs.signoff_decide(actor=approver, signoff=signoff, approve=True)
    return tracing.round_apply(actor=officer, tracing_round=tracing_round)
