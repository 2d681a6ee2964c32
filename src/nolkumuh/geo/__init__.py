"""Geometry: reading boundary files, geodesic areas, overlays, simplification and exports.

Pure: shapely, pyproj and pyogrio only; no Django. Geometries are shapely objects in WGS84
(longitude, latitude).
"""

from nolkumuh.geo.area import geodesic_area_ha, geodesic_areas_ha
from nolkumuh.geo.features import Feature, FeatureSet
from nolkumuh.geo.overlay import coverage_shares
from nolkumuh.geo.read import read_features
from nolkumuh.geo.write import write_features

__all__ = [
    "Feature",
    "FeatureSet",
    "coverage_shares",
    "geodesic_area_ha",
    "geodesic_areas_ha",
    "read_features",
    "write_features",
]
