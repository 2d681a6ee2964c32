"""Writing features with their attributes as GeoJSON, GeoPackage or KML (for QGIS and Google Earth)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyogrio import raw
from shapely.geometry.base import BaseGeometry

DRIVERS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GPKG", ".kml": "KML"}


def write_features(
    path: Path,
    geometries: Sequence[BaseGeometry],
    attributes: Mapping[str, Sequence[Any]],
    *,
    layer: str = "nolkumuh",
) -> None:
    """One layer of (multi)polygons in WGS84 with the given attribute columns."""
    path = Path(path)
    driver = DRIVERS[path.suffix.lower()]
    if path.exists():
        path.unlink()
    multi = [shapely.MultiPolygon([g]) if g.geom_type == "Polygon" else g for g in geometries]
    wkb = np.array(shapely.to_wkb(np.asarray(multi, dtype=object)), dtype=object)
    fields, data = [], []
    for name, values in attributes.items():
        fields.append(name)
        array = np.asarray(list(values))
        data.append(array.astype(object) if array.dtype.kind in "OUS" else array)
    raw.write(
        str(path),
        wkb,
        data,
        fields,
        layer=layer,
        driver=driver,
        geometry_type="MultiPolygon",
        crs="EPSG:4326",
        encoding="UTF-8",
    )
