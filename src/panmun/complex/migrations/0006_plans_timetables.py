"""The crossing timetables, written once (`panmun.complex.timetables.PERIODS`, with their
sources and the assumptions said as such); loaded again by `timetables_load` after a test
flushes the database."""

from django.db import migrations

from panmun.complex.timetables import PERIODS, timetables_load


def load(apps, schema_editor):
    timetables_load(apps.get_model("complex", "Timetable"), apps.get_model("complex", "Slot"))


def unload(apps, schema_editor):
    days = [p.effective_from for p in PERIODS]
    timetable = apps.get_model("complex", "Timetable")
    apps.get_model("complex", "Slot").objects.filter(timetable__effective_from__in=days).delete()
    timetable.objects.filter(effective_from__in=days).delete()


class Migration(migrations.Migration):
    dependencies = [("complex", "0005_evacuation_stays_assets")]

    operations = [migrations.RunPython(load, unload)]
