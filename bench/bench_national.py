"""Benchmark: the pages above the kelurahan on the national data set (issue 14, ADR 0011).

Builds (or reuses, with ``--data-dir``) the national data set of ``nolkumuh dataset national``:
by default 300,000 RTs × 5 rounds = 1.5 M records over the real kelurahan of every province. Then,
for the country, a province, a kab/kota, a kecamatan and a kelurahan, the public profile, the
dashboard (as an administrator) and the kelurahan map layer of the province and of the country:
computed (caches emptied) and cached, with queries and ratios to the sign-in page
(bench/_pages.py). It also times a full ``summaries rebuild`` and the refresh of one kelurahan's
chain (what an approval adds).

    .venv/bin/python bench/bench_national.py --rts 300000            # SQLite, builds the data set
    .venv/bin/python bench/bench_national.py --data-dir /tmp/nat     # reuse a data folder
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_national.py --reuse   # PostgreSQL
    .venv/bin/python bench/bench_national.py --rts 20000 --province 33 --runs 1     # quick

Results go into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import time

parser = argparse.ArgumentParser()
parser.add_argument("--rts", type=int, default=300_000, help="RTs of the data set (5 rounds each)")
parser.add_argument("--province", default=None, help="only this province (quick runs)")
parser.add_argument("--data-dir", default=None, help="a data folder that holds the data set already")
parser.add_argument("--reuse", action="store_true", help="the database (DATABASE_URL) holds it already")
parser.add_argument("--runs", type=int, default=3, help="computed requests per page (median)")
parser.add_argument("--skip-rebuild", action="store_true", help="do not time a full rebuild")
args = parser.parse_args()

from _pages import baseline_line, measure_baseline, measure_page, page_line, setup_django  # noqa: E402

setup_django("nolkumuh-bench-national-", data_dir=args.data_dir)

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from nolkumuh.baseline.models import RegionSummary, RtRecord  # noqa: E402
from nolkumuh.baseline.national import dataset_national  # noqa: E402
from nolkumuh.baseline.summaries import rebuild, refresh  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)  # builds the summaries of a data set made before them
    if not (args.data_dir or args.reuse):
        started = time.perf_counter()
        dataset_national(seed=1, rts=args.rts, rounds=5, province=args.province, report=lambda _m: None)
        print(f"data set written in {time.perf_counter() - started:.0f} s")
    records = RtRecord.objects.count()
    print(f"{records:,} RT records, {RegionSummary.objects.count():,} region summaries")
    if not args.skip_rebuild:
        started = time.perf_counter()
        rows = rebuild()
        print(
            f"summaries rebuild (all {rows:,} rows from the records): {time.perf_counter() - started:.1f} s"
        )
    kelurahan = RtRecord.objects.order_by("-id").values_list("rt__kelurahan__code", flat=True).first()
    times = []
    for _ in range(5):
        started = time.perf_counter()
        with transaction.atomic():
            refresh([kelurahan])
        times.append(time.perf_counter() - started)
    print(
        f"refresh of one kelurahan's chain ({kelurahan} up to Indonesia):"
        f" {statistics.median(times) * 1000:.0f} ms"
    )
    province, kabkota, kecamatan = kelurahan[:2], kelurahan[:5], kelurahan[:8]
    baseline = measure_baseline()
    print(baseline_line(baseline))
    public = Client()
    pages = [
        ("country page (Indonesia)", "/indonesia/"),
        ("portal home", "/"),
        (f"province page ({province})", f"/wilayah/{province}/"),
        (f"kab/kota page ({kabkota})", f"/wilayah/{kabkota}/"),
        (f"kecamatan page ({kecamatan})", f"/wilayah/{kecamatan}/"),
        (f"kelurahan page ({kelurahan})", f"/wilayah/{kelurahan}/"),
        (
            f"province map layer ({province}, kelurahan)",
            f"/peta/{province}/lapisan.geojson?tingkat=kelurahan",
        ),
        ("country map layer (kelurahan)", "/peta/indonesia/lapisan.geojson?tingkat=kelurahan"),
    ]
    for name, url in pages:
        # the map layers as a browser asks for them: gzip accepted (the layer is kept compressed)
        headers = {"HTTP_ACCEPT_ENCODING": "gzip, deflate"} if "geojson" in url else {}
        page = measure_page(public, url, computed_runs=args.runs, cached_runs=5, **headers)
        print(page_line(name, page, baseline))
    admin, _created = get_user_model().objects.get_or_create(username="bench-admin", is_superuser=True)
    officer = Client()
    officer.force_login(admin)
    for code in ("", province, kabkota, kelurahan):
        url = f"/dasbor/{code}/" if code else "/dasbor/"
        page = measure_page(officer, url, computed_runs=args.runs, cached_runs=5)
        print(page_line(f"dashboard ({code or 'Indonesia'}, administrator)", page, baseline))


if __name__ == "__main__":
    main()
