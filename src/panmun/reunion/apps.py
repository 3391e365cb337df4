from django.apps import AppConfig


class ReunionConfig(AppConfig):
    name = "panmun.reunion"
    label = "reunion"
    verbose_name = "이산가족 상봉 / Family reunions"

    def ready(self) -> None:
        # The reunions' part of a person's story on the registry's page (families.story): the
        # registry does not import this app, which depends on it.
        from . import story  # noqa: F401
