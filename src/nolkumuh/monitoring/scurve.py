"""S-curves of construction: the weekly planned progress, the reported progress, and the deviation.

PURE: no Django. Progress is cumulative physical progress in percent (0-100) at the end of a week;
week 1 is the week that starts on the contract's start date.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

BEHIND, ON_TRACK, AHEAD = "behind", "on_track", "ahead"


class PlanError(ValueError):
    """A planned schedule that cannot be used; ``code`` names why (for a translated message)."""

    def __init__(self, code: str, week: int | None = None) -> None:
        super().__init__(code if week is None else f"{code} (week {week})")
        self.code = code
        self.week = week


def default_plan(weeks: int) -> list[float]:
    """A smooth S-curve over ``weeks`` weeks: slow start, fast middle, slow finish, 100 at the end."""
    if weeks < 1:
        raise PlanError("no_weeks")
    return [round(50 * (1 - math.cos(math.pi * w / weeks)), 2) for w in range(1, weeks + 1)]


def parse_plan(text: str) -> list[float]:
    """'5; 12,5; 30 ...' (cumulative percent per week; comma or point as the decimal mark, separated
    by semicolons, spaces or new lines) -> a checked plan."""
    parts = [p for p in re.split(r"[;\s]+", text.strip()) if p]
    try:
        plan = [float(p.replace(",", ".")) for p in parts]
    except ValueError:
        raise PlanError("not_a_number") from None
    check_plan(plan)
    return plan


def check_plan(plan: Sequence[float]) -> None:
    """A plan rises (never falls), stays within 0-100, and ends at 100."""
    if not plan:
        raise PlanError("no_weeks")
    previous = 0.0
    for week, value in enumerate(plan, start=1):
        if not 0 <= value <= 100:
            raise PlanError("out_of_range", week)
        if value < previous:
            raise PlanError("falls", week)
        previous = value
    if plan[-1] != 100:
        raise PlanError("not_finished", len(plan))


def planned_at(plan: Sequence[float], week: int) -> float:
    """Planned cumulative progress at the end of ``week`` (0 before the start, 100 after the end)."""
    if week < 1 or not plan:
        return 0.0
    return float(plan[min(week, len(plan)) - 1])


def week_of(start: date, day: date) -> int:
    """The week number of ``day`` in a contract that starts on ``start`` (0 before the start)."""
    if day < start:
        return 0
    return (day - start).days // 7 + 1


@dataclass(frozen=True)
class Point:
    week: int
    planned: float
    actual: float | None  # None before the first report
    deviation: float | None  # actual - planned (negative: behind)


def curve(plan: Sequence[float], reports: Mapping[int, float], up_to_week: int | None = None) -> list[Point]:
    """Plan and actual week by week up to ``up_to_week`` (default: the end of the plan or the last
    report, whichever is later). A week without a report keeps the last reported progress."""
    last = max([len(plan), *reports.keys()]) if up_to_week is None else up_to_week
    points: list[Point] = []
    actual: float | None = None
    for week in range(1, last + 1):
        if week in reports:
            actual = float(reports[week])
        planned = planned_at(plan, week)
        deviation = None if actual is None else round(actual - planned, 2)
        points.append(Point(week, planned, actual, deviation))
    return points


def deviation_at(plan: Sequence[float], reports: Mapping[int, float], week: int) -> float | None:
    """Actual minus planned at ``week``: the last report up to that week counts, and no report at all
    counts as 0 % once work should have started (None only before week 1)."""
    reported = [w for w in reports if w <= week]
    if not reported:
        return None if week < 1 else round(-planned_at(plan, week), 2)
    return round(float(reports[max(reported)]) - planned_at(plan, week), 2)


def schedule_status(deviation: float | None, margin: float) -> str:
    """Behind when the actual lags the plan by more than ``margin`` percentage points."""
    if deviation is None:
        return ON_TRACK
    if deviation < -margin:
        return BEHIND
    if deviation > margin:
        return AHEAD
    return ON_TRACK
