from django.apps import AppConfig


class LinkageConfig(AppConfig):
    """Registers the `panmun link` and `panmun dedupe` commands; the engine itself has no
    Django dependency."""

    name = "panmun.linkage"
    label = "linkage"
    verbose_name = "Record linkage"
