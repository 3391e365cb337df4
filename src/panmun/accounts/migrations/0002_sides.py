from django.db import migrations

from panmun.accounts.reference import ensure_sides


def create_sides(apps, schema_editor):
    ensure_sides(apps.get_model("accounts", "Side"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_sides, migrations.RunPython.noop)]
