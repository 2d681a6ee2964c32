"""Boundary files in, areas, overlays and exports out (nolkumuh.geo)."""

import json
import math
import zipfile

import numpy as np
import pytest
import shapely
from pyogrio import raw
from pyproj import Transformer
from shapely.geometry import Point, Polygon, box

from nolkumuh.geo import coverage_shares, geodesic_area_ha, geodesic_areas_ha, read_features, write_features

# Kelurahan Bandarharjo, Semarang (about 110.42 E, 6.95 S)
LON, LAT = 110.42, -6.95


def cell(dx=0.0, dy=0.0, size=0.001):
    return box(LON + dx, LAT + dy, LON + dx + size, LAT + dy + size)


def geojson(path, features):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def feature(geometry, **properties):
    return {"type": "Feature", "properties": properties, "geometry": shapely.geometry.mapping(geometry)}


def test_geodesic_area_of_a_small_cell_matches_the_ellipsoid():
    # 0.001 x 0.001 degrees at 6.95 S: about 110.5 m x 110.6 m (WGS84 meridian and parallel arcs)
    a = 6378137.0
    e2 = 0.00669437999014
    phi = math.radians(LAT + 0.0005)
    meridian = a * (1 - e2) / (1 - e2 * math.sin(phi) ** 2) ** 1.5 * math.radians(0.001)
    parallel = a * math.cos(phi) / math.sqrt(1 - e2 * math.sin(phi) ** 2) * math.radians(0.001)
    expected = meridian * parallel / 10_000
    assert geodesic_area_ha(cell()) == pytest.approx(expected, rel=1e-6)
    assert expected == pytest.approx(1.2229, abs=1e-3)


def test_fast_areas_agree_with_geodesic_areas_for_rt_sized_polygons():
    rng = np.random.default_rng(1)
    polygons = [
        shapely.Point(LON + rng.uniform(-1, 1), LAT + rng.uniform(-1, 1)).buffer(
            rng.uniform(0.0005, 0.02), 16
        )
        for _ in range(50)
    ]
    fast = geodesic_areas_ha(polygons)
    exact = np.array([geodesic_area_ha(p) for p in polygons])
    assert np.allclose(fast, exact, rtol=1e-5)
    holed = Polygon(cell(size=0.002).exterior.coords, [cell(0.0005, 0.0005, 0.001).exterior.coords])
    assert geodesic_area_ha(holed) == pytest.approx(
        geodesic_area_ha(cell(size=0.002)) - geodesic_area_ha(cell(0.0005, 0.0005)), rel=1e-9
    )


def test_geojson_is_read_with_attributes(tmp_path):
    path = geojson(tmp_path / "rt.geojson", [feature(cell(), kode="33.74.02.1001", rw="001", rt="002")])
    result = read_features(path)
    assert result.ok and len(result.features) == 1
    assert result.features[0].get("RT") == "002" and result.features[0].geometry.equals(cell())


def test_a_file_in_a_projected_crs_is_reprojected_to_wgs84(tmp_path):
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32749", always_xy=True)  # UTM 49S, Semarang's zone
    utm = shapely.transform(cell(), lambda xy: np.column_stack(to_utm.transform(xy[:, 0], xy[:, 1])))
    path = tmp_path / "rt.gpkg"
    raw.write(
        str(path),
        np.array([shapely.to_wkb(utm)], dtype=object),
        [np.array(["001"], dtype=object)],
        ["rt"],
        driver="GPKG",
        geometry_type="Polygon",
        crs="EPSG:32749",
    )
    result = read_features(path)
    assert result.ok and "32749" in result.source_crs
    assert result.features[0].geometry.equals_exact(cell(), tolerance=1e-9)
    assert geodesic_area_ha(result.features[0].geometry) == pytest.approx(geodesic_area_ha(cell()), rel=1e-9)


