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

from nolkumuh.planmath.activities import Activity
from nolkumuh.planmath.budget import Budget, Cell, allocate, first_fit, preference, spendable, whole_money
from nolkumuh.planmath.milp import Model
from nolkumuh.scoring.assess import Assessment, assess
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
    bound_ha: float | None = None  # whole funding: no plan frees more (the co-funding optimum)


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
    whole = plan if plan.whole and len(plan.cells()) > 1 else None
    if objective == "hectares":
        proposal = _most_hectares(problem, total, whole, time_limit)
    else:
        proposal = _lowest_score(problem, total, whole, time_limit)
    if whole is None:
        return assign_cells(proposal, plan, total)
    proposal.spendable = total
    for c in proposal.choices:
        proposal.spent[(c.year, c.funder)] = proposal.spent.get((c.year, c.funder), 0.0) + c.cost
    return proposal


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


def _most_hectares(p: _Problem, budget: float, whole: Budget | None, time_limit: float) -> Proposal:
    """Exact by decomposition: RTs share only the budget, and money spent on an RT that does not
    leave slum status frees nothing. So first the cheapest way to free each slum RT (a small MILP
    each), then which RTs to free within the budget (a knapsack MILP; with ``whole`` budgets, also
    in which year and from which funder, each RT from one)."""
    proposal = Proposal(score_before=int(p.current.total.sum()), optimal=True, status="optimal")
    offers = _offers(p, proposal, time_limit)
    if offers:
        if whole is None:
            chosen, proven, message = _pick(p, offers, budget, time_limit)
        else:
            chosen, proven, message, bound = _pick_whole(p, offers, whole, time_limit)
            proposal.bound_ha = bound
        if not proven:
            proposal.optimal, proposal.status = False, message
        for r, (year, funder) in sorted(chosen.items()):
            proposal.choices += [replace(c, year=year, funder=funder) for c in offers[r][1]]
            proposal.freed_rows.append(r)
    proposal.cost = sum(c.cost for c in proposal.choices)
    proposal.freed_ha = float(sum(p.table["luas"][r] for r in proposal.freed_rows))
    proposal.score_after = proposal.score_before - sum(
        int(p.current.total[r]) - offers[r][2] for r in proposal.freed_rows
    )
    return proposal


Offers = dict[int, tuple[float, list[Choice], int]]  # RT -> (cost, choices, total after)


def _offers(p: _Problem, proposal: Proposal, time_limit: float) -> Offers:
    """The cheapest way to bring each slum RT below the TK bound, where there is one."""
    offers: Offers = {}
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
    return offers


def _pick(p: _Problem, offers: Offers, budget: float, time_limit: float) -> tuple[dict[int, Cell], bool, str]:
    """Which RTs to free within one total (a knapsack MILP): the chosen RTs, proven, status."""
    knapsack = Model()
    picks = {
        r: knapsack.add("z", (r,), -float(p.table["luas"][r]) + COST_WEIGHT * cost, 0, 1, True)
        for r, (cost, _c, _t) in offers.items()
    }
    knapsack.constrain({picks[r]: offers[r][0] for r in picks}, 0, budget)
    result = knapsack.solve(time_limit)
    x = result.x
    chosen: dict[int, Cell] = {r: (None, None) for r in picks if x is not None and x[picks[r]] > 0.5}
    return chosen, result.status == 0, str(result.message)


def _pick_whole(
    p: _Problem, offers: Offers, budget: Budget, time_limit: float
) -> tuple[dict[int, Cell], bool, str, float | None]:
    """Which RTs to free and the one cell paying each. Co-funding allows at least as much, so its
    optimum is a bound: when its RTs can be packed whole into the cells, that is optimal (proven by
    the bound). Otherwise one MILP over all RTs with a binary per RT and cell (a multiple knapsack,
    gap zero). Also returns the bound (hectares), when proven."""
    divisible, proven, _message = _pick(p, offers, spendable(budget), time_limit)
    bound = float(sum(p.table["luas"][r] for r in divisible)) if proven else None
    packed = first_fit(budget, {r: offers[r][0] for r in divisible})
    if proven and packed is not None:
        return packed, True, "optimal (packed within the co-funding bound)", bound
    cells, order = budget.cells(), preference(budget)
    tie = COST_WEIGHT / (10 * len(cells) * len(cells))
    model = Model()
    picks = {}
    for r, (cost, _c, _t) in offers.items():
        value = -float(p.table["luas"][r]) + COST_WEIGHT * cost
        for c in range(len(cells)):
            picks[(r, c)] = model.add("w", (r, c), value + tie * order[c] * cost, 0, 1, True)
        model.constrain({picks[(r, c)]: 1.0 for c in range(len(cells))}, 0, 1)
    for cap, members in budget.caps():
        model.constrain({picks[(r, c)]: offers[r][0] for r in offers for c in members}, 0, cap)
    result = model.solve(time_limit)
    x = result.x
    chosen = {r: cells[c] for (r, c), j in picks.items() if x is not None and x[j] > 0.5}
    return chosen, result.status == 0, str(result.message), bound


def _lowest_score(p: _Problem, budget: float, whole: Budget | None, time_limit: float) -> Proposal:
    """One model over all RTs: the lowest sum of totals within the budget (cost as tie-breaker);
    with ``whole`` budgets each RT is paid from one cell, chosen in the same model."""
    model = Model()
    spenders: dict[int, tuple[dict[int, float], float]] = {}
    fixed_total = 0
    for r in range(len(p.table)):
        terms, fixed, columns = _add_rt(model, p, r)
        fixed_total += fixed
        for y, value in terms.items():
            model.objective[y] = value
        cost = {column: p.activities[key].unit_cost for key, column in columns.items()}
        for column, unit_cost in cost.items():
            model.objective[column] = COST_WEIGHT * unit_cost
        if cost:
            spenders[r] = (cost, sum(u * model.upper[j] for j, u in cost.items()))
    proposal = Proposal(score_before=int(p.current.total.sum()), score_after=int(p.current.total.sum()))
    if not spenders:
        proposal.optimal, proposal.status = True, "nothing to handle"
        return proposal
    if whole is None:
        model.constrain({j: u for cost, _bound in spenders.values() for j, u in cost.items()}, 0, budget)
        picks = {}
    else:
        picks = whole_money(model, whole, spenders, COST_WEIGHT / (10 * len(whole.cells()) ** 2))
    result = model.solve(time_limit)
    proposal.optimal, proposal.status = result.status == 0, str(result.message)
    if result.x is None:
        return proposal
    proposal.choices, totals = _choices(model, result.x, p)
    if whole is not None:
        paid = {r: next((i for i, j in enumerate(js) if result.x[j] > 0.5), 0) for r, js in picks.items()}
        cells = whole.cells()
        proposal.choices = [
            replace(c, year=cells[paid[c.row]][0], funder=cells[paid[c.row]][1]) for c in proposal.choices
        ]
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
