"""The demo's data rounds: kawasan and RTs in five cities/regencies of Jawa Tengah, a 2017 baseline
and yearly rounds to 2023 that improve. Deterministic and idempotent; `nolkumuh.demo` runs it
after the region tree and the users, and before the other apps' demo data."""

from __future__ import annotations

import random

from nolkumuh.baseline import summaries
from nolkumuh.baseline.models import DataRound, RtRecord, Submission
from nolkumuh.baseline.scoring import new_record, ruleset_of, score_records
from nolkumuh.core.services import audit_record
from nolkumuh.exchange.synthetic import rt_header, rt_volumes
from nolkumuh.regions.models import Kawasan, Region
from nolkumuh.regions.services import rt_get_or_create

# kab/kota code -> number of program kelurahan in the demo
CITIES = {"33.74": 6, "33.72": 4, "33.75": 4, "33.21": 3, "33.24": 3}
RTS_PER_KELURAHAN = 8
ROUNDS = [(2017, "permen-pupr-02-2016", True)] + [
    (y, "permen-pupr-14-2018", False) for y in range(2018, 2024)
]
LAST_YEAR = ROUNDS[-1][0]
LAST_ROUND_STATUS = {"33.74.02.1001": "draft", "33.74.03.1001": "submitted"}


def _program_kelurahan() -> list[Region]:
    chosen: list[Region] = []
    for city, count in CITIES.items():
        kelurahan = Region.objects.filter(code__startswith=city + ".", level=Region.Level.KELURAHAN).order_by(
            "code"
        )
        if city == "33.74":
            first = list(kelurahan.filter(code__in=["33.74.02.1001", "33.74.03.1001"]))
            rest = [k for k in kelurahan if k not in first]
            chosen += first + rest[:: max(1, len(rest) // (count - len(first)))][: count - len(first)]
        else:
            items = list(kelurahan)
            chosen += items[:: max(1, len(items) // count)][:count]
    return chosen


def demo_rounds() -> int:
    """The rounds 2017-2023, the program kelurahan's kawasan and RTs, and every round's scored
    records with their submissions (the latest round still being worked on); the number of records
    created (0 when they exist already)."""
    rounds = []
    for year, ruleset_id, baseline in ROUNDS:
        rnd, _ = DataRound.objects.get_or_create(
            year=year, defaults={"ruleset_id": ruleset_id, "is_baseline": baseline, "name": f"Data {year}"}
        )
        rounds.append(rnd)
    if RtRecord.objects.exists():
        return 0
    rng = random.Random(2017)
    richest = ruleset_of("permen-pupr-02-2016")
    plans = []
    for kelurahan in _program_kelurahan():
        city = kelurahan.parent.parent
        kawasan, _ = Kawasan.objects.get_or_create(
            kabkota=city,
            name=f"Kawasan {kelurahan.name}",
            defaults={
                "sk_number": f"650/{city.code.replace('.', '')}/2016",
                "sk_year": 2016,
                "typology": rng.choice(["dataran rendah", "di tepi air", "perbukitan"]),
            },
        )
        kawasan.kelurahan.add(kelurahan)
        for n in range(RTS_PER_KELURAHAN):
            rt, _ = rt_get_or_create(
                kelurahan=kelurahan,
                rw=f"{n // 4 + 1:03d}",
                rt=f"{n % 4 + 1:03d}",
                kawasan=kawasan if n < 6 else None,
            )
            header = rt_header(rng)
            plans.append((rt, header, rng.uniform(0.15, 0.85), rng.uniform(0.03, 0.1)))
    created = 0
    for k, rnd in enumerate(rounds):
        ruleset = ruleset_of(rnd.ruleset_id)
        records = []
        for rt, header, severity, pace in plans:
            volumes = rt_volumes(rng, header, richest, max(0.0, severity - pace * k))
            records.append(new_record(rnd, rt, header, volumes, ruleset))
        score_records(records, ruleset)
        RtRecord.objects.bulk_create(records)
        created += len(records)
        program = sorted({rt.kelurahan for rt, *_ in plans}, key=lambda r: r.code)
        for i, kelurahan in enumerate(program):
            status = Submission.Status.APPROVED
            if rnd.year == LAST_YEAR:
                # the latest round is still being worked on: some drafts, some waiting for review;
                # the demo fasilitator's kelurahan is a draft, the second one awaits the askot
                rotation = [Submission.Status.DRAFT, Submission.Status.SUBMITTED, Submission.Status.APPROVED]
                status = LAST_ROUND_STATUS.get(kelurahan.code, rotation[i % 3])
            Submission.objects.get_or_create(kelurahan=kelurahan, round=rnd, defaults={"status": status})
    summaries.refresh(rt.kelurahan.code for rt, *_ in plans)
    audit_record(
        user=None, action="demo_load", object_type="demo", object_id="jateng", summary=f"{created} RT records"
    )
    return created
