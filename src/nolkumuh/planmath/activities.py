"""The activity catalogue: what each kind of work handles, in which unit, at what estimated cost.

Loaded from ``data/activities.toml`` (or a file of the same shape with a region's own unit costs).
Costs are editable planning estimates, not regulation.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from nolkumuh.scoring.criteria import catalogue
from nolkumuh.scoring.issues import InvalidInput, Issue


@dataclass(frozen=True)
class Activity:
    key: str
    name_id: str
    name_en: str
    unit: str
    integer: bool
    unit_cost: float
    handles: dict[str, float]  # criterion key -> deficient volume handled per unit of activity

    def name(self, lang: str = "id") -> str:
        return self.name_en if lang == "en" else self.name_id


def parse_activities(data: dict) -> dict[str, Activity]:
    known = catalogue().criteria
    problems = []
    activities = {}
    for i, item in enumerate(data.get("activities", [])):
        try:
            activity = Activity(
                key=str(item["key"]),
                name_id=str(item["name_id"]),
                name_en=str(item.get("name_en", item["name_id"])),
                unit=str(item["unit"]),
                integer=bool(item.get("integer", False)),
                unit_cost=float(item["unit_cost"]),
                handles={str(k): float(v) for k, v in item["handles"].items()},
            )
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(f"activities[{i}]: {exc}")
            continue
        unknown = [k for k in activity.handles if k not in known]
        if unknown or activity.unit_cost < 0 or any(v <= 0 for v in activity.handles.values()):
            problems.append(f"activities[{i}] {activity.key}: unknown criteria {unknown} or bad numbers")
        activities[activity.key] = activity
    if problems:
        raise InvalidInput([Issue("ruleset_invalid", params={"detail": p}) for p in problems])
    return activities


@cache
def default_activities() -> dict[str, Activity]:
    text = resources.files("nolkumuh.planmath").joinpath("data/activities.toml").read_text("utf-8")
    return parse_activities(tomllib.loads(text))


def load_activities(path: Path) -> dict[str, Activity]:
    return parse_activities(tomllib.loads(Path(path).read_text("utf-8")))
