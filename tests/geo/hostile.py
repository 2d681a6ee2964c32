"""Hostile boundary files, generated on the spot: each with the words its refusal must contain.

Used by tests/geo (the reader), tests/web (the upload page) and the command line tests, so that
every path answers every case the same way. ``env`` lowers a limit where a case would otherwise
need a large file (the defaults themselves are proven in test_hostile_geometry.py).
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from pyogrio import raw
from shapely.geometry import box

LON, LAT = 110.42, -6.95
GOOD_RING = [[LON, LAT], [LON + 0.002, LAT], [LON + 0.002, LAT + 0.002], [LON, LAT + 0.002], [LON, LAT]]


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], Path]
    expected: str
    env: dict[str, str] = field(default_factory=dict)


def _collection(rings_text: list[str], crs: str = "") -> str:
    features = ",".join(
        '{"type":"Feature","properties":{"nama":"Kemijen ' + str(i) + '","kode":"33.74.02.1001"},'
        '"geometry":{"type":"Polygon","coordinates":[' + ring + "]}}"
        for i, ring in enumerate(rings_text)
    )
    return '{"type":"FeatureCollection",' + crs + '"features":[' + features + "]}"


def _text(name: str, text: str | bytes) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return build


def _bad_number(token: str) -> Callable[[Path], Path]:
    ring = f"[[{LON},{LAT}],[{token},{LAT}],[{LON + 0.002},{LAT + 0.002}],[{LON},{LAT}]]"
    return _text("bilangan.geojson", _collection([json.dumps(GOOD_RING), ring]))


def _named_crs(member: str) -> Callable[[Path], Path]:
    return _text("crs.geojson", _collection([json.dumps(GOOD_RING)], f'"crs":{member},'))


def circle(vertices: int, dx: float = 0.0) -> str:
    """A ring of ``vertices`` points (plus the closing one) near Semarang, as GeoJSON text."""
    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    points = [[round(LON + dx + 0.004 * np.cos(a), 7), round(LAT + 0.004 * np.sin(a), 7)] for a in angles]
    return json.dumps([*points, points[0]])


def _circles(count: int, vertices: int, name: str = "banyak.geojson") -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        return _text(name, _collection([circle(vertices, i * 0.01) for i in range(count)]))(folder)

    return build


def shapefile(folder: Path, crs: str | None = "EPSG:4326") -> list[Path]:
    """The parts of a one-polygon shapefile (without its .prj when ``crs`` is None)."""
    shp = folder / "batas.shp"
    raw.write(
        str(shp),
        np.array([shapely.to_wkb(box(LON, LAT, LON + 0.002, LAT + 0.002))], dtype=object),
        [np.array(["Kemijen"], dtype=object)],
        ["NAMOBJ"],
        driver="ESRI Shapefile",
        geometry_type="Polygon",
        crs=crs,
    )
    return [p for p in folder.glob("batas.*") if p.suffix != ".zip"]


def _zipped(name: str, fill: Callable[[zipfile.ZipFile, Path], None]) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            fill(archive, folder)
        return path

    return build


def _with_shapefile(archive: zipfile.ZipFile, folder: Path, *, crs: str | None = "EPSG:4326") -> None:
    for part in shapefile(folder, crs):
        archive.write(part, part.name)


def _padding(archive: zipfile.ZipFile, name: str, megabytes: int, prefix: bytes = b"") -> None:
    with archive.open(name, "w") as handle:
        handle.write(prefix)
        for _ in range(megabytes):
            handle.write(b" " * (1 << 20))


def _kmz_bomb(archive: zipfile.ZipFile, folder: Path) -> None:
    _padding(archive, "doc.kml", 20, b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2">')


def _shapefile_bomb(archive: zipfile.ZipFile, folder: Path) -> None:
    _with_shapefile(archive, folder)
    _padding(archive, "catatan.txt", 20)


def _many_entries(archive: zipfile.ZipFile, folder: Path) -> None:
    _with_shapefile(archive, folder)
    for i in range(2_001):
        archive.writestr(f"sampah/{i}.txt", "")


def _renamed(name: str) -> Callable[[zipfile.ZipFile, Path], None]:
    """The shapefile's parts stored under ``name`` (ZipInfo keeps a leading '/' that write drops)."""

    def fill(archive: zipfile.ZipFile, folder: Path) -> None:
        for part in shapefile(folder):
            archive.writestr(zipfile.ZipInfo(name + part.suffix), part.read_bytes())

    return fill


