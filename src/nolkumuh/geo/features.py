"""Features read from a boundary file: attributes plus a polygon geometry in WGS84."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shapely.geometry.base import BaseGeometry

from nolkumuh.scoring.issues import Issue


@dataclass
class Feature:
    """One polygon feature; ``number`` is its position in the file (1 = first feature)."""

    number: int
    properties: dict[str, Any]
    geometry: BaseGeometry

    def get(self, *names: str) -> str:
        """The first non-empty attribute among ``names`` (case-insensitive), as text."""
        lowered = {str(k).lower(): v for k, v in self.properties.items()}
        for name in names:
            value = lowered.get(name.lower())
            if value not in (None, ""):
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                return str(value).strip()
        return ""


@dataclass
class FeatureSet:
    """What a file held: features in WGS84, the source CRS, and every problem found."""

    features: list[Feature] = field(default_factory=list)
    source_crs: str = ""
    layer: str = ""
    issues: list[Issue] = field(default_factory=list)  # errors: the file cannot be imported
    warnings: list[Issue] = field(default_factory=list)  # repaired or worth a look

    @property
    def ok(self) -> bool:
        return not self.issues
