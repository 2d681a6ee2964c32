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


@dataclass
class _Workspace:
    """Buffers reused for every criterion: fresh arrays of a million rows cost more in page faults
    than the arithmetic done in them."""

    quotient: np.ndarray
    floor: np.ndarray
    flags: np.ndarray
    result: np.ndarray

    @classmethod
    def of(cls, n: int) -> _Workspace:
        return cls(np.empty(n), np.empty(n), np.empty(n, dtype=bool), np.empty(n, dtype=np.int32))


def percent_hundredths(
    table: RtTable,
    key: str,
    denominator: str,
    *,
    out: np.ndarray | None = None,
    zero_rows: np.ndarray | None = None,
    work: _Workspace | None = None,
) -> np.ndarray:
    """volume / denominator x 100, rounded half up to 2 decimals, as hundredths (0..10000, int16).

    A zero denominator gives 0 (valid input has a zero volume there). Values whose float quotient
    lies within the error bound of a rounding edge are settled exactly (integers or fractions).
    """
    volume, denom = table[key], table[denominator]
    work = work or _Workspace.of(len(volume))
    quotient, floor, result = work.quotient, work.floor, work.result
    # a zero denominator gives inf or nan here; those rows are set to 0 below
    with np.errstate(divide="ignore", invalid="ignore"):
        np.multiply(volume, 10000.0, out=quotient)
        quotient /= denom
        np.floor(quotient, out=floor)
        result[...] = floor
        quotient -= floor  # now the fraction
        np.greater_equal(quotient, 0.5, out=work.flags)
        result += work.flags
        quotient -= 0.5
        np.abs(quotient, out=quotient)  # distance of the fraction from the half
    if np.ndim(table.tolerance) == 0:
        # percentages are at most 100.00 (10000 hundredths): one bound serves every row
        limit = 10000.0 * (float(table.tolerance) * 4 + 1e-13)
    else:
        limit = np.maximum(floor, 1.0) * (np.asarray(table.tolerance) * 4 + 1e-13)
    np.less_equal(quotient, limit, out=work.flags)
    edge = np.flatnonzero(work.flags)
    zero = np.flatnonzero(denom <= 0) if zero_rows is None else zero_rows
    if zero.size:
        result[zero] = 0
        edge = np.setdiff1d(edge, zero, assume_unique=True)
    if result.max(initial=0) > 10000 or result.min(initial=0) < 0:
        np.clip(result, 0, 10000, out=result)  # only unvalidated input can leave 0..100 %
    if edge.size:
        edge = _settle_in_integers(table, key, denominator, edge, result)
    if edge.size:
        volumes = table.exact(key, edge)
        denominators = table.exact(denominator, edge)
        for i, v, d in zip(edge, volumes, denominators, strict=True):
            result[i] = math.floor(v * 10000 / d + _HALF) if d > 0 else 0
    if out is None:
        return result.astype(np.int16)
    out[...] = result
    return out


def _settle_in_integers(
    table: RtTable, key: str, denominator: str, edge: np.ndarray, result: np.ndarray
) -> np.ndarray:
    """Exact half-up rounding in int64 millionths where the values allow it; returns the rest."""
    v, v_ok = table.scaled(key, edge)
    d, d_ok = table.scaled(denominator, edge)
    ok = v_ok & d_ok & (d > 0) & (v < 2**62 // 20000)
    # floor(v / d x 10000 + 1/2) = (20000 v + d) // 2d, exactly, in integers
    result[edge[ok]] = (20000 * v[ok] + d[ok]) // (2 * d[ok])
    return edge[~ok]


def _round_half_up_div(numerator: np.ndarray, divisor: int) -> np.ndarray:
    """numerator / divisor rounded half up, for non-negative integers."""
    return (2 * numerator + divisor) // (2 * divisor)


@dataclass(frozen=True)
class Assessment:
    """Scores of every row under one ruleset. Arrays are indexed [criterion, row] or [row]."""

    ruleset: Ruleset
    hundredths: np.ndarray  # (k, n) int16: percentage x 100 per criterion
    scores: np.ndarray  # (k, n) int8
    aspect_hundredths: np.ndarray  # (a, n) int16: aspect average x 100, rounded half up
    sectoral_hundredths: np.ndarray  # (n,) int16: mean of the aspect averages x 100
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


def _band_lookup(ruleset: Ruleset) -> np.ndarray:
    """Score of every percentage from 0.00 to 100.00 (index = hundredths), from the bands."""
    mins = np.array([b.min_hundredths for b in reversed(ruleset.bands)])
    scores = np.array([ruleset.below_score] + [b.score for b in reversed(ruleset.bands)], dtype=np.int8)
    return scores[np.searchsorted(mins, np.arange(10001), side="right")]


def assess(table: RtTable, ruleset: Ruleset) -> Assessment:
    """Score every row of ``table`` (which must have been validated) under ``ruleset``."""
    n = len(table)
    k = len(ruleset.criteria)
    hundredths = np.empty((k, n), dtype=np.int16)
    zero_rows = {f: np.flatnonzero(table[f] <= 0) for f in {c.denominator for c in ruleset.criteria}}
    work = _Workspace.of(n)
    for i, item in enumerate(ruleset.criteria):
        zero = zero_rows[item.denominator]
        percent_hundredths(table, item.key, item.denominator, out=hundredths[i], zero_rows=zero, work=work)
    del work

    scores = _band_lookup(ruleset)[hundredths]
    total = scores.sum(axis=0, dtype=np.int16)

    aspects = ruleset.aspects
    members = [np.array([i for i, c in enumerate(ruleset.criteria) if c.aspect == a]) for a in aspects]
    sizes = [len(m) for m in members]
    common = math.lcm(*sizes)
    aspect_hundredths = np.empty((len(aspects), n), dtype=np.int16)
    # at most 7 aspects x lcm 60 x 5 criteria x 10000: fits in int32
    sectoral_sum = np.zeros(n, dtype=np.int32)
    summed = np.empty(n, dtype=np.int32)
    for j, rows in enumerate(members):
        summed[...] = hundredths[rows[0]]
        for row in rows[1:]:
            summed += hundredths[row]
        aspect_hundredths[j] = _round_half_up_div(summed, sizes[j])
        summed *= common // sizes[j]
        sectoral_sum += summed
    sectoral = _round_half_up_div(sectoral_sum, common * len(aspects)).astype(np.int16)

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
