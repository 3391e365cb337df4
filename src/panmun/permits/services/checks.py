"""What an approval must hold before it is submitted: the application's own facts, each
kind's rules (Art. 9, 9-2, 13, 17; crossing plans filed 3 days ahead), then the policy in force
on its dates (`policy.breaches`). The move `submit` calls `check_submission` inside its
transaction, so nothing is filed that these refuse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from panmun.common.errors import DomainError, ErrorCode
from panmun.common.findings import Finding

from ..models import (
    Application,
    Approval,
    ApprovalKind,
    ContactTiming,
    Destination,
    Direction,
    EntryPoint,
)
from ..policy import breaches

#: A crossing plan is filed this many days before the crossing.
CROSSING_NOTICE_DAYS = 3


def _finding(field_name: str, ko: str, en: str, kind: str = "") -> Finding:
    prefix = f"{kind}." if kind else ""
    return Finding("incomplete", ko=ko, en=en, field=f"{prefix}{field_name}")


def submission_problems(
    application: Application, approvals: Iterable[Approval], *, today: dt.date
) -> list[Finding]:
    """What keeps `approvals` of `application` from being submitted: the application's own
    facts, then each kind's rules. The policy is checked after (`policy.breaches`)."""
    found: list[Finding] = []
    approvals = list(approvals)
    kinds = {a.kind for a in approvals}
    travelling = kinds & {ApprovalKind.VISIT, ApprovalKind.VEHICLE, ApprovalKind.CROSSING}
    if application.start_date is None:
        found.append(_finding("start_date", "시작하는 날을 적어 주십시오.", "Give the start date."))
    if application.end_date is None:
        found.append(_finding("end_date", "끝나는 날을 적어 주십시오.", "Give the end date."))
    if application.start_date and application.start_date < today and travelling:
        found.append(
            _finding(
                "start_date",
                "이미 지난 날짜입니다: 방문·차량·출입은 미리 승인받아야 합니다.",
                "That date has passed: visits, vehicles and crossings are approved beforehand.",
            )
        )
    to_south = application.direction == Direction.TO_SOUTH
    if (
        to_south != (application.destination == Destination.SOUTH)
        and application.destination != Destination.ABROAD
    ):
        found.append(
            _finding(
                "destination",
                "방향과 장소가 맞지 않습니다.",
                "The direction and the place do not agree.",
            )
        )
    if travelling and application.entry_point == EntryPoint.NONE:
        found.append(
            _finding(
                "entry_point",
                "출입 장소(판문점, 경의선, 동해선)를 고르십시오.",
                "Choose the entry point (Panmunjom, Gyeongui line, Donghae line).",
            )
        )
    travellers = application.travellers.count()
    for approval in approvals:
        found.extend(_kind_problems(application, approval, travellers, today=today))
    return found


