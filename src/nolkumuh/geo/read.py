"""Reading boundary files: GeoJSON, GeoPackage, (zipped) Shapefile, KML and KMZ, in any CRS.

Every feature is reprojected to WGS84, checked (empty, not a polygon, far outside Indonesia,
duplicate) and repaired where that is safe (an invalid polygon made valid, reported as a warning).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyogrio import raw
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

from nolkumuh.geo.features import Feature, FeatureSet
from nolkumuh.scoring.issues import Issue

# Indonesia with a margin (longitude 94-142 E, latitude 11.5 S - 6.5 N).
INDONESIA = (94.0, -11.5, 142.0, 6.5)
INNER_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".kml", ".fgb")
WGS84 = CRS.from_epsg(4326)


def _source(path: Path) -> str:
    """A GDAL path: zipped files are read in place through /vsizip/."""
    suffix = path.suffix.lower()
    if suffix in (".zip", ".kmz"):
        with zipfile.ZipFile(path) as archive:
            inner = [n for n in archive.namelist() if n.lower().endswith(INNER_SUFFIXES)]
        if not inner:
            raise DataSourceError("no .shp, .gpkg, .geojson or .kml inside the archive")
        return f"/vsizip/{path}/{sorted(inner)[0]}"
    return str(path)


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


def read_features(path: Path, *, layer: str | None = None) -> FeatureSet:
    """All polygon features of the file (first layer unless ``layer``), in WGS84, checked."""
    result = FeatureSet()
    try:
        meta, _fids, geometries, field_data = raw.read(_source(Path(path)), layer=layer, force_2d=True)
    except (DataSourceError, DataLayerError, zipfile.BadZipFile, OSError) as exc:
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        result.issues.append(Issue("unreadable_file", params={"kind": "GIS", "detail": detail}))
        return result
    result.layer = str(meta.get("layer_name") or layer or "")
    crs_text = meta.get("crs")
    if not crs_text and Path(path).suffix.lower() not in (".geojson", ".json", ".kml", ".kmz"):
        result.issues.append(Issue("no_crs"))
        return result
    source_crs = CRS.from_user_input(crs_text) if crs_text else WGS84
    result.source_crs = source_crs.to_string()
    shapes = shapely.from_wkb(np.asarray(geometries, dtype=object), on_invalid="ignore")
    if not source_crs.equals(WGS84, ignore_axis_order=True):
        transformer = Transformer.from_crs(source_crs, WGS84, always_xy=True)

        def reproject(coordinates: np.ndarray) -> np.ndarray:
            x, y = transformer.transform(coordinates[:, 0], coordinates[:, 1])
            return np.column_stack((x, y))

        shapes = shapely.transform(shapes, reproject)
    names = list(meta.get("fields", []))
    seen: dict[bytes, int] = {}
    for i, geometry in enumerate(shapes):
        number = i + 1
        polygon = _check(number, geometry, result)
        if polygon is None:
            continue
        key = shapely.to_wkb(shapely.normalize(polygon))
        if key in seen:
            result.issues.append(Issue("duplicate_geometry", number, "geometri", params={"other": seen[key]}))
            continue
        seen[key] = number
        properties: dict[str, Any] = {name: _plain(field_data[j][i]) for j, name in enumerate(names)}
        result.features.append(Feature(number, properties, polygon))
    if not result.features and not result.issues:
        result.issues.append(Issue("no_features"))
    return result


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value