def test_zipped_shapefile_kml_and_kmz(tmp_path):
    shp = tmp_path / "batas.shp"
    raw.write(
        str(shp),
        np.array([shapely.to_wkb(cell())], dtype=object),
        [np.array(["Kemijen"], dtype=object)],
        ["NAMOBJ"],
        driver="ESRI Shapefile",
        geometry_type="Polygon",
        crs="EPSG:4326",
    )
    archive = tmp_path / "batas.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in tmp_path.glob("batas.*"):
            if part.suffix != ".zip":
                z.write(part, part.name)
    assert read_features(archive).features[0].get("namobj") == "Kemijen"
    kml = tmp_path / "batas.kml"
    write_features(kml, [cell()], {"Name": ["Kemijen"]})
    assert read_features(kml).features[0].geometry.equals(cell())
    kmz = tmp_path / "batas.kmz"
    with zipfile.ZipFile(kmz, "w") as z:
        z.write(kml, "doc.kml")
    assert read_features(kmz).ok


def test_invalid_polygon_is_repaired_and_reported(tmp_path):
    bowtie = Polygon([(LON, LAT), (LON + 0.001, LAT + 0.001), (LON + 0.001, LAT), (LON, LAT + 0.001)])
    assert not bowtie.is_valid
    result = read_features(geojson(tmp_path / "x.geojson", [feature(bowtie, rt="001")]))
    assert result.ok and result.features[0].geometry.is_valid
    assert [w.code for w in result.warnings] == ["geometry_repaired"]
    assert "Self-intersection" in result.warnings[0].message("en")


def test_empty_wrong_type_far_away_and_duplicate_features_are_errors(tmp_path):
    features = [
        feature(cell(), rt="001"),
        {"type": "Feature", "properties": {"rt": "002"}, "geometry": None},
        feature(Point(LON, LAT), rt="003"),
        feature(box(4.9, 52.3, 4.91, 52.31), rt="004"),  # Amsterdam: a wrong CRS, most likely
        feature(cell(), rt="005"),
    ]
    result = read_features(geojson(tmp_path / "x.geojson", features))
    assert [(i.code, i.row) for i in result.issues] == [
        ("empty_geometry", 2),
        ("wrong_geometry_type", 3),
        ("outside_indonesia", 4),
        ("duplicate_geometry", 5),
    ]
    assert "sistem koordinat" in result.issues[2].message("id")


def test_unreadable_files_are_clear_errors(tmp_path):
    bad = tmp_path / "rusak.gpkg"
    bad.write_text("bukan geopackage", encoding="utf-8")
    assert read_features(bad).issues[0].code == "gis_unreadable"
    empty_zip = tmp_path / "kosong.zip"
    with zipfile.ZipFile(empty_zip, "w") as z:
        z.writestr("readme.txt", "x")
    assert read_features(empty_zip).issues[0].code == "gis_archive_empty"


def test_overlay_share_of_rts_inside_a_kawasan():
    rts = [cell(), cell(0.001), cell(0.003)]
    kawasan = [box(LON, LAT, LON + 0.0015, LAT + 0.001)]  # all of the first RT, half of the second
    shares, hectares = coverage_shares(rts, kawasan)
    assert shares == pytest.approx([1.0, 0.5, 0.0], abs=1e-6)
    assert hectares[0] == pytest.approx(geodesic_area_ha(cell()), rel=1e-5)


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".kml"])
def test_exports_read_back_with_their_attributes(tmp_path, suffix):
    path = tmp_path / f"hasil{suffix}"
    write_features(path, [cell(), cell(0.002)], {"nama": ["RT 001", "RT 002"], "total_nilai": [24, 61]})
    back = read_features(path)
    assert back.ok and [f.get("nama", "Name") for f in back.features] == ["RT 001", "RT 002"]
    if suffix != ".kml":
        assert [int(f.get("total_nilai")) for f in back.features] == [24, 61]
    assert back.features[1].geometry.symmetric_difference(cell(0.002)).area < 1e-12


def test_map_picture_draws_polygons_in_their_colours():
    import io

    from PIL import Image

    from nolkumuh.geo.image import render_png

    png = render_png([(cell(), "#c0392b"), (cell(0.002), "#27ae60")], [("#c0392b", "KB kumuh berat")], "Uji")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.width == 1200
    pixels = {image.getpixel((x, y)) for x in range(0, 1200, 7) for y in range(60, image.height - 80, 7)}
    assert (0xC0, 0x39, 0x2B) in pixels and (0x27, 0xAE, 0x60) in pixels
