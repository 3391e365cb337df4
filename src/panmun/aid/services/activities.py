"""Writes of aid activities: one activity as an officer files it (titles in Korean and English,
channel, status, dates, sectors, participating organisations, the North's recipient), checked
whole before anything is written, and its later changes.

- A new activity is asked of the policy in force on its start (`aid.policy`): a measure that
  forbids it refuses it, named; a ministry supervisor may file it anyway as an exception, with
  the reason in both languages (recorded and audited).

- The ministry's officers file any activity; an aid organisation's officers file their own
  organisation's (its own funds, or its project under a ministry grant that names it).
- The IATI identifier begins with the reporting organisation's identifier (IATI's rule) and is
  never reused; the title and the description are given in Korean and English (IATI publishes
  no activity without a description).
- Sector shares add up to 100 within each vocabulary; a lone sector may leave its share empty
  (it is all of it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import Organisation, OrganisationKind, User
from panmun.common.errors import DomainError, invalid_fields
from panmun.common.text import text_problem

from .. import policy
from ..access import (
    activities_for_edit,
    can_add_activity,
    can_grant_exception,
    can_keep_ledger,
)
from ..models import (
    Activity,
    ActivitySector,
    ActivityStatus,
    Channel,
    OrganisationRole,
    ParticipatingOrg,
    TargetGroup,
)

MAX_TITLE = 400
MAX_TEXT = 8000
MAX_LINES = 50  # sectors, and participating organisations, of one activity
#: IATI's identifiers: no spaces, no slashes or control characters (the Standard's guidance).
IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,199}$")
ORG_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,99}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
#: OrganisationType codes an officer picks from (IATI's OrganisationType codelist).
ORG_TYPES = {
    "10": "Government",
    "11": "Local Government",
    "15": "Other Public Sector",
    "21": "International NGO",
    "22": "National NGO",
    "23": "Regional NGO",
    "24": "Partner Country based NGO",
    "30": "Public Private Partnership",
    "40": "Multilateral",
    "60": "Foundation",
    "70": "Private Sector",
    "80": "Academic, Training and Research",
    "90": "Other",
}
#: Sector codes by vocabulary, where their shape is fixed: DAC 5-digit and 3-digit.
SECTOR_SHAPES = {"1": re.compile(r"^\d{5}$"), "2": re.compile(r"^\d{3}$")}
#: The channels an aid organisation files its own activities under.
NGO_CHANNELS = (Channel.VIA_NGO, Channel.NGO_OWN)


@dataclass(frozen=True)
class SectorLine:
    code: str
    vocabulary: str = "1"
    percentage: str = ""  # as typed: a decimal, or empty for a lone sector


@dataclass(frozen=True)
class ParticipantLine:
    role: int
    name_ko: str = ""
    name_en: str = ""
    ref: str = ""
    org_type: str = ""


@dataclass(frozen=True)
class ActivityData:
    """An activity as the form, the API or a file gives it (strings as typed)."""

    identifier: str
    reporting_org_ref: str
    title_ko: str
    title_en: str
    channel: str
    reporting_org_type: str = "10"
    reporting_org_name_ko: str = ""
    reporting_org_name_en: str = ""
    description_ko: str = ""
    description_en: str = ""
    status: int = ActivityStatus.PIPELINE
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None
    humanitarian: bool = True
    target_groups: Sequence[str] = ()
    default_currency: str = "KRW"
    region: str = ""
    recipient_organisation: Organisation | None = None
    recipient_name_ko: str = ""
    recipient_name_en: str = ""
    parent: Activity | None = None
    #: The Panmun organisation that keeps it (the ministry chooses; an aid organisation's
    #: officer always files for their own).
    organisation: Organisation | None = None
    sectors: Sequence[SectorLine] = ()
    participants: Sequence[ParticipantLine] = ()
    #: A ministry supervisor files what a measure in force forbids by giving the reason, in
    #: both languages: an exception to each such measure is recorded with it (audited).
    exception_reason_ko: str = ""
    exception_reason_en: str = ""


#: The fields `activity_update` may change (the identifier never changes).
CHANGEABLE = tuple(
    f.name
    for f in fields(ActivityData)
    if f.name
    not in (
        "identifier",
        "sectors",
        "participants",
        "organisation",
        "exception_reason_ko",
        "exception_reason_en",
    )
)

Problem = tuple[str, str, str]


def _percentage(value: str) -> Decimal | None:
    try:
        number = Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number > 100 or number != round(number, 2):
        return None
    return number


def _check_sectors(lines: Sequence[SectorLine]) -> list[Problem]:
    problems: list[Problem] = []
    if len(lines) > MAX_LINES:
        return [("sectors", f"분야는 {MAX_LINES}개까지입니다.", f"At most {MAX_LINES} sectors.")]
    shares: dict[str, list[Decimal | None]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for i, line in enumerate(lines, start=1):
        where = f"sectors.{i}"
        vocabulary, code = line.vocabulary.strip(), line.code.strip()
        if not vocabulary or len(vocabulary) > 10 or not ORG_REF.match(vocabulary):
            problems.append(
                (f"{where}.vocabulary", "분류 체계가 맞지 않습니다.", "Not a sector vocabulary.")
            )
            continue
        shape = SECTOR_SHAPES.get(vocabulary)
        if not code or len(code) > 40 or (shape and not shape.match(code)):
            problems.append(
                (
                    f"{where}.code",
                    "분야 코드가 맞지 않습니다 (DAC 5자리, 예: 52010).",
                    "Not a sector code (DAC 5 digits, e.g. 52010).",
                )
            )
            continue
        if (vocabulary, code) in seen:
            problems.append(
                (f"{where}.code", "같은 분야가 두 번 있습니다.", "The same sector twice.")
            )
            continue
        seen.add((vocabulary, code))
        share = _percentage(line.percentage) if line.percentage.strip() else None
        if line.percentage.strip() and share is None:
            problems.append(
                (
                    f"{where}.percentage",
                    "0에서 100 사이의 수(소수 둘째 자리까지)로 적어 주십시오.",
                    "A number from 0 to 100 (at most 2 decimal places).",
                )
            )
            continue
        shares[vocabulary].append(share)
    for vocabulary, values in shares.items():
        if len(values) == 1 and values[0] is None:
            continue  # a lone sector is the whole activity
        if any(v is None for v in values):
            problems.append(
                (
                    "sectors",
                    f"분류 체계 {vocabulary}의 분야가 여럿이면 모두 비율을 적어야 합니다.",
                    f"With several sectors in vocabulary {vocabulary}, each needs its share.",
                )
            )
            continue
        total = sum(v for v in values if v is not None)
        if total != 100:
            problems.append(
                (
                    "sectors",
                    f"분류 체계 {vocabulary}의 분야 비율 합이 {total}입니다: 100이어야 합니다.",
                    f"The shares of vocabulary {vocabulary} add up to {total}, not 100.",
                )
            )
    return problems


def _check_participants(lines: Sequence[ParticipantLine]) -> list[Problem]:
    problems: list[Problem] = []
    if len(lines) > MAX_LINES:
        return [
            (
                "participants",
                f"참여 기관은 {MAX_LINES}개까지입니다.",
                f"At most {MAX_LINES} participating organisations.",
            )
        ]
    for i, line in enumerate(lines, start=1):
        where = f"participants.{i}"
        if line.role not in OrganisationRole.values:
            problems.append((f"{where}.role", "역할을 고르십시오.", "Choose a role."))
        if line.org_type and line.org_type not in ORG_TYPES:
            problems.append(
                (f"{where}.org_type", "기관 유형이 맞지 않습니다.", "Not an organisation type.")
            )
        if line.ref and not ORG_REF.match(line.ref):
            problems.append(
                (f"{where}.ref", "기관 식별자가 맞지 않습니다.", "Not an organisation identifier.")
            )
        if not (line.name_ko.strip() or line.name_en.strip() or line.ref.strip()):
            problems.append(
                (
                    f"{where}.name_ko",
                    "기관 이름이나 식별자를 적어 주십시오.",
                    "Give the name or the identifier.",
                )
            )
        for name, value in (("name_ko", line.name_ko), ("name_en", line.name_en)):
            problem = text_problem(f"{where}.{name}", value, 300)
            if problem:
                problems.append(problem)
    return problems


def _check_dates(data: ActivityData) -> list[Problem]:
    problems: list[Problem] = []
    for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
        first, last = getattr(data, start), getattr(data, end)
        if first and last and last < first:
            problems.append((end, "시작일보다 앞설 수 없습니다.", "Cannot be before the start."))
    if data.actual_start and data.actual_start > timezone.localdate() + dt.timedelta(days=1):
        problems.append(
            (
                "actual_start",
                "실제 시작일은 앞날일 수 없습니다.",
                "An actual start cannot be in the future.",
            )
        )
    if data.actual_end and data.actual_end > timezone.localdate() + dt.timedelta(days=1):
        problems.append(
            (
                "actual_end",
                "실제 종료일은 앞날일 수 없습니다.",
                "An actual end cannot be in the future.",
            )
        )
    if not (data.planned_start or data.actual_start):
        problems.append(
            (
                "planned_start",
                "계획 시작일이나 실제 시작일을 적어 주십시오.",
                "Give a planned or an actual start.",
            )
        )
    return problems


def _check_data(data: ActivityData, *, existing: Activity | None = None) -> list[Problem]:
    problems: list[Problem] = []
    for name, value, limit, required in (
        ("title_ko", data.title_ko, MAX_TITLE, True),
        ("title_en", data.title_en, MAX_TITLE, True),
        # IATI asks a description of every activity published.
        ("description_ko", data.description_ko, MAX_TEXT, True),
        ("description_en", data.description_en, MAX_TEXT, True),
        ("reporting_org_name_ko", data.reporting_org_name_ko, 300, False),
        ("reporting_org_name_en", data.reporting_org_name_en, 300, False),
        ("region", data.region, 100, False),
        ("recipient_name_ko", data.recipient_name_ko, 300, False),
        ("recipient_name_en", data.recipient_name_en, 300, False),
    ):
        problem = text_problem(name, value, limit, required=required)
        if problem:
            problems.append(problem)
    if not ORG_REF.match(data.reporting_org_ref):
        problems.append(
            (
                "reporting_org_ref",
                "보고 기관 식별자가 맞지 않습니다 (예: KR-MOU).",
                "Not an organisation identifier (e.g. KR-MOU).",
            )
        )
    if data.reporting_org_type not in ORG_TYPES:
        problems.append(
            ("reporting_org_type", "기관 유형이 맞지 않습니다.", "Not an organisation type.")
        )
    if existing is None:
        if not IDENTIFIER.match(data.identifier):
            problems.append(
                (
                    "identifier",
                    "식별자에는 영문자, 숫자, '-', '.', '_', ':'만 씁니다.",
                    "Use letters, digits, '-', '.', '_' and ':' only.",
                )
            )
        elif not data.identifier.startswith(data.reporting_org_ref + "-"):
            problems.append(
                (
                    "identifier",
                    f"IATI 식별자는 보고 기관 식별자({data.reporting_org_ref})와 '-'로 "
                    "시작해야 합니다.",
                    "An IATI identifier begins with the reporting organisation's "
                    f"({data.reporting_org_ref}) and '-'.",
                )
            )
        elif Activity.objects.filter(identifier=data.identifier).exists():
            problems.append(
                (
                    "identifier",
                    "이미 쓰인 식별자입니다.",
                    "That identifier is already in the ledger.",
                )
            )
    if data.channel not in Channel.values:
        problems.append(("channel", "지원 경로를 고르십시오.", "Choose a channel."))
    if data.status not in ActivityStatus.values:
        problems.append(("status", "상태를 고르십시오.", "Choose a status."))
    unknown = [g for g in data.target_groups if g not in TargetGroup.values]
    if unknown:
        problems.append(
            (
                "target_groups",
                "지원 대상을 목록에서 고르십시오.",
                "Choose the groups from the list.",
            )
        )
    if not CURRENCY.match(data.default_currency):
        problems.append(
            (
                "default_currency",
                "통화는 ISO 4217 세 글자입니다 (예: KRW).",
                "A currency is ISO 4217's three letters (e.g. KRW).",
            )
        )
    recipient = data.recipient_organisation
    if recipient is not None and (recipient.side is None or recipient.side.code != "north"):
        problems.append(
            (
                "recipient_organisation",
                "북측 기관을 고르십시오.",
                "Choose an organisation of the North.",
            )
        )
    problems += _check_dates(data)
    problems += _check_sectors(data.sectors)
    problems += _check_participants(data.participants)
    return problems


def _check_parent(actor: User, data: ActivityData, existing: Activity | None) -> list[Problem]:
    parent = data.parent
    if parent is None:
        return []
    if existing is not None:
        seen = parent
        for _ in range(100):
            if seen.pk == existing.pk:
                return [
                    (
                        "parent",
                        "자기 자신의 하위 사업을 상위로 둘 수 없습니다.",
                        "An activity cannot sit under itself.",
                    )
                ]
            if seen.parent_id is None:
                break
            seen = Activity.objects.get(pk=seen.parent_id)
    if can_keep_ledger(actor):
        return []
    # An aid organisation's project sits under a ministry grant that names it.
    if not parent.participants.filter(organisation=actor.organisation).exists():
        return [
            (
                "parent",
                "상위 사업은 귀 기관을 참여 기관으로 둔 사업이어야 합니다.",
                "The parent must be an activity that names your organisation.",
            )
        ]
    return []


def _organisation_of(actor: User, data: ActivityData) -> tuple[Organisation | None, list[Problem]]:
    if can_keep_ledger(actor):
        org = data.organisation or actor.organisation
        if org is not None and org.kind not in (
            OrganisationKind.MINISTRY,
            OrganisationKind.AID_ORGANISATION,
        ):
            return None, [
                (
                    "organisation",
                    "통일부나 지원 단체를 고르십시오.",
                    "Choose the ministry or an aid organisation.",
                )
            ]
        return org, []
    problems: list[Problem] = []
    if data.channel not in NGO_CHANNELS:
        problems.append(
            (
                "channel",
                "지원 단체는 자체 지원이나 정부 지원 사업(민간단체 경유)만 등록합니다.",
                "An aid organisation files its own aid or a project under a government grant.",
            )
        )
    taken = Activity.objects.filter(reporting_org_ref=data.reporting_org_ref).exclude(
        organisation=actor.organisation
    )
    if taken.exists():
        problems.append(
            (
                "reporting_org_ref",
                "다른 기관이 보고하는 식별자입니다: 귀 기관의 IATI 식별자를 쓰십시오.",
                "Another organisation reports under that identifier: use your own.",
            )
        )
    return actor.organisation, problems


def _refused(problems: list[Problem]) -> DomainError:
    return invalid_fields(
        "지원 사업을 저장하지 않았습니다.", "The aid activity was not saved.", problems
    )


def _write_lines(activity: Activity, data: ActivityData) -> None:
    activity.sectors.all().delete()
    ActivitySector.objects.bulk_create(
        ActivitySector(
            activity=activity,
            seq=i,
            vocabulary=line.vocabulary.strip(),
            code=line.code.strip(),
            percentage=_percentage(line.percentage) if line.percentage.strip() else None,
        )
        for i, line in enumerate(data.sectors)
    )
    activity.participants.all().delete()
    ParticipatingOrg.objects.bulk_create(
        ParticipatingOrg(
            activity=activity,
            seq=i,
            role=line.role,
            org_type=line.org_type,
            ref=line.ref.strip(),
            name_ko=line.name_ko.strip(),
            name_en=line.name_en.strip(),
            organisation=_panmun_org(line),
        )
        for i, line in enumerate(data.participants)
    )


def _panmun_org(line: ParticipantLine) -> Organisation | None:
    """The Panmun organisation a participant is, where its name is one of ours (so an aid
    organisation finds the ministry's grants that name it)."""
    names = [n for n in (line.name_ko.strip(), line.name_en.strip()) if n]
    if not names:
        return None
    return (
        Organisation.objects.filter(name_ko__in=names).first()
        or Organisation.objects.filter(name_en__in=names).first()
    )


def _values(data: ActivityData) -> dict[str, Any]:
    return {
        name: getattr(data, name).strip()
        if isinstance(getattr(data, name), str)
        else getattr(data, name)
        for name in CHANGEABLE
    } | {"target_groups": list(dict.fromkeys(data.target_groups))}


def _gate(actor: User, activity: Activity, data: ActivityData) -> None:
    """The measures in force on the activity's start (`aid.policy`): what they forbid is
    refused, naming them — unless a ministry supervisor gives the reason for an exception,
    which is then recorded for each of them."""
    day = activity.actual_start or activity.planned_start or timezone.localdate()
    target_groups = list(activity.target_groups)
    found = policy.breaches(
        actor=actor,
        activity=activity,
        day=day,
        what="activity",
        what_id=activity.pk,
        target_groups=target_groups,
    )
    if not found:
        return
    reasons = (data.exception_reason_ko.strip(), data.exception_reason_en.strip())
    if not (can_grant_exception(actor) and all(reasons)):
        refusal = policy.refusal(found, day)
        if can_grant_exception(actor):
            details = dict(refusal.details or {})
            details["exception"] = (
                "exception_reason_ko and exception_reason_en file it as an exception"
            )
            raise DomainError(
                refusal.code,
                refusal.message_ko + " (예외로 등록하려면 예외 사유를 한국어와 영어로 적으십시오.)",
                refusal.message_en
                + " (To file it as an exception, give the reason in Korean and English.)",
                details,
            )
        raise refusal
    for measure in found:
        policy.exception_grant(
            actor=actor,
            activity=activity,
            measure=measure,
            what="activity",
            what_id=activity.pk,
            reason_ko=reasons[0],
            reason_en=reasons[1],
        )


@transaction.atomic
def activity_create(*, actor: User, data: ActivityData) -> Activity:
    """File a new activity with its sectors and participating organisations."""
    require_authenticated(actor)
    require(can_add_activity(actor))
    data = replace(
        data, identifier=data.identifier.strip(), reporting_org_ref=data.reporting_org_ref.strip()
    )
    organisation, problems = _organisation_of(actor, data)
    problems += _check_data(data) + _check_parent(actor, data, None)
    if problems:
        raise _refused(problems)
    activity = Activity.objects.create(
        identifier=data.identifier,
        organisation=organisation,
        created_by=actor,
        **_values(data),
    )
    _write_lines(activity, data)
    _gate(actor, activity, data)
    audit.record(
        actor=actor,
        action="aid.activity.create",
        obj=activity,
        changes={"identifier": activity.identifier, "channel": activity.channel},
    )
    return activity


@transaction.atomic
def activity_update(*, actor: User, activity: Activity, data: ActivityData) -> Activity:
    """Change an activity (not its identifier); its sectors and participants are replaced by
    those given."""
    require_authenticated(actor)
    activity = activities_for_edit(actor).select_for_update().get(pk=activity.pk)
    data = replace(
        data, identifier=activity.identifier, reporting_org_ref=data.reporting_org_ref.strip()
    )
    organisation, problems = _organisation_of(actor, data)
    problems += _check_data(data, existing=activity) + _check_parent(actor, data, activity)
    if problems:
        raise _refused(problems)
    before = {name: getattr(activity, name) for name in CHANGEABLE}
    for name, value in _values(data).items():
        setattr(activity, name, value)
    if can_keep_ledger(actor) and data.organisation is not None:
        activity.organisation = organisation
    activity.save()
    _write_lines(activity, data)
    changed = {
        name: str(getattr(activity, name))
        for name in CHANGEABLE
        if getattr(activity, name) != before[name]
    }
    audit.record(actor=actor, action="aid.activity.update", obj=activity, changes=changed)
    return activity


def data_of(activity: Activity) -> ActivityData:
    """An activity as `ActivityData`: what the edit form starts from."""
    return ActivityData(
        identifier=activity.identifier,
        organisation=activity.organisation,
        sectors=[
            SectorLine(s.code, s.vocabulary, "" if s.percentage is None else str(s.percentage))
            for s in activity.sectors.all()
        ],
        participants=[
            ParticipantLine(p.role, p.name_ko, p.name_en, p.ref, p.org_type)
            for p in activity.participants.all()
        ],
        **{name: getattr(activity, name) for name in CHANGEABLE},
    )


__all__ = [
    "ActivityData",
    "ParticipantLine",
    "SectorLine",
    "activity_create",
    "activity_update",
    "data_of",
]
