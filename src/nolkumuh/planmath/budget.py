"""Budgets with optional caps per year, per funder and per (year, funder) cell.

By default money is divisible: an activity may be co-funded by two funders or spread over two
years, the way memorandum programs share costs. The set of allowed spending per cell is then
"down-closed" (less money in a cell never breaks a cap), so a set of activities can be financed
exactly when its total cost is at most the largest total the caps allow (:func:`spendable`, a
small linear program). The optimizer therefore stays exact with the caps: it uses that total as
its budget, and :func:`allocate` then gives every chosen activity a year and a funder (earliest
years and the funders in the order given first), splitting the few that straddle a cap.

With ``whole`` each RT's activities must be paid by one funder in one year. Then the caps couple
the RTs (which RT goes where is a packing problem), and the optimizer solves one model over all RTs
with a binary per RT and cell (see :mod:`.optimize`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from nolkumuh.planmath.milp import Model

Cell = tuple[int | None, str | None]  # (year, funder); None where the budget does not split by it
SLACK = 1.0  # rupiah allowed over a cap only if solver round-off leaves no exact allocation


@dataclass(frozen=True)
class Budget:
    """A total, and caps per year, per funder and per (year, funder); absent caps do not bind."""

    total: float
    years: tuple[int, ...] = ()
    funders: tuple[str, ...] = ()
    per_year: Mapping[int, float] = field(default_factory=dict)
    per_funder: Mapping[str, float] = field(default_factory=dict)
    per_cell: Mapping[tuple[int, str], float] = field(default_factory=dict)
    whole: bool = False  # each RT's activities paid by one funder in one year (no co-funding)

    def cells(self) -> list[Cell]:
        years: Sequence[int | None] = self.years or (None,)
        funders: Sequence[str | None] = self.funders or (None,)
        return [(year, funder) for year in years for funder in funders]

    def caps(self) -> list[tuple[float, list[int]]]:
        """(cap, positions of the cells it covers) for the total and every cap given."""
        cells = self.cells()
        groups = [(float(self.total), list(range(len(cells))))]
        groups += [
            (float(cap), [i for i, c in enumerate(cells) if c[0] == y]) for y, cap in self.per_year.items()
        ]
        groups += [
            (float(cap), [i for i, c in enumerate(cells) if c[1] == f]) for f, cap in self.per_funder.items()
        ]
        groups += [
            (float(cap), [i for i, c in enumerate(cells) if c == cell]) for cell, cap in self.per_cell.items()
        ]
        return [(cap, members) for cap, members in groups if members]


def spendable(budget: Budget) -> float:
    """The largest total the caps allow (the total itself when no cap binds harder)."""
    cells = budget.cells()
    if len(cells) == 1:
        return min(cap for cap, _members in budget.caps())
    matrix, caps = _cap_rows(budget, 1)
    result = linprog(-np.ones(len(cells)), A_ub=matrix, b_ub=caps, bounds=(0, None), method="highs")
    return float(-result.fun) if result.status == 0 else 0.0


def allocate(budget: Budget, amounts: Sequence[float]) -> list[dict[Cell, float]] | None:
    """Money per cell for each amount (summing to it) within the caps, earliest years and first
    funders first; None when the amounts cannot be financed."""
    cells = budget.cells()
    n = len(amounts)
    if n == 0:
        return []
    if len(cells) == 1:
        fits = sum(amounts) <= spendable(budget) + SLACK
        return [{cells[0]: float(a)} if a > 0 else {} for a in amounts] if fits else None
    matrix, caps = _cap_rows(budget, n)
    cost = np.tile(preference(budget), n)
    equal = coo_matrix(
        (np.ones(n * len(cells)), (np.repeat(np.arange(n), len(cells)), np.arange(n * len(cells)))),
        shape=(n, n * len(cells)),
    )
    for slack in (0.0, SLACK):
        result = linprog(
            cost,
            A_ub=matrix,
            b_ub=caps + slack,
            A_eq=equal,
            b_eq=np.asarray(amounts, dtype=np.float64),
            bounds=(0, None),
            method="highs",
        )
        if result.status == 0:
            break
    else:
        return None
    money = result.x.reshape(n, len(cells))
    return [{cells[c]: float(money[i, c]) for c in range(len(cells)) if money[i, c] > 1e-6} for i in range(n)]


def preference(budget: Budget) -> np.ndarray:
    """A price per cell that only breaks ties among allowed allocations: earlier years first, then
    the funders in the order given; a small extra on the first funders in later years makes them
    spend early (otherwise when a funder's money is spent would be left to chance)."""
    n_years, n_funders = max(len(budget.years), 1), max(len(budget.funders), 1)
    small = 0.1 / (n_years * n_funders + 1)  # never outweighs a year or a funder step
    return np.array(
        [
            y * n_funders + f + 1 + small * y * (n_funders - 1 - f)
            for y in range(n_years)
            for f in range(n_funders)
        ]
    )


def _cap_rows(budget: Budget, n: int) -> tuple[coo_matrix, np.ndarray]:
    """One row per cap over n spenders x cells (spender-major)."""
    width = len(budget.cells())
    rows, cols = [], []
    caps = []
    for k, (cap, members) in enumerate(budget.caps()):
        caps.append(cap)
        for spender in range(n):
            for c in members:
                rows.append(k)
                cols.append(spender * width + c)
    matrix = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(caps), n * width))
    return matrix, np.asarray(caps, dtype=np.float64)


