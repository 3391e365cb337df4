from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from panmun.common import apps


class JobsConfig(apps.PanmunAppConfig):
    name = "panmun.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")
    navigation_order = 90
    navigation = (apps.NavItem("jobs", _("Jobs"), "jobs:list", "panmun.common.apps.signed_in"),)

    def ready(self) -> None:
        # Each app registers its kinds of job in its tasks.py.
        autodiscover_modules("tasks")
