"""KPI control: each indicator of the results framework for a set of regions and a year, with its
baseline, target (the framework's default or a region's own), achievement, traffic light and
trend; and the writes for hand-entered values (approved by a second person) and region targets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from nolkumuh.accounts.services import audited_step, user_scope
from nolkumuh.core.services import audit_change, audit_record
from nolkumuh.monitoring.framework import Framework, Indicator, default_framework
from nolkumuh.monitoring.kpi_sources import SOURCES, KpiBatch, Reading, no_source
from nolkumuh.monitoring.kpimath import achievement, light
from nolkumuh.monitoring.kpimath import trend as trend_of
from nolkumuh.monitoring.models import KpiTarget, KpiValue
from nolkumuh.regions.models import Region
from nolkumuh.regions.selectors import ancestor_codes


@dataclass(frozen=True)
class KpiStatus:
    indicator: Indicator
    reading: Reading
    baseline: float | None
    target: float | None
    target_is_own: bool  # a region's own target rather than the framework's default
    achievement: float | None
    light: str

    @property
    def value(self) -> float | None:
        return self.reading.value


def _overrides(codes: Sequence[str], years: Sequence[int]) -> dict[tuple[str, str, int], float]:
    """Region targets of these regions and their ancestors (one query)."""
    wanted = {a for c in codes for a in (*ancestor_codes(c), c)}
    rows = KpiTarget.objects.filter(region__code__in=wanted, year__in=years).values_list(
        "indicator", "region__code", "year", "target"
    )
    return {(i, c, y): float(t) for i, c, y, t in rows}


def target_for(
    indicator: Indicator, code: str, year: int, overrides: dict[tuple[str, str, int], float]
) -> tuple[float | None, bool]:
    """The region's own target, else the nearest ancestor's, else the framework default."""
    for candidate in (code, *reversed(ancestor_codes(code))):
        if (indicator.key, candidate, year) in overrides:
            return overrides[(indicator.key, candidate, year)], True
    return indicator.target(year), False


def manual_readings(indicator: Indicator, batch: KpiBatch) -> dict[str, Reading]:
    """Approved hand-entered values: the region's own, else the mean of the regions below it."""
    rows = batch.load(
        "manual_values",
        lambda: list(
            KpiValue.objects.filter(batch.within_roots("region__code"), status="approved").values_list(
                "indicator", "region__code", "year", "value"
            )
        ),
    )
    own = {code: value for key, code, year, value in rows if key == indicator.key and year == batch.year}
    below: dict[str, list[float]] = defaultdict(list)
    for code, value in own.items():
        for owner in batch.owners(code):
            if owner != code:
                below[owner].append(float(value))
    result = {}
    for code in batch.codes:
        if code in own:
            result[code] = Reading(float(own[code]), "diisi, disetujui")
        elif below.get(code):
            values = below[code]
            result[code] = Reading(round(sum(values) / len(values), 2), f"rata-rata {len(values)} wilayah")
        else:
            result[code] = Reading(None, "belum ada nilai yang disetujui")
    return result


def kpi_readings(batch: KpiBatch, framework: Framework | None = None) -> dict[str, dict[str, Reading]]:
    """indicator key -> region code -> reading, for every indicator of the framework."""
    framework = framework or default_framework()
    readings = {}
    for indicator in framework.indicators:
        if indicator.source == "manual":
            readings[indicator.key] = manual_readings(indicator, batch)
        else:
            readings[indicator.key] = SOURCES.get(indicator.compute, no_source)(batch)
    return readings


def kpi_status(
    codes: Sequence[str], year: int, framework: Framework | None = None, shared: dict | None = None
) -> dict[str, list[KpiStatus]]:
    """Region code -> the status of every indicator in ``year`` (``shared``: see KpiBatch)."""
    framework = framework or default_framework()
    batch = KpiBatch(list(codes), year, shared={} if shared is None else shared)
    readings = kpi_readings(batch, framework)
    overrides = _overrides(codes, [year])
    result: dict[str, list[KpiStatus]] = {code: [] for code in codes}
    for indicator in framework.indicators:
        for code in codes:
            reading = readings[indicator.key][code]
            base = reading.baseline if indicator.baseline == "data" else indicator.baseline
            target, own = target_for(indicator, code, year, overrides)
            achieved = achievement(reading.value, target, base, indicator.direction)
            result[code].append(
                KpiStatus(
                    indicator, reading, base, target, own, achieved, light(achieved, framework.thresholds)
                )
            )
    return result


