"""RW and RT numbers are stored zero-padded to three digits ('2' becomes '002').

Matching is unchanged: it uses rw_key/rt_key (the number without leading zeros), so every file
and form that wrote '2' or '002' still finds the same RT. Values that are not 1-3 digits (none
in normal data) are left as they are; the next edit of that RT asks for a proper number.
"""

from django.db import migrations

WIDTH = 3  # bounds.toml [rw_rt] max_length at the time of this migration


def _padded(value: str) -> str:
    text = value.strip()
    if text and text.isascii() and text.isdigit() and len(text) <= WIDTH:
        return text.zfill(WIDTH)
    return value


def pad(apps, schema_editor):
    Rt = apps.get_model("regions", "Rt")
    changed = []
    for rt in Rt.objects.only("pk", "rw", "rt").iterator(chunk_size=2000):
        rw, number = _padded(rt.rw), _padded(rt.rt)
        if (rw, number) != (rt.rw, rt.rt):
            rt.rw, rt.rt = rw, number
            changed.append(rt)
        if len(changed) >= 2000:
            Rt.objects.bulk_update(changed, ["rw", "rt"])
            changed = []
    Rt.objects.bulk_update(changed, ["rw", "rt"])


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0004_validators_from_bounds_table"),
    ]

    operations = [migrations.RunPython(pad, migrations.RunPython.noop)]
