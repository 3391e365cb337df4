from django.utils.translation import gettext_lazy as _

from panmun.common import apps


class LiaisonConfig(apps.PanmunAppConfig):
    name = "panmun.liaison"
    label = "liaison"
    verbose_name = "남북연락 기록 / Liaison record"
    serves = ("liaison_office",)
    navigation_order = 40
    navigation = (
        apps.NavItem(
            "liaison", _("Liaison"), "liaison:threads", "panmun.liaison.access.can_read_liaison"
        ),
    )
    work_queue = "panmun.liaison.selectors.work_queue"
    demo_loader = "panmun.liaison.demo.load_demo"
    demo_order = 10

    def ready(self) -> None:
        from . import checks  # noqa: F401, PLC0415  (registers the key-file check)
