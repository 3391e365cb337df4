from django.apps import AppConfig


class ReunionConfig(AppConfig):
    name = "panmun.reunion"
    label = "reunion"
    verbose_name = "이산가족 상봉 / Family reunions"
