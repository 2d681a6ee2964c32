"""Benchmark: the heavy read-only pages with a province-sized data set.

The demo plus 20,000 generated RTs in 1,000 kelurahan of Jawa Tengah with two data rounds (about
41,000 RT records). For the province page, the portal home, a kab/kota page and the province map
layer: computed (every cache emptied before the request, as the first request after a change) and
cached (served from the cache kept per data version and visibility), side by side with their
queries and ratios to the sign-in page (bench/_pages.py). ``--rts 2000`` for a quick run.
Run: make bench. Results go into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from _pages import baseline_line, load_demo, measure_baseline, measure_page, page_line, setup_django

setup_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from nolkumuh.baseline.models import DataRound, RtRecord, Submission  # noqa: E402
from nolkumuh.baseline.scoring import new_record, ruleset_of, score_records  # noqa: E402
from nolkumuh.baseline.summaries import rebuild, refresh  # noqa: E402
from nolkumuh.exchange.synthetic import rt_header, rt_volumes  # noqa: E402
from nolkumuh.regions.models import Region, Rt, number_key  # noqa: E402

PER_KELURAHAN = 20


def generate(rts: int) -> None:
    """``rts`` generated RTs, 20 per kelurahan without demo RTs, with the 2022 and 2023 rounds."""
    rng = random.Random(1)
    kelurahan = list(
        Region.objects.filter(code__startswith="33.", level="kelurahan").exclude(rts__isnull=False)[
            : rts // PER_KELURAHAN
        ]
    )
    numbers = [(f"{n // 10 + 1:03d}", f"{n % 10 + 1:03d}") for n in range(PER_KELURAHAN)]
    rts = Rt.objects.bulk_create(
        Rt(kelurahan=k, rw=rw, rt=rt, rw_key=number_key(rw), rt_key=number_key(rt))
        for k in kelurahan
        for rw, rt in numbers
    )
    richest = ruleset_of("permen-pupr-02-2016")
    for rnd in DataRound.objects.filter(year__in=[2022, 2023]):
        ruleset = ruleset_of(rnd.ruleset_id)
        records = []
        for rt in rts:
            header = rt_header(rng)
            records.append(
                new_record(rnd, rt, header, rt_volumes(rng, header, richest, rng.uniform(0.1, 0.8)), ruleset)
            )
        score_records(records, ruleset)
        RtRecord.objects.bulk_create(records, batch_size=2000)
        Submission.objects.bulk_create(
            (Submission(kelurahan=k, round=rnd, status="approved") for k in kelurahan), ignore_conflicts=True
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rts", type=int, default=20_000, help="generated RTs (2000 for a quick run)")
    parser.add_argument("--runs", type=int, default=3, help="computed requests per page (median)")
    args = parser.parse_args()
    load_demo()
    generate(args.rts)
    started = time.perf_counter()
    rows = rebuild()  # the generated records were written around the services (ADR 0011)
    print(
        f"{RtRecord.objects.count():,} RT records; {rows:,} region summaries rebuilt"
        f" in {time.perf_counter() - started:.1f} s"
    )
    baseline = measure_baseline()
    print(baseline_line(baseline))
    one = RtRecord.objects.order_by("-id").values_list("rt__kelurahan__code", flat=True).first()
    times = []
    for _ in range(5):
        started = time.perf_counter()
        with transaction.atomic():
            refresh([one])  # what an approval or an RT save of one kelurahan adds (ADR 0011)
        times.append(time.perf_counter() - started)
    print(
        f"summaries of one kelurahan's chain ({one} up to Indonesia) refreshed:"
        f" {statistics.median(times) * 1000:.0f} ms"
    )
    client = Client()
    for name, url in (
        ("country page (Indonesia)", "/indonesia/"),
        ("province page (Jawa Tengah)", "/wilayah/33/"),
        ("portal home", "/"),
        ("kab/kota page (Kabupaten Cilacap)", "/wilayah/33.01/"),
        ("province map layer (kelurahan)", "/peta/33/lapisan.geojson?tingkat=kelurahan"),
    ):
        print(page_line(name, measure_page(client, url, computed_runs=args.runs, cached_runs=5), baseline))
    officer = Client()
    officer.force_login(get_user_model().objects.get(username="provinsi"))
    for name, url in (
        ("province dashboard (provinsi)", "/dasbor/33/"),
        ("province page (provinsi: with unapproved data)", "/wilayah/33/"),
    ):
        print(page_line(name, measure_page(officer, url, computed_runs=args.runs, cached_runs=5), baseline))


if __name__ == "__main__":
    main()
