"""Decrees (SK Kumuh) on the map: a kawasan's delineated area and the RTs inside it, and what a
newer decree added to and removed from an older one, in hectares and as a map layer."""

from __future__ import annotations

import json
from typing import Any

import shapely
from django.conf import settings
from django.urls import reverse

from nolkumuh.geo import coverage_shares, geodesic_areas_ha
from nolkumuh.regions.models import Boundary, Kawasan, Region, SkDecree

ADDED, REMOVED, KEPT = "#1a9850", "#d73027", "#969696"


def kawasan_delineation(kawasan: Kawasan) -> dict[str, Any] | None:
    """The latest decree's delineation of the kawasan: its area (compared with the SK table's),
    and each RT's share inside it."""
    boundary = (
        Boundary.objects.filter(kind="kawasan", kawasan=kawasan)
        .select_related("decree")
        .order_by("-decree__year")
        .first()
    )
    if boundary is None:
        return None
    area = shapely.from_wkb(boundary.wkb)
    rt_boundaries = list(
        Boundary.objects.filter(kind="rt", rt__kelurahan__in=kawasan.kelurahan.all()).select_related(
            "rt", "rt__kelurahan"
        )
    )
    shares, inside = coverage_shares([shapely.from_wkb(b.wkb) for b in rt_boundaries], [area])
    rows = [
        {"rt": b.rt, "share": float(share) * 100, "inside_ha": float(ha)}
        for b, share, ha in zip(rt_boundaries, shares, inside, strict=True)
        if share > 0.0005
    ]
    declared = float(kawasan.declared_ha) if kawasan.declared_ha is not None else None
    difference = (boundary.area_ha - declared) / declared if declared else None
    limit = settings.NOLKUMUH_AREA_WARNING_PERCENT / 100
    return {
        "decree": boundary.decree,
        "area_ha": boundary.area_ha,
        "rts": rows,
        "inside_ha": sum(r["inside_ha"] for r in rows),
        "declared_ha": declared,
        "flagged": difference is not None and abs(difference) > limit,
    }


def _union(decree: SkDecree) -> shapely.Geometry:
    shapes = [
        shapely.from_wkb(w)
        for w in Boundary.objects.filter(kind="kawasan", decree=decree).values_list("wkb", flat=True)
    ]
    return shapely.union_all(shapes) if shapes else shapely.Polygon()


def decree_comparison(*, kabkota: Region, old: SkDecree, new: SkDecree) -> dict[str, Any]:
    """Hectares added, removed and kept between two decrees, per kawasan and in all, with a layer."""
    before, after = _union(old), _union(new)
    added, removed, kept = after.difference(before), before.difference(after), after.intersection(before)
    areas = geodesic_areas_ha([added, removed, kept, before, after])
    per_kawasan = []
    names = {k.pk: k for k in Kawasan.objects.filter(kabkota=kabkota)}
    for kawasan_id in sorted(
        set(
            Boundary.objects.filter(kind="kawasan", decree__in=[old, new]).values_list(
                "kawasan_id", flat=True
            )
        )
    ):
        old_area = (
            Boundary.objects.filter(kind="kawasan", decree=old, kawasan_id=kawasan_id)
            .values_list("area_ha", flat=True)
            .first()
        )
        new_area = (
            Boundary.objects.filter(kind="kawasan", decree=new, kawasan_id=kawasan_id)
            .values_list("area_ha", flat=True)
            .first()
        )
        per_kawasan.append(
            {
                "kawasan": names.get(kawasan_id),
                "old": old_area,
                "new": new_area,
                "change": (new_area or 0) - (old_area or 0),
            }
        )
    features = []
    for geometry, colour, label in (
        (kept, KEPT, "tetap"),
        (added, ADDED, "ditambah"),
        (removed, REMOVED, "dikeluarkan"),
    ):
        if not geometry.is_empty:
            hectares = float(geodesic_areas_ha([geometry])[0])
            features.append(
                {
                    "type": "Feature",
                    "geometry": shapely.geometry.mapping(geometry),
                    "properties": {
                        "color": colour,
                        "tooltip": f"{label}: {hectares:.2f} ha",
                        "url": reverse("regions:profile", args=[kabkota.code]),
                    },
                }
            )
    layer = {
        "type": "FeatureCollection",
        "features": json.loads(json.dumps(features)),
        "legend": [(KEPT, "tetap"), (ADDED, "ditambah SK baru"), (REMOVED, "dikeluarkan SK baru")],
    }
    return {
        "added_ha": float(areas[0]),
        "removed_ha": float(areas[1]),
        "kept_ha": float(areas[2]),
        "old_ha": float(areas[3]),
        "new_ha": float(areas[4]),
        "per_kawasan": per_kawasan,
        "layer": layer,
    }
