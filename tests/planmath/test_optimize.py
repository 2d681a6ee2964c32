"""The optimizer is optimal on small cases (checked by brute force through the real engine), and
what it proposes really frees the RTs it claims when simulated."""

import itertools
import math
from dataclasses import replace

import numpy as np
import pytest

from nolkumuh.planmath.activities import Activity
from nolkumuh.planmath.budget import Budget, allocate, first_fit, spendable
from nolkumuh.planmath.greedy import greedy
from nolkumuh.planmath.optimize import optimize
from nolkumuh.planmath.simulate import PlanLine, simulate
from nolkumuh.scoring import load_ruleset
from nolkumuh.scoring.assess import assess
from tests.helpers import oracle_row, table_of

RULESET = load_ruleset("permen-pupr-14-2018")
ACTIVITIES = {
    "paving": Activity("paving", "paving", "paving", "m", False, 300_000, {"jalan_permukaan_rusak": 1.0}),
    "jalan": Activity("jalan", "jalan", "jalan", "m", False, 450_000, {"jalan_cakupan": 1.0}),
    "apar": Activity("apar", "apar", "apar", "unit", True, 1_500_000, {"kebakaran_sarana": 5.0}),
    "hidran": Activity("hidran", "hidran", "hidran", "unit", True, 45_000_000, {"kebakaran_prasarana": 30.0}),
    "gerobak": Activity("gerobak", "gerobak", "gerobak", "unit", True, 15_000_000, {"sampah_sarpras": 75.0}),
    "tps": Activity(
        "tps", "tps", "tps", "unit", True, 60_000_000, {"sampah_sistem": 400.0, "sampah_sarpras": 400.0}
    ),
}


def rows():
    """Three slum RTs (totals 24, 29 and 34, all KR) of different sizes."""
    first = oracle_row()
    second = {**oracle_row(), "luas": "1.2", "v_air_minum_akses": "30"}  # 3a at 71 %: 3 points, no activity
    third = {**oracle_row(), "luas": "3.5", "v_air_minum_akses": "40", "v_bangunan_tidak_teratur": "30"}
    return [first, second, third]


def candidate_amounts(table, r, activity):
    """Amounts worth trying: 0 and what reaches each band of each handled criterion."""
    amounts = {0.0}
    for key, per_unit in activity.handles.items():
        volume = float(table[key][r])
        denominator = float(table[RULESET.criterion(key).denominator][r])
        for edge in (2500, 5100, 7600):
            allowed = max(0.0, (edge - 0.5) * denominator / 10000 - 1e-9 * max(denominator, 1))
            need = max(0.0, volume - allowed) / per_unit
            amounts.add(math.ceil(need - 1e-9) if activity.integer else need)
    return sorted(amounts)


def brute_force_min_cost_to_free(table, r):
    """The cheapest set of activity amounts at RT r that brings it below the TK bound, by trying
    every combination and scoring it with the engine; None if impossible."""
    options = [candidate_amounts(table, r, a) for a in ACTIVITIES.values()]
    best = None
    for amounts in itertools.product(*options):
        lines = [
            PlanLine(0, a.key, amount, 2024)
            for a, amount in zip(ACTIVITIES.values(), amounts, strict=True)
            if amount
        ]
        single = type(table)({k: v[[r]] for k, v in table.columns.items()})
        result = simulate(single, RULESET, lines, ACTIVITIES, years=[2024])
        if result.final().class_codes()[0] == "TK":
            cost = sum(a.unit_cost * amount for a, amount in zip(ACTIVITIES.values(), amounts, strict=True))
            best = cost if best is None else min(best, cost)
    return best


@pytest.mark.parametrize("budget", [0, 50_000_000, 120_000_000, 200_000_000, 400_000_000, 2_000_000_000])
def test_optimizer_frees_as_many_hectares_as_brute_force(budget):
    table = table_of(rows())
    best = best_hectares_by_brute_force(table, budget)
    proposal = optimize(table, RULESET, ACTIVITIES, budget)
    assert proposal.optimal
    assert proposal.freed_ha == pytest.approx(best, abs=1e-9)
    assert proposal.cost <= budget + 1e-3


