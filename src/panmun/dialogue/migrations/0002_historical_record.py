"""Loads the historical record of inter-Korean dialogue from dialogue/data/historical_record.json.

Each item cites the seed document it comes from (source + the quoted sentence). The loader is
idempotent (keyed by each item's `key`), so running it again changes nothing.
"""

from django.db import migrations


def load(apps, schema_editor):
    from panmun.dialogue.record import load_historical_record

    load_historical_record(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("dialogue", "0001_initial"), ("accounts", "0002_sides")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
