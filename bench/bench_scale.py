"""Benchmark: the heavy read-only pages with a province-sized data set.

The demo plus 20,000 generated RTs in 1,000 kelurahan of Jawa Tengah with two data rounds (about
41,000 RT records). For the province page, the portal home, a kab/kota page and the province map
layer: the first request after a change (computed from every RT record below the region) and the
median of later requests (served from the cache, keyed by the data version and the viewer's
visibility). Run: make bench. Results go into docs/benchmarks.md.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time

os.environ.setdefault("NOLKUMUH_DEMO", "1")
os.environ["NOLKUMUH_DATA_DIR"] = tempfile.mkdtemp(prefix="nolkumuh-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nolkumuh.site.settings")
os.environ["NOLKUMUH_ALLOWED_HOSTS"] = "testserver"

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from nolkumuh.baseline.models import DataRound, RtRecord, Submission  # noqa: E402
from nolkumuh.baseline.scoring import new_record, ruleset_of, score_records  # noqa: E402
from nolkumuh.demo import demo_load  # noqa: E402
from nolkumuh.exchange.synthetic import rt_header, rt_volumes  # noqa: E402
from nolkumuh.regions.models import Region, Rt, number_key  # noqa: E402

RTS = 20_000
PER_KELURAHAN = 20


def generate() -> None:
    rng = random.Random(1)
    kelurahan = list(
        Region.objects.filter(code__startswith="33.", level="kelurahan").exclude(rts__isnull=False)[
            : RTS // PER_KELURAHAN
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
    call_command("migrate", verbosity=0)
    demo_load()
    generate()
    print(f"{RtRecord.objects.count():,} RT records")
    client = Client()
    for name, url in (
        ("province page (Jawa Tengah)", "/wilayah/33/"),
        ("portal home", "/"),
        ("kab/kota page (Kabupaten Cilacap)", "/wilayah/33.01/"),
        ("province map layer (kelurahan)", "/peta/33/lapisan.geojson?tingkat=kelurahan"),
    ):
        cache.clear()
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        first = time.perf_counter() - start
        times = []
        for _i in range(5):
            start = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - start)
        cached = statistics.median(times)
        print(
            f"  {name:36s} computed {first * 1000:6.0f} ms,"
            f" cached {cached * 1000:5.0f} ms (x{first / cached:.0f})"
        )


if __name__ == "__main__":
    main()
