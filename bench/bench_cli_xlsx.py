"""Benchmark: read a 200,000-row XLSX and score it end to end through `nolkumuh score`.

Writes the workbook once to bench/out/ (not committed), then times the command writing CSV and
XLSX, per RT and aggregated to kelurahan. Run: make bench. Results go into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from nolkumuh.exchange.synthetic import Place, generate_rows
from nolkumuh.exchange.write import write_rows_xlsx
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


def timed(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "nolkumuh"), *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    source = OUT / f"rt_{args.rows}.xlsx"
    if not source.exists():
        make_workbook(source, args.rows)
    size = source.stat().st_size / 1e6
    print(f"input: {source.name}, {args.rows:,} rows x 31 columns, {size:.1f} MB")
    for output, level in (("out.csv", "rt"), ("out.xlsx", "rt"), ("kel.csv", "kelurahan")):
        seconds = timed("score", str(source), "-o", str(OUT / output), "--level", level)
        print(
            f"  nolkumuh score -> {output:9s} --level {level:9s} {seconds:6.1f} s"
            f" ({args.rows / seconds:,.0f} rows/s)"
        )


if __name__ == "__main__":
    main()
