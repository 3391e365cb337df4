from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueConfig(AppConfig):
    name = "panmun.dialogue"
    label = "dialogue"
    verbose_name = _("Dialogue and agreements")
