"""The policy table answers the aid ledger too (`aid.policy`): rules about the government's
free aid, NGOs' aid and food loans, a rule's commodities (2006: rice and fertiliser), and the
aid measures (July 2006, 7 January 2016) beside the aid rules of the measures of 2010 — all
from `permits/data/measures.json`. A measure already in the table keeps its approvals' rules;
its aid rules and its texts are written from the file."""

import json
from pathlib import Path

from django.db import migrations, models

DATA = Path(__file__).resolve().parent.parent / "data" / "measures.json"
AID_KINDS = ("aid_government", "aid_ngo", "aid_loan")
TEXTS = ("name_ko", "name_en", "summary_ko", "summary_en", "source")


def load(apps, schema_editor):
    PolicyMeasure = apps.get_model("permits", "PolicyMeasure")
    PolicyRule = apps.get_model("permits", "PolicyRule")
    for spec in json.loads(DATA.read_text(encoding="utf-8"))["measures"]:
        fields = {k: v for k, v in spec.items() if k not in ("code", "rules")}
        measure = PolicyMeasure.objects.filter(code=spec["code"]).first()
        if measure is None:
            measure = PolicyMeasure.objects.create(code=spec["code"], **fields)
            rules = spec["rules"]
        else:
            for name in TEXTS:
                setattr(measure, name, fields[name])
            measure.save(update_fields=list(TEXTS))
            measure.rules.filter(kind__in=AID_KINDS).delete()
            rules = [r for r in spec["rules"] if r["kind"] in AID_KINDS]
        for rule in rules:
            PolicyRule.objects.create(measure=measure, **rule)


def unload(apps, schema_editor):
    apps.get_model("permits", "PolicyRule").objects.filter(kind__in=AID_KINDS).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('permits', '0003_queue_mine'),
    ]

    operations = [
        migrations.AddField(
            model_name='policyrule',
            name='commodities',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AlterField(
            model_name='policyrule',
            name='kind',
            field=models.CharField(choices=[('visit', 'Visit (Art. 9)'), ('contact', 'Contact report (Art. 9-2)'), ('goods', 'Goods carried in or out (Art. 13)'), ('project', 'Cooperation project (Art. 17)'), ('vehicle', 'Vehicle operation'), ('crossing', 'Crossing plan'), ('aid_government', "Government's free aid"), ('aid_ngo', 'NGO aid and shipments'), ('aid_loan', 'Food loans')], max_length=20),
        ),
        migrations.RunPython(load, unload),
    ]
