"""Data-quality checks: RT values worth a second look before approval (warnings, never errors).

The checks and their thresholds are data (``data/quality.toml``, editable defaults, not
regulation). :func:`check_quality` takes plain arrays (one entry per RT of a round), the RTs'
previous-round values, their polygon areas and their city, and returns a list of :class:`Flag`;
it knows no Django and no language (the web layer words the messages). Per-row checks are
vectorized over all RTs; the city outliers use the median and the median absolute deviation.
"""

from __future__ import annotations

import hashlib
import itertools
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from nolkumuh.scoring.criteria import HEADER_FIELDS

SEVERITIES = ("peringatan", "perlu_diperiksa")
# A key ratio: (numerator field, denominator field).
RATIOS: dict[str, tuple[str, str]] = {
    "jiwa_per_kk": ("jumlah_penduduk", "jumlah_kk"),
    "bangunan_per_ha": ("jumlah_bangunan", "luas"),
    "jiwa_per_ha": ("jumlah_penduduk", "luas"),
}
# What each kind needs from its [[checks]] entry besides kind and severity.
KIND_PARAMS: dict[str, tuple[str, ...]] = {
    "header_jump": ("fields", "max_change", "min_absolute"),
    "volume_jump": ("max_points",),
    "ratio_range": ("ratio", "low", "high"),
    "area_polygon": ("max_difference",),
    "same_as_previous": (),
    "all_zero": (),
    "all_max": (),
    "city_outlier": ("ratios", "max_score", "min_rts"),
}
MAD_TO_SD = 1.4826  # the MAD of a normal distribution times this is its standard deviation
# Room for binary floats at a threshold (1.3 ha against 1.0 ha and 30 % is not beyond it).
SLACK = 1e-9


@dataclass(frozen=True)
class Check:
    """One declared check: its kind, severity and thresholds."""

    kind: str
    severity: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class QualityRules:
    checks: tuple[Check, ...]
    path: str | None = None


@dataclass(frozen=True)
class Flag:
    """One suspicious value of one RT.

    ``field`` is a header field, a criterion key or a ratio name ("" for whole-row checks);
    ``value`` is what was found and ``low``/``high`` the expected range (None where a check has
    none); ``params`` holds what a message needs (previous value, median, polygon area...);
    ``evidence`` are the RT's own input numbers the check read, so a review of the flag holds as
    long as they are unchanged (see :attr:`fingerprint`).
    """

    kind: str
    row: int
    field: str
    value: float | None
    low: float | None
    high: float | None
    severity: str
    params: Mapping[str, float] = field(default_factory=dict)
    evidence: tuple[float, ...] = ()

    @property
    def fingerprint(self) -> str:
        """Stable digest of kind, field and the RT's input values behind the flag."""
        text = "|".join([self.kind, self.field, *(format(float(v), ".10g") for v in self.evidence)])
        return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass
class QualityData:
    """The RTs of one round, as arrays with one entry per RT.

    ``columns`` holds the header fields and the volumes by criterion key; ``criteria`` the round's
    (criterion key, denominator field) pairs; ``previous`` the same columns from each RT's previous
    round (NaN where it has none); ``polygon_ha`` the RT's boundary area (NaN where none); ``city``
    a group label per RT for the outliers; ``report`` which RTs to report on (the others only make
    up their city's distribution).
    """

    columns: Mapping[str, np.ndarray]
    criteria: Sequence[tuple[str, str]]
    previous: Mapping[str, np.ndarray] | None = None
    polygon_ha: np.ndarray | None = None
    city: np.ndarray | None = None
    report: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.columns[HEADER_FIELDS[0]])

    def column(self, name: str) -> np.ndarray:
        return np.asarray(self.columns[name], dtype=np.float64)

    def reported(self, hit: np.ndarray) -> np.ndarray:
        """Positions of the RTs hit by a check that are to be reported."""
        if self.report is not None:
            hit = hit & np.asarray(self.report, dtype=bool)
        return np.flatnonzero(hit)


def _problems(i: int, item: Any) -> list[str]:
    if not isinstance(item, dict):
        return [f"checks[{i}] is not a table"]
    kind = item.get("kind")
    if kind not in KIND_PARAMS:
        return [f"checks[{i}]: unknown kind {kind!r} (one of {', '.join(KIND_PARAMS)})"]
    problems = []
    if item.get("severity") not in SEVERITIES:
        problems.append(f"checks[{i}] ({kind}): severity must be one of {', '.join(SEVERITIES)}")
    for name in KIND_PARAMS[kind]:
        if name not in item:
            problems.append(f"checks[{i}] ({kind}): {name} is missing")
    ratios = [item["ratio"]] if "ratio" in item else []
    for ratio in [*ratios, *item.get("ratios", [])]:
        if ratio not in RATIOS:
            problems.append(f"checks[{i}] ({kind}): unknown ratio {ratio!r} (one of {', '.join(RATIOS)})")
    for name in item.get("fields", []):
        if name not in HEADER_FIELDS:
            problems.append(f"checks[{i}] ({kind}): unknown field {name!r}")
    if kind == "ratio_range" and not problems and not item["low"] < item["high"]:
        problems.append(f"checks[{i}] ({kind}): low must be below high")
    return problems


