"""Light geometries for web maps: simplified (about a metre) with six decimals (about 10 cm)."""

from __future__ import annotations

import json

import shapely
from shapely.geometry.base import BaseGeometry

TOLERANCE_DEGREES = 0.00001
PRECISION = 6
# Colours of the slum classes on web maps and map pictures, and of a unit without data.
CLASS_COLOURS = {"KB": "#c0392b", "KS": "#e67e22", "KR": "#f1c40f", "TK": "#27ae60"}
NO_DATA = "#bdc3c7"


def display_geojson(geometry: BaseGeometry) -> str:
    """The geometry as compact GeoJSON text for a map layer."""
    light = shapely.simplify(geometry, TOLERANCE_DEGREES, preserve_topology=True)
    light = shapely.set_precision(light, 10**-PRECISION)
    if light.is_empty:
        light = geometry
    return json.dumps(shapely.geometry.mapping(light), separators=(",", ":"))
