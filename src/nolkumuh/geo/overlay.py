"""Overlay: how much of each RT lies inside a kawasan delineation (the decree's map)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree

from nolkumuh.geo.area import geodesic_areas_ha


def coverage_shares(
    units: Sequence[BaseGeometry], areas: Sequence[BaseGeometry]
) -> tuple[np.ndarray, np.ndarray]:
    """For each unit (RT polygon): the share (0-1) of its area inside the union of ``areas``
    (kawasan polygons), and the hectares inside."""
    units_array = np.asarray(units, dtype=object)
    if units_array.size == 0 or not len(areas):
        return np.zeros(len(units_array)), np.zeros(len(units_array))
    tree = STRtree(list(areas))
    area_array = np.asarray(areas, dtype=object)
    inside = np.empty(len(units_array), dtype=object)
    for i, unit in enumerate(units_array):
        hits = tree.query(unit, predicate="intersects")
        inside[i] = shapely.intersection(unit, shapely.union_all(area_array[hits])) if len(hits) else None
    empty = np.array([g is None or g.is_empty for g in inside])
    inside[empty] = shapely.Polygon()
    total = geodesic_areas_ha(units_array)
    covered = geodesic_areas_ha(inside)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(total > 0, np.minimum(covered / total, 1.0), 0.0)
    return shares, covered
