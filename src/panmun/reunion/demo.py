"""The demo's reunion rounds and video letters: an in-person round whose pool is frozen and drawn
(so its commitment and bundle can be looked at and verified), a video round still being set up,
and video letters at every step. Everything goes through the services, as an officer would."""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from django.db import transaction
from django.utils import timezone

from panmun.accounts.models import User
from panmun.common.apps import DemoRun
from panmun.families.models import Person, VitalStatus

from .criteria import default_criteria
from .models import ReunionRound, RoundKind
from .services import selection, video


def load_reunion_demo(*, today: dt.date, seed: int = 2026) -> dict[str, int]:
    """Load the demo rounds and letters once; a second call changes nothing."""
    counts = {"rounds": 0, "pool": 0, "letters": 0}
    if ReunionRound.objects.exists():
        return counts
    supervisor = User.objects.get(username="supervisor")
    officer = User.objects.get(username="redcross_s")
    with transaction.atomic():
        in_person = selection.round_create(
            actor=supervisor,
            kind=RoundKind.IN_PERSON,
            number=22,
            name="제22차 이산가족 대면상봉 (시연)",
            starts_on=today + dt.timedelta(days=60),
            days=3,
            criteria=default_criteria(today, 100),
        )
        counts["rounds"] += 1
        if Person.objects.filter(status=VitalStatus.ALIVE).exclude(registry_no=None).exists():
            draw = selection.pool_freeze(actor=supervisor, reunion_round=in_person)
            selection.draw_run(actor=supervisor, reunion_round=in_person)
            counts["pool"] = draw.pool_size
        selection.round_create(
            actor=supervisor,
            kind=RoundKind.VIDEO,
            number=8,
            name="제8차 화상상봉 (시연)",
            starts_on=today + dt.timedelta(days=90),
            days=3,
            criteria=default_criteria(today, 40),
        )
        counts["rounds"] += 1
    rng = random.Random(seed)  # noqa: S311 - made-up demo data, not a secret
    applicants = list(
        Person.objects.exclude(registry_no=None)
        .exclude(registry_no="")
        .order_by("pk")
        .values_list("pk", flat=True)[:2000]
    )
    if not applicants:
        return counts
    with transaction.atomic():
        for n in range(60):
            applicant = Person.objects.get(pk=rng.choice(applicants))
            recorded = today - dt.timedelta(days=rng.randint(30, 3650))
            letter = video.letter_record(
                actor=officer,
                registry_no=applicant.registry_no or "",  # never blank: chosen above
                direction="outgoing" if n % 6 else "incoming",
                addressee=f"북측 가족 {n + 1}",
                file_ref=f"vl/{recorded:%Y}/{n + 1:05d}.mp4",
                sha256=hashlib.sha256(f"demo-letter-{n}".encode()).hexdigest(),
                duration_seconds=rng.randint(240, 900),
                language="ko",
                recorded_on=recorded,
            )
            counts["letters"] += 1
            if n % 3 == 0:
                letter = video.letter_advance(
                    actor=officer, letter=letter, on=recorded + dt.timedelta(days=10)
                )
                if n % 2 == 0 and letter.status != "delivered":
                    video.letter_advance(
                        actor=officer, letter=letter, on=recorded + dt.timedelta(days=20)
                    )
    return counts


def load_demo(run: DemoRun) -> None:
    """`panmun load-demo`'s reunions (on the demo registry, so none without one)."""
    if run.size <= 0:
        return
    reunions = load_reunion_demo(today=timezone.localdate())
    if reunions["rounds"]:
        run.say(
            f"Reunions: {reunions['rounds']} rounds (a pool of {reunions['pool']:,} drawn), "
            f"{reunions['letters']} video letters."
        )
