"""Reading a boundary file sent from outside (an upload, a file given to the command line).

Before GDAL sees the file, the file guard checks its kind by content, its size for that kind and,
for KMZ and zipped shapefiles, the number of entries, their unpacked size, the compression ratio
and their names. Then GDAL reads it in a child process with memory and time limits, so that a
crash or a runaway allocation ends the child only; the features come back checked and bounded
(:func:`nolkumuh.geo.read.read_features`).
"""

from __future__ import annotations

from pathlib import Path

from nolkumuh.geo.features import FeatureSet
from nolkumuh.geo.limits import GeoLimits, geo_limits_from_env
from nolkumuh.geo.read import read_features
from nolkumuh.guard import check_file, run_isolated
from nolkumuh.scoring.issues import InvalidInput, Issue

GIS_KINDS = ("geojson", "gpkg", "zip", "kml", "kmz", "fgb")


def read_untrusted(path: Path, *, limits: GeoLimits | None = None, name: str | None = None) -> FeatureSet:
    """The checked features of a boundary file; raises InvalidInput when the file is refused
    before reading or its reader fails (crash, memory, time). ``name``: the file's name as the user
    knows it, for messages (an upload is stored under another name)."""
    path = Path(path)
    if not path.is_file():
        detail = f"{name or path.name} tidak ditemukan"
        raise InvalidInput([Issue("gis_unreadable", params={"detail": detail})])
    if path.stat().st_size == 0:
        raise InvalidInput([Issue("gis_empty")])
    check_file(path, kinds=GIS_KINDS)
    limits = limits or geo_limits_from_env()
    return run_isolated(read_features, path, limits=limits, name=name, kind="GIS")
