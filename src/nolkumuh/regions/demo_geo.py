"""Plausible demo polygons around the real locations of the demo cities: each program kelurahan a
block of RT cells, kawasan delineated by their decree as the union of their RTs. Not real
boundaries: they only make the demo maps look alive."""

from __future__ import annotations

import random

import shapely
from shapely.geometry import box

from nolkumuh.geo import geodesic_areas_ha
from nolkumuh.regions.boundaries import boundary_values
from nolkumuh.regions.models import Boundary, Kawasan, Region, Rt, SkDecree

# Approximate city centres (longitude, latitude) of the demo's cities and regencies.
CENTRES = {
    "33.74": (110.42, -6.99),  # Kota Semarang
    "33.72": (110.82, -7.57),  # Kota Surakarta
    "33.75": (109.68, -6.89),  # Kota Pekalongan
    "33.21": (110.64, -6.89),  # Kabupaten Demak
    "33.24": (110.20, -6.92),  # Kabupaten Kendal
}
CELL = 0.0015  # degrees, about 165 m: RTs of about 2.7 ha
SOURCE = "demo"


def demo_boundaries() -> int:
    """Create demo polygons where none exist yet (idempotent)."""
    if Boundary.objects.filter(source=SOURCE).exists():
        return 0
    rng = random.Random(7)
    rows: list[Boundary] = []
    kelurahan = Region.objects.filter(rts__isnull=False).distinct().order_by("code")
    per_city: dict[str, int] = {}
    for kel in kelurahan:
        city = kel.code[:5]
        lon0, lat0 = CENTRES.get(city, (110.4, -7.0))
        n = per_city.get(city, 0)
        per_city[city] = n + 1
        x0, y0 = lon0 + (n % 3) * 0.012 - 0.012, lat0 - (n // 3) * 0.008
        cells = []
        for i, rt in enumerate(Rt.objects.filter(kelurahan=kel).order_by("rw_key", "rt_key")):
            jitter = rng.uniform(-0.0002, 0.0002)
            cell = box(
                x0 + (i % 4) * CELL,
                y0 + (i // 4) * CELL,
                x0 + (i % 4 + 1) * CELL + jitter,
                y0 + (i // 4 + 1) * CELL,
            )
            cells.append((rt, cell))
        outline = shapely.union_all([c for _, c in cells]).buffer(0.0004, join_style="mitre")
        rows += _rows([(Boundary.Kind.KELURAHAN, {"region": kel}, kel.code, outline)])
        rows += _rows([(Boundary.Kind.RT, {"rt": rt}, kel.code, cell) for rt, cell in cells])
    for kawasan in Kawasan.objects.filter(rts__isnull=False).distinct():
        decree, _ = SkDecree.objects.get_or_create(
            kabkota=kawasan.kabkota,
            number=kawasan.sk_number or "demo",
            defaults={"year": kawasan.sk_year or 2016},
        )
        shapes = [shapely.from_wkb(b.wkb) for b in rows if b.kind == "rt" and b.rt.kawasan_id == kawasan.pk]
        if shapes:
            area = shapely.union_all(shapes).buffer(0.0001)
            rows += _rows(
                [(Boundary.Kind.KAWASAN, {"kawasan": kawasan, "decree": decree}, kawasan.kabkota.code, area)]
            )
    rows += _newer_decree(rows)
    Boundary.objects.bulk_create(rows)
    return len(rows)


def _newer_decree(rows: list[Boundary]) -> list[Boundary]:
    """Kota Semarang's SK 2024: some kawasan shrink after handling, one grows."""
    city = Region.objects.filter(code="33.74").first()
    delineations = [b for b in rows if b.kind == "kawasan" and b.code == "33.74"]
    if city is None or not delineations:
        return []
    decree, _ = SkDecree.objects.get_or_create(
        kabkota=city, number="050/2024/SK-KUMUH", defaults={"year": 2024}
    )
    items = []
    for i, old in enumerate(delineations):
        shape = shapely.from_wkb(old.wkb)
        changed = shape.buffer(-0.0012) if i % 3 == 0 else shape.buffer(0.0006) if i % 3 == 1 else shape
        if not changed.is_empty:
            items.append(
                (Boundary.Kind.KAWASAN, {"kawasan": old.kawasan, "decree": decree}, old.code, changed)
            )
    return _rows(items)


def _rows(items: list[tuple[str, dict[str, object], str, shapely.Geometry]]) -> list[Boundary]:
    areas = geodesic_areas_ha([geometry for *_, geometry in items])
    return [
        Boundary(kind=kind, **target, **boundary_values(geometry, float(area), SOURCE, code))
        for (kind, target, code, geometry), area in zip(items, areas, strict=True)
    ]
