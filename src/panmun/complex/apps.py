from django.utils.translation import gettext_lazy as _

from panmun.common import apps


class ComplexConfig(apps.PanmunAppConfig):
    name = "panmun.complex"
    label = "complex"
    verbose_name = _("Gaeseong Industrial Complex")
    # The committee approves payrolls in the complex's own pages: no 결재 step yet.
    navigation_order = 50
    navigation = (
        apps.NavItem(
            "complex",
            _("Gaeseong complex"),
            "complex:dashboard",
            "panmun.complex.access.can_read_complex",
        ),
        apps.NavItem(
            "complex-bureau",
            _("Gaeseong wages remitted"),
            "complex:remittances",
            "panmun.complex.access.is_bureau",
        ),
    )
    demo_loader = "panmun.complex.demo.load_demo"
    demo_order = 50
    audit_actions: dict[str, tuple[str, str]] = {
        # workers
        "complex.worker.add": ("로동자 등록", "Worker put on a roster"),
        "complex.worker.leave": ("로동자 퇴직 기록", "Worker's leaving recorded"),
        "complex.roster.import": ("로동자명단 반입", "Roster file read"),
    }
