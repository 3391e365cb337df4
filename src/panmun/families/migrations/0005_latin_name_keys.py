"""Recompute the stored search keys of people named in Latin letters.

The neutral key of a Latin spelling changed (Yee is now 이, as Lee and Yi are; the spellings
of no system, Ghim, Jhang, Shinn, before it). A person whose name is written in Latin letters
keeps the key computed when it was saved, and a search that computes today's key would miss
them: their keys are computed again. Only rows with a Latin letter in a name are read, and
only those whose keys change are written.
"""

from django.db import migrations
from django.db.models import Q

BATCH = 1000


def recompute(apps, schema_editor):
    from panmun.families.keys import person_keys  # noqa: PLC0415 (pure functions, no models)

    Person = apps.get_model("families", "Person")
    latin = r"[A-Za-z]"
    rows = (
        Person.objects.filter(
            Q(name_latin__regex=latin)
            | Q(family_name__regex=latin)
            | Q(given_name__regex=latin)
            | Q(full_name__regex=latin)
        )
        .only(
            "family_name",
            "given_name",
            "name_latin",
            "full_name",
            "family_key",
            "given_key",
            "name_key",
        )
        .order_by("pk")
    )
    changed = []
    for person in rows.iterator(chunk_size=BATCH):
        keys = person_keys(
            person.family_name, person.given_name, person.name_latin, person.full_name
        )
        new = (keys.family_key, keys.given_key, keys.name_key)
        if new != (person.family_key, person.given_key, person.name_key):
            person.family_key, person.given_key, person.name_key = new
            changed.append(person)
        if len(changed) >= BATCH:
            Person.objects.bulk_update(changed, ["family_key", "given_key", "name_key"])
            changed = []
    if changed:
        Person.objects.bulk_update(changed, ["family_key", "given_key", "name_key"])


class Migration(migrations.Migration):
    dependencies = [("families", "0004_linkage_labels")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
