"""Reunion test data, made through the real services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from panmun.families.services import tracing
from panmun.families.tests.factories import applicant, relative, round_apply_approved

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
    reunion_round = answered_round(
        personas, kind=kind, number=number, addresses=addresses, starts_on=starts_on, days=days
    )
    fix_final_approved(personas, reunion_round)
    reunion_round.refresh_from_db()
    return reunion_round


def answered_round(
    personas: dict[str, Any],
    *,
    kind: str = "in_person",
    number: int = 90,
    addresses: Sequence[str] = ("부산광역시 해운대구 우동",),
    starts_on: dt.date = dt.date(2027, 3, 1),
    days: int = 3,
) -> ReunionRound:
    """A round at its tracing stage, every candidate willing and fit and the other side's
    answers (all alive) applied to the registry: the final list can be fixed."""
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
    inquire_and_answer(personas, reunion_round)
    reunion_round.refresh_from_db()
    return reunion_round


def inquire_and_answer(personas: dict[str, Any], reunion_round: ReunionRound) -> None:
    """Ask the other side about the confirmed candidates' relatives, answer every request
    "found, alive", and apply the answers (with their approval)."""
    supervisor, officer = personas["supervisor"], personas["redcross_s"]
    tracing_round = selection.inquiry_start(actor=officer, reunion_round=reunion_round)
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    for request in tracing_round.requests.all():
        tracing.reply_enter(
            actor=personas["redcross_n"],
            tracing_round=tracing_round,
            values={"request_id": request.request_id, "result": "found", "vital_status": "alive"},
        )
    round_apply_approved(officer=officer, approver=supervisor, tracing_round=tracing_round)


def fix_final_approved(personas: dict[str, Any], reunion_round: ReunionRound) -> dict[str, int]:
    """Fix the final list as the programme does: the supervisor asks for approval (결재), the
    administrator (another supervisor of the South) approves, the supervisor fixes it."""
    from panmun.accounts import signoffs

    signoff = selection.final_signoff_request(
        actor=personas["supervisor"], reunion_round=reunion_round
    )
    signoffs.signoff_decide(actor=personas["admin"], signoff=signoff, approve=True)
    return selection.final_fix(actor=personas["supervisor"], reunion_round=reunion_round)


def drawn_round(
    personas: dict[str, Any],
    *,
    number: int = 70,
    strata: Sequence[tuple[str, int]] = (("지정가", 30), ("지정나", 25)),
) -> ReunionRound:
    """A round drawn, its candidates not yet checked: one listed stratum per (name, size), every
    applicant of it drawn (one candidate per place), so other records stay out."""
    supervisor, officer = personas["supervisor"], personas["redcross_s"]
    rules = []
    for name, size in strata:
        listed = []
        for n in range(size):
            seeker = applicant(
                officer, given_name=f"후보{number}{name}{n}", birth_date=str(1930 + n % 15)
            )
            relative(officer, seeker, relation="child", given_name=f"자녀{number}{name}{n}")
            listed.append(seeker.registry_no)
        rules.append(
            {"name": name, "places": size, "rule": {"kind": "listed", "registry_nos": listed}}
        )
    criteria = default_criteria(dt.date(2026, 11, 23), 1)
    criteria["strata"] = [*rules, {"name": "그 외", "places": 0, "rule": {"kind": "rest"}}]
    criteria["candidates_per_place"] = 1
    reunion_round = selection.round_create(
        actor=supervisor,
        kind="in_person",
        number=number,
        name=f"제{number}차",
        starts_on=dt.date(2027, 3, 1),
        criteria=criteria,
    )
    selection.pool_freeze(actor=supervisor, reunion_round=reunion_round, seed_hex="22" * 32)
    selection.draw_run(actor=supervisor, reunion_round=reunion_round)
    reunion_round.refresh_from_db()
    return reunion_round
