"""Benchmark: read a 200,000-row XLSX, check it, score it and write CSV and XLSX, stage by stage
against the cell-by-cell paths in the same run (as ratios), then end to end through `nolkumuh score`.

Writes the workbook once to bench/out/ (not committed). Stages, each timed in this process:
- read: the columnar reader (fastexcel into arrays) vs the cell-by-cell reader (python-calamine);
  and the columnar read through the file guard's child process, as `nolkumuh score` reads;
- check (parse_sheet) and score (per RT);
- CSV: the writer by columns vs a simple baseline, the csv module cell by cell (as it was);
- XLSX: the rows as XML by columns vs xlsxwriter cell by cell (`write_xlsx(by_cell=True)`), the
  baseline on `--baseline-rows` rows and scaled to all rows.
Run: make bench (or .venv/bin/python bench/bench_cli_xlsx.py [--rows N] [--no-cell-baselines]).
To compare with an older version of the code in the same sitting, run it again with PYTHONPATH
pointing at that version's src/ (the guard's child and the `nolkumuh` command inherit it).
Results go into docs/benchmarks.md by hand.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from nolkumuh.exchange import parse_sheet, score_input
from nolkumuh.exchange.formula import guard_cell
from nolkumuh.exchange.output import OutputTable
from nolkumuh.exchange.read import read_sheet, read_xlsx
from nolkumuh.exchange.synthetic import Place, generate_rows
from nolkumuh.exchange.write import format_hundredths, format_number, write_csv, write_rows_xlsx, write_xlsx
from nolkumuh.guard import check_file
from nolkumuh.scoring import load_ruleset

OUT = Path(__file__).resolve().parent / "out"


def make_workbook(path: Path, rows: int) -> None:
    ruleset = load_ruleset("permen-pupr-14-2018")
    per_kelurahan = 20
    places = [
        Place(
            f"33.74.{k // 200 + 1:02d}.{1001 + k % 200}",
            "Jawa Tengah",
            "Kota Semarang",
            f"Kec {k // 200}",
            f"Kel {k}",
        )
        for k in range(rows // per_kelurahan)
    ]
    data = generate_rows(places, ruleset=ruleset, years=[2023], rts_per_kelurahan=per_kelurahan, seed=3)
    write_rows_xlsx(path, data)


def csv_by_cell(path: Path, table: OutputTable) -> None:
    """The baseline: every cell formatted and guarded alone, rows through the csv module."""

    def text(kind: str, value: Any) -> str:
        if kind == "hundredths":
            return format_hundredths(value)
        if kind == "int":
            return str(int(value)) if value == value else ""
        if kind == "number" or isinstance(value, float):
            return format_number(value)
        return value if isinstance(value, str) else str(value)

    columns = [(c.kind, c.raw if c.raw is not None else c.values) for c in table.columns]
    texts = [[guard_cell(text(kind, v)) for v in np.asarray(values).tolist()] for kind, values in columns]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([guard_cell(c.name) for c in table.columns])
        writer.writerows(zip(*texts, strict=True))


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def head(table: OutputTable, rows: int) -> OutputTable:
    """The first ``rows`` rows of a table."""
    columns = []
    for c in table.columns:
        raw = c.raw[:rows] if c.raw is not None else None
        columns.append(type(c)(c.name, c.values[:rows], c.kind, raw))
    return OutputTable(columns, table.sheet_name)


def command(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "nolkumuh"), *args], check=True, capture_output=True)
    return time.perf_counter() - start


def stages(source: Path, rows: int, baseline_rows: int, cell_baselines: bool = True) -> None:
    fast_read, sheet = timed(lambda: read_xlsx(source))
    slow_read, _ = timed(lambda: read_xlsx(source, columnar=False)) if cell_baselines else (0.0, None)
    guarded_read, _ = timed(lambda: read_sheet(source))
    guard_check, _ = timed(lambda: check_file(source, kinds={"xlsx"}))
    check, data = timed(lambda: parse_sheet(sheet))
    score, table = timed(lambda: score_input(data))
    fast_csv, _ = timed(lambda: write_csv(OUT / "stage.csv", table))
    fast_xlsx, _ = timed(lambda: write_xlsx(OUT / "stage.xlsx", table))
    cells = rows * len(table.columns)
    print(f"stages ({rows:,} rows, output {len(table.columns)} columns = {cells:,} cells):")
    ratio = slow_read / fast_read
    against = f"  vs cell by cell {slow_read:7.2f} s  ({ratio:4.1f} x)" if cell_baselines else ""
    print(f"  read by columns (fastexcel)        {fast_read:7.2f} s{against}")
    print(f"  read by columns in the guard child {guarded_read:7.2f} s  (what `nolkumuh score` does)")
    print(f"    the file guard's check alone     {guard_check:7.2f} s  (cell references scanned, ADR 0007)")
    print(f"  check (parse_sheet)                {check:7.2f} s")
    print(f"  score per RT                       {score:7.2f} s")
    if not cell_baselines:
        print(f"  write CSV by columns               {fast_csv:7.2f} s")
        print(f"  write XLSX rows as XML             {fast_xlsx:7.2f} s")
        return
    slow_csv, _ = timed(lambda: csv_by_cell(OUT / "baseline.csv", table))
    same = (OUT / "stage.csv").read_bytes() == (OUT / "baseline.csv").read_bytes()
    part = head(table, baseline_rows)
    slow_part, _ = timed(lambda: write_xlsx(OUT / "baseline.xlsx", part, by_cell=True))
    slow_xlsx = slow_part * rows / baseline_rows
    print(
        f"  write CSV by columns               {fast_csv:7.2f} s  vs csv module per cell {slow_csv:7.2f} s"
        f"  ({slow_csv / fast_csv:4.1f} x; same bytes: {same})"
    )
    print(
        f"  write XLSX rows as XML             {fast_xlsx:7.2f} s  vs xlsxwriter per cell {slow_xlsx:7.1f} s"
        f"  ({slow_xlsx / fast_xlsx:4.1f} x; baseline on {baseline_rows:,} rows: {slow_part:.2f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--baseline-rows", type=int, default=20_000)
    parser.add_argument(
        "--no-cell-baselines",
        action="store_true",
        help="skip the cell-by-cell baselines (to compare two versions of the code in one sitting)",
    )
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    source = OUT / f"rt_{args.rows}.xlsx"
    if not source.exists():
        make_workbook(source, args.rows)
    size = source.stat().st_size / 1e6
    print(
        f"input: {source.name}, {args.rows:,} rows x 31 columns, {size:.1f} MB; load {os.getloadavg()[0]:.1f}"
    )
    stages(source, args.rows, min(args.baseline_rows, args.rows), not args.no_cell_baselines)
    print("end to end (`nolkumuh score`, a new process each):")
    for output, level in (("out.csv", "rt"), ("out.xlsx", "rt"), ("kel.csv", "kelurahan")):
        seconds = command("score", str(source), "-o", str(OUT / output), "--level", level)
        print(
            f"  nolkumuh score -> {output:9s} --level {level:9s} {seconds:6.1f} s"
            f" ({args.rows / seconds:,.0f} rows/s)"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f} (2 cores)")


if __name__ == "__main__":
    main()
