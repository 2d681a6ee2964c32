"""The coordinate system (CRS) of a boundary file: what GDAL found, checked against what the file
states, so that a CRS nobody can read is refused instead of being taken for WGS84.

- GeoJSON and KML without a CRS are WGS84 (their standards say so); other formats without a CRS
  are refused ("no_crs").
- A GeoJSON whose ``crs`` member names a CRS that PROJ does not know (e.g. EPSG:99999) is refused;
  GDAL alone would silently read it as WGS84.
- A shapefile whose ``.prj`` GDAL cannot read, or a GeoPackage whose layer refers to a CRS
  (``srs_id``) GDAL cannot read, is refused as an unknown CRS, not as a missing one.
"""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from pathlib import Path

from pyproj import CRS
from pyproj.exceptions import CRSError

from nolkumuh.scoring.issues import Issue

WGS84 = CRS.from_epsg(4326)
WGS84_BY_STANDARD = (".geojson", ".json", ".kml", ".kmz")
_CRS_MEMBER = re.compile(r'"crs"\s*:\s*\{')


class CrsRefused(Exception):
    """The file's CRS cannot be used; ``issue`` says why and how to fix it."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.code)
        self.issue = issue


def _geojson_crs_name(member: object) -> str | None:
    """The CRS named by a GeoJSON 2008 ``crs`` object ({"type": "name", "properties": {...}})."""
    if not isinstance(member, dict) or not isinstance(member.get("properties"), dict):
        return None
    properties = member["properties"]
    kind = str(member.get("type", "")).lower()
    if kind == "name":
        return str(properties.get("name", ""))
    if kind == "epsg":
        return f"EPSG:{properties.get('code', '')}"
    if kind == "link":
        return str(properties.get("href", ""))
    return None


def declared_geojson_crs(path: Path) -> str | None:
    """The CRS a GeoJSON file names in its ``crs`` member, or None when it names none."""
    text = path.read_text(encoding="utf-8", errors="replace")
    decoder = json.JSONDecoder()
    for found in _CRS_MEMBER.finditer(text):
        try:
            member, _end = decoder.raw_decode(text, found.end() - 1)
        except (ValueError, RecursionError):
            continue
        name = _geojson_crs_name(member)
        if name is not None:
            return name
    return None


def _has_prj(path: Path, inner: str | None) -> bool:
    """True when the shapefile read comes with a .prj file (which GDAL then could not read)."""
    if inner is None:
        return path.suffix.lower() == ".shp" and path.with_suffix(".prj").exists()
    if not inner.lower().endswith(".shp"):
        return False
    wanted = inner[:-4].lower() + ".prj"
    with zipfile.ZipFile(path) as archive:
        return any(name.lower() == wanted for name in archive.namelist())


def _gpkg_srs_id(path: Path) -> int | None:
    """The ``srs_id`` of the first layer of a GeoPackage (opened read-only), or None."""
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as db:
            row = db.execute("SELECT srs_id FROM gpkg_geometry_columns LIMIT 1").fetchone()
    except sqlite3.Error:
        return None
    return int(row[0]) if row and isinstance(row[0], int) else None


def _parsed(text: str) -> CRS:
    try:
        return CRS.from_user_input(text)
    except CRSError:
        raise CrsRefused(Issue("unknown_crs", params={"crs": text[:80]})) from None


def file_crs(found: str | None, path: Path, inner: str | None) -> CRS:
    """The CRS to read the file in: ``found`` is what GDAL reported, ``inner`` the file read inside
    an archive. Raises :class:`CrsRefused` when the file has none, or one that cannot be used."""
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        declared = declared_geojson_crs(path)
        if declared is not None:
            stated = _parsed(declared)
            if found and not stated.equals(_parsed(found), ignore_axis_order=True):
                raise CrsRefused(Issue("unknown_crs", params={"crs": declared[:80]}))
    if found:
        return _parsed(found)
    if _has_prj(path, inner):
        raise CrsRefused(Issue("unknown_crs", params={"crs": ".prj"}))
    if suffix == ".gpkg" and (_gpkg_srs_id(path) or 0) > 0:
        raise CrsRefused(Issue("unknown_crs", params={"crs": f"srs_id {_gpkg_srs_id(path)}"}))
    if suffix in WGS84_BY_STANDARD:
        return WGS84
    raise CrsRefused(Issue("no_crs"))
