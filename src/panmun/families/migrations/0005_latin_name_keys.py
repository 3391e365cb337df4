"""Recompute the stored search keys of people named in Latin letters.

The neutral key of a Latin spelling changed (Yee is now 이, as Lee and Yi are; the spellings
of no system, Ghim, Jhang, Shinn, before it). A person whose name is written in Latin letters
keeps the key computed when it was saved, and a search that computes today's key would miss
them: their keys are computed again, by `keys.set_keys`. Only rows with a Latin letter in a
name are read, and only those whose keys change are written.
"""

from django.db import migrations
from django.db.models import Q

BATCH = 1000


KEYS = ("family_key", "given_key", "name_key", "hometown_key", "birth_year")


def recompute(apps, schema_editor):
    # The one function that computes a person's stored keys before every save.
    from panmun.families.keys import set_keys  # noqa: PLC0415 (pure functions, no models)

    Person = apps.get_model("families", "Person")
    latin = r"[A-Za-z]"
    rows = Person.objects.filter(
        Q(name_latin__regex=latin)
        | Q(family_name__regex=latin)
        | Q(given_name__regex=latin)
        | Q(full_name__regex=latin)
    ).order_by("pk")
    changed = []
    for person in rows.iterator(chunk_size=BATCH):
        before = tuple(getattr(person, k) for k in KEYS)
        set_keys(person)
        if tuple(getattr(person, k) for k in KEYS) != before:
            changed.append(person)
        if len(changed) >= BATCH:
            Person.objects.bulk_update(changed, KEYS)
            changed = []
    if changed:
        Person.objects.bulk_update(changed, KEYS)


class Migration(migrations.Migration):
    dependencies = [("families", "0004_linkage_labels")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
