"""The demo's exchange approvals, filed and decided through the services as the personas would:
the firm's combined application (a visit, its vehicle and a crossing plan) waiting for review,
an earlier one approved with its visit certificates, and one refused with its reasons; the aid
organisation's goods for the North; the individual applicant's contact report after a family
letter, and a visit in draft. Idempotent: nothing is filed twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from panmun.accounts.models import Organisation, User
from panmun.common.apps import DemoRun

from .models import Application
from .policy import measures_load
from .services import lines
from .services.applications import ApplicationData, application_create, application_submit
from .services.moves import approval_transition

PEOPLE = [
    ("정민호", "JUNG MINHO", "M", "1975-03-01", "M12345678", "010-2345-6789"),
    ("김수진", "KIM SUJIN", "F", "1982-11-20", "M23456789", "010-3456-7890"),
    ("박영수", "PARK YOUNGSOO", "M", "1968-07-15", "M34567890", "010-4567-8901"),
]
MARK = "[demo]"


def _person(
    name: str, latin: str, sex: str, born: str, passport: str, phone: str
) -> dict[str, Any]:
    return {
        "name_ko": name,
        "name_latin": latin,
        "sex": sex,
        "birth_date": born,
        "document_kind": "passport",
        "document_number": passport,
        "nationality": "KR",
        "phone": phone,
    }


def _move(approval: Any, *steps: tuple[str, User | None, str, str]) -> Any:
    for move, actor, ko, en in steps:
        approval = approval_transition(actor=actor, approval=approval, move=move, ko=ko, en=en)
    return approval


def _combined(
    firm: User, partner: Organisation | None, start: dt.date, purpose: str
) -> Application:
    data = ApplicationData(
        purpose=f"{purpose} {MARK}",
        kinds=["visit", "vehicle", "crossing"],
        destination="pyongyang",
        destination_detail="평양 3대혁명전시관",
        entry_point="gyeongui",
        start_date=start,
        end_date=start + dt.timedelta(days=3),
        north_partner="민족경제협력연합회",
        north_organisation_id=partner.pk if partner else None,
        terms={
            "visit": {"multiple": False},
            "crossing": {
                "crossing_date": start,
                "crossing_slot": dt.time(9, 0),
                "crossing_direction": "to_north",
            },
        },
    )
    application = application_create(actor=firm, data=data)
    driver = None
    for spec in PEOPLE:
        traveller = lines.traveller_add(actor=firm, application=application, values=_person(*spec))
        driver = driver or traveller
    lines.vehicle_add(
        actor=firm,
        application=application,
        values={"plate_number": "12가3456", "vehicle_kind": "van", "make_model": "스타리아"},
        driver=driver,
    )
    application_submit(actor=firm, application=application)
    return application


@transaction.atomic
def load_permits_demo(today: dt.date | None = None) -> dict[str, int]:
    """File the demo's applications (once)."""
    measures_load()
    if Application.objects.filter(purpose__endswith=MARK).exists():
        return {"applications": 0}
    today = today or timezone.localdate()
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["firm", "aid", "applicant", "ministry", "supervisor"]
        )
    }
    if len(users) < 5:
        return {"applications": 0}
    firm, ministry = users["firm"], users["ministry"]
    partner = Organisation.objects.filter(side__code="north", kind="red_cross").first()
    profile = lines.profile_get_or_create(actor=firm)
    for spec in PEOPLE:
        if not profile.people.filter(document_number=spec[4]).exists():
            lines.profile_person_add(actor=firm, values=_person(*spec))
    count = 0

    # Waiting for review: the firm's combined application of 2019's kind.
    _combined(firm, partner, today + dt.timedelta(days=14), "평양 상품 전시회 참가")
    count += 1

    # Decided: one approved (visit, vehicle), its crossing plan refused with reasons.
    decided = _combined(firm, partner, today + dt.timedelta(days=7), "평양 협력 사업 협의")
    count += 1
    review = [("start_review", ministry, "", "")]
    for approval in decided.approvals.all():
        if approval.kind == "crossing":
            _move(
                approval,
                *review,
                (
                    "refuse",
                    ministry,
                    "신청한 시간대(09:00)는 그날의 다른 통행과 겹칩니다. "
                    "다른 시간대로 다시 신청하십시오.",
                    "The slot asked for (09:00) clashes with the day's other crossings. "
                    "File again for another slot.",
                ),
            )
        elif approval.kind == "visit":
            _move(
                approval,
                *review,
                (
                    "approve_with_conditions",
                    ministry,
                    "방북 후 7일 이내에 결과 보고서를 제출하십시오.",
                    "Report on the visit within 7 days of return.",
                ),
            )
        else:
            _move(approval, *review, ("approve", ministry, "", ""))

    # The aid organisation's flour and milk powder for children in the North.
    aid = users["aid"]
    goods = application_create(
        actor=aid,
        data=ApplicationData(
            purpose=f"영유아 지원: 밀가루와 분유 반출 {MARK}",
            kinds=["goods"],
            destination="other_north",
            destination_detail="황해북도 사리원시 육아원",
            entry_point="gyeongui",
            start_date=today + dt.timedelta(days=20),
            end_date=today + dt.timedelta(days=50),
            north_partner="조선아동후원협회",
            terms={"goods": {"goods_direction": "carry_out", "humanitarian": True}},
        ),
    )
    approval = goods.approvals.get()
    for line in (
        {"hs_code": "110100", "description": "밀가루 / wheat flour", "quantity": "50000",
         "unit": "kg", "value": "32500", "currency": "USD"},
        {"hs_code": "040210", "description": "분유 / milk powder", "quantity": "8000",
         "unit": "kg", "value": "28000", "currency": "USD"},
    ):  # fmt: skip
        lines.goods_line_add(actor=aid, approval=approval, values=line)
    application_submit(actor=aid, application=goods)
    count += 1

    # An individual's contact report after a letter from a relative, and a draft visit.
    applicant = users["applicant"]
    contact = application_create(
        actor=applicant,
        data=ApplicationData(
            purpose=f"북측 가족의 서신 수령 {MARK}",
            kinds=["contact"],
            destination="abroad",
            entry_point="none",
            start_date=today - dt.timedelta(days=3),
            end_date=today - dt.timedelta(days=3),
            terms={
                "contact": {
                    "contact_date": today - dt.timedelta(days=3),
                    "contact_method": "letter",
                    "contact_counterpart": "북측 동생 이영숙 (중국 선양 경유 서신)",
                    "contact_timing": "after",
                    "after_reason": "letter_received",
                }
            },
        ),
    )
    application_submit(actor=applicant, application=contact)
    application_create(
        actor=applicant,
        data=ApplicationData(
            purpose=f"이산가족 고향 방문 {MARK}",
            kinds=["visit"],
            destination="other_north",
            destination_detail="황해남도 연백군",
            entry_point="panmunjom",
            start_date=today + dt.timedelta(days=60),
            end_date=today + dt.timedelta(days=63),
        ),
    )
    count += 2
    return {"applications": count}


def load_demo(run: DemoRun) -> None:
    """`panmun load-demo`'s exchange approvals."""
    loaded = load_permits_demo()
    if loaded["applications"]:
        run.say(f"Exchange approvals: {loaded['applications']} applications.")
