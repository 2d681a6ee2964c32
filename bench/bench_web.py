"""Benchmark: page speed and import time of the web application (SQLite, server-side rendering).

The demo plus a generated city (Kota Tegal) of 500 RTs x 7 rounds. Measures the city profile, the
province page and the portal home, each computed (caches emptied) and cached, with query counts and
ratios to the sign-in page (bench/_pages.py), and a 5,000-row workbook import (dry run + confirm).
Run: make bench. Results go into docs/benchmarks.md.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

from _pages import baseline_line, load_demo, measure_baseline, measure_page, page_line, setup_django

setup_django()

from django.test import Client  # noqa: E402

from nolkumuh.baseline.imports import import_apply, import_plan  # noqa: E402
from nolkumuh.baseline.models import DataRound, RtRecord, Submission  # noqa: E402
from nolkumuh.baseline.scoring import new_record, ruleset_of, score_records  # noqa: E402
from nolkumuh.exchange.synthetic import Place, generate_rows, rt_header, rt_volumes  # noqa: E402
from nolkumuh.exchange.write import write_rows_xlsx  # noqa: E402
from nolkumuh.regions.models import Region  # noqa: E402
from nolkumuh.regions.services import rt_get_or_create  # noqa: E402

CITY = "33.76"  # Kota Tegal


def generated_city(rts: int = 500) -> None:
    rng = random.Random(5)
    kelurahan = list(Region.objects.filter(code__startswith=CITY + ".", level="kelurahan"))
    plans = []
    for n in range(rts):
        kel = kelurahan[n % len(kelurahan)]
        rt, _ = rt_get_or_create(kelurahan=kel, rw=f"{n // 40 + 1:03d}", rt=f"{n % 40 + 1:03d}")
        plans.append((rt, rt_header(rng), rng.uniform(0.2, 0.8)))
    richest = ruleset_of("permen-pupr-02-2016")
    for k, rnd in enumerate(DataRound.objects.order_by("year")):
        ruleset = ruleset_of(rnd.ruleset_id)
        records = []
        for rt, header, severity in plans:
            volumes = rt_volumes(rng, header, richest, max(0.0, severity - 0.07 * k))
            records.append(new_record(rnd, rt, header, volumes, ruleset))
        score_records(records, ruleset)
        RtRecord.objects.bulk_create(records)
        for kel in kelurahan:
            Submission.objects.get_or_create(kelurahan=kel, round=rnd, defaults={"status": "approved"})


def import_benchmark(rows: int = 5000) -> tuple[float, float]:
    from django.contrib.auth import get_user_model

    places = [
        Place(r.code, "Jawa Tengah", "Kota Pekalongan", r.parent.name, r.name)
        for r in Region.objects.filter(code__startswith="33.75.", level="kelurahan").select_related("parent")
    ]
    round_ = DataRound.objects.get(year=2023)
    data = generate_rows(
        places, ruleset=ruleset_of(round_.ruleset_id), years=[2023], rts_per_kelurahan=rows // len(places) + 1
    )
    # numbers of at most three digits (the format's bound): 900 RTs per RW, RW 050 onwards
    data = [
        {**r, "rt": f"{i % 900 + 1:03d}", "rw": f"{50 + i // 900:03d}", "kawasan": ""}
        for i, r in enumerate(data[:rows])
    ]
    path = Path(os.environ["NOLKUMUH_DATA_DIR"]) / "import.xlsx"
    write_rows_xlsx(path, data)
    Submission.objects.filter(kelurahan__code__startswith="33.75.", round=round_).update(status="draft")
    admin = get_user_model().objects.get(username="admin")
    start = time.perf_counter()
    plan = import_plan(user=admin, round=round_, path=path)
    dry = time.perf_counter() - start
    assert plan.ok, plan.issues[:3]
    start = time.perf_counter()
    import_apply(user=admin, plan=import_plan(user=admin, round=round_, path=path))
    return dry, time.perf_counter() - start


def main() -> None:
    start = time.perf_counter()
    load_demo()
    print(f"demo loaded in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    generated_city()
    city = RtRecord.objects.filter(rt__kelurahan__code__startswith=CITY).count()
    print(f"generated city: {city:,} RT records in {time.perf_counter() - start:.1f} s")
    print(f"all records: {RtRecord.objects.count():,}")
    baseline = measure_baseline()
    print(baseline_line(baseline))
    client = Client()
    for name, url in (
        ("city profile (Kota Tegal, 500 RT x 7 rounds)", f"/wilayah/{CITY}/"),
        ("province page (Jawa Tengah)", "/wilayah/33/"),
        ("home page (portal)", "/"),
    ):
        print(page_line(name, measure_page(client, url), baseline))
    dry, confirm = import_benchmark()
    print(
        f"  import 5,000-row workbook: dry run {dry:.1f} s + confirm {confirm:.1f} s = {dry + confirm:.1f} s"
    )


if __name__ == "__main__":
    main()
