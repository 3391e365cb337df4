"""The policy in force: which dated measures restrict an approval of a kind, at a place, on
dates. The same question the aid and complex apps will ask (`rules_against`); an application's
approvals are checked against it when they are submitted (`breaches`), less the exceptions a
supervisor recorded for that application."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import translation

from .models import (
    Application,
    Approval,
    ApprovalKind,
    Destination,
    PolicyEffect,
    PolicyMeasure,
    PolicyRule,
    PolicyWhere,
)

_WHERE_EXCLUDES: dict[str, tuple[str, ...]] = {
    PolicyWhere.ANYWHERE: (),
    PolicyWhere.EXCEPT_GAESEONG: (Destination.GAESEONG,),
    PolicyWhere.EXCEPT_GAESEONG_GEUMGANGSAN: (Destination.GAESEONG, Destination.GEUMGANGSAN),
}


def applies_at(where: str, destination: str) -> bool:
    """Whether a rule for `where` covers an exchange at `destination`."""
    if where == PolicyWhere.GAESEONG:
        return destination == Destination.GAESEONG
    return destination not in _WHERE_EXCLUDES.get(where, ())


def measures_in_force(start: dt.date, end: dt.date | None = None) -> QuerySet[PolicyMeasure]:
    """The measures in force on any day from `start` to `end` (one day when `end` is None)."""
    last = end or start
    return PolicyMeasure.objects.filter(
        Q(starts_on__lte=last) & (Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    )


def rules_against(
    kind: str,
    *,
    start: dt.date,
    end: dt.date | None = None,
    destination: str,
    humanitarian: bool = False,
    comprehensive: bool = False,
) -> list[PolicyRule]:
    """The rules in force between `start` and `end` that stop an approval of `kind` at
    `destination`: a rule forbidding it there (unless it spares humanitarian aid and this is
    such aid), or one asking for item-by-item approval of what asks for a comprehensive one."""
    rules = PolicyRule.objects.select_related("measure").filter(
        kind=kind, measure__in=measures_in_force(start, end)
    )
    found = []
    for rule in rules:
        if not applies_at(rule.where, destination):
            continue
        spared = rule.humanitarian_exempt and humanitarian
        forbids = rule.effect == PolicyEffect.FORBID and not spared
        if forbids or (rule.effect == PolicyEffect.ITEMISE and comprehensive):
            found.append(rule)
    return found


def dates_of(approval: Approval) -> tuple[dt.date, dt.date] | None:
    """The days an approval is for: a contact's or a crossing's own date, else the
    application's period (None while it has none)."""
    if approval.kind == ApprovalKind.CONTACT and approval.contact_date:
        return approval.contact_date, approval.contact_date
    if approval.kind == ApprovalKind.CROSSING and approval.crossing_date:
        return approval.crossing_date, approval.crossing_date
    application = approval.application
    if application.start_date is None:
        return None
    return application.start_date, application.end_date or application.start_date


@dataclass(frozen=True)
class Breach:
    """A rule of a measure in force that an approval breaks."""

    approval: Approval
    rule: PolicyRule

    @property
    def measure(self) -> PolicyMeasure:
        return self.rule.measure

    def reason_ko(self) -> str:
        m = self.measure
        with translation.override("ko"):
            what = str(ApprovalKind(self.approval.kind).label)
        effect = PolicyEffect(self.rule.effect)
        if effect == PolicyEffect.ITEMISE:
            return f"{m.name_ko} ({m.starts_on:%Y-%m-%d}): 품목별로 승인받아야 합니다."
        return f"{m.name_ko} ({m.starts_on:%Y-%m-%d})에 따라 승인할 수 없습니다 ({what})."

    def reason_en(self) -> str:
        m = self.measure
        if self.rule.effect == PolicyEffect.ITEMISE:
            return f"{m.name_en} ({m.starts_on:%Y-%m-%d}): every item needs its own approval."
        return f"Not allowed under {m.name_en} ({m.starts_on:%Y-%m-%d})."


def breaches(application: Application, approvals: list[Approval]) -> list[Breach]:
    """What the measures in force on each approval's dates forbid, less the measures a
    supervisor excepted for this application."""
    excepted = set(application.policy_exceptions.values_list("measure_id", flat=True))
    found = []
    for approval in approvals:
        dates = dates_of(approval)
        if dates is None:
            continue
        for rule in rules_against(
            approval.kind,
            start=dates[0],
            end=dates[1],
            destination=application.destination,
            humanitarian=approval.humanitarian,
            comprehensive=approval.comprehensive,
        ):
            if rule.measure_id not in excepted:
                found.append(Breach(approval, rule))
    return found


MEASURES_FILE = Path(__file__).resolve().parent / "data" / "measures.json"


@transaction.atomic
def measures_load() -> int:
    """Write the history of measures (`data/measures.json`) where the table lacks it — what
    migration 0002 did, for a database emptied since (tests that flush it, a restore of an
    old backup). A measure already there, perhaps edited by a supervisor, is left as it is."""
    added = 0
    for spec in json.loads(MEASURES_FILE.read_text(encoding="utf-8"))["measures"]:
        if PolicyMeasure.objects.filter(code=spec["code"]).exists():
            continue
        fields = {k: v for k, v in spec.items() if k != "rules"}
        measure = PolicyMeasure.objects.create(**fields)
        for rule in spec["rules"]:
            PolicyRule.objects.create(measure=measure, **rule)
        added += 1
    return added
