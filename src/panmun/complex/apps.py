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
    audit_actions: dict[str, tuple[str, str]] = {}
