"""A demo memorandum program for Kota Semarang, so the planning pages look alive (idempotent)."""

from __future__ import annotations

import random
from decimal import Decimal

from nolkumuh.baseline.models import DataRound, RtRecord
from nolkumuh.planmath.activities import default_activities
from nolkumuh.planning.models import Plan, PlanLine, UnitCost
from nolkumuh.regions.models import Region

SOURCES = ["apbn", "apbd_provinsi", "apbd_kabkota", "dana_desa", "csr", "swadaya"]


def demo_plan() -> int:
    city = Region.objects.filter(code="33.74").first()
    base = DataRound.objects.order_by("-year").first()
    if city is None or base is None or Plan.objects.filter(region=city).exists():
        return 0
    plan = Plan.objects.create(
        region=city,
        kind="memorandum",
        title="Memorandum Program Kota Semarang 2024–2026",
        start_year=2024,
        end_year=2026,
        base_round=base,
    )
    activities = default_activities()
    rng = random.Random(11)
    records = list(
        RtRecord.objects.filter(round=base, rt__kelurahan__code__startswith="33.74.").select_related("rt")
    )
    lines = []
    for record in records:
        for key, volume in record.volumes.items():
            if float(volume) <= 0 or rng.random() > 0.25:
                continue
            options = [a for a in activities.values() if key in a.handles]
            if not options:
                continue
            activity = rng.choice(options)
            amount = float(volume) / activity.handles[key]
            amount = max(1, round(amount)) if activity.integer else max(0.1, round(amount, 1))
            lines.append(
                PlanLine(
                    plan=plan,
                    rt=record.rt,
                    activity=activity.key,
                    volume=Decimal(str(amount)),
                    unit_cost=Decimal(str(activity.unit_cost)),
                    source=rng.choice(SOURCES),
                    agency="Dinas Perkim Kota Semarang",
                    year=rng.choice([2024, 2025, 2026]),
                    status=rng.choice(["proposed", "agreed", "funded"]),
                )
            )
    PlanLine.objects.bulk_create(lines)
    demo_unit_costs(city)
    return len(lines)


def demo_unit_costs(city: Region) -> None:
    """Two example unit costs of Kota Semarang from 2025 (estimates, as the page says)."""
    note = "contoh demo: perkiraan harga setempat"
    for key, cost in (("sambungan_air", "2750000"), ("apar", "1650000")):
        UnitCost.objects.get_or_create(
            region=city, year=2025, activity=key, defaults={"unit_cost": Decimal(cost), "note": note}
        )
