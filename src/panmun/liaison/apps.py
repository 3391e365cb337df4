from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "panmun.liaison"
    label = "liaison"
    verbose_name = "남북연락 기록 / Liaison record"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the key-file check)
