from django.utils.translation import gettext_lazy as _

from panmun.common import apps


class ReunionConfig(apps.PanmunAppConfig):
    name = "panmun.reunion"
    label = "reunion"
    verbose_name = "이산가족 상봉 / Family reunions"
    serves = ("red_cross", "ministry")
    navigation_order = 30
    navigation = (
        apps.NavItem(
            "reunion",
            _("Reunions"),
            "reunion:rounds",
            "panmun.reunion.access.can_see_reunion_rounds",
        ),
    )
    work_queue = "panmun.reunion.selectors.work_queue"
    demo_loader = "panmun.reunion.demo.load_demo"
    demo_order = 30

    def ready(self) -> None:
        # The reunions' part of a person's story on the registry's page
        # (families.selectors.story): the registry does not import this app, which depends on it.
        from . import story  # noqa: F401, PLC0415
