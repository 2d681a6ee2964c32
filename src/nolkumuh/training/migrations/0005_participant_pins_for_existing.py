"""Give every participant registered before check-in PINs existed a PIN of their own (adding the
column gave them all the same one)."""

import secrets

from django.db import migrations


def distinct_pins(apps, schema_editor):
    Participant = apps.get_model("training", "Participant")
    for participant in Participant.objects.only("pk").iterator():
        Participant.objects.filter(pk=participant.pk).update(pin=f"{secrets.randbelow(10**6):06d}")


class Migration(migrations.Migration):
    dependencies = [("training", "0004_participant_checkin_pin")]

    operations = [migrations.RunPython(distinct_pins, migrations.RunPython.noop)]
