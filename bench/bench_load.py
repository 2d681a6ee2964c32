"""Benchmark: concurrent clients against the real server (issue 14, item 4).

Starts ``nolkumuh serve`` (waitress, 8 threads, no worker) on a data folder that holds a data set
(the national one of ``bench/bench_national.py``, or any site), then runs ``--clients`` threads for
``--seconds``, each requesting pages of a mix in turn: the country, a province, a kab/kota, a
kecamatan and a kelurahan profile and the province's kelurahan map layer. It reports requests per
second, the median and the 95th percentile of the response times, and the errors, beside the same
clients on the sign-in page (the baseline, no data) in the same run. The caches are emptied before
each part, so the first request of each page computes it.

    .venv/bin/python bench/bench_load.py --data-dir /tmp/nat --clients 10 --seconds 60
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_load.py --data-dir /tmp/any --clients 10

Results go into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def some_kelurahan(data_dir: str) -> str:
    """A kelurahan with data, to build the mix of pages (SQLite: read directly; else given)."""
    if os.environ.get("BENCH_KELURAHAN"):
        return os.environ["BENCH_KELURAHAN"]
    with sqlite3.connect(os.path.join(data_dir, "nolkumuh.sqlite3")) as db:
        row = db.execute(
            "SELECT code FROM baseline_regionsummary WHERE depth = 4 ORDER BY n_rt DESC LIMIT 1"
        ).fetchone()
    return row[0]


def run(base: str, paths: list[str], clients: int, seconds: float) -> tuple[list[float], int]:
    """``clients`` threads requesting ``paths`` in turn for ``seconds``: response times, errors."""
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(offset: int) -> None:
        i = offset
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(base + paths[i % len(paths)], timeout=120) as response:
                    response.read()
                    ok = response.status == 200
            except (urllib.error.URLError, OSError):
                ok = False
            with lock:
                times.append(time.perf_counter() - started)
                errors[0] += not ok
            i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, errors[0]


def line(name: str, times: list[float], errors: int, seconds: float) -> str:
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
    return (
        f"  {name:34s} {len(times) / seconds:7.1f} req/s  median {statistics.median(times) * 1000:7.1f} ms"
        f"  p95 {p95 * 1000:7.1f} ms  errors {errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True, help="the data folder of the site to load")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    kelurahan = some_kelurahan(args.data_dir)
    province, kabkota, kecamatan = kelurahan[:2], kelurahan[:5], kelurahan[:8]
    mix = [
        "/indonesia/",
        f"/wilayah/{province}/",
        f"/wilayah/{kabkota}/",
        f"/wilayah/{kecamatan}/",
        f"/wilayah/{kelurahan}/",
        f"/peta/{province}/lapisan.geojson?tingkat=kelurahan",
        "/peta/indonesia/lapisan.geojson?tingkat=kelurahan",
    ]
    port = free_port()
    env = {
        **os.environ,
        "NOLKUMUH_DEMO": "1",
        "NOLKUMUH_DATA_DIR": args.data_dir,
        "NOLKUMUH_ALLOWED_HOSTS": "127.0.0.1",
    }
    for folder in ("cache", "counters"):  # computed first: nothing from an earlier run
        shutil.rmtree(os.path.join(args.data_dir, folder), ignore_errors=True)
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/nolkumuh"), "serve", "--port", str(port), "--no-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/akun/masuk/", timeout=5).read()
                break
            except (urllib.error.URLError, OSError):
                time.sleep(1)
        else:
            sys.exit("the server did not start")
        print(f"{args.clients} clients for {args.seconds:.0f} s each, kelurahan {kelurahan}")
        times, errors = run(base, ["/akun/masuk/"], args.clients, args.seconds / 4)
        print(line("baseline: sign-in page", times, errors, args.seconds / 4))
        times, errors = run(base, mix, args.clients, args.seconds)
        print(line(f"mix of {len(mix)} pages (country..kelurahan, maps)", times, errors, args.seconds))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
