"""Budget optimizer: which activities, where, free the most slum hectares (or lower scores most).

An exact mixed-integer program solved by HiGHS (``scipy.optimize.milp``). For every RT and every
criterion it can lower, a binary chooses the score the criterion ends at; activities (continuous,
or whole units where the catalogue says so) must handle enough volume for that choice, within the
budget. With the "hectares" objective a binary per slum RT says it ends below the TK bound, and
the luas of those RTs is maximized (the cost is the tie-breaker). A simple greedy rule is provided
for comparison.

The budget may be capped per year, per funder and per (year, funder) (:mod:`.budget`): the largest
total the caps allow is the budget of the program, and every chosen activity then gets a year and a
funder within the caps.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from nolkumuh.scoring.activities import Activity
from nolkumuh.scoring.assess import Assessment, assess
from nolkumuh.scoring.budget import Budget, Cell, allocate, spendable
from nolkumuh.scoring.milp import Model
from nolkumuh.scoring.rulesets import Ruleset
from nolkumuh.scoring.table import RtTable

COST_WEIGHT = 1e-13  # tie-breaker: among equally good plans, the cheaper one


@dataclass(frozen=True)
class Choice:
    """One proposed activity at one RT, and why."""

    row: int
    activity: str
    volume: float
    cost: float
    lowers: dict[str, tuple[int, int]]  # criterion -> (score before, score after)
    year: int | None = None  # where the budget is split by year and funder
    funder: str | None = None


@dataclass
class Proposal:
    choices: list[Choice] = field(default_factory=list)
    freed_rows: list[int] = field(default_factory=list)
    freed_ha: float = 0.0
    cost: float = 0.0
    score_before: int = 0
    score_after: int = 0
    optimal: bool = False
    status: str = ""
    spendable: float = 0.0  # the largest total the budget's caps allow
    spent: dict[Cell, float] = field(default_factory=dict)  # money per (year, funder)


def _targets(ruleset: Ruleset, hundredths: int, score: int) -> list[tuple[int, float]]:
    """(score, upper bound of the percentage x 100 that still gives it) for every score <= current."""
    edges = sorted((b.min_hundredths, b.score) for b in ruleset.bands)  # ascending
    options = [(ruleset.below_score, edges[0][0] - 0.5)]
    for i, (_edge, value) in enumerate(edges):
        upper = edges[i + 1][0] - 0.5 if i + 1 < len(edges) else 10000.0
        options.append((value, upper))
    return [(s, upper) for s, upper in options if s < score] + [(score, hundredths + 0.0)]


@dataclass
class _Problem:
    table: RtTable
    ruleset: Ruleset
    activities: Mapping[str, Activity]
    current: Assessment
    handlers: dict[str, list[Activity]]

    @property
    def tk_max(self) -> int:
        """The highest total that is still tidak kumuh."""
        return self.ruleset.classes[-2].min_total - 1


def _add_rt(model: Model, p: _Problem, r: int) -> tuple[dict[int, float], int, dict[str, int]]:
    """Variables and constraints of one RT: per criterion it can lower, a binary per reachable
    score; per useful activity, the amount. Returns the score terms, the fixed part of the total
    and the activity columns."""
    keys = p.ruleset.keys
    score_terms: dict[int, float] = {}
    fixed = int(p.current.total[r])
    columns: dict[str, int] = {}
    for j, key in enumerate(keys):
        score = int(p.current.scores[j, r])
        if score == 0 or not p.handlers[key]:
            continue
        fixed -= score
        denominator = float(p.table[p.ruleset.criterion(key).denominator][r])
        volume = float(p.table[key][r])
        choice: dict[int, float] = {}
        terms: dict[int, float] = {}
        for target, upper in _targets(p.ruleset, int(p.current.hundredths[j, r]), score):
            y = model.add("y", (r, key, target), 0.0, 0, 1, True)
            choice[y] = 1.0
            # staying at the current score needs nothing handled; a lower score needs the
            # percentage (rounded half up) below the band's edge
            edge_cap = upper * denominator / 10000 - 1e-9 * max(denominator, 1)
            terms[y] = volume if target == score else min(volume, max(0.0, edge_cap))
            score_terms[y] = float(target)
        model.constrain(choice, 1, 1)
        for activity in p.handlers[key]:
            need = volume / activity.handles[key]
            high = math.ceil(need) if activity.integer else need
            if activity.key not in columns:
                columns[activity.key] = model.add("x", (r, activity.key), 0.0, 0, high, activity.integer)
            model.upper[columns[activity.key]] = max(model.upper[columns[activity.key]], high)
            terms[columns[activity.key]] = activity.handles[key]
        # volume - handled <= the chosen cap  <=>  sum(per_unit x) + sum(cap y) >= volume
        model.constrain(terms, volume, np.inf)
    return score_terms, fixed, columns


def optimize(
    table: RtTable,
    ruleset: Ruleset,
    activities: Mapping[str, Activity],
    budget: float | Budget,
    *,
    objective: str = "hectares",
    time_limit: float = 60.0,
) -> Proposal:
    """The best use of ``budget`` over the RTs of ``table`` (objective "hectares" or "score")."""
    plan = budget if isinstance(budget, Budget) else Budget(float(budget))
    current = assess(table, ruleset)
    handlers = {key: [a for a in activities.values() if a.handles.get(key)] for key in ruleset.keys}
    problem = _Problem(table, ruleset, activities, current, handlers)
    total = spendable(plan)
    if objective == "hectares":
        proposal = _most_hectares(problem, total, time_limit)
    else:
        proposal = _lowest_score(problem, total, time_limit)
    return assign_cells(proposal, plan, total)


def assign_cells(proposal: Proposal, budget: Budget, total: float) -> Proposal:
    """Give every choice a year and a funder within the caps (splitting a choice that straddles a
    cap into co-funded parts), and sum the money per cell."""
    proposal.spendable = total
    shares = allocate(budget, [c.cost for c in proposal.choices])
    if shares is None:  # cannot happen when the cost is within ``total``; say so rather than guess
        proposal.optimal, proposal.status = False, "allocation failed"
        return proposal
    parts: list[Choice] = []
    first = budget.cells()[0]
    for choice, share in zip(proposal.choices, shares, strict=True):
        if not share:  # a free activity: the first cell
            parts.append(replace(choice, year=first[0], funder=first[1]))
        for (year, funder), money in share.items():
            fraction = money / choice.cost
            if fraction > 1e-9:
                part = replace(choice, volume=choice.volume * fraction, cost=money, year=year, funder=funder)
                parts.append(part)
            proposal.spent[(year, funder)] = proposal.spent.get((year, funder), 0.0) + money
    proposal.choices = parts
    return proposal


def _most_hectares(p: _Problem, budget: float, time_limit: float) -> Proposal:
    """Exact by decomposition: RTs share only the budget, and money spent on an RT that does not
    leave slum status frees nothing. So first the cheapest way to free each slum RT (a small MILP
    each), then which RTs to free within the budget (a knapsack MILP)."""
    proposal = Proposal(score_before=int(p.current.total.sum()), optimal=True, status="optimal")
    offers: dict[int, tuple[float, list[Choice], int]] = {}
    for r in range(len(p.table)):
        if int(p.current.total[r]) <= p.tk_max:
            continue
        model = Model()
        terms, fixed, columns = _add_rt(model, p, r)
        if fixed > p.tk_max or not columns:
            continue  # what is left cannot be handled by any activity
        for key, column in columns.items():
            model.objective[column] = p.activities[key].unit_cost
        model.constrain(terms, -np.inf, p.tk_max - fixed)
        result = model.solve(time_limit)
        if result.status == 0:
            choices, total = _choices(model, result.x, p)
            offers[r] = (sum(c.cost for c in choices), choices, round(fixed + total[r]))
        elif result.status != 2:  # 2: infeasible, cannot be freed
            proposal.optimal, proposal.status = False, str(result.message)
    if offers:
        knapsack = Model()
        picks = {
            r: knapsack.add("z", (r,), -float(p.table["luas"][r]) + COST_WEIGHT * cost, 0, 1, True)
            for r, (cost, _c, _t) in offers.items()
        }
        knapsack.constrain({picks[r]: offers[r][0] for r in picks}, 0, budget)
        result = knapsack.solve(time_limit)
        if result.status != 0:
            proposal.optimal, proposal.status = False, str(result.message)
        chosen = [r for r in picks if result.x is not None and result.x[picks[r]] > 0.5]
        for r in sorted(chosen):
            proposal.choices += offers[r][1]
            proposal.freed_rows.append(r)
    proposal.cost = sum(c.cost for c in proposal.choices)
    proposal.freed_ha = float(sum(p.table["luas"][r] for r in proposal.freed_rows))
    proposal.score_after = proposal.score_before - sum(
        int(p.current.total[r]) - offers[r][2] for r in proposal.freed_rows
    )
    return proposal


def _lowest_score(p: _Problem, budget: float, time_limit: float) -> Proposal:
    """One model over all RTs: the lowest sum of totals within the budget (cost as tie-breaker)."""
    model = Model()
    budget_row: dict[int, float] = {}
    fixed_total = 0
    for r in range(len(p.table)):
        terms, fixed, columns = _add_rt(model, p, r)
        fixed_total += fixed
        for y, value in terms.items():
            model.objective[y] = value
        for key, column in columns.items():
            model.objective[column] = COST_WEIGHT * p.activities[key].unit_cost
            budget_row[column] = p.activities[key].unit_cost
    proposal = Proposal(score_before=int(p.current.total.sum()), score_after=int(p.current.total.sum()))
    if not budget_row:
        proposal.optimal, proposal.status = True, "nothing to handle"
        return proposal
    model.constrain(budget_row, 0, budget)
    result = model.solve(time_limit)
    proposal.optimal, proposal.status = result.status == 0, str(result.message)
    if result.x is None:
        return proposal
    proposal.choices, totals = _choices(model, result.x, p)
    proposal.cost = sum(c.cost for c in proposal.choices)
    proposal.score_after = round(fixed_total + sum(totals.values()))
    return proposal


def _choices(model: Model, x: np.ndarray, p: _Problem) -> tuple[list[Choice], dict[int, float]]:
    """The activities chosen in a solution, each with the scores it lowers; and the modelled
    part of each RT's total after handling."""
    values = np.round(x, 9)
    keys = p.ruleset.keys
    after: dict[tuple[int, str], int] = {}
    totals: dict[int, float] = {}
    for j, (kind, key) in enumerate(model.columns):
        if kind == "y" and values[j] > 0.5:
            r, criterion, target = key
            after[(r, criterion)] = target
            totals[r] = totals.get(r, 0.0) + target
    choices = []
    for j, (kind, key) in enumerate(model.columns):
        if kind == "x" and values[j] > 1e-7:
            r, activity_key = key
            activity = p.activities[activity_key]
            lowers = {
                c: (int(p.current.scores[keys.index(c), r]), after[(r, c)])
                for c in activity.handles
                if (r, c) in after and after[(r, c)] < int(p.current.scores[keys.index(c), r])
            }
            choices.append(
                Choice(r, activity_key, float(values[j]), float(values[j]) * activity.unit_cost, lowers)
            )
    return choices, totals