def test_what_the_optimizer_proposes_really_frees_those_rts():
    table = table_of(rows())
    proposal = optimize(table, RULESET, ACTIVITIES, 400_000_000)
    assert proposal.freed_rows
    lines = [PlanLine(c.row, c.activity, c.volume, 2024) for c in proposal.choices]
    after = simulate(table, RULESET, lines, ACTIVITIES, years=[2024]).final()
    freed = [r for r in range(len(table)) if after.class_codes()[r] == "TK"]
    assert set(proposal.freed_rows) <= set(freed)
    assert all(c.lowers for c in proposal.choices)  # every choice says which scores it lowers


def test_score_objective_lowers_the_total_most_within_budget():
    table = table_of(rows())
    cheap = optimize(table, RULESET, ACTIVITIES, 10_000_000, objective="score")
    rich = optimize(table, RULESET, ACTIVITIES, 500_000_000, objective="score")
    assert cheap.optimal and rich.optimal
    assert rich.score_after < cheap.score_after < cheap.score_before
    lines = [PlanLine(c.row, c.activity, c.volume, 2024) for c in rich.choices]
    after = simulate(table, RULESET, lines, ACTIVITIES, years=[2024]).final()
    assert int(np.asarray(after.total).sum()) <= rich.score_after


def test_greedy_is_never_better_than_the_optimizer():
    table = table_of(rows() * 3)
    for budget in (100_000_000, 300_000_000, 900_000_000):
        exact = optimize(table, RULESET, ACTIVITIES, budget)
        simple = greedy(table, RULESET, ACTIVITIES, budget)
        assert exact.freed_ha >= simple.freed_ha - 1e-9
        assert simple.cost <= budget


# caps worked out by hand: 2025 at most 60 M, 2026 at most 80 M (of which APBD at most 10 M), APBN
# at most 100 M in all. The most the caps allow: 2025 60 M (APBD) + 2026 10 M APBD + 70 M APBN.
CAPPED = Budget(
    2_000_000_000,
    years=(2025, 2026),
    funders=("apbn", "apbd"),
    per_year={2025: 60_000_000, 2026: 80_000_000},
    per_funder={"apbn": 100_000_000},
    per_cell={(2026, "apbd"): 10_000_000},
)


def best_hectares_by_brute_force(table, budget):
    costs = [brute_force_min_cost_to_free(table, r) for r in range(len(table))]
    luas = [float(table["luas"][r]) for r in range(len(table))]
    best = 0.0
    for chosen in itertools.product([False, True], repeat=len(table)):
        possible = all(not c or costs[r] is not None for r, c in enumerate(chosen))
        if possible and sum(costs[r] for r, c in enumerate(chosen) if c) <= budget + 1e-6:
            best = max(best, sum(luas[r] for r, c in enumerate(chosen) if c))
    return best


def assert_within_caps(proposal, budget):
    money = {}
    for c in proposal.choices:
        assert (c.year, c.funder) in budget.cells()
        money[(c.year, c.funder)] = money.get((c.year, c.funder), 0.0) + c.cost
    for year, cap in budget.per_year.items():
        assert sum(v for (y, _f), v in money.items() if y == year) <= cap + 1
    for funder, cap in budget.per_funder.items():
        assert sum(v for (_y, f), v in money.items() if f == funder) <= cap + 1
    for cell, cap in budget.per_cell.items():
        assert money.get(cell, 0.0) <= cap + 1
    assert sum(money.values()) <= budget.total + 1
    assert money == pytest.approx(proposal.spent)


def test_caps_per_year_and_funder_allow_what_was_worked_out_by_hand():
    assert spendable(CAPPED) == pytest.approx(140_000_000)
    assert spendable(replace(CAPPED, total=100_000_000)) == pytest.approx(100_000_000)
    apbd_capped = replace(CAPPED, per_year={}, per_cell={(2025, "apbd"): 1e7, (2026, "apbd"): 1e7})
    assert spendable(apbd_capped) == pytest.approx(120_000_000)  # APBN 100 + APBD 10 + 10
    assert spendable(replace(CAPPED, per_year={})) == pytest.approx(2e9)  # APBD 2025 unbounded
    assert spendable(Budget(5.0)) == 5.0


