from django.utils.translation import gettext_lazy as _

from panmun.common import apps


class PermitsConfig(apps.PanmunAppConfig):
    name = "panmun.permits"
    label = "permits"
    verbose_name = _("Exchange approvals")
    serves = ()  # the applicants' programmes (the complex, aid) still have their own apps to come
    navigation_order = 40
    navigation = (
        apps.NavItem(
            "permits",
            _("Exchange approvals"),
            "permits:applications",
            "panmun.permits.access.can_apply",
        ),
        apps.NavItem(
            "permits-review",
            _("Exchange approvals to review"),
            "permits:review-queues",
            "panmun.permits.access.can_review",
        ),
        apps.NavItem(
            "permits-invitations",
            _("Visits you invited"),
            "permits:review-invitations",
            "panmun.permits.access.is_north_partner",
        ),
    )
    work_queue = "panmun.permits.selectors.work_queue"
    demo_loader = "panmun.permits.demo.load_demo"
    demo_order = 40
    audit_actions = {
        "permits.application.create": ("교류협력 승인 신청", "Exchange approval applied for"),
        "permits.approval.assign": ("교류협력 승인 담당관 배정", "Exchange approval assigned"),
        "permits.approval.move": ("교류협력 승인 처리", "Exchange approval moved on"),
        "permits.certificate.issue": ("방문증명서 발급", "Visit certificates issued"),
        "permits.application.update": ("교류협력 승인 신청 변경", "Exchange application amended"),
        "permits.policy.exception": (
            "시행 중인 조치의 예외 기록",
            "Exception to a measure in force recorded",
        ),
        "permits.traveller.add": ("신청 명단에 사람 추가", "Person added to an application"),
        "permits.traveller.remove": ("신청 명단에서 사람 삭제", "Person taken off an application"),
        "permits.travellers.import": ("신청 명단 파일 반입", "People list imported"),
        "permits.travellers.from_profile": (
            "신청자 정보에서 명단 추가",
            "People added from the applicant profile",
        ),
        "permits.vehicle.add": ("신청 차량 추가", "Vehicle added to an application"),
        "permits.vehicle.remove": ("신청 차량 삭제", "Vehicle taken off an application"),
        "permits.goods_line.add": ("반출입 물품 추가", "Goods item added"),
        "permits.goods_line.remove": ("반출입 물품 삭제", "Goods item removed"),
        "permits.profile.create": ("신청자 정보 생성", "Applicant profile created"),
        "permits.profile_person.add": ("신청자 정보에 사람 추가", "Person kept in the profile"),
        "permits.profile_person.remove": (
            "신청자 정보에서 사람 삭제",
            "Person removed from the profile",
        ),
        "permits.profile_vehicle.add": ("신청자 정보에 차량 추가", "Vehicle kept in the profile"),
        "permits.profile_vehicle.remove": (
            "신청자 정보에서 차량 삭제",
            "Vehicle removed from the profile",
        ),
        "permits.profile_goods.add": ("신청자 정보에 물품 추가", "Goods kept in the profile"),
        "permits.profile_goods.remove": (
            "신청자 정보에서 물품 삭제",
            "Goods removed from the profile",
        ),
    }

    def ready(self) -> None:
        from . import checks  # noqa: F401, PLC0415  (registers the key-file checks)
