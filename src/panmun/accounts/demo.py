"""The demo: organisations of both sides and one login per persona. Idempotent.

The same definitions give the test suite its personas, so the demo and the tests agree on who
may do what.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from . import audit
from .models import Organisation, OrganisationKind, Role, Side, User
from .reference import ensure_sides

DEMO_PASSWORD = "panmun-demo-2026"


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name_ko: str
    name_en: str
    kind: str
    side: str | None


@dataclass(frozen=True)
class Persona:
    username: str
    display_name: str
    org: str
    role: str
    about_ko: str
    about_en: str
    staff: bool = False


ORGANISATIONS = [
    OrgSpec("mou", "통일부", "Ministry of Unification", OrganisationKind.MINISTRY, "south"),
    OrgSpec("krc", "대한적십자사", "Korean Red Cross", OrganisationKind.RED_CROSS, "south"),
    OrgSpec(
        "nrc",
        "조선적십자회 중앙위원회",
        "Central Committee of the Red Cross Society of the DPRK",
        OrganisationKind.RED_CROSS,
        "north",
    ),
    OrgSpec(
        "lo-s",
        "남북공동연락사무소 남측",
        "Joint Liaison Office, South side",
        OrganisationKind.LIAISON_OFFICE,
        "south",
    ),
    OrgSpec(
        "lo-n",
        "남북공동연락사무소 북측",
        "Joint Liaison Office, North side",
        OrganisationKind.LIAISON_OFFICE,
        "north",
    ),
    OrgSpec(
        "lo",
        "남북공동연락사무소",
        "Inter-Korean Joint Liaison Office",
        OrganisationKind.LIAISON_OFFICE,
        None,
    ),
    OrgSpec(
        "gic",
        "개성공업지구관리위원회",
        "Gaeseong Industrial District Management Committee",
        OrganisationKind.COMPLEX_MANAGEMENT,
        "south",
    ),
    OrgSpec(
        "firm",
        "한빛어패럴(주) (예시 기업)",
        "Hanbit Apparel Co. (demo firm)",
        OrganisationKind.FIRM,
        "south",
    ),
    OrgSpec(
        "bureau",
        "중앙특구개발지도총국",
        "Central Special Zone Development Guidance Bureau",
        OrganisationKind.ZONE_AUTHORITY,
        "north",
    ),
    OrgSpec(
        "cio",
        "남북출입사무소",
        "Inter-Korean Transit Office",
        OrganisationKind.TRANSIT_OFFICE,
        "south",
    ),
    OrgSpec(
        "customs",
        "관세청 (남북출입사무소 통관)",
        "Korea Customs Service (at the Transit Office)",
        OrganisationKind.CUSTOMS,
        "south",
    ),
    OrgSpec(
        "quarantine",
        "농림축산검역본부 (남북출입사무소 검역)",
        "Animal and Plant Quarantine Agency (at the Transit Office)",
        OrganisationKind.QUARANTINE,
        "south",
    ),
    OrgSpec(
        "aid",
        "남북나눔지원단 (예시 단체)",
        "Nanum Aid (demo aid organisation)",
        OrganisationKind.AID_ORGANISATION,
        "south",
    ),
    OrgSpec(
        "individuals",
        "개인 신청인",
        "Individual applicants",
        OrganisationKind.INDIVIDUALS,
        "south",
    ),
]

PERSONAS = [
    Persona("ministry", "김서연", "mou", Role.OFFICER, "통일부 담당관", "South ministry officer"),
    Persona(
        "redcross_s",
        "박지훈",
        "krc",
        Role.OFFICER,
        "대한적십자사 담당관",
        "South Red Cross officer",
    ),
    Persona(
        "redcross_n",
        "리영철",
        "nrc",
        Role.OFFICER,
        "조선적십자회 담당관",
        "North Red Cross officer",
    ),
    Persona(
        "liaison_s",
        "최은정",
        "lo-s",
        Role.OFFICER,
        "연락사무소 남측 연락관",
        "Liaison officer, South",
    ),
    Persona(
        "liaison_n",
        "림광혁",
        "lo-n",
        Role.OFFICER,
        "연락사무소 북측 연락관",
        "Liaison officer, North",
    ),
    Persona(
        "gic",
        "송하진",
        "gic",
        Role.OFFICER,
        "개성공업지구관리위원회 담당관",
        "Officer of the complex's management committee",
    ),
    Persona("firm", "정민호", "firm", Role.OFFICER, "입주기업 법인장", "Firm manager"),
    Persona(
        "bureau",
        "김명철",
        "bureau",
        Role.OFFICER,
        "중앙특구개발지도총국 담당자",
        "Officer of the North's special zone bureau",
    ),
    Persona("gate", "장우진", "cio", Role.OFFICER, "남북출입사무소 출입심사관", "Gate officer"),
    Persona("customs", "배소희", "customs", Role.OFFICER, "통관 검사관", "Customs officer"),
    Persona(
        "customs_chief",
        "문재석",
        "customs",
        Role.SUPERVISOR,
        "통관 감독관 (검사 경로 변경)",
        "Customs supervisor (re-routes declarations)",
    ),
    Persona("quarantine", "류다은", "quarantine", Role.OFFICER, "검역관", "Quarantine officer"),
    Persona("aid", "윤하늘", "aid", Role.OFFICER, "인도적 지원 담당관", "Aid officer"),
    Persona(
        "applicant",
        "이도윤",
        "individuals",
        Role.OFFICER,
        "개인 신청인 (방북·접촉)",
        "Individual applicant (visits, contacts)",
    ),
    Persona(
        "supervisor", "한동수", "mou", Role.SUPERVISOR, "통일부 감독관", "Supervisor (ministry)"
    ),
    Persona("viewer", "오세라", "mou", Role.VIEWER, "열람자", "Viewer"),
    Persona(
        "admin", "관리자", "mou", Role.ADMINISTRATOR, "시스템 관리자", "Administrator", staff=True
    ),
]


@transaction.atomic
def demo_load(password: str = DEMO_PASSWORD) -> dict[str, int]:
    """Create or refresh the demo organisations and personas. Running it twice changes nothing."""
    sides = ensure_sides(Side)
    orgs: dict[str, Organisation] = {}
    created = 0
    for spec in ORGANISATIONS:
        side = sides[spec.side] if spec.side else None
        org, new = Organisation.objects.update_or_create(
            name_ko=spec.name_ko,
            side=side,
            defaults={"name_en": spec.name_en, "kind": spec.kind},
        )
        orgs[spec.key] = org
        created += new
    users = 0
    for p in PERSONAS:
        user, new = User.objects.get_or_create(username=p.username)
        user.display_name = p.display_name
        user.organisation = orgs[p.org]
        user.role = p.role
        user.is_staff = p.staff
        user.is_superuser = p.staff
        if new or not user.check_password(password):
            user.set_password(password)
        user.full_clean()
        user.save()
        users += new
    if created or users:
        audit.record(
            actor=None,
            action="accounts.demo.load",
            object_type="accounts.demo",
            changes={"organisations_created": created, "users_created": users},
        )
    return {"organisations_created": created, "users_created": users}
