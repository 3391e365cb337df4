"""The minimum wage's history, written once (`panmun.complex.wages.WAGE_HISTORY`, with its
sources); the committee keeps the table from there."""

from django.db import migrations

from panmun.complex.wages import WAGE_HISTORY, history_load


def load(apps, schema_editor):
    history_load(apps.get_model("complex", "WageRule"))


def unload(apps, schema_editor):
    days = [r.effective_from for r in WAGE_HISTORY]
    apps.get_model("complex", "WageRule").objects.filter(effective_from__in=days).delete()


class Migration(migrations.Migration):
    dependencies = [("complex", "0002_year_figures")]

    operations = [migrations.RunPython(load, unload)]
