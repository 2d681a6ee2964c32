"""How much geometry one boundary file may hold (configurable by environment variables).

The defaults are far above what real boundary files need (a city's kelurahan polygons from BIG hold
a few hundred thousand vertices, the most detailed coastal kelurahan a few tens of thousands) and far
below what would exhaust the process that reads the file (docs/security.md, "Berkas GIS").
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

FEATURE_VERTICES_VARIABLE = "NOLKUMUH_GEO_MAX_FEATURE_VERTICES"
FILE_VERTICES_VARIABLE = "NOLKUMUH_GEO_MAX_FILE_VERTICES"


@dataclass(frozen=True)
class GeoLimits:
    """Vertices allowed in one feature and in the whole file."""

    feature_vertices: int = 200_000
    file_vertices: int = 2_000_000


def _whole(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or not 10 <= int(raw) <= 100_000_000:
        raise ValueError(f"{name} must be a whole number from 10 to 100000000, not {raw!r}")
    return int(raw)


def geo_limits_from_env(environ: Mapping[str, str] | None = None) -> GeoLimits:
    """The limits with the overrides of ``NOLKUMUH_GEO_MAX_FEATURE_VERTICES`` and
    ``NOLKUMUH_GEO_MAX_FILE_VERTICES``."""
    env = os.environ if environ is None else environ
    base = GeoLimits()
    return GeoLimits(
        feature_vertices=_whole(env, FEATURE_VERTICES_VARIABLE, base.feature_vertices),
        file_vertices=_whole(env, FILE_VERTICES_VARIABLE, base.file_vertices),
    )
