"""The complex's published figures by year since 2005 (`panmun.complex.history`)."""

from django.db import migrations


def load(apps, schema_editor):
    from panmun.complex.history import FIGURES

    YearFigures = apps.get_model("complex", "YearFigures")
    for facts in FIGURES:
        YearFigures.objects.update_or_create(
            year=facts.year,
            defaults={
                "firms": facts.firms,
                "workers": facts.workers,
                "output_usd": facts.output_usd,
                "as_of": facts.as_of,
                "note": facts.note,
                "source": facts.source,
            },
        )


def unload(apps, schema_editor):
    from panmun.complex.history import FIGURES

    YearFigures = apps.get_model("complex", "YearFigures")
    YearFigures.objects.filter(year__in=[f.year for f in FIGURES]).delete()


class Migration(migrations.Migration):
    dependencies = [("complex", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
