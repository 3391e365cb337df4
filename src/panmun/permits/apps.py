from django.utils.translation import gettext_lazy as _

from panmun.common import apps


class PermitsConfig(apps.PanmunAppConfig):
    name = "panmun.permits"
    label = "permits"
    verbose_name = _("Exchange approvals")
    serves = ()  # the applicants' programmes (the complex, aid) still have their own apps to come
    audit_actions = {
        "permits.application.create": ("교류협력 승인 신청", "Exchange approval applied for"),
        "permits.approval.move": ("교류협력 승인 처리", "Exchange approval moved on"),
        "permits.certificate.issue": ("방문증명서 발급", "Visit certificates issued"),
        "permits.application.update": ("교류협력 승인 신청 변경", "Exchange application amended"),
        "permits.policy.exception": (
            "시행 중인 조치의 예외 기록",
            "Exception to a measure in force recorded",
        ),
    }
