"""A checked feature set kept between the dry run and the confirmation of an import.

An uploaded file is read once (bounded, in a child process); what came out of the checks is kept
as JSON (polygons as WKB in hex, attributes, issues, warnings), so that reloading the review page
never parses the uploaded file again. Only files the application wrote itself are loaded.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import shapely

from nolkumuh.geo.features import Feature, FeatureSet
from nolkumuh.scoring.issues import Issue

VERSION = 1


def _issue(item: Issue) -> dict[str, Any]:
    return {
        "code": item.code,
        "row": item.row,
        "column": item.column,
        "value": item.value,
        "params": {k: v if isinstance(v, (int, float)) else str(v) for k, v in item.params.items()},
    }


def _plain(value: Any) -> Any:
    """An attribute as JSON can hold it (dates and other GDAL values as their text)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def save_checked(features: FeatureSet, path: Path) -> None:
    """Write the checked feature set to ``path`` (JSON)."""
    document = {
        "version": VERSION,
        "source_crs": features.source_crs,
        "layer": features.layer,
        "issues": [_issue(i) for i in features.issues],
        "warnings": [_issue(w) for w in features.warnings],
        "features": [
            {
                "number": f.number,
                "properties": {str(k): _plain(v) for k, v in f.properties.items()},
                "wkb": shapely.to_wkb(f.geometry, hex=True),
            }
            for f in features.features
        ],
    }
    path.write_text(json.dumps(document, allow_nan=False), encoding="utf-8")


def load_checked(path: Path) -> FeatureSet:
    """The feature set written by :func:`save_checked`."""
    document = json.loads(path.read_text(encoding="utf-8"))
    if document.get("version") != VERSION:
        raise ValueError("unknown version of a checked feature set")
    return FeatureSet(
        features=[
            Feature(f["number"], f["properties"], shapely.from_wkb(f["wkb"])) for f in document["features"]
        ],
        source_crs=document["source_crs"],
        layer=document["layer"],
        issues=[Issue(**i) for i in document["issues"]],
        warnings=[Issue(**w) for w in document["warnings"]],
    )
