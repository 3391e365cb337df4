"""Reunion test data, made through the real services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from panmun.families.services import tracing
from panmun.families.tests.factories import applicant, relative

from ..criteria import default_criteria
from ..models import Candidate, ReunionRound
from ..services import selection


def final_round(
    personas: dict[str, Any],
    *,
    kind: str = "in_person",
    number: int = 90,
    addresses: Sequence[str] = ("부산광역시 해운대구 우동",),
    starts_on: dt.date = dt.date(2027, 3, 1),
    days: int = 3,
) -> ReunionRound:
    """A round taken through every stage to its final list, one family per address given: the
    applicants are listed in a stratum of their own, so other records in the database stay out."""
    supervisor, officer = personas["supervisor"], personas["redcross_s"]
    seekers = []
    for n, address in enumerate(addresses):
        seeker = applicant(
            officer, given_name=f"상봉{number}-{n}", address=address, birth_date=str(1930 + n % 20)
        )
        relative(officer, seeker, relation="child", given_name=f"자녀{number}-{n}")
        seekers.append(seeker)
    criteria = default_criteria(dt.date(2026, 11, 23), 1)
    criteria["strata"] = [
        {
            "name": "지정",
            "places": len(seekers),
            "rule": {"kind": "listed", "registry_nos": [s.registry_no for s in seekers]},
        },
        {"name": "그 외", "places": 0, "rule": {"kind": "rest"}},
    ]
    criteria["candidates_per_place"] = 1
    reunion_round = selection.round_create(
        actor=supervisor,
        kind=kind,
        number=number,
        name=f"제{number}차",
        starts_on=starts_on,
        days=days,
        criteria=criteria,
    )
    selection.pool_freeze(actor=supervisor, reunion_round=reunion_round, seed_hex="11" * 32)
    selection.draw_run(actor=supervisor, reunion_round=reunion_round)
    selection.candidates_check(
        actor=officer,
        reunion_round=reunion_round,
        checks={
            c.pk: selection.Check("willing", "fit")
            for c in Candidate.objects.filter(round=reunion_round, drawn=True)
        },
    )
    tracing_round = selection.inquiry_start(actor=officer, reunion_round=reunion_round)
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    for request in tracing_round.requests.all():
        tracing.reply_enter(
            actor=personas["redcross_n"],
            tracing_round=tracing_round,
            values={"request_id": request.request_id, "result": "found", "vital_status": "alive"},
        )
    tracing.round_apply(actor=officer, tracing_round=tracing_round)
    selection.final_fix(actor=supervisor, reunion_round=reunion_round)
    reunion_round.refresh_from_db()
    return reunion_round
