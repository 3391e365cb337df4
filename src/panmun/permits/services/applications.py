"""Writes of applications: one form filed once (Tongtong's combined application), its approvals'
own terms, submission — each approval checked by its kind's rules and by the policy in force on
its dates — amendments after submission, a copy of an earlier application to start a new one,
and a supervisor's exception to a measure."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import Organisation, User
from panmun.common.errors import DomainError, ErrorCode, invalid_fields
from panmun.common.text import text_problem

from ..access import can_apply, can_except, is_applicant_of
from ..models import (
    CLOSED,
    IN_FORCE,
    PERSON_FIELDS,
    AfterReason,
    Application,
    Approval,
    ApprovalKind,
    ApprovalState,
    ContactMethod,
    ContactTiming,
    Destination,
    Direction,
    EntryPoint,
    GoodsDirection,
    PolicyException,
    PolicyMeasure,
    Profile,
)
from . import moves
from .checks import check_submission

MAX_TEXT = moves.MAX_TEXT
REFERENCE_PREFIX = "EX"
#: The kinds whose approval may be amended after it is submitted; a contact report or a
#: cooperation project is filed again instead.
AMENDABLE = frozenset(
    {ApprovalKind.VISIT, ApprovalKind.GOODS, ApprovalKind.VEHICLE, ApprovalKind.CROSSING}
)
#: Changes that send an approval in force back to review.
MAJOR = frozenset({"start_date", "end_date", "destination", "entry_point", "direction"})
#: Changes of a kind's own terms that do the same.
MAJOR_TERMS = frozenset({"crossing_date", "crossing_slot", "crossing_direction", "contact_date"})

#: Each kind's own fields on `Approval`.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    ApprovalKind.VISIT: ("multiple",),
    ApprovalKind.CONTACT: (
        "contact_date",
        "contact_method",
        "contact_counterpart",
        "contact_timing",
        "after_reason",
    ),
    ApprovalKind.GOODS: ("goods_direction", "comprehensive", "humanitarian"),
    ApprovalKind.PROJECT: ("project_title", "project_partner", "land_lease", "lease_signed_on"),
    ApprovalKind.VEHICLE: (),
    ApprovalKind.CROSSING: ("crossing_date", "crossing_slot", "crossing_direction"),
}
_CHOICES: dict[str, list[str]] = {
    "contact_method": ContactMethod.values,
    "contact_timing": ContactTiming.values,
    "after_reason": AfterReason.values,
    "goods_direction": GoodsDirection.values,
    "crossing_direction": Direction.values,
}
_BOOLS = {"multiple", "comprehensive", "humanitarian", "land_lease"}
_DATES = {"contact_date", "lease_signed_on", "crossing_date"}
_TEXTS = {"contact_counterpart": 200, "project_title": 200, "project_partner": 200}


class ContactExemption:
    """Contacts the Act needs no report for (Art. 9-2): the form says so instead of taking one."""

    WITHIN_VISIT = "within_visit"
    NORTH_OFFICIAL_VISIT = "north_official_visit"
    EVENT_ABROAD = "event_abroad"
    FOREIGN_FIRM_DUTY = "foreign_firm_duty"
    WORDS: dict[str, tuple[str, str]] = {
        WITHIN_VISIT: (
            "승인받은 방문의 목적 범위 안의 접촉",
            "contact within the purpose of an approved visit",
        ),
        NORTH_OFFICIAL_VISIT: (
            "정부 간 합의에 따라 방문하거나 남한의 국제행사에 참가한 북한 주민과의 접촉",
            "contact with North Koreans visiting under an inter-government agreement or "
            "attending an international event in the South",
        ),
        EVENT_ABROAD: (
            "승인받은 해외 국제행사 안의 접촉",
            "contact within an approved international event abroad",
        ),
        FOREIGN_FIRM_DUTY: (
            "해외 외국기업 직원으로서 업무상 접촉",
            "contact by an employee of a foreign firm abroad in their duties",
        ),
    }


@dataclass
class ApplicationData:
    """What an applicant fills in once; `terms` holds each kind's own fields."""

    purpose: str
    kinds: list[str]
    direction: str = Direction.TO_NORTH
    destination: str = Destination.GAESEONG
    destination_detail: str = ""
    entry_point: str = EntryPoint.GYEONGUI
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    north_partner: str = ""
    north_organisation_id: int | None = None
    terms: dict[str, dict[str, Any]] = field(default_factory=dict)
    contact_exemption: str = ""


