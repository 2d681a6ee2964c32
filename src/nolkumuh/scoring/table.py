"""Columns of RT data (header denominators and criterion volumes) as numpy arrays.

The engine computes in binary floats for speed. Where a float result lands next to a rounding edge,
it asks the table for the exact decimal values (:meth:`RtTable.exact`), so that a percentage
written as 75.995 always rounds to 76.00. A table made by summing (aggregation) or by subtracting
handled volumes knows how to give its values exactly too.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Protocol

import numpy as np

# Relative error allowed for a float value read from data (a few units in the last place).
_BASE_TOLERANCE = 1e-12
# Exact values are first tried as integers in millionths (values with up to 6 decimals).
SCALE = 1_000_000
_SCALED_LIMIT = 2.0**62
# Integer ids spanning up to this many values are grouped through a lookup table (8 bytes each).
DENSE_SPAN = 1 << 22


class ExactSource(Protocol):
    def exact(self, column: str, rows: np.ndarray) -> list[Fraction]: ...

    def scaled(self, column: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]: ...


def exact_float(value: float) -> Fraction:
    """The decimal a float was written as: its shortest round-trip text, taken exactly."""
    return Fraction(repr(float(value)))


def scale_floats(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Values as exact integer millionths, and where that is exact (at most 6 decimals as written).

    A value with at most 15 significant digits maps to exactly one double, so a double that equals
    k / 10**6 was written as that decimal.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        rounded = np.round(values * SCALE)
        ok = np.isfinite(values) & (np.abs(rounded) < _SCALED_LIMIT) & (rounded / SCALE == values)
    return np.where(ok, rounded, 0).astype(np.int64), ok


@dataclass
class RtTable:
    """Header fields and volumes by name (header keys and criterion keys), one entry per row."""

    columns: dict[str, np.ndarray]
    source: ExactSource | None = None
    # Relative error bound of each value (grows when many values were summed).
    tolerance: np.ndarray | float = _BASE_TOLERANCE

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def exact(self, column: str, rows: np.ndarray) -> list[Fraction]:
        if self.source is not None:
            return self.source.exact(column, rows)
        values = self.columns[column]
        return [exact_float(values[i]) for i in rows]

    def scaled(self, column: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Values of ``rows`` as exact integer millionths, with a mask of where that holds."""
        if self.source is not None:
            return self.source.scaled(column, rows)
        return scale_floats(self.columns[column][rows])

    @classmethod
    def from_mapping(cls, data: Mapping[str, Sequence[float] | np.ndarray]) -> RtTable:
        return cls({k: np.asarray(v, dtype=np.float64) for k, v in data.items()})


