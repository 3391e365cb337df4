from django.utils.translation import gettext_lazy as _

from panmun.common import apps


class AidConfig(apps.PanmunAppConfig):
    name = "panmun.aid"
    label = "aid"
    verbose_name = _("Humanitarian aid")
    serves = ("aid_organisation",)
    navigation_order = 45
    navigation = (
        apps.NavItem(
            "aid",
            _("Humanitarian aid"),
            "aid:activities",
            "panmun.aid.access.can_read_ledger",
        ),
        apps.NavItem(
            "aid-received",
            _("Aid shipments to us"),
            "aid:received",
            "panmun.aid.access.is_north_recipient",
        ),
    )
    work_queue = "panmun.aid.work.work_queue"
    demo_loader = "panmun.aid.demo.load_demo"
    demo_order = 45
    audit_actions = {
        "aid.activity.create": ("지원 사업 등록", "Aid activity added"),
        "aid.activity.update": ("지원 사업 변경", "Aid activity changed"),
        "aid.transaction.add": ("지원 거래 기록", "Aid transaction recorded"),
        "aid.transaction.remove": ("지원 거래 삭제", "Aid transaction removed"),
        "aid.transactions.import": ("지원 거래 파일 반입", "Aid transactions imported"),
        "aid.rates.import": ("환율표 반입", "Exchange rates imported"),
        "aid.iati.import": ("IATI 파일 반입", "IATI file imported"),
        "aid.shipment.create": ("지원 물자 수송 등록", "Aid shipment added"),
        "aid.shipment.move": ("지원 물자 수송 처리", "Aid shipment moved on"),
        "aid.shipment.acknowledge": ("지원 물자 인수 확인", "Aid shipment acknowledged"),
        "aid.monitoring.record": ("분배 모니터링 기록", "Distribution monitoring recorded"),
        "aid.loan.schedule": ("차관 상환 일정 계산", "Loan schedule computed"),
        "aid.loan.payment": ("차관 상환 기록", "Loan repayment recorded"),
        "aid.loan.notice": ("차관 상환 통지", "Loan notice sent"),
        "aid.policy.exception": ("시행 중인 조치의 예외 기록", "Exception to a measure recorded"),
        "aid.history.load": ("인도적 지원 연도별 실적 반입", "Aid history by year loaded"),
        "aid.history.facts": (
            "인도적 지원 요약·출처별 수치 반입",
            "Aid summary and figures by source loaded",
        ),
        "aid.loan.create": ("차관 등록", "Loan added"),
        "aid.loan.published": ("차관 회차의 발표 금액 기록", "Published instalment figure kept"),
        "aid.loan.missed": ("차관 미상환 회차 확인", "Missed loan instalment recorded"),
    }

    def ready(self) -> None:
        from . import checks  # noqa: F401, PLC0415  (registers the IATI folder's check)
