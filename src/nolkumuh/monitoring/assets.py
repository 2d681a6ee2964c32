"""The condition of handed-over assets over time: dated entries (baik / rusak ringan / rusak berat
with a note) kept by the KPP's registrars; the latest one is the asset's current condition."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nolkumuh.core.services import audit_change
from nolkumuh.monitoring.institutions import ensure_registrar
from nolkumuh.monitoring.models import Activity, AssetCondition


def _problems(asset: Activity, on: date, condition: str) -> dict[str, str]:
    problems = {}
    if asset.status != Activity.Status.HANDED_OVER:
        problems["activity"] = "kondisi dicatat untuk aset yang sudah diserahterimakan"
    elif on < asset.handed_over_on:
        problems["recorded_on"] = f"tanggal sebelum serah terima ({asset.handed_over_on.isoformat()})"
    if on > timezone.localdate():
        problems["recorded_on"] = "tanggal pemeriksaan tidak boleh di masa depan"
    if condition not in AssetCondition.Condition.values:
        problems["condition"] = "pilih kondisi: baik, rusak ringan atau rusak berat"
    return problems


def _store(user: AbstractBaseUser, asset: Activity, on: date, condition: str, note: str) -> AssetCondition:
    entry = AssetCondition.objects.filter(activity=asset, recorded_on=on).first()
    before = None if entry is None else {"condition": entry.condition, "note": entry.note}
    entry = entry or AssetCondition(activity=asset, recorded_on=on)
    entry.condition, entry.note, entry.recorded_by = condition, note, user
    entry.full_clean()
    entry.save()
    latest = asset.conditions.order_by("-recorded_on", "-id").first()
    Activity.objects.filter(pk=asset.pk).update(asset_condition=latest.condition)
    asset.asset_condition = latest.condition
    audit_change(
        user=user,
        object_type="asset_condition",
        object_id=entry.pk,
        before=before,
        after={"asset": asset.pk, "on": on.isoformat(), "condition": condition, "note": note},
        summary=asset.name,
    )
    return entry


@transaction.atomic
def asset_condition_record(
    *, user: AbstractBaseUser, asset: Activity, on: date, condition: str, note: str = ""
) -> AssetCondition:
    """Record an asset's condition on a date (a second entry the same day replaces the first) and
    keep the latest condition on the asset."""
    locked = Activity.objects.select_for_update().get(pk=asset.pk)
    ensure_registrar(user, asset.kelurahan.code)
    problems = _problems(locked, on, condition)
    if problems:
        raise ValidationError(problems)
    entry = _store(user, locked, on, condition, note)
    asset.asset_condition = locked.asset_condition
    return entry


def asset_condition_at_handover(*, user: AbstractBaseUser, asset: Activity) -> AssetCondition | None:
    """The condition stated at the handover opens the asset's history (called by the handover
    service, inside its transaction, after its own checks)."""
    if asset.asset_condition not in AssetCondition.Condition.values or asset.handed_over_on is None:
        return None
    return _store(user, asset, asset.handed_over_on, asset.asset_condition, "serah terima")
