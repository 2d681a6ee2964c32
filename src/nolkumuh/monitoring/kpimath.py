"""KPI arithmetic: achievement against a target, the traffic light, and the trend.

PURE: no Django. Values, baselines and targets are plain numbers in the indicator's unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

GREEN, YELLOW, RED, GREY = "green", "yellow", "red", "grey"


@dataclass(frozen=True)
class Thresholds:
    """Achievement (percent of the target) from which a KPI is green, and from which it is yellow."""

    green: float = 90.0
    yellow: float = 60.0


def achievement(
    value: float | None, target: float | None, baseline: float | None = None, direction: str = "up"
) -> float | None:
    """How far the value has come towards the target, in percent.

    With a baseline: the share of the distance from baseline to target that is covered
    ((value - baseline) / (target - baseline)), which serves rising and falling indicators alike.
    Without one: value / target for a rising indicator, target / value for a falling one.
    None when there is no value or no usable target."""
    if value is None or target is None:
        return None
    if baseline is not None and target != baseline:
        return round((value - baseline) / (target - baseline) * 100, 2)
    if direction == "down":
        if value <= target:
            return 100.0
        return round(target / value * 100, 2) if value else None
    if target == 0:
        return 100.0 if value >= 0 else 0.0
    return round(value / target * 100, 2)


def light(achieved: float | None, thresholds: Thresholds = Thresholds()) -> str:
    """green (on target), yellow (lagging), red (off target) or grey (nothing to compare)."""
    if achieved is None:
        return GREY
    if achieved >= thresholds.green:
        return GREEN
    if achieved >= thresholds.yellow:
        return YELLOW
    return RED


def trend(values: Sequence[float | None], direction: str = "up", tolerance: float = 0.005) -> str:
    """'up', 'down' or 'flat' from the last two known values ('' with fewer than two), judged by
    the indicator's direction: 'better', 'worse' or 'flat'."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return ""
    before, now = known[-2], known[-1]
    scale = max(abs(before), abs(now), 1.0)
    if abs(now - before) <= tolerance * scale:
        return "flat"
    rising = now > before
    return "better" if rising == (direction == "up") else "worse"


def share(part: float, whole: float) -> float | None:
    """part / whole in percent, None when the whole is zero."""
    return round(part / whole * 100, 2) if whole else None