_APPLICATION_FIELDS = (
    "purpose",
    "direction",
    "destination",
    "destination_detail",
    "entry_point",
    "start_date",
    "end_date",
    "north_partner",
    "north_organisation_id",
)


def _reference() -> str:
    return f"{REFERENCE_PREFIX}-{timezone.localdate():%Y}-{secrets.token_hex(4).upper()}"


def _text_problem(
    name: str, value: str, limit: int, *, required: bool
) -> tuple[str, str, str] | None:
    """A single-line field may hold no tab; the purpose, being prose, may."""
    return text_problem(name, value, limit, required=required, tabs=name == "purpose")


def _check_data(data: ApplicationData) -> list[tuple[str, str, str]]:
    """The form as typed: each value of the right kind, the period in order. Completeness is
    checked when the application is submitted."""
    problems: list[tuple[str, str, str]] = []
    for name, value, limit, required in (
        ("purpose", data.purpose, MAX_TEXT, True),
        ("destination_detail", data.destination_detail, 200, False),
        ("north_partner", data.north_partner, 200, False),
    ):
        problem = _text_problem(name, value, limit, required=required)
        if problem:
            problems.append(problem)
    wanted = list(dict.fromkeys(data.kinds))
    if not wanted or any(k not in ApprovalKind.values for k in wanted):
        problems.append(
            (
                "kinds",
                "승인 종류를 하나 이상 고르십시오: " + ", ".join(ApprovalKind.values),
                "Choose one or more kinds of approval: " + ", ".join(ApprovalKind.values),
            )
        )
    for name, choices in (
        ("direction", Direction.values),
        ("destination", Destination.values),
        ("entry_point", EntryPoint.values),
    ):
        if getattr(data, name) not in choices:
            problems.append(
                (name, "목록에서 고르십시오.", "Choose from the list: " + ", ".join(choices))
            )
    if data.start_date and data.end_date and data.end_date < data.start_date:
        problems.append(
            (
                "end_date",
                "끝나는 날이 시작하는 날보다 앞섭니다.",
                "The end date is before the start date.",
            )
        )
    for date_name in ("start_date", "end_date"):
        value = getattr(data, date_name)
        if value is not None and not dt.date(1945, 8, 15) <= value <= dt.date(2200, 12, 31):
            problems.append((date_name, "날짜를 확인해 주십시오.", "Check the date."))
    if (
        data.north_organisation_id is not None
        and not Organisation.objects.filter(
            pk=data.north_organisation_id, side__code="north"
        ).exists()
    ):
        problems.append(
            (
                "north_organisation_id",
                "북측 기관이 아닙니다.",
                "Not an organisation of the North.",
            )
        )
    if data.contact_exemption:
        words = ContactExemption.WORDS.get(data.contact_exemption)
        if words is None:
            problems.append(("contact_exemption", "목록에서 고르십시오.", "Choose from the list."))
        else:
            problems.append(
                (
                    "contact_exemption",
                    f"{words[0]}은(는) 접촉 신고가 필요 없습니다 (남북교류협력법 제9조의2). "
                    "신고하지 않아도 됩니다.",
                    f"No report is needed for {words[1]} (Art. 9-2 of the Act): "
                    "you need not file one.",
                )
            )
    for kind, terms in data.terms.items():
        if kind not in KIND_FIELDS:
            problems.append(("terms", "알 수 없는 승인 종류입니다.", f"Unknown kind: {kind[:20]}"))
            continue
        problems.extend(_check_terms(kind, terms))
    return problems


