"""Benchmark: simulate a 5-year plan of 2,000 lines over a city of 500 RTs; optimize a budget for
500 RTs and 40 activity kinds (exact MILP, HiGHS) and compare with the greedy rule; the same with
caps per year and per funder (5 years x 3 funders).

Run: make bench. Results go into docs/benchmarks.md.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace

from bench_scoring import generate
from nolkumuh.planmath.activities import default_activities
from nolkumuh.planmath.budget import Budget
from nolkumuh.planmath.greedy import greedy
from nolkumuh.planmath.optimize import optimize
from nolkumuh.planmath.simulate import PlanLine, simulate
from nolkumuh.scoring import RtTable, load_ruleset

RTS = 500


def city(seed: int = 5) -> RtTable:
    """500 RTs generated like the national scoring benchmark."""
    return generate(RTS, load_ruleset("permen-pupr-14-2018"), seed)[0]


def forty_kinds() -> dict:
    """The 16 catalogue activities plus cheaper and dearer variants: 40 kinds."""
    base = list(default_activities().values())
    kinds = {a.key: a for a in base}
    for factor, suffix in ((0.85, "_hemat"), (1.2, "_plus")):
        for a in base:
            if len(kinds) < 40:
                kinds[a.key + suffix] = replace(a, key=a.key + suffix, unit_cost=a.unit_cost * factor)
    return kinds


def main() -> None:
    ruleset = load_ruleset("permen-pupr-14-2018")
    table = city()
    activities = default_activities()
    rng = random.Random(1)
    keys = list(activities)
    lines = [
        PlanLine(rng.randrange(RTS), rng.choice(keys), rng.uniform(1, 40), 2024 + rng.randrange(5))
        for _ in range(2000)
    ]
    start = time.perf_counter()
    result = simulate(table, ruleset, lines, activities)
    seconds = time.perf_counter() - start
    slum = [int(s.assessment.is_slum().sum()) for s in result.states]
    print(f"  simulate 2,000 lines over 500 RTs, 5 years: {seconds:.2f} s (target < 1 s)")
    print(f"    slum RTs per year {slum}; {len(result.warnings)} warnings")
    kinds = forty_kinds()
    for budget in (5e9, 15e9, 40e9):
        print(f"  budget Rp {budget / 1e9:.0f} miliar, {len(kinds)} activity kinds:")
        compare(table, ruleset, kinds, budget)
    capped = capped_budget()
    print(
        "  budget Rp 40 miliar capped at Rp 3/4/5/6/7 miliar per year 2025-2029, APBN at most Rp 8 "
        "miliar, CSR at most Rp 1 miliar a year, the rest APBD kab/kota:"
    )
    compare(table, ruleset, kinds, capped)
    print("  the same caps, each RT paid by one funder in one year (no co-funding):")
    compare(table, ruleset, kinds, replace(capped, whole=True))
    tight = Budget(
        40e9,
        years=capped.years,
        funders=capped.funders,
        per_cell={(y, f): 400e6 for y in capped.years for f in capped.funders},
        whole=True,
    )
    print("  no co-funding and every (year, funder) at most Rp 0.4 miliar (packing is the hard part):")
    compare(table, ruleset, kinds, tight)
    start = time.perf_counter()
    exact = optimize(table, ruleset, kinds, capped, objective="score", time_limit=10)
    print(
        f"    objective score (one model over all RTs, 10 s limit): total {exact.score_before} -> "
        f"{exact.score_after} for Rp {exact.cost / 1e9:.2f} miliar in {time.perf_counter() - start:.1f} s, "
        f"proven optimal: {exact.optimal}"
    )


def capped_budget() -> Budget:
    years = tuple(range(2025, 2030))
    return Budget(
        40e9,
        years=years,
        funders=("apbn", "apbd_kabkota", "csr"),
        per_year={y: (3 + i) * 1e9 for i, y in enumerate(years)},
        per_funder={"apbn": 8e9},
        per_cell={(y, "csr"): 1e9 for y in years},
    )


def compare(table: RtTable, ruleset: object, kinds: dict, budget: float | Budget) -> None:
    start = time.perf_counter()
    exact = optimize(table, ruleset, kinds, budget, time_limit=60)  # type: ignore[arg-type]
    exact_seconds = time.perf_counter() - start
    start = time.perf_counter()
    simple = greedy(table, ruleset, kinds, budget)  # type: ignore[arg-type]
    greedy_seconds = time.perf_counter() - start
    print(
        f"    optimizer frees {exact.freed_ha:.1f} ha ({len(exact.freed_rows)} RT) for Rp "
        f"{exact.cost / 1e9:.2f} miliar in {exact_seconds:.1f} s, proven optimal: {exact.optimal}"
    )
    if exact.bound_ha is not None and not exact.optimal:
        print(f"      no plan frees more than {exact.bound_ha:.2f} ha (the co-funding optimum)")
    if isinstance(budget, Budget):
        per_year = {}
        for (year, _funder), money in exact.spent.items():
            per_year[year] = per_year.get(year, 0.0) + money
        years = ", ".join(f"{y}: {v / 1e9:.2f}" for y, v in sorted(per_year.items()))
        print(f"      spendable under the caps Rp {exact.spendable / 1e9:.2f} miliar; per year {years}")
    print(
        f"    greedy    frees {simple.freed_ha:.1f} ha ({len(simple.freed_rows)} RT) for Rp "
        f"{simple.cost / 1e9:.2f} miliar in {greedy_seconds:.2f} s"
    )


if __name__ == "__main__":
    main()
