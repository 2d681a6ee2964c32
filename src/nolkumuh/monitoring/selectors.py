"""Reading monitoring data for pages: activities with their schedule status, KPP status, the
program dashboard of a region (loaded with a number of queries that does not grow with the number
of child regions), and what needs attention."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from nolkumuh.accounts.services import status_word
from nolkumuh.baseline.figures import VISIBLE, headline_of, region_unit, round_up_to
from nolkumuh.baseline.models import DataRound, Submission
from nolkumuh.monitoring.framework import default_settings
from nolkumuh.monitoring.models import Activity, Kpp
from nolkumuh.monitoring.scurve import planned_at, schedule_status, week_of
from nolkumuh.regions.models import Region
from nolkumuh.regions.selectors import child_depth, within

ACTIVITY_FIELDS = (
    "id",
    "name",
    "kelurahan__code",
    "kelurahan__name",
    "implementer",
    "implementer_kind",
    "status",
    "start_date",
    "end_date",
    "planned",
    "last_week",
    "actual",
    "contract_value",
    "disbursed",
)
KPP_FIELDS = (
    "id",
    "name",
    "kelurahan__code",
    "kelurahan__name",
    "members_male",
    "members_female",
    "om_fund",
    "last_assessed_on",
    "last_score",
    "last_functioning",
)


def schedule_now(row: dict[str, Any], today: date, margin: float) -> dict[str, Any]:
    """An activity row with the planned progress for this week, the deviation and the status.
    A week with no report keeps the last reported progress; handed-over works are finished."""
    row = dict(row)
    actual = float(row["actual"])
    if row["status"] == Activity.Status.HANDED_OVER:
        row.update(week=row["last_week"], planned_now=100.0, deviation=actual - 100.0, schedule="done")
        return row
    week = max(week_of(row["start_date"], today), row["last_week"])
    planned = planned_at(row["planned"], week)
    deviation = round(actual - planned, 2) if week else None
    row.update(
        week=week, planned_now=planned, deviation=deviation, schedule=schedule_status(deviation, margin)
    )
    return row


def activities_in(*, code: str, today: date | None = None) -> list[dict[str, Any]]:
    """Every construction activity in a region with its schedule status now (one query)."""
    today = today or timezone.localdate()
    margin = default_settings().alert_margin
    rows = Activity.objects.filter(within(code, "kelurahan__code")).values(*ACTIVITY_FIELDS)
    return [schedule_now(r, today, margin) for r in rows.order_by("kelurahan__code", "start_date", "id")]


def kpp_state(row: dict[str, Any], today: date) -> str:
    """functioning, not_functioning or not_assessed (no assessment within the validity window)."""
    valid_from = today - timedelta(days=round(default_settings().kpp_valid_months * 30.44))
    if row["last_assessed_on"] is None or row["last_assessed_on"] < valid_from:
        return "not_assessed"
    return "functioning" if row["last_functioning"] else "not_functioning"


def kpps_in(*, code: str, today: date | None = None) -> list[dict[str, Any]]:
    today = today or timezone.localdate()
    rows = Kpp.objects.filter(within(code, "kelurahan__code")).values(*KPP_FIELDS)
    return [{**r, "state": kpp_state(r, today)} for r in rows.order_by("kelurahan__code", "name")]


def child_of(region: Region, code: str) -> str:
    """The code of the child region of ``region`` that contains ``code``."""
    return ".".join(code.split(".")[: child_depth(region.code)])


@dataclass
class ChildRow:
    region: Region
    slum_area: float | None = None
    by_class: list[dict[str, Any]] = field(default_factory=list)  # RTs and hectares per RT class
    activities: int = 0
    behind: int = 0
    progress: float | None = None
    kpp: int = 0
    kpp_functioning: int = 0
    lights: list[tuple[str, str]] = field(default_factory=list)


def _status_word(status: str) -> str:
    """A kelurahan's workflow status in the workflow's words, or that it has no data yet."""
    return status_word(status) if status else gettext("belum ada data")


def missing_data(*, region: Region) -> tuple[DataRound | None, list[dict[str, Any]]]:
    """Program kelurahan (with a submission in any round) whose data of the latest round is not
    approved yet, with the status they are in and its word (one query for the round, one for the
    kelurahan: the database leaves out the approved ones, so the country's 11,000 program
    kelurahan with their data approved are not read)."""
    latest = DataRound.objects.order_by("-year").first()
    if latest is None:
        return None, []
    now = Submission.objects.filter(kelurahan=OuterRef("pk"), round=latest)
    rows = (
        Region.objects.filter(within(region.code), level=Region.Level.KELURAHAN)
        .filter(Exists(Submission.objects.filter(kelurahan=OuterRef("pk"))))
        .exclude(Exists(now.filter(status=Submission.Status.APPROVED)))
        .annotate(status=Subquery(now.values("status")[:1]))
        .order_by("code")
        .values_list("code", "name", "status")
    )
    missing = [
        {"code": c, "name": n, "status": status or "", "word": _status_word(status or "")}
        for c, n, status in rows
    ]
    return latest, missing


def slum_overview(*, user: AbstractBaseUser | AnonymousUser, region: Region, year: int) -> dict[str, Any]:
    """Slum area and RTs per class in the round of ``year`` (the latest round up to it, as the
    KPIs take it), in total and per child region: the approved headline figures
    (baseline.figures), and, labelled apart, the officer's view including unapproved data."""
    unit = region_unit(user, region.code)  # the stored figures (ADR 0011)
    chosen = round_up_to(year, list(DataRound.objects.order_by("year")))
    if chosen is None or chosen.pk not in unit.round_keys(True):
        return {"summary": None, "visible": None, "by_child": {}}
    summary = headline_of(unit, chosen, rows=region.level != Region.Level.KELURAHAN)
    visible = None
    if unit.figures(chosen.pk, True).n_rt != unit.figures(chosen.pk, False).n_rt:
        visible = headline_of(unit, chosen, basis=VISIBLE)
    return {"summary": summary, "visible": visible, "by_child": {row.key: row for row in summary.rows}}
