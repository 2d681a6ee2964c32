"""Benchmark: simulate a 5-year plan of 2,000 lines over a city of 500 RTs; optimize a budget for
500 RTs and 40 activity kinds (exact MILP, HiGHS) and compare with the greedy rule.

Run: make bench. Results go into docs/benchmarks.md.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace

from bench_scoring import generate
from nolkumuh.scoring import RtTable, load_ruleset
from nolkumuh.scoring.activities import default_activities
from nolkumuh.scoring.optimize import greedy, optimize
from nolkumuh.scoring.simulate import PlanLine, simulate

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
        start = time.perf_counter()
        exact = optimize(table, ruleset, kinds, budget, time_limit=60)
        exact_seconds = time.perf_counter() - start
        start = time.perf_counter()
        simple = greedy(table, ruleset, kinds, budget)
        greedy_seconds = time.perf_counter() - start
        print(f"  budget Rp {budget / 1e9:.0f} miliar, {len(kinds)} activity kinds:")
        print(
            f"    optimizer frees {exact.freed_ha:.1f} ha ({len(exact.freed_rows)} RT) for Rp "
            f"{exact.cost / 1e9:.2f} miliar in {exact_seconds:.1f} s, proven optimal: {exact.optimal}"
        )
        print(
            f"    greedy    frees {simple.freed_ha:.1f} ha ({len(simple.freed_rows)} RT) for Rp "
            f"{simple.cost / 1e9:.2f} miliar in {greedy_seconds:.2f} s"
        )


if __name__ == "__main__":
    main()