def _kind_problems(
    application: Application, a: Approval, travellers: int, *, today: dt.date
) -> list[Finding]:
    k = a.kind
    found: list[Finding] = []

    def need(name: str, ko: str, en: str) -> None:
        found.append(_finding(name, ko, en, k))

    if k == ApprovalKind.VISIT and travellers == 0:
        need(
            "travellers", "방문하는 사람을 한 명 이상 적어 주십시오.", "Name at least one visitor."
        )
    elif k == ApprovalKind.CONTACT:
        if a.contact_date is None:
            need("contact_date", "접촉 날짜를 적어 주십시오.", "Give the date of the contact.")
        if not a.contact_method:
            need("contact_method", "접촉 방법을 고르십시오.", "Choose how the contact is made.")
        if not a.contact_counterpart.strip():
            need(
                "contact_counterpart",
                "접촉 상대를 적어 주십시오.",
                "Name the other side's person or body.",
            )
        if not a.contact_timing:
            need(
                "contact_timing",
                "사전 신고인지 사후 신고인지 고르십시오.",
                "Choose a report before or after.",
            )
        elif a.contact_timing == ContactTiming.AFTER:
            if not a.after_reason:
                need(
                    "after_reason",
                    "사후 신고는 가족 만남·서신·생사 확인, 긴급한 교역, 예정 없던 전자우편, "
                    "받은 서신에만 됩니다: 사유를 고르십시오.",
                    "A report after the contact is only for family meetings, letters or checking "
                    "on relatives, urgent trade, unplanned e-mail, letters received: choose one.",
                )
            if a.contact_date and a.contact_date > today:
                need(
                    "contact_date",
                    "사후 신고의 접촉 날짜가 미래입니다.",
                    "A report after the contact has a future date.",
                )
        elif a.contact_date and a.contact_date < today:
            need(
                "contact_timing",
                "이미 지난 접촉은 사전 신고할 수 없습니다: 사후 신고와 그 사유를 고르십시오.",
                "A past contact cannot be reported beforehand: "
                "choose a report after, with its reason.",
            )
    elif k == ApprovalKind.GOODS:
        if not a.goods_direction:
            need(
                "goods_direction",
                "반출인지 반입인지 고르십시오.",
                "Choose carried out or carried in.",
            )
        if a.comprehensive and application.destination not in (
            Destination.GAESEONG,
            Destination.GEUMGANGSAN,
        ):
            need(
                "comprehensive",
                "포괄 승인은 개성공단과 금강산 사업에만 있습니다.",
                "A comprehensive approval is only for the Gaeseong and Geumgangsan operations.",
            )
        if not a.comprehensive and not a.goods_lines.exists():
            need("goods_lines", "물품을 한 품목 이상 적어 주십시오.", "List at least one item.")
    elif k == ApprovalKind.PROJECT:
        if not a.project_title.strip():
            need("project_title", "사업명을 적어 주십시오.", "Give the project's name.")
        if not a.project_partner.strip():
            need(
                "project_partner",
                "북측 협력 상대를 적어 주십시오.",
                "Name the partner in the North.",
            )
        if a.land_lease and a.lease_signed_on is None:
            need(
                "lease_signed_on",
                "토지 임차가 있는 사업은 임차 계약을 먼저 맺어야 합니다: 계약일을 적어 주십시오.",
                "A project with a land lease needs the signed lease first: give its date.",
            )
        elif a.lease_signed_on and a.lease_signed_on > today:
            need(
                "lease_signed_on", "임차 계약일이 미래입니다.", "The lease's date is in the future."
            )
    elif k == ApprovalKind.VEHICLE and not application.vehicles.exists():
        need("vehicles", "차량을 한 대 이상 적어 주십시오.", "List at least one vehicle.")
    elif k == ApprovalKind.CROSSING:
        if a.crossing_date is None:
            need("crossing_date", "출입 날짜를 적어 주십시오.", "Give the date of the crossing.")
        else:
            if a.crossing_date < today + dt.timedelta(days=CROSSING_NOTICE_DAYS):
                need(
                    "crossing_date",
                    f"출입 계획은 {CROSSING_NOTICE_DAYS}일 전까지 내야 합니다.",
                    f"A crossing plan is filed {CROSSING_NOTICE_DAYS} days ahead.",
                )
            start, end = application.start_date, application.end_date
            if start and end and not start <= a.crossing_date <= end:
                need(
                    "crossing_date",
                    "출입 날짜가 신청 기간 밖입니다.",
                    "The crossing date is outside the period.",
                )
        if a.crossing_slot is None:
            need("crossing_slot", "출입 시간대를 적어 주십시오.", "Give the crossing slot.")
        if not a.crossing_direction:
            need("crossing_direction", "출경인지 입경인지 고르십시오.", "Choose out or in.")
        if travellers == 0:
            need(
                "travellers",
                "출입하는 사람을 한 명 이상 적어 주십시오.",
                "Name at least one person crossing.",
            )
    return found


def check_submission(
    application: Application, approvals: list[Approval], *, today: dt.date
) -> None:
    """Refuse the submission of `approvals` for all that their kinds' rules or the policy
    forbid, at once (called by `applications.application_submit` and by the move `submit`,
    inside their transaction)."""
    found = submission_problems(application, approvals, today=today)
    if found:
        raise DomainError.from_findings(
            found,
            ko="신청서에 빠졌거나 맞지 않는 것이 있어 제출하지 않았습니다.",
            en="The application was not submitted: something is missing or does not agree.",
        )
    refused = breaches(application, approvals)
    if refused:
        raise DomainError.from_findings(
            [
                Finding(
                    "policy",
                    ko=b.reason_ko(),
                    en=b.reason_en(),
                    field=f"{b.approval.kind}.policy",
                )
                for b in refused
            ],
            ko="시행 중인 조치에 따라 제출할 수 없습니다: "
            + ", ".join(b.measure.name_ko for b in refused),
            en="Not possible under the measures in force: "
            + ", ".join(b.measure.name_en for b in refused),
            code=ErrorCode.POLICY_FORBIDS,
            measures=sorted({b.measure.code for b in refused}),
        )


__all__ = ["CROSSING_NOTICE_DAYS", "check_submission", "submission_problems"]
