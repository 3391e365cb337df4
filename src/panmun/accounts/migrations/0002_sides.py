from django.db import migrations

SIDES = [("south", "남측", "South"), ("north", "북측", "North")]


def create_sides(apps, schema_editor):
    Side = apps.get_model("accounts", "Side")
    for code, ko, en in SIDES:
        Side.objects.update_or_create(code=code, defaults={"name_ko": ko, "name_en": en})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_sides, migrations.RunPython.noop)]
