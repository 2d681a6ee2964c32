"""Benchmark: the RT import (dry run, then confirm) at 5,000 and 50,000 rows.

A fresh database (SQLite unless DATABASE_URL) with a generated city of 100 kelurahan and a data
round; no demo. For each size a workbook of new RTs, in the upload folder as an upload is, is
checked (the dry run, ``import_plan``, which keeps its checked table beside the upload) and
confirmed (``import_plan`` again, which takes the kept table, and ``import_apply``, as the confirm
button does; reading and checking the file alone is timed too); then the same file with every
tenth row changed is imported again (updates and their audit entries), and once more unchanged
(nothing written). Each step's queries are counted.

The baseline, measured in the same run: saving records one at a time through the service the
record form uses (``rt_record_save``: RT created, record checked, saved and audited on its own).
The import's rows/s divided by the baseline's rows/s is the figure to compare between runs.
``--sizes 500 5000`` for a quick run. Run: ``.venv/bin/python bench/bench_import.py``.
Results go into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
import uuid
from pathlib import Path

from _pages import setup_django

setup_django("nolkumuh-bench-import-")

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from nolkumuh.baseline.imports import import_apply, import_plan  # noqa: E402
from nolkumuh.baseline.models import DataRound, RtRecord, Submission  # noqa: E402
from nolkumuh.baseline.scoring import ruleset_of  # noqa: E402
from nolkumuh.baseline.services import rt_record_save  # noqa: E402
from nolkumuh.core.downloads import upload_folder  # noqa: E402
from nolkumuh.core.models import AuditEntry  # noqa: E402
from nolkumuh.exchange import read_rt_file  # noqa: E402
from nolkumuh.exchange.synthetic import Place, generate_rows  # noqa: E402
from nolkumuh.exchange.write import write_rows_xlsx  # noqa: E402
from nolkumuh.regions.models import Region, Rt  # noqa: E402
from nolkumuh.regions.services import rt_get_or_create  # noqa: E402
from nolkumuh.scoring import HEADER_FIELDS  # noqa: E402

KELURAHAN = 100
YEAR = 2024


def city() -> list[Place]:
    """Jawa Tengah > Kota Uji (33.99) > 10 kecamatan > 100 kelurahan."""
    province = Region.objects.create(code="33", name="Jawa Tengah", level="provinsi", kind="provinsi")
    kota = Region.objects.create(code="33.99", name="Kota Uji", level="kabkota", parent=province, kind="kota")
    places = []
    for k in range(KELURAHAN // 10):
        kec = Region.objects.create(
            code=f"33.99.{k + 1:02d}", name=f"Kecamatan {k + 1}", level="kecamatan", parent=kota
        )
        for n in range(10):
            kel = Region.objects.create(
                code=f"{kec.code}.{1001 + n}",
                name=f"Kelurahan {k + 1}-{n + 1}",
                level="kelurahan",
                parent=kec,
            )
            places.append(Place(kel.code, province.name, kota.name, kec.name, kel.name))
    return places


def rows_for(places: list[Place], count: int) -> list[dict[str, object]]:
    """``count`` rows over the kelurahan, RW 001-005 x RT 001-100 each (at most 500 a kelurahan)."""
    per = -(-count // len(places))
    data = generate_rows(
        places, ruleset=ruleset_of("permen-pupr-14-2018"), years=[YEAR], rts_per_kelurahan=per
    )
    return [
        {**row, "rw": f"{i % per // 100 + 1:03d}", "rt": f"{i % per % 100 + 1:03d}", "kawasan": ""}
        for i, row in enumerate(data[:count])
    ]


def cpu() -> float:
    """CPU seconds of this process and of its finished children (the file guard's reader)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed_import(user, round_, path: Path) -> tuple[float, float, float, float, int, dict[str, int]]:  # type: ignore[no-untyped-def]
    """Seconds (wall clock, then CPU) of the dry run and of the confirmation, the confirmation's
    queries, the counts."""
    start, used = time.perf_counter(), cpu()
    plan = import_plan(user=user, round=round_, path=path)
    dry, dry_cpu = time.perf_counter() - start, cpu() - used
    assert plan.ok, [i.line() for i in plan.issues[:3]]
    start, used = time.perf_counter(), cpu()
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        counts = import_apply(user=user, plan=import_plan(user=user, round=round_, path=path))
    return dry, time.perf_counter() - start, dry_cpu, cpu() - used, len(queries), counts


def reset() -> None:
    AuditEntry.objects.all().delete()
    RtRecord.objects.all().delete()
    Rt.objects.all().delete()
    Submission.objects.all().delete()


def baseline(user, round_, places: list[Place], count: int) -> float:  # type: ignore[no-untyped-def]
    """Rows/s of saving records one at a time through the record form's service."""
    rows = rows_for(places, count)
    keys = ruleset_of(round_.ruleset_id).keys
    kelurahan = {r.code: r for r in Region.objects.filter(level="kelurahan")}
    start = time.perf_counter()
    for row in rows:
        rt, _ = rt_get_or_create(
            kelurahan=kelurahan[str(row["kode_kelurahan"])], rw=row["rw"], rt=row["rt"], user=user
        )
        values = {f: str(row[f]) for f in HEADER_FIELDS} | {k: str(row[f"v_{k}"]) for k in keys}
        rt_record_save(user=user, round=round_, rt=rt, values=values)
    seconds = time.perf_counter() - start
    reset()
    return count / seconds


def changed(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Every tenth row with another building count."""
    return [
        {**r, "jumlah_bangunan": int(r["jumlah_bangunan"]) + 1} if i % 10 == 0 else r  # type: ignore[call-overload]
        for i, r in enumerate(rows)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 50000])
    parser.add_argument("--baseline-rows", type=int, default=300)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    places = city()
    user = get_user_model().objects.create_superuser("admin", password="bench-admin-123")
    round_ = DataRound.objects.create(year=YEAR, ruleset_id="permen-pupr-14-2018", name="Data 2024")
    print(f"database: {connection.vendor}, load average {os.getloadavg()[0]:.1f}")
    per_row = baseline(user, round_, places, args.baseline_rows)
    print(
        f"  baseline: {args.baseline_rows} records saved one by one (rt_record_save): {per_row:,.0f} rows/s"
    )
    folder = upload_folder()
    for size in args.sizes:
        rows = rows_for(places, size)
        new, edited = folder / f"new-{size}.xlsx", folder / f"changed-{size}.xlsx"
        write_rows_xlsx(new, rows)
        write_rows_xlsx(edited, changed(rows))
        start = time.perf_counter()
        read_rt_file(new, ruleset=round_.ruleset_id)
        print(
            f"  {size:>6,} rows: reading and checking the workbook alone {time.perf_counter() - start:.1f} s"
        )
        for name, source in (("new RTs", new), ("10% changed", edited), ("unchanged", edited)):
            path = folder / f"{uuid.uuid4().hex}.xlsx"  # each import a new upload, as in the web
            shutil.copyfile(source, path)
            dry, confirm, dry_cpu, confirm_cpu, queries, counts = timed_import(user, round_, path)
            total = dry + confirm
            rate = size / total
            print(
                f"  {size:>6,} rows, {name:11s}: dry run {dry:5.1f} s + confirm {confirm:5.1f} s"
                f" = {total:5.1f} s, {queries:3d} queries, {rate:7,.0f} rows/s, x{rate / per_row:.0f}"
                f" (CPU {dry_cpu:.1f} + {confirm_cpu:.1f} s)  {counts}"
            )
        reset()


if __name__ == "__main__":
    main()
