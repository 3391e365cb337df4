from django.utils.translation import gettext_lazy as _

from panmun.common import apps


class DialogueConfig(apps.PanmunAppConfig):
    name = "panmun.dialogue"
    label = "dialogue"
    verbose_name = _("Dialogue and agreements")
    serves = ("ministry", "liaison_office")
    navigation_order = 10
    navigation = (
        apps.NavItem(
            "timeline", _("Timeline"), "dialogue:timeline", "panmun.common.apps.signed_in"
        ),
    )
