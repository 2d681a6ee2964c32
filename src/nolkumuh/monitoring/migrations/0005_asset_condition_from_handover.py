"""The condition recorded at each past handover becomes the first entry of that asset's history."""

from django.db import migrations


def forwards(apps, schema_editor):
    Activity = apps.get_model("monitoring", "Activity")
    AssetCondition = apps.get_model("monitoring", "AssetCondition")
    known = {"baik", "rusak_ringan", "rusak_berat"}
    rows = Activity.objects.filter(
        status="handed_over", handed_over_on__isnull=False, asset_condition__in=known
    )
    AssetCondition.objects.bulk_create(
        [
            AssetCondition(
                activity_id=a.pk,
                recorded_on=a.handed_over_on,
                condition=a.asset_condition,
                note="serah terima",
                recorded_by_id=a.created_by_id,
            )
            for a in rows.exclude(conditions__isnull=False)
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0004_asset_condition_history")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