def kpi_trend(
    code: str, years: Sequence[int], framework: Framework | None = None, shared: dict | None = None
) -> dict[str, list[float | None]]:
    """indicator key -> its value in each year (for one region); the years share their loads."""
    framework = framework or default_framework()
    shared = {} if shared is None else shared
    series: dict[str, list[float | None]] = {i.key: [] for i in framework.indicators}
    for year in years:
        readings = kpi_readings(KpiBatch([code], year, shared=shared), framework)
        for key, by_code in readings.items():
            series[key].append(by_code[code].value)
    return series


def trend_word(indicator: Indicator, values: Sequence[float | None]) -> str:
    return trend_of(values, indicator.direction)


# --- writes -----------------------------------------------------------------------------------


def _manual_indicator(key: str) -> Indicator:
    indicator = default_framework().get(key)
    if indicator is None or indicator.source != "manual":
        raise ValidationError({"indicator": "indikator ini tidak diisi manual"})
    return indicator


@transaction.atomic
def kpi_value_save(
    *, user: AbstractBaseUser, region: Region, indicator: str, year: int, value: Decimal, evidence: str = ""
) -> KpiValue:
    """Enter (or correct, while still a draft) a hand-entered KPI value for a region and year."""
    _manual_indicator(indicator)
    if not user_scope(user).may_edit(region):
        raise PermissionDenied("outside_scope")
    if value < 0 or (default_framework().get(indicator).unit == "%" and value > 100):
        raise ValidationError({"value": "nilai persen harus antara 0 dan 100"})
    existing = (
        KpiValue.objects.select_for_update().filter(indicator=indicator, region=region, year=year).first()
    )
    if existing is not None and existing.status != "draft":
        raise ValidationError(
            {"value": "nilai ini sudah diajukan atau disetujui; minta dibuka kuncinya dulu"}
        )
    before = None if existing is None else {"value": str(existing.value), "evidence": existing.evidence}
    record = existing or KpiValue(indicator=indicator, region=region, year=year)
    record.value, record.evidence, record.entered_by = value, evidence, user
    record.full_clean()
    record.save()
    audit_change(
        user=user,
        object_type="kpi_value",
        object_id=record.pk,
        before=before,
        after={"value": str(value), "evidence": evidence},
        summary=f"{indicator} {region.code} {year}",
    )
    return record


@transaction.atomic
def kpi_value_transition(*, user: AbstractBaseUser, record: KpiValue, action: str, reason: str = "") -> None:
    """submit, verify, approve, reject or unlock a hand-entered value (the RT data workflow)."""
    locked = KpiValue.objects.select_for_update(of=("self",)).select_related("region").get(pk=record.pk)
    to_status = audited_step(
        user=user,
        record=locked,
        object_type="kpi_value",
        region=locked.region,
        action=action,
        reason=reason,
        summary=f"{locked.indicator} {locked.region.code} {locked.year}",
    )
    record.status = to_status


@transaction.atomic
def kpi_target_set(
    *, user: AbstractBaseUser, region: Region, indicator: str, year: int, target: Decimal | None, reason: str
) -> KpiTarget | None:
    """An administrator sets a region's own target (or removes it with ``target=None``), with a reason."""
    if not user_scope(user).is_admin:
        raise PermissionDenied("admin_only")
    if default_framework().get(indicator) is None:
        raise ValidationError({"indicator": "indikator tidak dikenal"})
    if not reason.strip():
        raise ValidationError({"reason": "tuliskan alasan perubahan target"})
    existing = KpiTarget.objects.filter(indicator=indicator, region=region, year=year).first()
    before = None if existing is None else {"target": str(existing.target)}
    if target is None:
        if existing is not None:
            existing.delete()
            audit_record(
                user=user,
                action="delete",
                object_type="kpi_target",
                object_id=f"{indicator}:{region.code}:{year}",
                before=before,
                after={"reason": reason},
            )
        return None
    record = existing or KpiTarget(indicator=indicator, region=region, year=year)
    record.target, record.reason, record.set_by = target, reason.strip(), user
    record.full_clean()
    record.save()
    audit_change(
        user=user,
        object_type="kpi_target",
        object_id=f"{indicator}:{region.code}:{year}",
        before=before,
        after={"target": str(target), "reason": reason.strip()},
        summary=f"{indicator} {region.code} {year}",
    )
    return record
