"""The program dashboard of a region: slum area and classes, KPI status, construction progress,
KPP functioning and trainings, per child region for the drill-down, and what needs attention.

Every part loads the whole region by code prefix, so the number of queries does not depend on
how many child regions there are (tests/monitoring/test_dashboard.py asserts it)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from nolkumuh.baseline.models import DataRound
from nolkumuh.monitoring.charts import sparkline
from nolkumuh.monitoring.kpi import kpi_status, kpi_trend, trend_word
from nolkumuh.monitoring.selectors import (
    ChildRow,
    activities_in,
    child_of,
    kpps_in,
    missing_data,
    slum_overview,
)
from nolkumuh.regions.models import Region
from nolkumuh.regions.selectors import region_children
from nolkumuh.training.selectors import training_panel

TREND_YEARS = 5


def default_year() -> int:
    """The year of the latest data round (KPIs on slum data are about that round)."""
    latest = DataRound.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or timezone.localdate().year


def _construction(region: Region, rows: dict[str, ChildRow], today: date) -> dict[str, Any]:
    activities = activities_in(code=region.code, today=today)
    progress: dict[str, list[float]] = {}
    for activity in activities:
        row = rows.get(child_of(region, activity["kelurahan__code"]))
        if row is not None:
            row.activities += 1
            row.behind += activity["schedule"] == "behind"
            progress.setdefault(row.region.code, []).append(float(activity["actual"]))
    for code, values in progress.items():
        rows[code].progress = sum(values) / len(values)
    ongoing = [a for a in activities if a["status"] == "ongoing"]
    behind = sorted((a for a in activities if a["schedule"] == "behind"), key=lambda a: a["deviation"])
    contract = sum(float(a["contract_value"]) for a in activities)
    return {
        "count": len(activities),
        "ongoing": len(ongoing),
        "done": len(activities) - len(ongoing),
        "behind": behind,
        "contract": contract,
        "disbursed": sum(float(a["disbursed"]) for a in activities),
        "progress": sum(float(a["actual"]) for a in ongoing) / len(ongoing) if ongoing else None,
        "planned": sum(a["planned_now"] for a in ongoing) / len(ongoing) if ongoing else None,
    }


def _kpp(region: Region, rows: dict[str, ChildRow], today: date) -> dict[str, Any]:
    kpps = kpps_in(code=region.code, today=today)
    for kpp in kpps:
        row = rows.get(child_of(region, kpp["kelurahan__code"]))
        if row is not None:
            row.kpp += 1
            row.kpp_functioning += kpp["state"] == "functioning"
    working = sum(1 for k in kpps if k["state"] == "functioning")
    return {
        "count": len(kpps),
        "functioning": working,
        "share": working / len(kpps) * 100 if kpps else None,
        "attention": [k for k in kpps if k["state"] != "functioning"],
        "women": sum(k["members_female"] for k in kpps),
        "members": sum(k["members_female"] + k["members_male"] for k in kpps),
    }


def _kpis(region: Region, children: list[Region], rows: dict[str, ChildRow], year: int) -> dict[str, Any]:
    shared: dict = {}  # the trend's years reuse what the status of this year loaded
    status = kpi_status([region.code, *rows], year, shared=shared)
    for code, row in rows.items():
        row.lights = [(s.light, s.indicator.name_id) for s in status[code]]
    first = max(
        year - TREND_YEARS + 1,
        DataRound.objects.order_by("year").values_list("year", flat=True).first() or year,
    )
    years = list(range(first, year + 1))
    series = kpi_trend(region.code, years, shared=shared)
    mine = []
    for s in status[region.code]:
        values = series[s.indicator.key]
        mine.append(
            {"s": s, "trend": trend_word(s.indicator, values), "spark": sparkline(values), "values": values}
        )
    off = [m["s"] for m in mine if m["s"].light == "red"]
    by_child = {
        s.indicator.key: [c for c in children if status[c.code][i].light == "red"]
        for i, s in enumerate(status[region.code])
    }
    return {
        "green": sum(1 for m in mine if m["s"].light == "green"),
        "mine": mine,
        "years": years,
        "off_target": off,
        "red_children": by_child,
    }


def dashboard(
    *, user: AbstractBaseUser | AnonymousUser, region: Region, year: int, today: date | None = None
) -> dict[str, Any]:
    today = today or timezone.localdate()
    children = [] if region.level == Region.Level.KELURAHAN else list(region_children(region=region))
    rows = {c.code: ChildRow(c) for c in children}
    slum = slum_overview(user=user, region=region, year=year)
    for code, child in slum["by_child"].items():
        if code in rows:
            rows[code].slum_area, rows[code].by_class = child.slum_area, child.by_class
    construction = _construction(region, rows, today)
    kpp = _kpp(region, rows, today)
    kpis = _kpis(region, children, rows, year)
    latest, missing = missing_data(region=region)
    shown = [r for r in rows.values() if r.slum_area is not None or r.activities or r.kpp]
    return {
        "year": year,
        "today": today,
        "slum": slum["summary"],
        "slum_visible": slum["visible"],
        "construction": construction,
        "kpp": kpp,
        "kpis": kpis,
        "latest_round": latest,
        "missing": missing,
        "children": shown,
        "quiet_children": len(rows) - len(shown),
        "trainings": training_panel(code=region.code, year=year),
    }
