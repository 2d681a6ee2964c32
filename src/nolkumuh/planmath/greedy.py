"""The simple rule the optimizer is compared with (benchmarks and tests): per slum RT the cost to
bring it below the TK bound, then RTs by hectares per rupiah until the budget is spent."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

from nolkumuh.planmath.activities import Activity
from nolkumuh.planmath.budget import Budget, first_fit, spendable
from nolkumuh.planmath.optimize import Choice, Proposal, assign_cells
from nolkumuh.scoring.assess import assess
from nolkumuh.scoring.rulesets import Ruleset
from nolkumuh.scoring.table import RtTable


def greedy(
    table: RtTable, ruleset: Ruleset, activities: Mapping[str, Activity], budget: float | Budget
) -> Proposal:
    """The simple rule: for each slum RT the cost to bring it below the TK bound, lowering its
    cheapest criteria per point first (single-criterion view, whole units); then RTs by hectares per
    rupiah while the budget (the largest total its caps allow) lasts; without co-funding, while the
    RT still fits whole into a cell (first fit)."""
    plan = budget if isinstance(budget, Budget) else Budget(float(budget))
    total = spendable(plan)
    whole = plan.whole and len(plan.cells()) > 1
    proposal = _greedy(table, ruleset, activities, total, plan if whole else None)
    if not whole:
        return assign_cells(proposal, plan, total)
    proposal.spendable = total
    for c in proposal.choices:
        proposal.spent[(c.year, c.funder)] = proposal.spent.get((c.year, c.funder), 0.0) + c.cost
    return proposal


def _greedy(
    table: RtTable, ruleset: Ruleset, activities: Mapping[str, Activity], budget: float, whole: Budget | None
) -> Proposal:
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
    spent, costs, placed = 0.0, {}, {}
    for _ratio, r, cost, chosen in offers:
        fits = spent + cost <= budget
        if fits and whole is not None:
            placed = first_fit(whole, {**costs, r: cost}) or placed
            fits = r in placed
        if fits:
            spent += cost
            costs[r] = cost
            proposal.choices += chosen
            proposal.freed_rows.append(r)
    if whole is not None:
        proposal.choices = [
            replace(c, year=placed[c.row][0], funder=placed[c.row][1]) for c in proposal.choices
        ]
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
