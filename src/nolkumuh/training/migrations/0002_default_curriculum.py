"""Data: the default curriculum topics and needs questionnaire (editable afterwards)."""

from django.db import migrations


def load(apps, schema_editor):
    from nolkumuh.training.curriculum import load_default_curriculum

    load_default_curriculum(apps.get_model("training", "Topic"), apps.get_model("training", "Competency"))


def unload(apps, schema_editor):
    apps.get_model("training", "Topic").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0001_capacity_building")]

    operations = [migrations.RunPython(load, unload)]
