"""Benchmark: what the file guard costs on a large, honest spreadsheet.

Times, on the same workbook in the same run: reading it in-process without the guard (the
baseline), the guard's checks alone (kind, archive, every sheet reference scanned), and the guarded
read (checks + parsing in a child process + the rows passed back). Also the time to refuse the
5 KB sparse-corner workbook. Results go into docs/benchmarks.md.
Run: .venv/bin/python bench/bench_guard.py [--rows 200000] [--repeat 3]; to compare with an older
version of the code in the same conditions, run it again with PYTHONPATH pointing at that
version's src/ (the guard's child inherits it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_cli_xlsx import OUT, make_workbook
from nolkumuh.exchange.read import read_sheet, read_sheet_unguarded
from nolkumuh.guard import check_file
from nolkumuh.scoring.issues import InvalidInput


def median_seconds(work: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def refuse(path: Path) -> None:
    try:
        read_sheet(path)
    except InvalidInput:
        return
    raise AssertionError("the sparse corner was not refused")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    source = OUT / f"rt_{args.rows}.xlsx"
    if not source.exists():
        make_workbook(source, args.rows)
    size = source.stat().st_size / 1e6
    print(f"input: {source.name}, {args.rows:,} rows, {size:.1f} MB; load {os.getloadavg()[0]:.1f}")
    base = median_seconds(lambda: read_sheet_unguarded(source), args.repeat)
    checks = median_seconds(lambda: check_file(source, kinds={"xlsx"}), args.repeat)
    guarded = median_seconds(lambda: read_sheet(source), args.repeat)
    print(f"  read in-process, no guard (baseline)  {base:6.2f} s   1.00x")
    print(f"  guard checks alone                    {checks:6.2f} s   {checks / base:.2f}x")
    print(f"  guarded read (checks + child + rows)  {guarded:6.2f} s   {guarded / base:.2f}x")
    import xlsxwriter

    with tempfile.TemporaryDirectory() as folder:
        corner = Path(folder) / "sudut.xlsx"
        book = xlsxwriter.Workbook(str(corner))
        sheet = book.add_worksheet("rt")
        sheet.write(0, 0, "tahun")
        sheet.write(1048575, 16383, 1)
        book.close()
        refused = median_seconds(lambda: refuse(corner), args.repeat)
    print(f"  sparse-corner workbook refused        {refused * 1000:6.1f} ms (it used to abort the process)")
    print(f"load average after: {os.getloadavg()[0]:.1f} (2 cores)")


if __name__ == "__main__":
    main()
