"""Geodesic area on the WGS84 ellipsoid, in hectares.

:func:`geodesic_area_ha` follows geodesic edges exactly (pyproj's Geod). :func:`geodesic_areas_ha`
computes many at once by projecting every vertex in one call to an equal-area projection of the
same ellipsoid (EPSG:6933) and measuring there; for RT- and kawasan-sized polygons it agrees with
the geodesic area to better than 0.001 % (tested), at a fraction of the time.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry.base import BaseGeometry

SQUARE_METRES_PER_HA = 10_000.0


@cache
def _geod() -> Geod:
    return Geod(ellps="WGS84")


@cache
def _equal_area() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:6933", always_xy=True)


def geodesic_area_ha(geometry: BaseGeometry) -> float:
    """Area of a (multi)polygon in WGS84 on the ellipsoid, in hectares (holes subtracted)."""
    # rings must wind consistently (holes against the shell) for their signed areas to subtract
    oriented = shapely.orient_polygons(geometry, exterior_cw=False)
    area, _perimeter = _geod().geometry_area_perimeter(oriented)
    return abs(area) / SQUARE_METRES_PER_HA


def geodesic_areas_ha(geometries: Sequence[BaseGeometry] | np.ndarray) -> np.ndarray:
    """Areas of many polygons at once, in hectares (equal-area projection of WGS84)."""
    array = np.asarray(geometries, dtype=object)
    if array.size == 0:
        return np.zeros(0)
    transformer = _equal_area()

    def project(coordinates: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coordinates[:, 0], coordinates[:, 1])
        return np.column_stack((x, y))

    projected = shapely.transform(array, project)
    return shapely.area(projected) / SQUARE_METRES_PER_HA