def _garbage_prj(archive: zipfile.ZipFile, folder: Path) -> None:
    for part in shapefile(folder, None):
        archive.write(part, part.name)
    archive.writestr("batas.prj", "ini bukan proyeksi")


def _unknown_srs_geopackage(folder: Path) -> Path:
    path = folder / "batas.gpkg"
    raw.write(
        str(path),
        np.array([shapely.to_wkb(box(800_000, 9_230_000, 800_200, 9_230_200))], dtype=object),
        [np.array(["Kemijen"], dtype=object)],
        ["nama"],
        driver="GPKG",
        geometry_type="Polygon",
        crs="EPSG:32749",
    )
    with sqlite3.connect(path) as db:
        db.execute(
            "UPDATE gpkg_spatial_ref_sys SET definition='rusak', organization_coordsys_id=99999"
            " WHERE srs_id=32749"
        )
    return path


def _nan_geopackage(folder: Path) -> Path:
    path = folder / "nan.gpkg"
    polygon = shapely.Polygon([(LON, LAT), (float("nan"), LAT), (LON + 0.002, LAT + 0.002), (LON, LAT)])
    raw.write(
        str(path),
        np.array([shapely.to_wkb(polygon)], dtype=object),
        [np.array(["Kemijen"], dtype=object)],
        ["nama"],
        driver="GPKG",
        geometry_type="Polygon",
        crs="EPSG:4326",
    )
    return path


def _kml(coordinates: str) -> str:
    return (
        '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>'
        "<name>Kemijen</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
        f"{coordinates}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>"
    )


NAN = "bukan angka (NaN atau tak hingga)"
UNKNOWN_CRS = "sistem koordinat (CRS) berkas tidak dikenal"
UNREADABLE = "berkas tidak bisa dibaca"
WRONG_KIND = "isi berkas bukan GeoJSON, terbaca sebagai CSV"
NOT_GEOJSON = "isi berkas tidak dikenali sebagai GeoJSON"
FAR = "di luar Indonesia"
NESTED = "[" * 5000 + "]" * 5000

