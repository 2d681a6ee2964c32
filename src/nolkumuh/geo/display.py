"""Light geometries for web maps: simplified (about a metre) with six decimals (about 10 cm)."""

from __future__ import annotations

import json

import shapely
from shapely.geometry.base import BaseGeometry

TOLERANCE_DEGREES = 0.00001
PRECISION = 6


def display_geojson(geometry: BaseGeometry) -> str:
    """The geometry as compact GeoJSON text for a map layer."""
    light = shapely.simplify(geometry, TOLERANCE_DEGREES, preserve_topology=True)
    light = shapely.set_precision(light, 10**-PRECISION)
    if light.is_empty:
        light = geometry
    return json.dumps(shapely.geometry.mapping(light), separators=(",", ":"))
