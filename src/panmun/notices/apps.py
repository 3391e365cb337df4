from django.utils.translation import gettext_lazy as _

from panmun.common import apps


class NoticesConfig(apps.PanmunAppConfig):
    name = "panmun.notices"
    label = "notices"
    verbose_name = _("Notices")
    # No audit actions: a notice is written by the service whose change it tells of (audited
    # there), and its deliveries are state on its own row.
