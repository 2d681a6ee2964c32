"""Benchmark: the province dashboard with the demo plus 2,000 generated construction activities
(with weekly reports) and 500 KPPs (with assessments), computed (caches emptied) and cached, with
queries, beside the province's profile page, both as ratios to the sign-in page measured in the same
run (bench/_pages.py); KPI computation for every region of the province that has data.

Run: make bench. Results go into docs/benchmarks.md.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from decimal import Decimal

from _pages import baseline_line, load_demo, measure_baseline, measure_page, page_line, setup_django

setup_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from nolkumuh.baseline.models import RtRecord  # noqa: E402
from nolkumuh.monitoring.kpi import kpi_status  # noqa: E402
from nolkumuh.monitoring.models import Activity, Kpp, KppAssessment, WeeklyReport  # noqa: E402
from nolkumuh.monitoring.scurve import default_plan  # noqa: E402
from nolkumuh.planning.models import Plan, PlanLine  # noqa: E402
from nolkumuh.regions.models import Region, Rt  # noqa: E402


def generate(activities: int = 2000, kpps: int = 500) -> None:
    """Plan lines, activities with weekly reports, KPPs with three assessments (bulk, no services)."""
    rng = random.Random(3)
    plan = Plan.objects.filter(kind="memorandum").first()
    rts = list(Rt.objects.filter(records__isnull=False).distinct().select_related("kelurahan"))
    lines = PlanLine.objects.bulk_create(
        PlanLine(
            plan=plan,
            rt=rng.choice(rts),
            activity="jalan_paving",
            volume=Decimal(100),
            unit_cost=Decimal(300000),
            source="apbn",
            year=2025,
        )
        for _ in range(activities)
    )
    today = date.today()
    made = []
    for i, line in enumerate(lines):
        weeks = rng.randint(8, 20)
        start = today - timedelta(weeks=rng.randint(1, weeks))
        made.append(
            Activity(
                plan_line=line,
                kelurahan=line.rt.kelurahan,
                name=f"Paving {i}",
                implementer_kind="ksm",
                implementer="KSM",
                contract_value=Decimal(30_000_000),
                start_date=start,
                end_date=start + timedelta(weeks=weeks),
                planned=default_plan(weeks),
            )
        )
    made = Activity.objects.bulk_create(made)
    reports = []
    for activity in made:
        pace, actual, last = rng.uniform(0.5, 1.1), 0.0, 0
        for week in range(1, (today - activity.start_date).days // 7 + 1):
            actual = min(100.0, max(actual, activity.planned[min(week, len(activity.planned)) - 1] * pace))
            reports.append(WeeklyReport(activity=activity, week=week, physical=Decimal(f"{actual:.2f}")))
            last = week
        activity.last_week, activity.actual = last, Decimal(f"{actual:.2f}")
    WeeklyReport.objects.bulk_create(reports, batch_size=2000)
    Activity.objects.bulk_update(made, ["last_week", "actual"], batch_size=500)
    kelurahan = list(Region.objects.filter(submissions__isnull=False).distinct())
    groups = Kpp.objects.bulk_create(
        Kpp(kelurahan=rng.choice(kelurahan), name=f"KPP bench {i}", members_male=5, members_female=3)
        for i in range(kpps)
    )
    assessments = []
    for kpp in groups:
        for year in (2021, 2022, 2023):
            score = rng.uniform(20, 100)
            assessments.append(
                KppAssessment(
                    kpp=kpp,
                    assessed_on=date(year, 9, 1),
                    answers={},
                    score=Decimal(f"{score:.2f}"),
                    functioning=score >= 70,
                )
            )
    KppAssessment.objects.bulk_create(assessments, batch_size=2000)


def main() -> None:
    load_demo()
    generate()
    print(
        f"  data: {Activity.objects.count():,} activities, {WeeklyReport.objects.count():,} weekly reports, "
        f"{Kpp.objects.count():,} KPP, {RtRecord.objects.count():,} RT records"
    )
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    baseline = measure_baseline()
    print(baseline_line(baseline))
    dashboard = measure_page(client, "/dasbor/33/", cached_runs=7)
    print(page_line("province dashboard (target < 500 ms)", dashboard, baseline))
    profile = measure_page(client, "/wilayah/33/", cached_runs=7)
    print(page_line("province profile page", profile, baseline))
    codes = sorted(
        {
            c[:n]
            for c in RtRecord.objects.values_list("rt__kelurahan__code", flat=True).distinct()
            for n in (2, 5, 8, 13)
        }
    )
    start = time.perf_counter()
    kpi_status(codes, 2023)
    print(
        f"  KPI status of all {len(codes)} regions with data in the province, 2023: "
        f"{time.perf_counter() - start:.2f} s (target < 5 s)"
    )


if __name__ == "__main__":
    main()