def _check_terms(kind: str, terms: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    problems = []
    for name, value in terms.items():
        if name not in KIND_FIELDS[kind]:
            problems.append(
                (name, "이 승인 종류에는 없는 항목입니다.", f"Not a field of a {kind} approval.")
            )
        elif name in _CHOICES:
            if value not in ("", *_CHOICES[name]):
                problems.append(
                    (
                        name,
                        "목록에서 고르십시오.",
                        "Choose from the list: " + ", ".join(_CHOICES[name]),
                    )
                )
        elif name in _BOOLS:
            if not isinstance(value, bool):
                problems.append((name, "예 또는 아니오입니다.", "Yes or no."))
        elif name in _DATES:
            if value is not None and not isinstance(value, dt.date):
                problems.append((name, "날짜가 아닙니다.", "Not a date."))
        elif name == "crossing_slot":
            if value is not None and not isinstance(value, dt.time):
                problems.append((name, "시각이 아닙니다.", "Not a time of day."))
        elif name in _TEXTS:
            problem = _text_problem(name, str(value), _TEXTS[name], required=False)
            if problem:
                problems.append(problem)
    return problems


def _refuse(problems: list[tuple[str, str, str]]) -> None:
    if problems:
        raise invalid_fields(
            "신청서를 저장하지 않았습니다.", "The application was not saved.", problems
        )


def _apply_terms(approval: Approval, terms: Mapping[str, Any]) -> list[str]:
    changed = []
    for name, value in terms.items():
        if name in _TEXTS:
            value = str(value).strip()
        if getattr(approval, name) != value:
            setattr(approval, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def application_create(
    *,
    actor: User,
    data: ApplicationData,
    profile: Profile | None = None,
    based_on: Application | None = None,
) -> Application:
    """One application with one draft approval for each kind asked for, with their terms."""
    require_authenticated(actor)
    require(can_apply(actor))
    _refuse(_check_data(data))
    application = Application(
        reference=_reference(),
        applicant=actor,
        organisation=actor.organisation,
        profile=profile,
        based_on=based_on,
    )
    for name in _APPLICATION_FIELDS:
        setattr(application, name, _typed(getattr(data, name)))
    application.full_clean()
    application.save()
    kinds = list(dict.fromkeys(data.kinds))
    for kind in kinds:
        approval = Approval(application=application, kind=kind)
        _apply_terms(approval, data.terms.get(kind, {}))
        approval.save()
    audit.record(
        actor=actor,
        action="permits.application.create",
        obj=application,
        changes={"kinds": kinds, **({"based_on": based_on.reference} if based_on else {})},
    )
    return application


def _editable(approval: Approval) -> bool:
    return approval.state in (ApprovalState.DRAFT, ApprovalState.INFO_REQUESTED)


@transaction.atomic
def application_update(
    *, actor: User, application: Application, data: ApplicationData
) -> Application:
    """Change what was filed. Drafts and approvals asked for more information change freely;
    after submission, only the kinds that allow amendment (`AMENDABLE`), and a major change
    (`MAJOR`: the period, the place, the direction) sends an approval in force back to review.
    The kinds asked for are those of the application: `data.kinds` is not read."""
    require_authenticated(actor)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    require(is_applicant_of(actor, locked))
    data.kinds = list(locked.approvals.values_list("kind", flat=True))
    _refuse(_check_data(data))
    approvals = list(locked.approvals.select_for_update())
    changed = [
        name for name in _APPLICATION_FIELDS if getattr(locked, name) != _typed(getattr(data, name))
    ]
    term_changes = {
        a.kind: {n: v for n, v in data.terms.get(a.kind, {}).items() if getattr(a, n) != v}
        for a in approvals
    }
    touched = [a for a in approvals if a.state not in CLOSED and (changed or term_changes[a.kind])]
    fixed = [a for a in touched if not _editable(a) and a.kind not in AMENDABLE]
    if fixed:
        kinds = ", ".join(a.get_kind_display() for a in fixed)
        raise DomainError(
            ErrorCode.CONFLICT,
            f"제출한 뒤에는 고칠 수 없는 승인이 있습니다: {kinds}. 새로 신청하십시오.",
            f"These approvals cannot be amended once submitted: {kinds}. File a new application.",
            {"kinds": [a.kind for a in fixed]},
        )
    reopen = reopened_by(locked, data, approvals)  # read before the change
    for name in _APPLICATION_FIELDS:
        setattr(locked, name, _typed(getattr(data, name)))
    locked.full_clean()
    locked.save()
    for approval in approvals:
        if approval.state in CLOSED:
            continue
        if _apply_terms(approval, term_changes[approval.kind]):
            approval.full_clean(exclude=["state"])
            approval.save()
    audit.record(
        actor=actor,
        action="permits.application.update",
        obj=locked,
        changes={"fields": changed, "terms": {k: sorted(v) for k, v in term_changes.items() if v}},
    )
    for approval in reopen:
        moves.approval_transition(actor=actor, approval=approval, move="reopen")
    return locked


def _typed(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def reopened_by(
    application: Application, data: ApplicationData, approvals: list[Approval] | None = None
) -> list[Approval]:
    """The approvals in force that saving `data` would send back to review: all of them, when
    the change is major (`MAJOR` of the application, `MAJOR_TERMS` of an open approval's own
    terms); none otherwise. What `application_update` does, and its confirmation page names."""
    approvals = list(application.approvals.all()) if approvals is None else approvals
    in_force = [a for a in approvals if a.state in IN_FORCE]
    if not in_force:
        return []
    major = any(getattr(application, name) != _typed(getattr(data, name)) for name in MAJOR)
    major = major or any(
        name in MAJOR_TERMS and getattr(a, name) != value
        for a in approvals
        if a.state not in CLOSED
        for name, value in data.terms.get(a.kind, {}).items()
    )
    return in_force if major else []


@transaction.atomic
def application_submit(*, actor: User, application: Application) -> list[Approval]:
    """File every draft approval of `application` at once: all or none. Each is checked by its
    kind's rules, then against the policy in force on its dates (a measure that forbids it is
    named; a supervisor's exception for this application lets it through)."""
    require_authenticated(actor)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    require(is_applicant_of(actor, locked))
    drafts = list(locked.approvals.select_for_update().filter(state=ApprovalState.DRAFT))
    if not drafts:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "제출할 초안이 없습니다.",
            "There is no draft to submit.",
            {"reference": locked.reference},
        )
    check_submission(locked, drafts, today=timezone.localdate())
    moved = []
    for approval in drafts:
        moved.append(moves.approval_transition(actor=actor, approval=approval, move="submit"))
    locked.submitted_at = locked.submitted_at or timezone.now()
    locked.save(update_fields=["submitted_at"])
    return moved


@transaction.atomic
def policy_exception_grant(
    *, actor: User, application: Application, measure: PolicyMeasure, reason_ko: str, reason_en: str
) -> PolicyException:
    """A ministry supervisor lets `application` through `measure`, for a reason in both
    languages; audited."""
    require_authenticated(actor)
    require(can_except(actor))
    problems = []
    for name, value in (("reason_ko", reason_ko), ("reason_en", reason_en)):
        problem = _text_problem(name, value, MAX_TEXT, required=True)
        if problem:
            problems.append(problem)
    if problems:
        raise invalid_fields(
            "예외를 기록하지 않았습니다.", "The exception was not recorded.", problems
        )
    if PolicyException.objects.filter(application=application, measure=measure).exists():
        raise DomainError(
            ErrorCode.CONFLICT,
            "이 신청에는 이미 이 조치의 예외가 있습니다.",
            "This application already has an exception to this measure.",
            {"measure": measure.code},
        )
    exception = PolicyException.objects.create(
        application=application,
        measure=measure,
        reason_ko=reason_ko.strip(),
        reason_en=reason_en.strip(),
        granted_by=actor,
    )
    audit.record(
        actor=actor,
        action="permits.policy.exception",
        obj=application,
        changes={
            "measure": measure.code,
            "reason_ko": exception.reason_ko,
            "reason_en": exception.reason_en,
        },
    )
    return exception


@transaction.atomic
def application_copy(*, actor: User, source: Application) -> Application:
    """A new draft from an earlier application: the same purpose, place, kinds, terms,
    travellers, vehicles and goods; the dates left to fill in again."""
    require_authenticated(actor)
    require(is_applicant_of(actor, source))
    approvals = list(source.approvals.all())
    data = ApplicationData(
        purpose=source.purpose,
        kinds=[a.kind for a in approvals],
        direction=source.direction,
        destination=source.destination,
        destination_detail=source.destination_detail,
        entry_point=source.entry_point,
        north_partner=source.north_partner,
        north_organisation_id=source.north_organisation_id,
        terms={
            a.kind: {
                n: getattr(a, n)
                for n in KIND_FIELDS[a.kind]
                if n not in ("contact_date", "crossing_date")
            }
            for a in approvals
        },
    )
    copy = application_create(actor=actor, data=data, profile=source.profile, based_on=source)
    person_fields = PERSON_FIELDS
    by_old: dict[int, Any] = {}
    for t in source.travellers.all():
        new = copy.travellers.create(
            profile_person_id=t.profile_person_id,
            row=t.row,
            **{n: getattr(t, n) for n in person_fields},
        )
        by_old[t.pk] = new
    for v in source.vehicles.all():
        copy.vehicles.create(
            plate_number=v.plate_number,
            vehicle_kind=v.vehicle_kind,
            make_model=v.make_model,
            driver=by_old.get(v.driver_id) if v.driver_id else None,
        )
    new_approvals = {a.kind: a for a in copy.approvals.all()}
    for old in approvals:
        for line in old.goods_lines.all():
            new_approvals[old.kind].goods_lines.create(
                row=line.row,
                hs_code=line.hs_code,
                description=line.description,
                quantity=line.quantity,
                unit=line.unit,
                value=line.value,
                currency=line.currency,
            )
    return copy


__all__ = [
    "AMENDABLE",
    "KIND_FIELDS",
    "ApplicationData",
    "ContactExemption",
    "application_copy",
    "application_create",
    "application_submit",
    "application_update",
    "policy_exception_grant",
    "reopened_by",
]
