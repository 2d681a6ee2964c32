"""Scoring of RT records (RULES.md sections 3 and 4), vectorized over all rows at once.

Percentages are kept as integer hundredths of a percent (75.81 % -> 7581), rounded half up from the
exact decimal quotient; every later step (bands, averages, classes) is integer arithmetic, so the
result equals a decimal computation by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from nolkumuh.scoring.rulesets import Ruleset
from nolkumuh.scoring.table import RtTable

_HALF = Fraction(1, 2)


def percent_hundredths(table: RtTable, key: str, denominator: str) -> np.ndarray:
    """volume / denominator x 100, rounded half up to 2 decimals, as hundredths (int32).

    A zero denominator gives 0 (valid input has a zero volume there). Values whose float quotient
    lies within the error bound of a rounding edge are settled with exact fractions.
    """
    volume = table[key]
    denom = table[denominator]
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = np.where(denom > 0, volume * 10000.0 / denom, 0.0)
    floor = np.floor(scaled)
    result = floor.astype(np.int32)
    result += scaled - floor >= 0.5
    tolerance = np.maximum(scaled, 1.0) * (np.asarray(table.tolerance) * 4 + 1e-13)
    edge = np.flatnonzero(np.abs(scaled - floor - 0.5) <= tolerance)
    if edge.size:
        volumes = table.exact(key, edge)
        denominators = table.exact(denominator, edge)
        for i, v, d in zip(edge, volumes, denominators, strict=True):
            result[i] = math.floor(v * 10000 / d + _HALF) if d > 0 else 0
    return result


def _round_half_up_div(numerator: np.ndarray, divisor: int) -> np.ndarray:
    """numerator / divisor rounded half up, for non-negative integers."""
    return (2 * numerator + divisor) // (2 * divisor)


@dataclass(frozen=True)
class Assessment:
    """Scores of every row under one ruleset. Arrays are indexed [criterion, row] or [row]."""

    ruleset: Ruleset
    hundredths: np.ndarray  # (k, n) int32: percentage x 100 per criterion
    scores: np.ndarray  # (k, n) int8
    aspect_hundredths: np.ndarray  # (a, n) int32: aspect average x 100, rounded half up
    sectoral_hundredths: np.ndarray  # (n,) int32: mean of the aspect averages x 100
    total: np.ndarray  # (n,) int16
    class_index: np.ndarray  # (n,) int8: index into ruleset.classes (0 = heaviest)

    def __len__(self) -> int:
        return len(self.total)

    def row_of(self, key: str) -> int:
        return self.ruleset.keys.index(key)

    def percent(self, key: str) -> np.ndarray:
        return self.hundredths[self.row_of(key)] / 100.0

    def aspect_row(self, aspect: int) -> int:
        return self.ruleset.aspects.index(aspect)

    def class_codes(self) -> np.ndarray:
        return np.array([c.code for c in self.ruleset.classes])[self.class_index]

    def class_labels(self) -> np.ndarray:
        return np.array([c.label for c in self.ruleset.classes])[self.class_index]

    def is_slum(self) -> np.ndarray:
        return self.class_index != len(self.ruleset.classes) - 1


def assess(table: RtTable, ruleset: Ruleset) -> Assessment:
    """Score every row of ``table`` (which must have been validated) under ``ruleset``."""
    n = len(table)
    k = len(ruleset.criteria)
    hundredths = np.empty((k, n), dtype=np.int32)
    for i, item in enumerate(ruleset.criteria):
        hundredths[i] = percent_hundredths(table, item.key, item.denominator)

    band_mins = np.array([b.min_hundredths for b in reversed(ruleset.bands)])
    band_scores = np.array([ruleset.below_score] + [b.score for b in reversed(ruleset.bands)], dtype=np.int8)
    scores = band_scores[np.searchsorted(band_mins, hundredths, side="right")]
    total = scores.sum(axis=0, dtype=np.int16)

    aspects = ruleset.aspects
    members = [np.array([i for i, c in enumerate(ruleset.criteria) if c.aspect == a]) for a in aspects]
    sizes = [len(m) for m in members]
    common = math.lcm(*sizes)
    aspect_hundredths = np.empty((len(aspects), n), dtype=np.int32)
    sectoral_sum = np.zeros(n, dtype=np.int64)
    for j, rows in enumerate(members):
        summed = hundredths[rows].sum(axis=0, dtype=np.int64)
        aspect_hundredths[j] = _round_half_up_div(summed, sizes[j])
        sectoral_sum += summed * (common // sizes[j])
    sectoral = _round_half_up_div(sectoral_sum, common * len(aspects)).astype(np.int32)

    class_mins = np.array([c.min_total for c in reversed(ruleset.classes)])
    class_index = (len(class_mins) - np.searchsorted(class_mins, total, side="right")).astype(np.int8)
    return Assessment(
        ruleset=ruleset,
        hundredths=hundredths,
        scores=scores,
        aspect_hundredths=aspect_hundredths,
        sectoral_hundredths=sectoral,
        total=total,
        class_index=class_index,
    )
