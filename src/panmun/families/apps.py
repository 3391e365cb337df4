from django.utils.translation import gettext_lazy as _

from panmun.common import apps


class FamiliesConfig(apps.PanmunAppConfig):
    name = "panmun.families"
    label = "families"
    verbose_name = "이산가족 / Separated families"
    serves = ("red_cross", "ministry")
    navigation_order = 20
    navigation = (
        apps.NavItem(
            "families",
            _("Separated families"),
            "families:registry",
            "panmun.families.access.can_read_registry",
        ),
        apps.NavItem(
            "families",
            _("Tracing requests"),
            "families:rounds",
            "panmun.families.access.is_tracing_counterpart",
        ),
    )
    work_queue = "panmun.families.selectors.work.work_queue"
    demo_loader = "panmun.families.demo.load_demo"
    demo_order = 20
