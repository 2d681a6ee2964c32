"""Columns of RT data (header denominators and criterion volumes) as numpy arrays.

The engine computes in binary floats for speed. Where a float result lands next to a rounding edge,
it asks the table for the exact decimal values (:meth:`RtTable.exact`), so that a percentage
written as 75.995 always rounds to 76.00. A table made by summing (aggregation) or by subtracting
handled volumes knows how to give its values exactly too.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Protocol

import numpy as np

# Relative error allowed for a float value read from data (a few units in the last place).
_BASE_TOLERANCE = 1e-12


class ExactSource(Protocol):
    def exact(self, column: str, rows: np.ndarray) -> list[Fraction]: ...


def exact_float(value: float) -> Fraction:
    """The decimal a float was written as: its shortest round-trip text, taken exactly."""
    return Fraction(repr(float(value)))


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

    @classmethod
    def from_mapping(cls, data: Mapping[str, Sequence[float] | np.ndarray]) -> RtTable:
        return cls({k: np.asarray(v, dtype=np.float64) for k, v in data.items()})


@dataclass
class GroupSum:
    """Exact values of a summed table: the exact sum of each group's member values."""

    parent: RtTable
    order: np.ndarray
    starts: np.ndarray

    def exact(self, column: str, rows: np.ndarray) -> list[Fraction]:
        result = []
        for g in rows:
            members = self.order[self.starts[g] : self.starts[g + 1]]
            result.append(sum(self.parent.exact(column, members), Fraction(0)))
        return result


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
        """Fast grouping of integer ids (for example kelurahan ids), in order of first appearance."""
        uniques, first, inverse = np.unique(values, return_index=True, return_inverse=True)
        by_appearance = np.argsort(first, kind="stable")
        rank = np.empty_like(by_appearance)
        rank[by_appearance] = np.arange(len(by_appearance))
        return cls(codes=rank[inverse], keys=[int(u) for u in uniques[by_appearance]])
