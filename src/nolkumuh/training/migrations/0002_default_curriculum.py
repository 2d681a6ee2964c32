"""Data: the default curriculum topics and needs questionnaire (editable afterwards)."""

from django.db import migrations


def load(apps, schema_editor):
    from nolkumuh.training.curriculum import default_curriculum

    Topic = apps.get_model("training", "Topic")
    Competency = apps.get_model("training", "Competency")
    if Topic.objects.exists():
        return
    for order, item in enumerate(default_curriculum(), start=1):
        topic = Topic.objects.create(code=item["code"], title=item["title"], order=order)
        for c in item.get("competency", []):
            Competency.objects.create(
                topic=topic, code=c["code"], statement=c["statement"], roles=c["roles"], target=c["target"]
            )


def unload(apps, schema_editor):
    apps.get_model("training", "Topic").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0001_capacity_building")]

    operations = [migrations.RunPython(load, unload)]
