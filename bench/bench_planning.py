"""Benchmark: simulate a 5-year plan of 2,000 lines over a city of 500 RTs; optimize a budget for
500 RTs and 40 activity kinds (exact MILP, HiGHS) and compare with the greedy rule.

Run: make bench. Results go into docs/benchmarks.md.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace

import numpy as np

from nolkumuh.scoring import RtTable, load_ruleset
from nolkumuh.scoring.activities import default_activities
from nolkumuh.scoring.optimize import greedy, optimize
from nolkumuh.scoring.simulate import PlanLine, simulate

RTS = 500


def city(seed: int = 5) -> RtTable:
    """500 RTs with integer counts and plausible deficits (the same generator idea as the scoring bench)."""
    rng = np.random.default_rng(seed)
    ruleset = load_ruleset("permen-pupr-14-2018")
    buildings = rng.integers(20, 160, RTS).astype(float)
    households = np.floor(buildings * rng.uniform(1.0, 1.4, RTS))
    road = np.round(rng.uniform(120, 1400, RTS), 1)
    columns = {
        "luas": np.round(rng.uniform(0.4, 6.5, RTS), 2),
        "jumlah_bangunan": buildings,
        "jumlah_penduduk": np.floor(households * 3.8),
        "jumlah_kk": households,
        "panjang_jalan": road,
        "panjang_drainase": np.round(road * rng.uniform(0.2, 1.8, RTS), 1),
    }
    severity = rng.uniform(0.1, 0.9, RTS)
    for item in ruleset.criteria:
        denominator = columns[item.denominator]
        share = np.clip(severity + rng.normal(0, 0.2, RTS), 0, 1)
        decimals = 0 if item.denominator.startswith("jumlah") else 2
        columns[item.key] = np.minimum(np.round(denominator * share, decimals), denominator)
    return RtTable(columns)


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
