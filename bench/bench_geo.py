"""Benchmark: geodesic areas of 300,000 polygons; a 10,000-polygon GeoPackage import; the city map
of 500 RT polygons (size gzipped, time) and the province map of all demo kawasan; the map layers
computed (caches emptied) and cached, with queries and ratios to the sign-in page (bench/_pages.py).

Run: make bench. Results go into docs/benchmarks.md.
"""

from __future__ import annotations

import gzip
import json
import os
import time
from pathlib import Path

from _pages import baseline_line, load_demo, measure_baseline, measure_page, page_line, setup_django

setup_django("nolkumuh-bench-geo-")

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from pyogrio import raw  # noqa: E402

from nolkumuh.baseline.models import Submission  # noqa: E402
from nolkumuh.geo import geodesic_area_ha, geodesic_areas_ha  # noqa: E402
from nolkumuh.portal.boundary_import import boundary_apply, boundary_plan  # noqa: E402
from nolkumuh.regions.models import Region, Rt  # noqa: E402

TEGAL = "33.76"


def polygons(n: int, seed: int = 1) -> np.ndarray:
    """RT-like polygons: irregular 8-gons of 60-250 m around Central Java."""
    rng = np.random.default_rng(seed)
    centres = np.column_stack((rng.uniform(108.5, 111.5, n), rng.uniform(-8.0, -6.5, n)))
    angles = np.sort(rng.uniform(0, 2 * np.pi, (n, 8)), axis=1)
    radius = rng.uniform(0.0006, 0.0022, (n, 1)) * rng.uniform(0.7, 1.0, (n, 8))
    x = centres[:, :1] + radius * np.cos(angles)
    y = centres[:, 1:] + radius * np.sin(angles)
    rings = np.stack((x, y), axis=2)
    return shapely.polygons(np.concatenate((rings, rings[:, :1]), axis=1))


def bench_areas() -> None:
    shapes = polygons(300_000)
    start = time.perf_counter()
    fast = geodesic_areas_ha(shapes)
    seconds = time.perf_counter() - start
    sample = 5_000
    start = time.perf_counter()
    exact = np.array([geodesic_area_ha(g) for g in shapes[:sample]])
    loop = (time.perf_counter() - start) / sample * len(shapes)
    error = np.max(np.abs(fast[:sample] - exact) / exact)
    print(
        f"  geodesic areas of 300,000 polygons: {seconds:.2f} s (target < 3 s); per-polygon Geod loop "
        f"would take {loop:.1f} s ({loop / seconds:.0f} x); largest relative difference {error:.1e}"
    )


def bench_import() -> None:
    kelurahan = list(Region.objects.filter(code__startswith=TEGAL + ".", level="kelurahan"))
    rts = []
    for n in range(10_000):
        rts.append(
            Rt(
                kelurahan=kelurahan[n % len(kelurahan)],
                rw=f"{n // 100:03d}",
                rt=f"{n % 100 + 1:03d}",
                rw_key=str(n // 100),
                rt_key=str(n % 100 + 1),
            )
        )
    Rt.objects.bulk_create(rts, batch_size=1000)
    shapes = polygons(10_000, seed=2)
    path = Path(os.environ["NOLKUMUH_DATA_DIR"]) / "rt_tegal.gpkg"
    codes = np.array([rt.kelurahan.code.replace(".", "") for rt in rts], dtype=object)
    raw.write(
        str(path),
        np.array(shapely.to_wkb(shapes), dtype=object),
        [codes, np.array([rt.rw for rt in rts], dtype=object), np.array([rt.rt for rt in rts], dtype=object)],
        ["KODE_DESA", "RW", "RT"],
        driver="GPKG",
        geometry_type="Polygon",
        crs="EPSG:4326",
    )
    admin = get_user_model().objects.get(username="admin")
    start = time.perf_counter()
    plan = boundary_plan(user=admin, path=path, kind="rt")
    dry = time.perf_counter() - start
    assert plan.ok, (plan.issues[:3], plan.count_unmatched)
    start = time.perf_counter()
    boundary_apply(user=admin, plan=plan)
    stored = time.perf_counter() - start
    print(
        f"  import of a 10,000-polygon GeoPackage: dry run {dry:.1f} s + store {stored:.1f} s (target < 30 s)"
    )


def city_of_500() -> None:
    """Kota Magelang with 500 RTs, their 2023 data and their polygons."""
    import random

    from nolkumuh.baseline.models import DataRound, RtRecord
    from nolkumuh.baseline.scoring import new_record, ruleset_of, score_records
    from nolkumuh.exchange.synthetic import rt_header, rt_volumes

    rng = random.Random(3)
    kelurahan = list(Region.objects.filter(code__startswith="33.71.", level="kelurahan"))
    rts = [
        Rt(kelurahan=kelurahan[n % len(kelurahan)], rw="001", rt=f"{n:03d}", rw_key="1", rt_key=str(n))
        for n in range(500)
    ]
    Rt.objects.bulk_create(rts)
    round_ = DataRound.objects.get(year=2023)
    ruleset = ruleset_of(round_.ruleset_id)
    records = []
    for rt in rts:
        header = rt_header(rng)
        volumes = rt_volumes(rng, header, ruleset, rng.uniform(0.1, 0.8))
        records.append(new_record(round_, rt, header, volumes, ruleset))
    score_records(records, ruleset)
    RtRecord.objects.bulk_create(records)
    shapes = polygons(500, seed=4)
    path = Path(os.environ["NOLKUMUH_DATA_DIR"]) / "rt_magelang.gpkg"
    raw.write(
        str(path),
        np.array(shapely.to_wkb(shapes), dtype=object),
        [
            np.array([rt.kelurahan.code for rt in rts], dtype=object),
            np.array(["001"] * 500, dtype=object),
            np.array([rt.rt for rt in rts], dtype=object),
        ],
        ["kode", "rw", "rt"],
        driver="GPKG",
        geometry_type="Polygon",
        crs="EPSG:4326",
    )
    admin = get_user_model().objects.get(username="admin")
    boundary_apply(user=admin, plan=boundary_plan(user=admin, path=path, kind="rt"))
    for kel in kelurahan:
        Submission.objects.update_or_create(kelurahan=kel, round=round_, defaults={"status": "approved"})


def bench_maps() -> None:
    city_of_500()
    baseline = measure_baseline()
    print(baseline_line(baseline))
    client = Client()
    pages = (
        ("city map, Kota Magelang RT (500 polygons)", "/peta/33.71/lapisan.geojson"),
        ("province map, all demo kawasan", "/peta/33/lapisan.geojson?tingkat=kawasan"),
        ("city map, Kota Semarang RT (demo)", "/peta/33.74/lapisan.geojson"),
    )
    for name, url in pages:
        page = measure_page(client, url, HTTP_ACCEPT_ENCODING="gzip")
        body = page.response.content
        features = len(json.loads(gzip.decompress(body))["features"])
        print(page_line(name, page, baseline))
        print(f"    {features} features, {len(body) / 1024:.0f} KB gzipped")


def main() -> None:
    load_demo()
    bench_areas()
    bench_import()
    bench_maps()


if __name__ == "__main__":
    main()