CASES = [
    Case("nan_coordinate", _bad_number("NaN"), NAN),
    Case("infinite_coordinate", _bad_number("Infinity"), NAN),
    Case("negative_infinite_coordinate", _bad_number("-Infinity"), NAN),
    Case("overflowing_number", _bad_number("1e400"), UNREADABLE),
    Case("nan_in_geopackage", _nan_geopackage, NAN),
    Case(
        "nan_in_kml",
        _text("nan.kml", _kml(f"{LON},{LAT} nan,{LAT} {LON + 0.002},{LAT + 0.002} {LON},{LAT}")),
        NAN,
    ),
    Case(
        "unknown_crs_epsg_99999",
        _named_crs('{"type":"name","properties":{"name":"EPSG:99999"}}'),
        UNKNOWN_CRS,
    ),
    Case(
        "unknown_crs_urn",
        _named_crs('{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::99999"}}'),
        UNKNOWN_CRS,
    ),
    Case("unknown_crs_epsg_member", _named_crs('{"type":"EPSG","properties":{"code":99999}}'), UNKNOWN_CRS),
    Case(
        "unknown_crs_words",
        _named_crs('{"type":"name","properties":{"name":"koordinat kantor"}}'),
        UNKNOWN_CRS,
    ),
    Case("unreadable_prj", _zipped("prj.zip", _garbage_prj), UNKNOWN_CRS),
    Case("unknown_srs_in_geopackage", _unknown_srs_geopackage, UNKNOWN_CRS),
    Case(
        "missing_prj",
        _zipped("tanpa_prj.zip", lambda a, f: _with_shapefile(a, f, crs=None)),
        "tidak menyebut sistem koordinatnya",
    ),
    Case(
        "feature_over_vertex_limit",
        _circles(1, 600),
        "fitur ini punya 601 titik, lebih dari batas 500",
        {"NOLKUMUH_GEO_MAX_FEATURE_VERTICES": "500"},
    ),
    Case(
        "file_over_vertex_limit",
        _circles(3, 400),
        "berkas berisi 1203 titik, lebih dari batas 1000 per berkas",
        {"NOLKUMUH_GEO_MAX_FILE_VERTICES": "1000"},
    ),
    Case("kmz_bomb", _zipped("bom.kmz", _kmz_bomb), "dimampatkan secara tidak wajar"),
    Case("zipped_shapefile_bomb", _zipped("bom.zip", _shapefile_bomb), "dimampatkan secara tidak wajar"),
    Case("too_many_entries", _zipped("banyak.zip", _many_entries), "berkas, batasnya 2000"),
    Case(
        "path_traversal_names",
        _zipped("naik.zip", _renamed("../../../etc/batas")),
        "nama berkas yang tidak aman",
    ),
    Case("absolute_names", _zipped("mutlak.zip", _renamed("/etc/batas")), "nama berkas yang tidak aman"),
    Case(
        "zip_with_nothing_readable",
        _zipped("kosong.zip", lambda a, f: a.writestr("baca saya.txt", "halo")),
        "arsip tidak berisi .shp",
    ),
    Case(
        "shapefile_without_its_parts",
        _zipped("sebagian.zip", lambda a, f: a.write(shapefile(f)[0].with_suffix(".shp"), "batas.shp")),
        "shapefile tidak lengkap, berkas .shx tidak ada",
    ),
    Case(
        "huge_json",
        _circles(40, 1000, "besar.geojson"),
        "berkas terlalu besar",
        {"NOLKUMUH_MAX_FILE_MB": "geojson=1"},
    ),
    Case(
        "deeply_nested_json",
        _text(
            "dalam.geojson", _collection([json.dumps(GOOD_RING)]).replace('"nama"', f'"x":{NESTED},"nama"')
        ),
        "JSON bersarang terlalu dalam",
    ),
    Case("nested_arrays_only", _text("larik.geojson", NESTED), WRONG_KIND),
    Case(
        "not_json",
        _text("rusak.geojson", '{"type": "FeatureCollection", "features": [ini bukan json'),
        UNREADABLE,
    ),
    Case("exe_renamed", _text("program.geojson", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 512), NOT_GEOJSON),
    Case(
        "zip_renamed_geopackage",
        _zipped("batas.gpkg", _with_shapefile),
        "isi berkas bukan GeoPackage, terbaca sebagai ZIP",
    ),
    Case(
        "truncated_geopackage",
        _text("potong.gpkg", b"SQLite format 3\x00" + b"\x01" * 300),
        "berkas tidak bisa dibaca: GeoPackage rusak atau terpotong",
    ),
    Case(
        "latin1_json",
        _text("latin.geojson", b'{"type":"FeatureCollection","nama":"' + b"\xe9" * 20 + b'"}'),
        NOT_GEOJSON,
    ),
    Case("empty_file", _text("kosong.geojson", b""), "berkas kosong"),
    Case(
        "far_outside_indonesia",
        _text(
            "amsterdam.geojson",
            _collection([json.dumps([[4.9, 52.3], [4.91, 52.3], [4.91, 52.31], [4.9, 52.3]])]),
        ),
        FAR,
    ),
    Case(
        "coordinates_of_1e300",
        _text("jauh.geojson", _collection(["[[1e300,1e300],[1e300,-1e300],[-1e300,1e300],[1e300,1e300]]"])),
        FAR,
    ),
    Case(
        "not_convertible_to_wgs84",
        _text(
            "utm.geojson",
            _collection(
                ["[[1e30,1e30],[1.1e30,1e30],[1e30,1.1e30],[1e30,1e30]]"],
                '"crs":{"type":"name","properties":{"name":"EPSG:32749"}},',
            ),
        ),
        "tidak bisa diubah ke WGS 84",
    ),
    Case(
        "points_only",
        _text(
            "titik.geojson",
            '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[110.42,-6.95]}}]}',
        ),
        "geometri harus poligon",
    ),
]