@pytest.mark.parametrize(
    "budget",
    [
        CAPPED,
        replace(CAPPED, per_year={2025: 5_000_000, 2026: 40_000_000}),
        replace(CAPPED, per_funder={"apbn": 0}, per_cell={}),
    ],
)
def test_optimizer_with_caps_frees_as_many_hectares_as_brute_force_and_keeps_every_cap(budget):
    table = table_of(rows())
    proposal = optimize(table, RULESET, ACTIVITIES, budget)
    assert proposal.optimal
    assert proposal.freed_ha == pytest.approx(
        best_hectares_by_brute_force(table, spendable(budget)), abs=1e-9
    )
    assert_within_caps(proposal, budget)
    lines = [PlanLine(c.row, c.activity, c.volume, c.year) for c in proposal.choices]
    after = simulate(table, RULESET, lines, ACTIVITIES, years=[2026]).final()
    assert {r for r in range(len(table)) if after.class_codes()[r] == "TK"} >= set(proposal.freed_rows)


def test_a_capped_program_is_spread_over_years_and_funders_earliest_first():
    table = table_of(rows() * 2)
    proposal = optimize(table, RULESET, ACTIVITIES, CAPPED)
    assert proposal.optimal and proposal.freed_rows
    assert_within_caps(proposal, CAPPED)
    # the earliest year first, up to its cap, and the first funder first
    assert proposal.spent[(2025, "apbn")] == pytest.approx(60_000_000)
    assert sum(v for (y, _f), v in proposal.spent.items() if y == 2026) == pytest.approx(proposal.cost - 6e7)
    assert {c.year for c in proposal.choices} == {2025, 2026}
    score = optimize(table, RULESET, ACTIVITIES, CAPPED, objective="score")
    assert score.optimal and score.cost <= 140_000_000 + 1
    assert_within_caps(score, CAPPED)
    simple = greedy(table, RULESET, ACTIVITIES, CAPPED)
    assert_within_caps(simple, CAPPED)
    assert proposal.freed_ha >= simple.freed_ha - 1e-9


def test_money_goes_to_the_earliest_year_and_the_first_funders_spend_early():
    budget = Budget(
        2e9, years=(2025, 2026), funders=("apbn", "apbd"), per_year={2025: 15e6}, per_funder={"apbn": 10e6}
    )
    shares = allocate(budget, [20e6, 30e6])
    spent = {}
    for share in shares:
        for cell, money in share.items():
            spent[cell] = spent.get(cell, 0.0) + money
    assert spent == pytest.approx({(2025, "apbn"): 10e6, (2025, "apbd"): 5e6, (2026, "apbd"): 35e6})
    assert [sum(s.values()) for s in shares] == pytest.approx([20e6, 30e6])
    assert allocate(replace(budget, total=40e6), [20e6, 30e6]) is None  # more than the total


# Whole funding: each RT paid by one funder in one year. The caps then couple the RTs.
CELL_CAPS = Budget(
    2e9,
    years=(2025, 2026),
    funders=("apbn", "apbd"),
    per_cell={(y, f): 60e6 for y in (2025, 2026) for f in ("apbn", "apbd")},
    whole=True,
)


def within_caps(budget, spent):
    """spent: cell -> money. True when every cap of the budget holds."""
    groups = [(budget.total, budget.cells())]
    groups += [(cap, [c for c in budget.cells() if c[0] == y]) for y, cap in budget.per_year.items()]
    groups += [(cap, [c for c in budget.cells() if c[1] == f]) for f, cap in budget.per_funder.items()]
    groups += [(cap, [cell]) for cell, cap in budget.per_cell.items()]
    return all(sum(spent.get(c, 0.0) for c in cells) <= cap + 1e-6 for cap, cells in groups)


def whole_assignments(budget, n):
    """Every way to pay n RTs: each either not at all (None) or from one cell."""
    return itertools.product([None, *budget.cells()], repeat=n)


def best_whole_hectares_by_brute_force(table, budget):
    costs = [brute_force_min_cost_to_free(table, r) for r in range(len(table))]
    best = 0.0
    for cells in whole_assignments(budget, len(table)):
        if any(cell is not None and costs[r] is None for r, cell in enumerate(cells)):
            continue
        spent = {}
        for r, cell in enumerate(cells):
            if cell is not None:
                spent[cell] = spent.get(cell, 0.0) + costs[r]
        if within_caps(budget, spent):
            best = max(best, sum(float(table["luas"][r]) for r, cell in enumerate(cells) if cell is not None))
    return best


def assert_one_cell_per_rt(proposal, budget):
    cells = {}
    for c in proposal.choices:
        cells.setdefault(c.row, set()).add((c.year, c.funder))
    assert all(len(v) == 1 for v in cells.values())
    assert within_caps(budget, proposal.spent)


