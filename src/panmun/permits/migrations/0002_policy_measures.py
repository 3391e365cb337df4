"""The measures in force that restrict approvals, as the ministry announced them
(`permits/data/measures.json`, with their sources). A supervisor edits the table; this
migration writes the history once."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "measures.json"


def load(apps, schema_editor):
    PolicyMeasure = apps.get_model("permits", "PolicyMeasure")
    PolicyRule = apps.get_model("permits", "PolicyRule")
    # The file is today's: a rule's fields added by a later migration (0004's `commodities`)
    # are written by that migration, not by this one.
    known = {f.name for f in PolicyRule._meta.get_fields()}
    for spec in json.loads(DATA.read_text(encoding="utf-8"))["measures"]:
        fields = {k: v for k, v in spec.items() if k not in ("code", "rules")}
        measure, _ = PolicyMeasure.objects.update_or_create(code=spec["code"], defaults=fields)
        measure.rules.all().delete()
        for rule in spec["rules"]:
            PolicyRule.objects.create(measure=measure, **{k: v for k, v in rule.items() if k in known})


def unload(apps, schema_editor):
    codes = [m["code"] for m in json.loads(DATA.read_text(encoding="utf-8"))["measures"]]
    apps.get_model("permits", "PolicyMeasure").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("permits", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