@dataclass
class GroupSum:
    """Exact values of a summed table: the exact sum of each group's member values."""

    parent: RtTable
    codes: np.ndarray  # group of each parent row
    _order: np.ndarray | None = field(default=None, repr=False)
    _starts: np.ndarray | None = field(default=None, repr=False)

    def _members(self, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Parent rows of the given (non-empty) groups, concatenated, and where each group's run
        starts in that list."""
        if self._order is None:
            # sorted once, and only when some group lands on a rounding edge
            self._order = np.argsort(self.codes, kind="stable")
            self._starts = np.concatenate(([0], np.cumsum(np.bincount(self.codes))))
        assert self._starts is not None
        first = self._starts[groups]
        lengths = self._starts[groups + 1] - first
        runs = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        positions = np.repeat(first - runs, lengths) + np.arange(int(lengths.sum()))
        return self._order[positions], runs

    def exact(self, column: str, rows: np.ndarray) -> list[Fraction]:
        result = []
        for g in rows:
            members, _ = self._members(np.array([g]))
            result.append(sum(self.parent.exact(column, members), Fraction(0)))
        return result

    def scaled(self, column: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The requested groups' exact sums in millionths, where every member allows it."""
        members, runs = self._members(np.asarray(rows))
        values, ok = self.parent.scaled(column, members)
        sums = np.add.reduceat(values, runs)
        all_ok = np.logical_and.reduceat(ok, runs)
        # int64 sums are exact unless they could overflow
        safe = np.abs(values).max(initial=0) * max(len(values), 1) < _SCALED_LIMIT
        return sums, all_ok & safe


@dataclass
class Handled:
    """Exact values after handling: max(0, before - handled), per criterion column."""

    before: RtTable
    handled: dict[str, np.ndarray] = field(default_factory=dict)

    def exact(self, column: str, rows: np.ndarray) -> list[Fraction]:
        before = self.before.exact(column, rows)
        if column not in self.handled:
            return before
        done = self.handled[column]
        return [max(Fraction(0), b - exact_float(done[i])) for b, i in zip(before, rows, strict=True)]

    def scaled(self, column: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        values, ok = self.before.scaled(column, rows)
        if column not in self.handled:
            return values, ok
        done, done_ok = scale_floats(self.handled[column][rows])
        return np.maximum(values - done, 0), ok & done_ok


@dataclass(frozen=True)
class Groups:
    """Row -> group number, and the group keys in order of first appearance."""

    codes: np.ndarray
    keys: list[Hashable]

    def __len__(self) -> int:
        return len(self.keys)

    @classmethod
    def of(cls, keys: Sequence[Hashable]) -> Groups:
        numbering: dict[Hashable, int] = {}
        codes = np.fromiter((numbering.setdefault(k, len(numbering)) for k in keys), np.int64, len(keys))
        return cls(codes=codes, keys=list(numbering))

    @classmethod
    def of_integers(cls, values: np.ndarray) -> Groups:
        """Fast grouping of integer ids (for example kelurahan ids), in order of first appearance.

        Without a sort when the ids span at most :data:`DENSE_SPAN` values (or four times the row
        count): they are numbered through a lookup table indexed by the id. Wider ids are sorted."""
        values = np.asarray(values)
        if values.size == 0:
            return cls(codes=np.zeros(0, dtype=np.int64), keys=[])
        low, high = int(values.min()), int(values.max())
        span = high - low + 1
        if span <= max(DENSE_SPAN, 4 * values.size):
            codes, first = _dense_numbering(values.astype(np.int64) - low)
            return cls(codes=codes, keys=values[first].tolist())
        # ids too far apart for a lookup table: numbered through their sorted distinct values
        uniques, first, inverse = np.unique(values, return_index=True, return_inverse=True)
        by_appearance = np.argsort(first, kind="stable")
        rank = np.empty_like(by_appearance)
        rank[by_appearance] = np.arange(len(by_appearance))
        return cls(codes=rank[inverse], keys=[int(u) for u in uniques[by_appearance]])

    @classmethod
    def of_columns(cls, *columns: np.ndarray) -> Groups:
        """Grouping by several integer columns at once (kelurahan and year), keys as tuples in order
        of first appearance; the columns are combined into one dense id when their spans allow."""
        arrays = [np.asarray(c).astype(np.int64) for c in columns]
        n = len(arrays[0]) if arrays else 0
        if n == 0:
            return cls(codes=np.zeros(0, dtype=np.int64), keys=[])
        lows = [int(a.min()) for a in arrays]
        spans = [int(a.max()) - low + 1 for a, low in zip(arrays, lows, strict=True)]
        if math.prod(spans) > max(DENSE_SPAN, 4 * n):
            return cls.of(list(zip(*(a.tolist() for a in arrays), strict=True)))
        combined = np.zeros(n, dtype=np.int64)
        for a, low, span in zip(arrays, lows, spans, strict=True):
            combined = combined * span + (a - low)
        codes, first = _dense_numbering(combined)
        keys: list[Hashable] = list(zip(*(a[first].tolist() for a in arrays), strict=True))
        return cls(codes=codes, keys=keys)

    def first_rows(self) -> np.ndarray:
        """The first row of each group, in group order."""
        first = np.full(len(self.keys), len(self.codes), dtype=np.int64)
        np.minimum.at(first, self.codes, np.arange(len(self.codes), dtype=np.int64))
        return first


def _dense_numbering(offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group numbers of ids ``offsets`` (0 .. span-1) by first appearance, and each group's first
    row, through a lookup table of the span: no sort."""
    n = offsets.size
    span = int(offsets.max()) + 1
    first = np.full(span, n, dtype=np.int64)
    np.minimum.at(first, offsets, np.arange(n, dtype=np.int64))
    starts = np.zeros(n, dtype=bool)
    starts[first[first < n]] = True
    rows = np.flatnonzero(starts)  # the first row of each group, in row order
    number = np.empty(span, dtype=np.int64)
    number[offsets[rows]] = np.arange(rows.size, dtype=np.int64)
    return number[offsets], rows
