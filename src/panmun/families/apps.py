from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "panmun.families"
    label = "families"
    verbose_name = "이산가족 / Separated families"
