"""The demo ledger: five activities through the services (the 2000 food loan, a contribution
through WFP, the ministry's grant to the demo aid organisation and the organisation's project
under it, and the organisation's own flour), then each part's demo in turn: money, history and
loans, shipments. Loading it twice changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.db import transaction

from panmun.accounts.models import Organisation, OrganisationKind, User
from panmun.common.apps import DemoRun

from . import demo_money, demo_reports, demo_shipments
from .models import Activity, ActivityStatus, Channel, OrganisationRole, TargetGroup
from .services.activities import ActivityData, ParticipantLine, SectorLine, activity_create

MINISTRY_REF = "KR-MOU"
NANUM_REF = "KR-NANUM"
GRANT = f"{MINISTRY_REF}-2026-NGO-GRANT"
CHILD = f"{NANUM_REF}-2026-INFANT-FORMULA"


def _orgs() -> tuple[Organisation, Organisation, Organisation]:
    ministry = Organisation.objects.get(kind=OrganisationKind.MINISTRY, side__code="south")
    nanum = Organisation.objects.filter(kind=OrganisationKind.AID_ORGANISATION).order_by("pk")[0]
    north_red_cross = Organisation.objects.get(kind=OrganisationKind.RED_CROSS, side__code="north")
    return ministry, nanum, north_red_cross


def demo_activities() -> list[ActivityData]:
    ministry, nanum, nrc = _orgs()
    return [
        ActivityData(
            identifier=f"{MINISTRY_REF}-2000-FOOD-LOAN",
            reporting_org_ref=MINISTRY_REF,
            reporting_org_name_ko=ministry.name_ko,
            reporting_org_name_en=ministry.name_en,
            title_ko="2000년 대북 식량차관 (쌀 30만 톤, 옥수수 20만 톤)",
            title_en="2000 food loan to the North (300,000 t rice, 200,000 t corn)",
            description_ko=(
                "남북간 식량차관 제공에 관한 합의서(2000. 9. 26.)에 따라 한국수출입은행과 "
                "조선무역은행 사이의 차관계약으로 제공: 연 1%, 거치 10년 포함 30년."
            ),
            description_en=(
                "Under the agreement on food loans of 26 September 2000, by a loan contract "
                "between Korea Eximbank and the Chosun Trade Bank: 1% a year, 30 years "
                "including 10 years' grace."
            ),
            channel=Channel.FOOD_LOAN,
            status=ActivityStatus.IMPLEMENTATION,
            actual_start=dt.date(2000, 10, 4),
            humanitarian=False,
            target_groups=[TargetGroup.GENERAL],
            default_currency="USD",
            recipient_name_ko="조선무역은행",
            recipient_name_en="Chosun Trade Bank",
            organisation=ministry,
            sectors=[SectorLine("52010")],
            participants=[
                ParticipantLine(
                    OrganisationRole.FUNDING, ministry.name_ko, ministry.name_en, MINISTRY_REF, "10"
                ),
                ParticipantLine(
                    OrganisationRole.EXTENDING,
                    "한국수출입은행",
                    "Export-Import Bank of Korea",
                    "",
                    "10",
                ),
            ],
        ),
        ActivityData(
            identifier=f"{MINISTRY_REF}-2024-WFP-NUTRITION",
            reporting_org_ref=MINISTRY_REF,
            reporting_org_name_ko=ministry.name_ko,
            reporting_org_name_en=ministry.name_en,
            title_ko="세계식량계획(WFP)을 통한 영유아·임산부 영양 지원",
            title_en="Nutrition for infants and pregnant women through WFP",
            description_ko="남북협력기금으로 WFP의 북한 영양 지원 사업에 기여.",
            description_en=(
                "A contribution from the Inter-Korean Cooperation Fund to WFP's nutrition "
                "programme in the North."
            ),
            channel=Channel.VIA_INTERNATIONAL,
            status=ActivityStatus.IMPLEMENTATION,
            planned_start=dt.date(2024, 3, 1),
            actual_start=dt.date(2024, 3, 15),
            planned_end=dt.date(2026, 12, 31),
            humanitarian=True,
            target_groups=[TargetGroup.INFANTS_CHILDREN, TargetGroup.PREGNANT_NURSING],
            default_currency="USD",
            region="황해남도",
            organisation=ministry,
            sectors=[SectorLine("12240", "1", "70"), SectorLine("72040", "1", "30")],
            participants=[
                ParticipantLine(
                    OrganisationRole.FUNDING, ministry.name_ko, ministry.name_en, MINISTRY_REF, "10"
                ),
                ParticipantLine(
                    OrganisationRole.IMPLEMENTING,
                    "세계식량계획",
                    "World Food Programme",
                    "XM-DAC-41140",
                    "40",
                ),
            ],
        ),
        ActivityData(
            identifier=GRANT,
            reporting_org_ref=MINISTRY_REF,
            reporting_org_name_ko=ministry.name_ko,
            reporting_org_name_en=ministry.name_en,
            title_ko="민간단체 영유아 영양 지원 사업 보조",
            title_en="Grant to an NGO for infant nutrition",
            description_ko="남북협력기금에서 남북나눔지원단의 영유아 분유 지원 사업에 보조금 지급.",
            description_en=(
                "A grant from the Inter-Korean Cooperation Fund to Nanum Aid's infant formula "
                "project."
            ),
            channel=Channel.VIA_NGO,
            status=ActivityStatus.IMPLEMENTATION,
            planned_start=dt.date(2026, 3, 1),
            actual_start=dt.date(2026, 3, 10),
            planned_end=dt.date(2026, 12, 31),
            humanitarian=True,
            target_groups=[TargetGroup.INFANTS_CHILDREN],
            organisation=ministry,
            recipient_organisation=nrc,
            sectors=[SectorLine("12240")],
            participants=[
                ParticipantLine(
                    OrganisationRole.FUNDING, ministry.name_ko, ministry.name_en, MINISTRY_REF, "10"
                ),
                ParticipantLine(
                    OrganisationRole.IMPLEMENTING, nanum.name_ko, nanum.name_en, NANUM_REF, "22"
                ),
            ],
        ),
        ActivityData(
            identifier=CHILD,
            reporting_org_ref=NANUM_REF,
            reporting_org_type="22",
            reporting_org_name_ko=nanum.name_ko,
            reporting_org_name_en=nanum.name_en,
            title_ko="영유아 분유 지원 (평안남도 탁아소)",
            title_en="Infant formula for nurseries in South Pyongan",
            description_ko="통일부 보조금으로 분유를 조선적십자회에 전달.",
            description_en=(
                "Infant formula delivered to the North's Red Cross with the ministry's grant."
            ),
            channel=Channel.VIA_NGO,
            status=ActivityStatus.IMPLEMENTATION,
            planned_start=dt.date(2026, 4, 1),
            actual_start=dt.date(2026, 4, 6),
            planned_end=dt.date(2026, 12, 31),
            humanitarian=True,
            target_groups=[TargetGroup.INFANTS_CHILDREN],
            region="평안남도",
            organisation=nanum,
            recipient_organisation=nrc,
            recipient_name_ko=nrc.name_ko,
            recipient_name_en=nrc.name_en,
            sectors=[SectorLine("12240")],
            participants=[
                ParticipantLine(
                    OrganisationRole.FUNDING, ministry.name_ko, ministry.name_en, MINISTRY_REF, "10"
                ),
                ParticipantLine(
                    OrganisationRole.IMPLEMENTING, nanum.name_ko, nanum.name_en, NANUM_REF, "22"
                ),
            ],
        ),
        ActivityData(
            identifier=f"{NANUM_REF}-2026-OWN-FLOUR",
            reporting_org_ref=NANUM_REF,
            reporting_org_type="22",
            reporting_org_name_ko=nanum.name_ko,
            reporting_org_name_en=nanum.name_en,
            title_ko="자체 모금 밀가루 지원 (어린이·노인)",
            title_en="Flour from our own funds (children and the elderly)",
            description_ko="회원 모금으로 밀가루를 마련해 강원도의 어린이와 노인에게 보냄.",
            description_en=(
                "Flour bought with our members' donations for children and the elderly in "
                "Kangwon Province."
            ),
            channel=Channel.NGO_OWN,
            status=ActivityStatus.PIPELINE,
            planned_start=dt.date(2026, 11, 1),
            planned_end=dt.date(2027, 3, 31),
            humanitarian=True,
            target_groups=[TargetGroup.INFANTS_CHILDREN, TargetGroup.ELDERLY],
            region="강원도",
            organisation=nanum,
            recipient_organisation=nrc,
            recipient_name_ko=nrc.name_ko,
            recipient_name_en=nrc.name_en,
            sectors=[SectorLine("52010")],
            participants=[
                ParticipantLine(
                    OrganisationRole.FUNDING, nanum.name_ko, nanum.name_en, NANUM_REF, "22"
                ),
            ],
        ),
    ]


@transaction.atomic
def load_activities() -> int:
    """The demo activities that are not there yet, filed by the ministry's officer (the
    child activity then sits under the grant)."""
    officer = User.objects.get(username="ministry")
    added = 0
    for data in demo_activities():
        if Activity.objects.filter(identifier=data.identifier).exists():
            continue
        if data.identifier == CHILD:
            data = replace(data, parent=Activity.objects.get(identifier=GRANT))
        activity_create(actor=officer, data=data)
        added += 1
    return added


def load_demo(run: DemoRun) -> None:
    """`panmun load-demo`'s aid ledger: the activities, then their money, the history and the
    2000 food loan, then the shipments (one received with the North's signed receipt)."""
    added = load_activities()
    run.say(f"Aid ledger: {added} activities.")
    demo_money.load(run)
    demo_reports.load(run)
    demo_shipments.load(run)
