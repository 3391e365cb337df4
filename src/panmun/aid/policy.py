"""Policy gates (정책 관문): a new activity, shipment or disbursement is checked against the
policy table of the permits app (`permits.PolicyMeasure` and its rules) on its date. A rule is
about one kind of aid (`permits.models.AidKind`): the government's free aid, an NGO's aid, food
loans; it may cover only some commodities (2006: rice and fertiliser), and it may spare purely
humanitarian aid to vulnerable groups (24 May 2010, 7 January 2016). A refusal names the
measures; a supervisor's exception (`PolicyException`) for the activity and the thing refused
lets it through, with its reason, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction

from panmun.accounts import audit
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode, invalid_fields
from panmun.permits.models import AidKind, PolicyMeasure, PolicyRule
from panmun.permits.policy import measures_in_force

from .access import can_grant_exception, is_aid_organisation
from .models import (
    GOVERNMENT_FREE,
    HUMANITARIAN_COMMODITIES,
    VULNERABLE,
    Activity,
    Channel,
    PolicyException,
)

#: What an exception covers: a new activity, a shipment, a transaction (disbursement).
WHATS = ("activity", "shipment", "transaction")
MAX_REASON = 4000


def aid_kinds(activity: Activity, actor: User | None = None) -> set[str]:
    """The kinds of aid the policy table is asked about for `activity`: a food loan is a loan;
    the government's free aid is the government's (through an NGO it is also the NGO's); an
    NGO's own aid, or anything an aid organisation does, is an NGO's."""
    kinds: set[str] = set()
    if activity.channel == Channel.FOOD_LOAN:
        kinds.add(AidKind.AID_LOAN)
    if activity.channel in GOVERNMENT_FREE:
        kinds.add(AidKind.AID_GOVERNMENT)
    if activity.channel in (Channel.VIA_NGO, Channel.NGO_OWN):
        kinds.add(AidKind.AID_NGO)
    if actor is not None and is_aid_organisation(actor):
        kinds.add(AidKind.AID_NGO)
    return kinds


def purely_humanitarian(commodity: str | None, target_groups: Iterable[str] | None) -> bool:
    """Purely humanitarian aid to vulnerable groups (what the 2010 measures still allowed):
    every target group a vulnerable one, at least one named, and the goods food, medicine or
    milk powder. Money without goods (no commodity) is judged by its target groups alone."""
    groups = list(target_groups or [])
    if not groups or any(g not in VULNERABLE for g in groups):
        return False
    return commodity is None or commodity in HUMANITARIAN_COMMODITIES


def rules_against(
    *,
    kinds: Iterable[str],
    day: dt.date,
    commodity: str | None,
    target_groups: Sequence[str] | None,
) -> list[PolicyRule]:
    """The rules in force on `day` that forbid aid of `kinds` carrying `commodity` to
    `target_groups`."""
    humanitarian = purely_humanitarian(commodity, target_groups)
    found = []
    for rule in PolicyRule.objects.select_related("measure").filter(
        kind__in=list(kinds), measure__in=measures_in_force(day)
    ):
        if rule.commodities and commodity not in rule.commodities:
            continue
        if rule.humanitarian_exempt and humanitarian:
            continue
        found.append(rule)
    return found


def _covered(activity: Activity, what: str, what_id: int | None) -> set[int]:
    """The measures excepted for `what` (`what_id`) of `activity`: an exception with no id
    covers every new one of its kind in the activity."""
    exceptions = PolicyException.objects.filter(activity=activity, what=what)
    ids = set()
    for measure_id, excepted_id in exceptions.values_list("measure_id", "what_id"):
        if excepted_id is None or excepted_id == what_id:
            ids.add(measure_id)
    return ids


def breaches(
    *,
    actor: User | None,
    activity: Activity,
    day: dt.date,
    what: str,
    what_id: int | None,
    commodity: str | None = None,
    target_groups: Sequence[str] | None = None,
) -> list[PolicyMeasure]:
    """The measures in force on `day` that forbid it, less those a supervisor excepted; each
    measure once, oldest first."""
    excepted = _covered(activity, what, what_id)
    measures: dict[int, PolicyMeasure] = {}
    for rule in rules_against(
        kinds=aid_kinds(activity, actor), day=day, commodity=commodity, target_groups=target_groups
    ):
        if rule.measure_id not in excepted:
            measures.setdefault(rule.measure_id, rule.measure)
    return sorted(measures.values(), key=lambda m: (m.starts_on, m.code))


def refusal(measures: Sequence[PolicyMeasure], day: dt.date) -> DomainError:
    names_ko = ", ".join(f"{m.name_ko} ({m.starts_on:%Y-%m-%d})" for m in measures)
    names_en = ", ".join(f"{m.name_en} ({m.starts_on:%Y-%m-%d})" for m in measures)
    return DomainError(
        ErrorCode.POLICY_FORBIDS,
        f"{day:%Y-%m-%d}에 시행 중인 조치에 따라 허용되지 않습니다: {names_ko}",
        f"Not allowed under the measures in force on {day:%Y-%m-%d}: {names_en}",
        {"measures": [m.code for m in measures], "day": day.isoformat()},
    )


def check_gates(
    *,
    actor: User | None,
    activity: Activity,
    day: dt.date,
    what: str,
    what_id: int | None,
    commodity: str | None = None,
    target_groups: Sequence[str] | None = None,
) -> None:
    """Refuse (POLICY_FORBIDS, naming the measures in `details["measures"]`) what the measures
    in force on `day` forbid, unless a supervisor's exception covers it."""
    found = breaches(
        actor=actor,
        activity=activity,
        day=day,
        what=what,
        what_id=what_id,
        commodity=commodity,
        target_groups=target_groups,
    )
    if found:
        raise refusal(found, day)


@transaction.atomic
def exception_grant(
    *,
    actor: User,
    activity: Activity,
    measure: PolicyMeasure,
    what: str,
    what_id: int | None,
    reason_ko: str,
    reason_en: str,
) -> PolicyException:
    """A ministry supervisor lets `what` (`what_id`; None: any new one) of `activity` through
    `measure`, for a reason in both languages; audited."""
    require_authenticated(actor)
    require(can_grant_exception(actor))
    problems = []
    if what not in WHATS:
        problems.append(("what", "목록에서 고르십시오.", "Choose from: " + ", ".join(WHATS)))
    for name, value in (("reason_ko", reason_ko), ("reason_en", reason_en)):
        if not value.strip():
            problems.append((name, "사유를 적어 주십시오.", "Give the reason."))
        elif len(value) > MAX_REASON or "\x00" in value:
            problems.append(
                (name, f"{MAX_REASON}자까지 적습니다.", f"At most {MAX_REASON} characters.")
            )
    if problems:
        raise invalid_fields(
            "예외를 기록하지 않았습니다.", "The exception was not recorded.", problems
        )
    if PolicyException.objects.filter(
        activity=activity, measure=measure, what=what, what_id=what_id
    ).exists():
        raise DomainError(
            ErrorCode.CONFLICT,
            "이미 이 조치의 예외가 있습니다.",
            "There is already an exception to this measure.",
            {"measure": measure.code, "what": what, "what_id": what_id},
        )
    exception = PolicyException.objects.create(
        activity=activity,
        measure=measure,
        what=what,
        what_id=what_id,
        reason_ko=reason_ko.strip(),
        reason_en=reason_en.strip(),
        granted_by=actor,
    )
    audit.record(
        actor=actor,
        action="aid.policy.exception",
        obj=activity,
        changes={
            "measure": measure.code,
            "what": what,
            "what_id": what_id,
            "reason_ko": exception.reason_ko,
            "reason_en": exception.reason_en,
        },
    )
    return exception
