"""Unit costs per region and year: an administrator's overrides of the activity catalogue.

The catalogue file (``planmath/data/activities.toml``) stays the default. An override belongs to a
province or a city/regency and applies from its year on. For a plan the cost of an activity is the
override of the most specific region above the plan's region (city before province), the latest
one whose year is not after the year asked; otherwise the catalogue's. Plan lines take it as their
default unit cost, and the optimizer and the line template use it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from nolkumuh.accounts.services import user_scope
from nolkumuh.core.services import audit_change
from nolkumuh.planmath.activities import Activity, default_activities
from nolkumuh.planning.models import UnitCost
from nolkumuh.regions.models import Region

LEVELS = (Region.Level.PROVINSI, Region.Level.KABKOTA)


def _chain(code: str) -> list[str]:
    """The province and city codes above (or equal to) a region code, most specific last."""
    parts = code.split(".")
    return [".".join(parts[:n]) for n in (1, 2) if len(parts) >= n]


def activities_for(*, region: Region, year: int, without_own_year: bool = False) -> dict[str, Activity]:
    """The activity catalogue with the region's unit costs for ``year`` (``without_own_year``: as
    if the region had no override of its own for exactly that year)."""
    chain = _chain(region.code)
    overrides: dict[str, tuple[int, int, Decimal]] = {}  # activity -> (specificity, year, cost)
    rows = UnitCost.objects.filter(region__code__in=chain, year__lte=year).values_list(
        "region__code", "activity", "year", "unit_cost"
    )
    for code, activity, from_year, cost in rows:
        if without_own_year and code == region.code and from_year == year:
            continue
        rank = (chain.index(code), from_year)
        if activity not in overrides or rank > overrides[activity][:2]:
            overrides[activity] = (*rank, cost)
    return {
        key: replace(a, unit_cost=float(overrides[key][2])) if key in overrides else a
        for key, a in default_activities().items()
    }


@dataclass
class CostRow:
    activity: Activity  # the catalogue entry (default cost)
    inherited: float  # what applies without this region's own value for the year
    own: Decimal | None  # this region's own value for exactly this year
    note: str


def unit_cost_table(*, region: Region, year: int) -> list[CostRow]:
    """Every catalogue activity: its default, what the region inherits, its own value for the year."""
    inherited = activities_for(region=region, year=year, without_own_year=True)
    own = {u.activity: u for u in UnitCost.objects.filter(region=region, year=year)}
    return [
        CostRow(
            activity=activity,
            inherited=inherited[key].unit_cost,
            own=own[key].unit_cost if key in own else None,
            note=own[key].note if key in own else "",
        )
        for key, activity in default_activities().items()
    ]


@transaction.atomic
def unit_costs_save(
    *, user: AbstractBaseUser, region: Region, year: int, costs: dict[str, Decimal | None], note: str = ""
) -> int:
    """Set (a number) or remove (None) the region's own unit costs for ``year``; administrators
    only; every change audited. Returns the number of changes."""
    if not user_scope(user).is_admin:
        raise PermissionDenied("admin_only")
    if region.level not in LEVELS:
        raise ValidationError({"region": "harga satuan diatur per provinsi atau kabupaten/kota"})
    unknown = [key for key in costs if key not in default_activities()]
    negative = [key for key, cost in costs.items() if cost is not None and cost < 0]
    if unknown or negative or not 2000 <= year <= 2100:
        raise ValidationError({"costs": f"kegiatan tidak dikenal {unknown} atau harga negatif {negative}"})
    existing = {u.activity: u for u in UnitCost.objects.select_for_update().filter(region=region, year=year)}
    changes = 0
    for key, cost in costs.items():
        row = existing.get(key)
        before = {"unit_cost": f"{row.unit_cost:.2f}", "note": row.note} if row else None
        if cost is None:
            if row is not None:
                row.delete()
                _audit(user, region, year, key, before, {"unit_cost": None})
                changes += 1
            continue
        row = row or UnitCost(region=region, year=year, activity=key)
        row.unit_cost, row.note, row.updated_by = cost, note if before is None or note else row.note, user
        row.full_clean()
        row.save()
        after = {"unit_cost": f"{row.unit_cost:.2f}", "note": row.note}
        if before != after:
            _audit(user, region, year, key, before, after)
            changes += 1
    return changes


def _audit(
    user: AbstractBaseUser, region: Region, year: int, key: str, before: dict | None, after: dict
) -> None:
    audit_change(
        user=user,
        object_type="unit_cost",
        object_id=f"{region.code}/{year}/{key}",
        before=before,
        after=after,
        summary=f"{region.name} {year} {key}",
    )
