"""Reading boundary files: GeoJSON, GeoPackage, (zipped) Shapefile, KML and KMZ, in any CRS.

Every feature is checked before any geometry work: the file and each feature keep within the vertex
limits (:mod:`nolkumuh.geo.limits`), every coordinate is a finite number, the CRS is known
(:mod:`nolkumuh.geo.crs`). Then it is reprojected to WGS84 and checked (empty, not a polygon, far
outside Indonesia, duplicate) and repaired where that is safe (an invalid polygon made valid,
reported as a warning). Messages name the file, never a path on the server.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyogrio import raw
from pyogrio.errors import CRSError
from pyproj import CRS, Transformer
from pyproj.exceptions import ProjError
from shapely.geometry.base import BaseGeometry

from nolkumuh.geo.crs import WGS84, CrsRefused, file_crs
from nolkumuh.geo.features import Feature, FeatureSet
from nolkumuh.geo.limits import GeoLimits
from nolkumuh.scoring.issues import Issue

# Indonesia with a margin (longitude 94-142 E, latitude 11.5 S - 6.5 N).
INDONESIA = (94.0, -11.5, 142.0, 6.5)
INNER_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".kml", ".fgb")
LABEL_FIELDS = ("nama", "name", "namobj", "kelurahan", "nama_kawasan", "kawasan", "kode", "rt")
# an absolute path (also GDAL's /vsizip/...) that starts a word: "and/or" is no path
# GDAL's words for the usual reasons -> plain Indonesian (GDAL's own text otherwise).
PLAIN_REASONS = (
    ("not recognized as being in a supported file format", "formatnya tidak dikenali"),
    ("file is not a database", "GeoPackage rusak atau terpotong"),
    ("SHAPE_RESTORE_SHX", "shapefile tidak lengkap, berkas .shx tidak ada"),
)
_PATHS = re.compile(r"(?<![^\s'\"(\[])(/vsi[a-z0-9_]+/)?(/[^\s'\"():;,\]]+)+")


class _NothingInside(Exception):
    """An archive without any GIS file inside."""


def _inner(path: Path) -> str | None:
    """The GIS file read inside a .zip or .kmz (the first by name), or None for a plain file."""
    if path.suffix.lower() not in (".zip", ".kmz"):
        return None
    with zipfile.ZipFile(path) as archive:
        inner = [n for n in archive.namelist() if n.lower().endswith(INNER_SUFFIXES)]
    if not inner:
        raise _NothingInside
    return sorted(inner)[0]


def _source(path: Path, inner: str | None) -> str:
    """A GDAL path: zipped files are read in place through /vsizip/."""
    return f"/vsizip/{path}/{inner}" if inner else str(path)


def clean_detail(text: str, path: Path, name: str | None = None) -> str:
    """GDAL's first line of an error, with every path on the server replaced by the file's name
    (``name``: the name the user knows the file by)."""
    shown = name or path.name
    first = (text.splitlines() or [""])[0]
    first = first.split("; It might help")[0].split(" It might help")[0]
    first = first.replace(f"/vsizip/{path}", shown).replace(str(path), shown)
    first = first.replace(f"{path.parent}/", "").replace(path.name, shown)
    return _PATHS.sub(shown, first)[:200] or "?"


def _unreadable(text: str, path: Path, name: str | None) -> Issue:
    """GDAL's reason in plain words where it is a known one, else GDAL's own (cleaned) text."""
    if "Too many nested" in text:
        return Issue("gis_json_nested")
    for gdal_says, plain in PLAIN_REASONS:
        if gdal_says in text:
            return Issue("gis_unreadable", params={"detail": plain})
    return Issue("gis_unreadable", params={"detail": clean_detail(text, path, name)})


def _label(properties: dict[str, Any]) -> str | None:
    lowered = {str(k).lower(): v for k, v in properties.items()}
    for name in LABEL_FIELDS:
        value = lowered.get(name)
        if value not in (None, ""):
            return str(value)[:60]
    return None


def _polygonal(geometry: BaseGeometry) -> BaseGeometry | None:
    """The polygon parts of a geometry (repairs can produce collections), or None."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    if geometry.geom_type == "GeometryCollection":
        parts = [g for g in geometry.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        if parts:
            return shapely.union_all(parts)
    return None


def _check(number: int, geometry: BaseGeometry | None, result: FeatureSet) -> BaseGeometry | None:
    if geometry is None or geometry.is_empty:
        result.issues.append(Issue("empty_geometry", number, "geometri"))
        return None
    polygon = _polygonal(geometry)
    if polygon is None:
        result.issues.append(
            Issue("wrong_geometry_type", number, "geometri", params={"kind": geometry.geom_type})
        )
        return None
    if not polygon.is_valid:
        reason = shapely.is_valid_reason(polygon)
        repaired = _polygonal(shapely.make_valid(polygon))
        if repaired is None or repaired.is_empty or repaired.area < polygon.area * 0.5:
            result.issues.append(
                Issue("geometry_unrepairable", number, "geometri", params={"detail": reason})
            )
            return None
        result.warnings.append(Issue("geometry_repaired", number, "geometri", params={"detail": reason}))
        polygon = repaired
    minx, miny, maxx, maxy = polygon.bounds
    if minx < INDONESIA[0] or maxx > INDONESIA[2] or miny < INDONESIA[1] or maxy > INDONESIA[3]:
        where = f"{(minx + maxx) / 2:.4f}, {(miny + maxy) / 2:.4f}"
        result.issues.append(Issue("outside_indonesia", number, "geometri", params={"where": where}))
        return None
    return polygon


def _not_finite(shapes: np.ndarray) -> dict[int, int]:
    """Feature index -> position (1 = first) of its first NaN or infinite coordinate."""
    coordinates, index = shapely.get_coordinates(shapes, return_index=True)
    bad = ~np.isfinite(coordinates).all(axis=1)
    found: dict[int, int] = {}
    if bad.any():
        starts = np.searchsorted(index, np.arange(len(shapes)))
        for position in np.flatnonzero(bad):
            feature = int(index[position])
            found.setdefault(feature, int(position - starts[feature]) + 1)
    return found


def _reproject(shapes: np.ndarray, source: CRS) -> np.ndarray:
    """The shapes in WGS84 (longitude, latitude)."""
    if source.equals(WGS84, ignore_axis_order=True):
        return shapes
    transformer = Transformer.from_crs(source, WGS84, always_xy=True)

    def reproject(coordinates: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coordinates[:, 0], coordinates[:, 1])
        return np.column_stack((x, y))

    return shapely.transform(shapes, reproject)


def _bounded(shapes: np.ndarray, labels: list[str | None], limits: GeoLimits, result: FeatureSet) -> set[int]:
    """Check the vertex limits and the coordinates; the indexes of the features to leave out."""
    counts = shapely.get_num_coordinates(shapes)
    total = int(counts.sum())
    if total > limits.file_vertices:
        result.issues.append(
            Issue("too_many_vertices_file", params={"count": total, "limit": limits.file_vertices})
        )
        return set(range(len(shapes)))
    skipped: set[int] = set()
    for i in np.flatnonzero(counts > limits.feature_vertices):
        params = {"count": int(counts[i]), "limit": limits.feature_vertices}
        result.issues.append(Issue("too_many_vertices", int(i) + 1, "geometri", labels[i], params))
        skipped.add(int(i))
    for i, position in _not_finite(shapes).items():
        if i not in skipped:
            params = {"position": position}
            result.issues.append(Issue("coordinate_not_finite", i + 1, "geometri", labels[i], params))
            skipped.add(i)
    return skipped


def read_features(
    path: Path, *, layer: str | None = None, limits: GeoLimits | None = None, name: str | None = None
) -> FeatureSet:
    """All polygon features of the file (first layer unless ``layer``), in WGS84, checked;
    ``name`` is the file's name in messages (default: its name on disk)."""
    path, limits, result = Path(path), limits or GeoLimits(), FeatureSet()
    try:
        inner = _inner(path)
        meta, _fids, geometries, field_data = raw.read(_source(path, inner), layer=layer, force_2d=True)
    except _NothingInside:
        result.issues.append(Issue("gis_archive_empty"))
        return result
    except CRSError as exc:
        detail = clean_detail(str(exc), path, name)
        result.issues.append(Issue("unknown_crs", params={"crs": detail}))
        return result
    except (RuntimeError, ValueError, zipfile.BadZipFile, OSError) as exc:
        result.issues.append(_unreadable(str(exc) or type(exc).__name__, path, name))
        return result
    result.layer = str(meta.get("layer_name") or layer or "")
    try:
        source_crs = file_crs(meta.get("crs"), path, inner)
    except CrsRefused as refused:
        result.issues.append(refused.issue)
        return result
    result.source_crs = source_crs.to_string()
    names = list(meta.get("fields", []))
    properties = [
        {name: _plain(field_data[j][i]) for j, name in enumerate(names)} for i in range(len(geometries))
    ]
    labels = [_label(p) for p in properties]
    shapes = shapely.from_wkb(np.asarray(geometries, dtype=object), on_invalid="ignore")
    skipped = _bounded(shapes, labels, limits, result)
    if result.issues and len(skipped) == len(shapes):
        return result
    keep = np.array([i not in skipped for i in range(len(shapes))], dtype=bool)
    try:
        shapes[keep] = _reproject(shapes[keep], source_crs)
    except ProjError as exc:
        result.issues.append(
            Issue("unprojectable", params={"crs": result.source_crs[:80], "detail": str(exc)[:120]})
        )
        return result
    for i, position in _not_finite(np.where(keep, shapes, None)).items():
        result.issues.append(
            Issue("unprojectable_feature", i + 1, "geometri", labels[i], {"position": position})
        )
        skipped.add(i)
    _collect(shapes, properties, skipped, result)
    return result


def _collect(
    shapes: np.ndarray, properties: list[dict[str, Any]], skipped: set[int], result: FeatureSet
) -> None:
    """Check each bounded feature and keep the good ones (duplicates are errors)."""
    seen: dict[bytes, int] = {}
    for i, geometry in enumerate(shapes):
        if i in skipped:
            continue
        number = i + 1
        polygon = _check(number, geometry, result)
        if polygon is None:
            continue
        key = shapely.to_wkb(shapely.normalize(polygon))
        if key in seen:
            result.issues.append(Issue("duplicate_geometry", number, "geometri", params={"other": seen[key]}))
            continue
        seen[key] = number
        result.features.append(Feature(number, properties[i], polygon))
    if not result.features and not result.issues:
        result.issues.append(Issue("no_features"))


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value