def whole_money(
    model: Model, budget: Budget, spenders: Mapping[int, tuple[dict[int, float], float]], tie: float
) -> dict[int, list[int]]:
    """Each spender's cost (rupiah per unit of some columns, at most ``bound``) paid from one cell
    only: a binary per cell picks it, and the money in a cell is zero unless picked. Adds the caps
    over all spenders; ``tie`` times the cell preference is the (tiny) price of a rupiah in a cell.
    Returns, per spender, the binary column of each cell."""
    cells, order = budget.cells(), preference(budget)
    money_in: list[dict[int, float]] = [{} for _ in cells]
    picks: dict[int, list[int]] = {}
    for spender, (expression, bound) in spenders.items():
        balance = {column: -value for column, value in expression.items()}
        picks[spender] = []
        for c in range(len(cells)):
            pick = model.add("w", (spender, c), 0.0, 0, 1, True)
            money = model.add("q", (spender, c), tie * order[c], 0, bound, False)
            model.constrain({money: 1.0, pick: -bound}, -np.inf, 0)
            balance[money] = 1.0
            money_in[c][money] = 1.0
            picks[spender].append(pick)
        model.constrain(balance, 0, 0)
        model.constrain(dict.fromkeys(picks[spender], 1.0), 0, 1)
    for cap, members in budget.caps():
        model.constrain({q: 1.0 for c in members for q in money_in[c]}, 0, cap)
    return picks


def first_fit(budget: Budget, amounts: Mapping[int, float]) -> dict[int, Cell] | None:
    """Each amount whole into one cell within every cap: largest first, each into the first cell
    in order of preference with room left; None when one does not fit (a quick packing, not a
    search: None does not prove that no packing exists)."""
    cells, caps = budget.cells(), budget.caps()
    left = [cap for cap, _members in caps]
    groups_of = [[k for k, (_cap, members) in enumerate(caps) if c in members] for c in range(len(cells))]
    order = [int(c) for c in np.argsort(preference(budget), kind="stable")]
    placed: dict[int, Cell] = {}
    for spender, amount in sorted(amounts.items(), key=lambda item: (-item[1], item[0])):
        cell = next((c for c in order if all(left[k] >= amount for k in groups_of[c])), None)
        if cell is None:
            return None
        for k in groups_of[cell]:
            left[k] -= amount
        placed[spender] = cells[cell]
    return placed
