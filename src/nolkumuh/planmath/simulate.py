"""Projected "kumuh akhir" of a plan (RULES.md section 6), year by year.

Plan lines handle deficient volumes through the activity catalogue; the volumes handled up to each
year are subtracted (never below zero) and every RT is scored again. A planned line gives a
*projected* state; completed activities give the measured one the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from nolkumuh.planmath.activities import Activity
from nolkumuh.scoring.assess import Assessment, assess
from nolkumuh.scoring.handling import apply_handling
from nolkumuh.scoring.rulesets import Ruleset
from nolkumuh.scoring.table import RtTable


@dataclass(frozen=True)
class PlanLine:
    """``volume`` units of ``activity`` at RT row ``row`` of the table, in ``year``."""

    row: int
    activity: str
    volume: float
    year: int


@dataclass(frozen=True)
class LineWarning:
    """A line that handles a criterion the RT does not lack, or more than what remains."""

    line: int  # position in the plan
    code: str  # "not_lacking" or "over_handling"
    criterion: str


@dataclass
class YearState:
    year: int
    table: RtTable
    assessment: Assessment


@dataclass
class Simulation:
    before: Assessment
    states: list[YearState] = field(default_factory=list)
    warnings: list[LineWarning] = field(default_factory=list)

    def final(self) -> Assessment:
        return self.states[-1].assessment if self.states else self.before


def handled_volumes(
    lines: Sequence[PlanLine], activities: Mapping[str, Activity], n_rows: int, keys: Sequence[str]
) -> dict[str, np.ndarray]:
    """Deficient volume handled per criterion and RT row by the lines (summed)."""
    handled = {key: np.zeros(n_rows) for key in keys}
    if not lines:
        return handled
    rows = np.array([line.row for line in lines])
    amounts = np.array([line.volume for line in lines], dtype=np.float64)
    for key in keys:
        per_unit = np.array([activities[line.activity].handles.get(key, 0.0) for line in lines])
        if per_unit.any():
            np.add.at(handled[key], rows, amounts * per_unit)
    return handled


def simulate(
    table: RtTable,
    ruleset: Ruleset,
    lines: Sequence[PlanLine],
    activities: Mapping[str, Activity],
    years: Sequence[int] | None = None,
) -> Simulation:
    """The state after the lines of each year (cumulative), and warnings about wasted volume."""
    result = Simulation(before=assess(table, ruleset))
    keys = ruleset.keys
    for year in sorted(set(years or [line.year for line in lines])):
        done = [line for line in lines if line.year <= year]
        handled = handled_volumes(done, activities, len(table), keys)
        after = apply_handling(table, handled)
        result.states.append(YearState(year, after, assess(after, ruleset)))
    result.warnings = line_warnings(table, lines, activities, keys)
    return result


def line_warnings(
    table: RtTable, lines: Sequence[PlanLine], activities: Mapping[str, Activity], keys: Sequence[str]
) -> list[LineWarning]:
    """Lines (in year order) handling a criterion the RT does not lack, or beyond what remains."""
    remaining = {key: table[key].astype(np.float64).copy() for key in keys}
    warnings = []
    for index in sorted(range(len(lines)), key=lambda i: (lines[i].year, i)):
        line = lines[index]
        for key, per_unit in activities[line.activity].handles.items():
            if key not in remaining:
                continue
            left = remaining[key][line.row]
            if table[key][line.row] <= 0:
                warnings.append(LineWarning(index, "not_lacking", key))
            elif line.volume * per_unit > left + 1e-9:
                warnings.append(LineWarning(index, "over_handling", key))
            remaining[key][line.row] = max(0.0, left - line.volume * per_unit)
    return sorted(warnings, key=lambda w: (w.line, w.criterion))