def greedy(
    table: RtTable, ruleset: Ruleset, activities: Mapping[str, Activity], budget: float | Budget
) -> Proposal:
    """The simple rule: for each slum RT the cost to bring it below the TK bound, lowering its
    cheapest criteria per point first (single-criterion view, whole units); then RTs by hectares per
    rupiah until the budget (the largest total its caps allow) is spent."""
    plan = budget if isinstance(budget, Budget) else Budget(float(budget))
    total = spendable(plan)
    proposal = _greedy(table, ruleset, activities, total)
    return assign_cells(proposal, plan, total)


def _greedy(table: RtTable, ruleset: Ruleset, activities: Mapping[str, Activity], budget: float) -> Proposal:
    current = assess(table, ruleset)
    keys = ruleset.keys
    tk_max = ruleset.classes[-2].min_total - 1
    offers = []
    for r in range(len(table)):
        need = int(current.total[r]) - tk_max
        if need <= 0:
            continue
        steps = []
        for j, key in enumerate(keys):
            score = int(current.scores[j, r])
            best = _cheapest_to_zero(table, ruleset, activities, key, r, int(current.hundredths[j, r]))
            if score and best is not None:
                steps.append((best[1] / score, score, key, best))
        steps.sort()
        cost, lowered, chosen = 0.0, 0, []
        for _per_point, score, key, (activity, amount_cost, volume) in steps:
            if lowered >= need:
                break
            cost += amount_cost
            lowered += score
            chosen.append(Choice(r, activity, volume, amount_cost, {key: (score, 0)}))
        if lowered >= need:
            offers.append((float(table["luas"][r]) / max(cost, 1.0), r, cost, chosen))
    offers.sort(reverse=True)
    proposal = Proposal(score_before=int(current.total.sum()), optimal=False, status="greedy")
    spent = 0.0
    for _ratio, r, cost, chosen in offers:
        if spent + cost <= budget:
            spent += cost
            proposal.choices += chosen
            proposal.freed_rows.append(r)
    proposal.freed_rows.sort()
    proposal.cost = spent
    proposal.freed_ha = float(sum(table["luas"][r] for r in proposal.freed_rows))
    return proposal


def _cheapest_to_zero(table, ruleset, activities, key, r, hundredths):  # type: ignore[no-untyped-def]
    """(activity, cost, volume) bringing one criterion of one RT to score 0 on its own, or None."""
    denominator = float(table[ruleset.criterion(key).denominator][r])
    volume = float(table[key][r])
    lowest_edge = min(b.min_hundredths for b in ruleset.bands)
    allowed = max(0.0, (lowest_edge - 0.5) * denominator / 10000 - 1e-9 * max(denominator, 1))
    to_handle = max(0.0, volume - allowed)
    best = None
    for activity in activities.values():
        per_unit = activity.handles.get(key)
        if not per_unit:
            continue
        units = to_handle / per_unit
        units = math.ceil(units - 1e-9) if activity.integer else units
        cost = units * activity.unit_cost
        if best is None or cost < best[1]:
            best = (activity.key, cost, units)
    return best
