"""The state after handling, "kumuh akhir" (RULES.md section 6), and the handling contribution."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from nolkumuh.scoring.assess import Assessment
from nolkumuh.scoring.table import Handled, RtTable


def apply_handling(table: RtTable, handled: Mapping[str, np.ndarray]) -> RtTable:
    """volume_after = max(0, volume_before - handled volume), per criterion key; header unchanged."""
    columns = dict(table.columns)
    used: dict[str, np.ndarray] = {}
    for key, done in handled.items():
        done = np.asarray(done, dtype=np.float64)
        columns[key] = np.maximum(0.0, table[key] - done)
        used[key] = done
    tolerance = np.asarray(table.tolerance) * 2
    return RtTable(columns, source=Handled(table, used), tolerance=tolerance)


def no_longer_slum(assessment: Assessment) -> np.ndarray:
    """KOTAKU exit rule: class tidak kumuh and a service level of at least the minimum
    (100 - aspect average >= 80 %) in each of the listed infrastructure aspects."""
    ruleset = assessment.ruleset
    ok = ~assessment.is_slum()
    for aspect in ruleset.exit_aspects:
        service = 10000 - assessment.aspect_hundredths[assessment.aspect_row(aspect)]
        ok &= service >= ruleset.exit_min_service_hundredths
    return ok


def handling_contribution(start: Assessment, later: Assessment) -> np.ndarray:
    """(sectoral_start - sectoral_later) / sectoral_start, capped at 1; NaN where the start is 0.

    A negative value means the location got worse.
    """
    s0 = start.sectoral_hundredths.astype(np.float64)
    s1 = later.sectoral_hundredths.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(s0 > 0, (s0 - s1) / s0, np.nan)
    return np.minimum(ratio, 1.0)
