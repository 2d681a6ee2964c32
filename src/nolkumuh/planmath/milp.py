"""A small builder for mixed-integer programs solved by HiGHS (``scipy.optimize.milp``).

Variables are added one by one with what they stand for; constraints are sparse rows. ``solve``
asks for a relative gap of zero: "optimal" means proven optimal, not merely within 0.01 %.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix


@dataclass
class Model:
    columns: list[tuple[str, tuple]] = field(default_factory=list)  # what each variable is
    objective: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[int] = field(default_factory=list)
    rows: list[tuple[dict[int, float], float, float]] = field(default_factory=list)

    def add(self, kind: str, key: tuple, cost: float, low: float, high: float, integral: bool) -> int:
        self.columns.append((kind, key))
        self.objective.append(cost)
        self.lower.append(low)
        self.upper.append(high)
        self.integer.append(1 if integral else 0)
        return len(self.columns) - 1

    def constrain(self, coefficients: dict[int, float], low: float, high: float) -> None:
        self.rows.append((coefficients, low, high))

    def solve(self, time_limit: float) -> Any:
        data, rows, cols = [], [], []
        for i, (coefficients, _low, _high) in enumerate(self.rows):
            for j, value in coefficients.items():
                rows.append(i)
                cols.append(j)
                data.append(value)
        matrix = coo_matrix((data, (rows, cols)), shape=(len(self.rows), len(self.columns))).tocsr()
        constraints = LinearConstraint(matrix, [r[1] for r in self.rows], [r[2] for r in self.rows])
        return milp(
            np.array(self.objective),
            constraints=constraints,
            integrality=np.array(self.integer),
            bounds=Bounds(np.array(self.lower), np.array(self.upper)),
            options={"time_limit": time_limit, "disp": False, "mip_rel_gap": 0.0},
        )
