"""Benchmark: score 1,500,000 RT-year rows (300,000 RT x 5 years) held in memory and aggregate
them to kelurahan, against a straightforward per-row Python loop on a sample (as a ratio).

Run: make bench (or .venv/bin/python bench/bench_scoring.py [--rows N]). Results go into
docs/benchmarks.md by hand.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from nolkumuh.scoring import Groups, RtTable, aggregate, assess, load_ruleset, slum_area, validate_table

KELURAHAN = 11_000


def generate(n: int, ruleset, seed: int = 1) -> tuple[RtTable, np.ndarray, np.ndarray]:
    """Plausible RT data: integer counts, lengths with 1 decimal, areas with 2 decimals."""
    rng = np.random.default_rng(seed)
    buildings = rng.integers(20, 160, n).astype(np.float64)
    households = np.floor(buildings * rng.uniform(1.0, 1.4, n))
    road = np.round(rng.uniform(120, 1400, n), 1)
    columns = {
        "luas": np.round(rng.uniform(0.4, 6.5, n), 2),
        "jumlah_bangunan": buildings,
        "jumlah_penduduk": np.floor(households * rng.uniform(3.2, 4.4, n)),
        "jumlah_kk": households,
        "panjang_jalan": road,
        "panjang_drainase": np.round(road * rng.uniform(0.0, 1.8, n), 1),
    }
    severity = rng.uniform(0.05, 0.9, n)
    for item in ruleset.criteria:
        denominator = columns[item.denominator]
        share = np.clip(severity + rng.normal(0, 0.2, n), 0, 1)
        decimals = 0 if item.denominator.startswith("jumlah") else 2
        columns[item.key] = np.minimum(np.round(denominator * share, decimals), denominator)
    kelurahan = rng.integers(0, KELURAHAN, n)
    years = 2019 + np.arange(n) % 5
    return RtTable(columns), kelurahan, years


def sort_grouping(values: np.ndarray) -> Groups:
    """The grouping before: distinct ids by sorting, renumbered in order of first appearance."""
    uniques, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    by_appearance = np.argsort(first, kind="stable")
    rank = np.empty_like(by_appearance)
    rank[by_appearance] = np.arange(len(by_appearance))
    return Groups(codes=rank[inverse], keys=[int(u) for u in uniques[by_appearance]])


def per_row_loop(table: RtTable, ruleset, rows: int) -> float:
    """The straightforward way: one row at a time, Decimal half-up rounding, Python comparisons."""
    data = {k: v[:rows].tolist() for k, v in table.columns.items()}
    bands = [(Decimal(b.min_hundredths) / 100, b.score) for b in ruleset.bands]
    start = time.perf_counter()
    for i in range(rows):
        total = 0
        for item in ruleset.criteria:
            volume, denominator = Decimal(repr(data[item.key][i])), Decimal(repr(data[item.denominator][i]))
            percent = (volume / denominator * 100) if denominator else Decimal(0)
            percent = percent.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            total += next((score for edge, score in bands if percent >= edge), ruleset.below_score)
        ruleset.classify(total)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_500_000)
    parser.add_argument("--sample", type=int, default=20_000)
    args = parser.parse_args()
    ruleset = load_ruleset("permen-pupr-14-2018")
    table, kelurahan, years = generate(args.rows, ruleset)
    rss_data = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    start = time.perf_counter()
    issues = validate_table(table, ruleset)
    validate_seconds = time.perf_counter() - start
    assert not issues, issues[:3]

    runs = []
    for _ in range(3):
        timings = {}
        start = time.perf_counter()
        result = assess(table, ruleset)
        timings["assess"] = time.perf_counter() - start
        start = time.perf_counter()
        groups = Groups.of_columns(kelurahan, years)
        timings["of which grouping (lookup table, no sort)"] = time.perf_counter() - start
        summed = aggregate(table, groups)
        by_kelurahan = assess(summed, ruleset)
        area = slum_area(table["luas"], result, groups)
        timings["aggregate to kelurahan + score + slum area"] = time.perf_counter() - start
        runs.append(timings)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    timings = {
        f"{name} (first run / median of 3)": (runs[0][name], sorted(r[name] for r in runs)[1])
        for name in runs[0]
    }
    totals = sorted(r["assess"] + r["aggregate to kelurahan + score + slum area"] for r in runs)
    sort_runs = []
    for _ in range(3):  # the grouping as it was: ids sorted (np.unique), the same groups
        start = time.perf_counter()
        by_sort = sort_grouping(kelurahan * 10_000 + years)
        sort_runs.append(time.perf_counter() - start)
    assert by_sort.codes.tolist() == groups.codes.tolist()
    sort_seconds = sorted(sort_runs)[1]
    engine = totals[1]
    loop = per_row_loop(table, ruleset, args.sample)
    loop_full = loop / args.sample * args.rows

    print(f"load average: {os.getloadavg()[0]:.1f} (2 cores)")
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"numpy {np.__version__}, one core"
    )
    print(
        f"rows: {args.rows:,} RT-year, ruleset {ruleset.id} ({len(ruleset.criteria)} criteria), "
        f"{len(groups):,} kelurahan-year groups"
    )
    print(f"  validate {validate_seconds:.3f} s")
    for name, (first, median) in timings.items():
        print(f"  {name:70s} {first:6.3f} / {median:6.3f} s")
    first_total = runs[0]["assess"] + runs[0]["aggregate to kelurahan + score + slum area"]
    grouping = sorted(r["of which grouping (lookup table, no sort)"] for r in runs)[1]
    print(
        f"  {'grouping by sorting the ids (before), median of 3':70s} {sort_seconds:6.3f} s"
        f" ({sort_seconds / grouping:.0f} x the lookup table)"
    )
    print(
        f"  {'score + aggregate, first run / median of 3 (target <= 0.4 s)':70s}"
        f" {first_total:6.3f} / {engine:6.3f} s"
    )
    print(
        f"  per-row loop on {args.sample:,} rows             {loop:7.3f} s -> {loop_full:7.1f} s for all rows"
    )
    print(f"  speed-up vs per-row loop (target >= 30x)      {loop_full / engine:7.0f} x")
    print(f"  peak RSS: {peak:,.0f} MB (of which input data in memory: {rss_data:,.0f} MB); target < 1024 MB")
    print(f"  classes: {dict(zip(*np.unique(result.class_codes(), return_counts=True), strict=True))}")
    print(
        f"  slum hectares (all groups): {area.slum.sum():,.0f}; kelurahan KB rows: "
        f"{int((by_kelurahan.class_codes() == 'KB').sum())}"
    )


if __name__ == "__main__":
    main()