@pytest.mark.parametrize(
    "budget",
    [
        CELL_CAPS,  # the dearest RT (111 M) fits in no single cell
        replace(CELL_CAPS, per_cell={}, per_year={2025: 70e6, 2026: 60e6}),
        replace(CELL_CAPS, per_cell={}, per_year={2025: 120e6}, per_funder={"apbn": 30e6, "apbd": 100e6}),
    ],
)
def test_whole_funding_frees_as_many_hectares_as_brute_force(budget):
    table = table_of(rows())
    proposal = optimize(table, RULESET, ACTIVITIES, budget)
    assert proposal.optimal
    assert proposal.freed_ha == pytest.approx(best_whole_hectares_by_brute_force(table, budget), abs=1e-9)
    assert_one_cell_per_rt(proposal, budget)


def test_whole_funding_can_free_less_than_co_funding():
    table = table_of(rows())
    whole = optimize(table, RULESET, ACTIVITIES, CELL_CAPS)
    shared = optimize(table, RULESET, ACTIVITIES, replace(CELL_CAPS, whole=False))
    assert whole.freed_ha == pytest.approx(2.66 + 1.2) and shared.freed_ha == pytest.approx(2.66 + 1.2 + 3.5)
    assert whole.bound_ha == pytest.approx(shared.freed_ha)  # the co-funding optimum bounds it


def rt_options(table, r):
    """Total after -> the least cost reaching it at RT r, over every candidate amount of every
    activity, scored by the engine."""
    single = type(table)({k: v[[r]] for k, v in table.columns.items()})
    options = {}
    for amounts in itertools.product(*[candidate_amounts(table, r, a) for a in ACTIVITIES.values()]):
        lines = [PlanLine(0, a.key, x, 2024) for a, x in zip(ACTIVITIES.values(), amounts, strict=True) if x]
        total = int(simulate(single, RULESET, lines, ACTIVITIES, years=[2024]).final().total[0])
        cost = sum(a.unit_cost * x for a, x in zip(ACTIVITIES.values(), amounts, strict=True))
        options[total] = min(cost, options.get(total, math.inf))
    return options


def test_whole_funding_lowers_the_total_as_much_as_brute_force():
    table = table_of(rows())
    budget = replace(CELL_CAPS, per_cell={(2025, "apbn"): 30e6, (2025, "apbd"): 10e6}, per_year={2026: 0})
    options = [rt_options(table, r) for r in range(len(table))]
    best = sum(int(t) for t in assess(table, RULESET).total)
    for cells in whole_assignments(budget, len(table)):
        choices = [
            [(int(assess(table, RULESET).total[r]), 0.0)] if cell is None else list(options[r].items())
            for r, cell in enumerate(cells)
        ]
        for picked in itertools.product(*choices):
            spent = {}
            for cell, (_total, cost) in zip(cells, picked, strict=True):
                if cell is not None:
                    spent[cell] = spent.get(cell, 0.0) + cost
            if within_caps(budget, spent):
                best = min(best, sum(total for total, _cost in picked))
    proposal = optimize(table, RULESET, ACTIVITIES, budget, objective="score")
    assert proposal.optimal and proposal.score_after == best
    assert_one_cell_per_rt(proposal, budget)
    lines = [PlanLine(c.row, c.activity, c.volume, 2025) for c in proposal.choices]
    after = simulate(table, RULESET, lines, ACTIVITIES, years=[2025]).final()
    assert int(np.asarray(after.total).sum()) <= proposal.score_after


def test_first_fit_packs_whole_amounts_largest_first_into_the_earliest_cell_with_room():
    budget = replace(CELL_CAPS, per_cell={}, per_year={2025: 70e6, 2026: 60e6})
    assert first_fit(budget, {0: 21e6, 1: 49.8e6}) == {1: (2025, "apbn"), 0: (2026, "apbn")}
    assert first_fit(CELL_CAPS, {0: 21e6, 2: 111e6}) is None  # 111 M fits in no 60 M cell


def test_greedy_without_co_funding_pays_each_rt_from_one_cell():
    table = table_of(rows() * 2)
    simple = greedy(table, RULESET, ACTIVITIES, CELL_CAPS)
    exact = optimize(table, RULESET, ACTIVITIES, CELL_CAPS)
    assert simple.freed_rows and exact.freed_ha >= simple.freed_ha - 1e-9
    assert_one_cell_per_rt(simple, CELL_CAPS)
