"""Geometry for the server-rendered SVG charts (S-curves, KPI sparklines). PURE: no Django."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    lines: dict[str, str]  # name -> SVG polyline points
    ticks: list[tuple[float, str]]  # x position, label


def polyline(
    values: Sequence[float | None],
    width: float,
    height: float,
    top: float,
    *,
    left: float = 0,
    steps: int | None = None,
) -> str:
    """'x,y x,y ...' for the known values on a 0..top scale, one step per value (gaps skipped)."""
    steps = max(steps or len(values), 1)
    top = top or 1.0
    points = []
    for i, value in enumerate(values):
        if value is None:
            continue
        x = left + (i + 1) / steps * (width - left)
        y = height - max(0.0, min(float(value), top)) / top * height
        points.append(f"{x:.1f},{y:.1f}")
    return " ".join(points)


def s_curve_chart(
    planned: Sequence[float], actual: Sequence[float | None], width: int = 600, height: int = 220
) -> Chart:
    """Plan and actual cumulative progress (0-100 %) per week, with a tick every few weeks."""
    weeks = max(len(planned), len(actual), 1)
    inner = height - 20
    lines = {
        "planned": "0.0," + f"{inner:.1f} " + polyline(planned, width, inner, 100, steps=weeks),
        "actual": polyline(actual, width, inner, 100, steps=weeks),
    }
    every = max(1, weeks // 10)
    ticks = [((w / weeks) * width, str(w)) for w in range(every, weeks + 1, every)]
    return Chart(width, height, lines, ticks)


def sparkline(values: Sequence[float | None], width: int = 120, height: int = 28) -> str:
    known = [v for v in values if v is not None]
    top = max(known, default=0.0) or 1.0
    return polyline(values, width, height - 2, top * 1.05, steps=len(values))
