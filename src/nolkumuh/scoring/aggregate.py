"""Aggregation above the RT (RULES.md section 5): sum volumes and denominators, then score the sums.

A kawasan, kelurahan, city or province is never scored by averaging RT scores.
"""

from __future__ import annotations

import numpy as np

from nolkumuh.scoring.table import Groups, GroupSum, RtTable


def aggregate(table: RtTable, groups: Groups) -> RtTable:
    """One row per group holding the sums of every column; exact sums are available on demand."""
    n = len(groups)
    codes = groups.codes
    columns = {
        name: np.bincount(codes, weights=values, minlength=n) for name, values in table.columns.items()
    }
    counts = np.bincount(codes, minlength=n)
    tolerance = (np.maximum(counts, 1) + 1) * np.max(np.asarray(table.tolerance))
    return RtTable(columns, source=GroupSum(table, codes), tolerance=tolerance)


def group_counts(groups: Groups) -> np.ndarray:
    """Number of rows (RTs) in each group."""
    return np.bincount(groups.codes, minlength=len(groups))
