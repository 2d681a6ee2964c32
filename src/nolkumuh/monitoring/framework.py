"""The monitoring settings and the KPI results framework, declared as data (data/*.toml).

PURE: no Django. Both files are editable defaults, not regulation (see their headers).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from nolkumuh.monitoring.kpimath import Thresholds

LEVELS = ("dampak", "hasil", "keluaran")
SOURCES = ("computed", "manual")


@dataclass(frozen=True)
class CheckItem:
    key: str
    text_id: str
    text_en: str


@dataclass(frozen=True)
class Settings:
    alert_margin: float
    photo_stages: tuple[int, ...]
    photo_tolerance_m: float
    quality: tuple[CheckItem, ...]
    kpp_threshold: float
    kpp_valid_months: int
    kpp_checklist: tuple[CheckItem, ...]
    kpp_note: str


@dataclass(frozen=True)
class Indicator:
    key: str
    name_id: str
    name_en: str
    unit: str
    level: str
    source: str  # computed | manual
    compute: str  # name of the source function (computed indicators)
    baseline: float | str | None  # a number, "data" (computed at the baseline round) or None
    direction: str
    help_id: str
    targets: dict[int, float]
    decimals: int = 1  # shown after the comma: 0 for counts (people, groups), 1 for percentages

    def target(self, year: int) -> float | None:
        return self.targets.get(year)


@dataclass(frozen=True)
class Framework:
    indicators: tuple[Indicator, ...]
    thresholds: Thresholds
    note: str

    def get(self, key: str) -> Indicator | None:
        return next((i for i in self.indicators if i.key == key), None)


def _decimals(row: dict[str, Any]) -> int:
    decimals = row.get("decimals", 1)
    if type(decimals) is not int or not 0 <= decimals <= 3:
        raise ValueError(f"indicator {row['key']}: decimals must be a whole number from 0 to 3")
    return decimals


def _items(rows: list[dict[str, Any]]) -> tuple[CheckItem, ...]:
    return tuple(CheckItem(r["key"], r["text_id"], r.get("text_en", r["text_id"])) for r in rows)


def parse_settings(data: dict[str, Any]) -> Settings:
    construction, kpp = data["construction"], data["kpp"]
    return Settings(
        alert_margin=float(construction["alert_margin"]),
        photo_stages=tuple(int(s) for s in construction["photo_stages"]),
        photo_tolerance_m=float(construction["photo_tolerance_m"]),
        quality=_items(construction["quality"]),
        kpp_threshold=float(kpp["functioning_threshold"]),
        kpp_valid_months=int(kpp["valid_months"]),
        kpp_checklist=_items(kpp["checklist"]),
        kpp_note=str(kpp.get("note", "")),
    )


def parse_framework(data: dict[str, Any]) -> Framework:
    """Indicators checked for the fields the application relies on (a ValueError names the one)."""
    indicators = []
    for row in data["indicators"]:
        if row["level"] not in LEVELS or row["source"] not in SOURCES:
            raise ValueError(f"indicator {row['key']}: level or source unknown")
        if row["source"] == "computed" and not row.get("compute"):
            raise ValueError(f"indicator {row['key']}: computed without a compute function")
        baseline = row.get("baseline")
        indicators.append(
            Indicator(
                key=row["key"],
                name_id=row["name_id"],
                name_en=row.get("name_en", row["name_id"]),
                unit=row["unit"],
                level=row["level"],
                source=row["source"],
                compute=row.get("compute", ""),
                baseline=baseline if baseline in (None, "data") else float(baseline),
                direction=row.get("direction", "up"),
                help_id=row.get("help_id", ""),
                targets={int(y): float(v) for y, v in row.get("targets", {}).items()},
                decimals=_decimals(row),
            )
        )
    keys = [i.key for i in indicators]
    if len(set(keys)) != len(keys):
        raise ValueError("indicator keys repeat")
    limits = data.get("thresholds", {})
    return Framework(
        tuple(indicators),
        Thresholds(float(limits.get("green", 90)), float(limits.get("yellow", 60))),
        str(data.get("note", "")),
    )


def _data(name: str) -> dict[str, Any]:
    text = resources.files("nolkumuh.monitoring").joinpath(f"data/{name}").read_text("utf-8")
    return tomllib.loads(text)


@cache
def default_settings() -> Settings:
    return parse_settings(_data("monitoring.toml"))


@cache
def default_framework() -> Framework:
    return parse_framework(_data("kpi.toml"))