def parse_quality_rules(data: Mapping[str, Any], *, path: str | None = None) -> QualityRules:
    """Rules from file data; raises ValueError naming every problem."""
    items = data.get("checks", [])
    problems = [p for i, item in enumerate(items) for p in _problems(i, item)]
    if problems:
        raise ValueError("; ".join(problems))
    checks = tuple(
        Check(
            kind=item["kind"],
            severity=item["severity"],
            params={k: v for k, v in item.items() if k not in ("kind", "severity", "enabled")},
        )
        for item in items
        if item.get("enabled", True)
    )
    return QualityRules(checks=checks, path=path)


@cache
def shipped_quality_rules() -> QualityRules:
    text = resources.files("nolkumuh.scoring").joinpath("data/quality.toml").read_text("utf-8")
    return parse_quality_rules(tomllib.loads(text))


def load_quality_rules(path: str | Path | None = None) -> QualityRules:
    """The shipped rules, or a rules file of the same shape by path."""
    if path is None:
        return shipped_quality_rules()
    return parse_quality_rules(tomllib.loads(Path(path).read_text("utf-8")), path=str(path))


def _ratio(data: QualityData, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Numerator, denominator and their ratio (NaN where the denominator is 0)."""
    top, bottom = (data.column(f) for f in RATIOS[name])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1), np.nan)
    return top, bottom, ratio


def _percent(volume: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, 100 * volume / np.where(denominator > 0, denominator, 1), np.nan)


def _header_jump(data: QualityData, check: Check) -> list[Flag]:
    if data.previous is None:
        return []
    p = check.params
    flags = []
    for name in p["fields"]:
        before, now = np.asarray(data.previous[name], dtype=np.float64), data.column(name)
        change = np.abs(now - before)
        with np.errstate(divide="ignore", invalid="ignore"):
            relative = np.where(before > 0, change / np.where(before > 0, before, 1), np.inf)
        hit = np.isfinite(before) & (change >= p["min_absolute"]) & (relative > p["max_change"] + SLACK)
        for i in data.reported(hit):
            b = float(before[i])
            flags.append(
                Flag(
                    "header_jump",
                    int(i),
                    name,
                    float(now[i]),
                    max(0.0, b * (1 - p["max_change"])),
                    b * (1 + p["max_change"]),
                    check.severity,
                    {"previous": b, "change_percent": float(relative[i]) * 100},
                    (b, float(now[i])),
                )
            )
    return flags


def _volume_jump(data: QualityData, check: Check) -> list[Flag]:
    if data.previous is None:
        return []
    limit = float(check.params["max_points"])
    flags = []
    for key, denominator in data.criteria:
        if key not in data.previous or denominator not in data.previous:
            continue  # the previous round's ruleset did not have this criterion
        now_v, now_d = data.column(key), data.column(denominator)
        before_v = np.asarray(data.previous[key], dtype=np.float64)
        before_d = np.asarray(data.previous[denominator], dtype=np.float64)
        now, before = _percent(now_v, now_d), _percent(before_v, before_d)
        with np.errstate(invalid="ignore"):
            hit = np.abs(now - before) > limit + SLACK  # NaN (no previous record, zero denominator) is False
        for i in data.reported(hit):
            b = float(before[i])
            flags.append(
                Flag(
                    "volume_jump",
                    int(i),
                    key,
                    float(now[i]),
                    max(0.0, b - limit),
                    min(100.0, b + limit),
                    check.severity,
                    {"previous": b},
                    (float(before_v[i]), float(before_d[i]), float(now_v[i]), float(now_d[i])),
                )
            )
    return flags


def _ratio_range(data: QualityData, check: Check) -> list[Flag]:
    name, low, high = check.params["ratio"], float(check.params["low"]), float(check.params["high"])
    top, bottom, ratio = _ratio(data, name)
    with np.errstate(invalid="ignore"):
        hit = (ratio < low) | (ratio > high)
    return [
        Flag(
            "ratio_range",
            int(i),
            name,
            float(ratio[i]),
            low,
            high,
            check.severity,
            {},
            (float(top[i]), float(bottom[i])),
        )
        for i in data.reported(hit)
    ]


def _area_polygon(data: QualityData, check: Check) -> list[Flag]:
    if data.polygon_ha is None:
        return []
    share = float(check.params["max_difference"])
    polygon, luas = np.asarray(data.polygon_ha, dtype=np.float64), data.column("luas")
    with np.errstate(invalid="ignore"):
        hit = (polygon > 0) & (np.abs(luas - polygon) > share * polygon + SLACK)
    return [
        Flag(
            "area_polygon",
            int(i),
            "luas",
            float(luas[i]),
            float(polygon[i]) * (1 - share),
            float(polygon[i]) * (1 + share),
            check.severity,
            {"polygon": float(polygon[i])},
            (float(luas[i]), round(float(polygon[i]), 4)),
        )
        for i in data.reported(hit)
    ]


def _row_values(data: QualityData, names: Sequence[str], i: int) -> tuple[float, ...]:
    return tuple(float(data.columns[n][i]) for n in names)


def _same_as_previous(data: QualityData, check: Check) -> list[Flag]:
    if data.previous is None:
        return []
    names = [*HEADER_FIELDS, *(k for k, _d in data.criteria if k in data.previous)]
    same = np.ones(len(data), dtype=bool)
    for name in names:
        same &= data.column(name) == np.asarray(data.previous[name], dtype=np.float64)  # NaN: False
    return [
        Flag(
            "same_as_previous", int(i), "", None, None, None, check.severity, {}, _row_values(data, names, i)
        )
        for i in data.reported(same)
    ]


def _volumes(data: QualityData) -> tuple[np.ndarray, np.ndarray]:
    """Volumes and denominators as (criteria x RTs) matrices."""
    volumes = np.array([data.column(k) for k, _d in data.criteria]).reshape(len(data.criteria), len(data))
    denominators = np.array([data.column(d) for _k, d in data.criteria]).reshape(volumes.shape)
    return volumes, denominators


def _all_zero(data: QualityData, check: Check) -> list[Flag]:
    if not data.criteria:
        return []
    volumes, _d = _volumes(data)
    keys = [k for k, _d in data.criteria]
    return [
        Flag("all_zero", int(i), "", 0.0, None, None, check.severity, {}, _row_values(data, keys, i))
        for i in data.reported((volumes == 0).all(axis=0))
    ]


def _all_max(data: QualityData, check: Check) -> list[Flag]:
    """Every criterion with a denominator above 0 has its volume at the denominator (or above)."""
    if not data.criteria:
        return []
    volumes, denominators = _volumes(data)
    counted = denominators > 0
    full = ((volumes >= denominators) | ~counted).all(axis=0) & counted.any(axis=0)
    names = [*(k for k, _d in data.criteria), *sorted({d for _k, d in data.criteria})]
    return [
        Flag("all_max", int(i), "", 100.0, None, None, check.severity, {}, _row_values(data, names, i))
        for i in data.reported(full)
    ]


def _outliers_in(
    values: np.ndarray, members: np.ndarray, p: Mapping[str, Any]
) -> tuple[np.ndarray, float, float]:
    """Rows of ``members`` whose value lies more than max_score robust deviations from the median
    of the members' values, with that median and deviation (no rows for a too small group, or one
    whose values mostly agree: MAD 0)."""
    mine = values[members]
    present = np.isfinite(mine)
    if present.sum() < p["min_rts"]:
        return members[:0], 0.0, 0.0
    median = float(np.median(mine[present]))
    spread = MAD_TO_SD * float(np.median(np.abs(mine[present] - median)))
    if spread == 0:
        return members[:0], median, 0.0
    with np.errstate(invalid="ignore"):
        far = np.abs(mine - median) > p["max_score"] * spread
    return members[far], median, spread


def _city_outlier(data: QualityData, check: Check) -> list[Flag]:
    p = check.params
    city = np.zeros(len(data), dtype=np.int64) if data.city is None else np.asarray(data.city)
    _uniques, codes = np.unique(city, return_inverse=True)
    order = np.argsort(codes, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(codes[order]) != 0, True])
    flags = []
    for name in p["ratios"]:
        top, bottom, ratio = _ratio(data, name)
        for a, b in itertools.pairwise(starts):
            members = order[a:b]
            if data.report is not None and not np.asarray(data.report, dtype=bool)[members].any():
                continue  # no RT of this city is reported on
            rows, median, spread = _outliers_in(ratio, members, p)
            reach = p["max_score"] * spread
            flags.extend(
                Flag(
                    "city_outlier",
                    int(i),
                    name,
                    float(ratio[i]),
                    max(0.0, median - reach),
                    median + reach,
                    check.severity,
                    {"median": median},
                    (float(top[i]), float(bottom[i])),
                )
                for i in rows
                if data.report is None or data.report[i]
            )
    return flags


CHECKS = {
    "header_jump": _header_jump,
    "volume_jump": _volume_jump,
    "ratio_range": _ratio_range,
    "area_polygon": _area_polygon,
    "same_as_previous": _same_as_previous,
    "all_zero": _all_zero,
    "all_max": _all_max,
    "city_outlier": _city_outlier,
}


def check_quality(data: QualityData, rules: QualityRules | None = None) -> list[Flag]:
    """Every flag of every reported RT, ordered by RT and then by the order of the rules file."""
    rules = rules or shipped_quality_rules()
    if len(data) == 0:
        return []
    flags = [f for check in rules.checks for f in CHECKS[check.kind](data, check)]
    return sorted(flags, key=lambda f: f.row)  # stable: within an RT, the file's order
