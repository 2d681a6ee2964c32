""" "Tugas saya": what waits on the viewer, by role, as a handful of grouped queries over the
viewer's scope (an administrator covers the country: 300,000 RTs), each list bounded with the
number left over.

- fasilitator: drafts not yet submitted in the current round, rejections with their reasons, RTs
  without data in the current round;
- askot: submissions waiting for verification; korkot: verified data waiting for approval;
- provinsi and administrator: unlock requests and completeness per city;
- everyone with a step in the realization and KPI value workflows: the records waiting on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Substr

from nolkumuh.accounts.models import Role
from nolkumuh.accounts.services import Scope
from nolkumuh.baseline.bulk import scope_filter
from nolkumuh.baseline.models import DataRound, RtRecord, Submission, SubmissionEvent, UnlockRequest
from nolkumuh.monitoring.framework import default_framework
from nolkumuh.monitoring.models import KpiValue
from nolkumuh.planning.models import Realization
from nolkumuh.regions.models import Region, Rt

LIST_LIMIT = 50
# the status whose next step is this role's (draft: submit; submitted: verify; verified: approve)
ROLE_WAITS = {Role.FASILITATOR: "draft", Role.ASKOT: "submitted", Role.KORKOT: "verified"}
CITY_CODE = 5  # "33.74": the first five characters of every code below a city


@dataclass
class Bounded:
    """The first items of a list and how many more there are ("dan N lainnya")."""

    items: list[Any]
    total: int

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.items))


def bounded(queryset: QuerySet, limit: int | None = None) -> Bounded:
    limit = limit or LIST_LIMIT
    items = list(queryset[:limit])
    total = len(items) if len(items) < limit else queryset.count()
    return Bounded(items, total)


def current_round() -> DataRound | None:
    return DataRound.objects.order_by("-year").first()


def _last_event(field_name: str) -> Subquery:
    events = SubmissionEvent.objects.filter(submission=OuterRef("pk")).order_by("-at", "-id")
    return Subquery(events.values(field_name)[:1])


def _submissions(scope: Scope) -> QuerySet:
    return (
        Submission.objects.filter(scope_filter(scope, "kelurahan__code"))
        .select_related("kelurahan__parent__parent", "round")
        .annotate(
            last_action=_last_event("action"),
            last_reason=_last_event("reason"),
            last_at=_last_event("at"),
            last_user=_last_event("user__username"),
        )
    )


def _with_rt_counts(kelurahan: QuerySet, round: DataRound) -> QuerySet:
    records = (
        RtRecord.objects.filter(round=round, rt__kelurahan=OuterRef("pk"))
        .order_by()
        .values("rt__kelurahan")
        .annotate(n=Count("id"))
        .values("n")
    )
    status = Submission.objects.filter(round=round, kelurahan=OuterRef("pk")).values("status")[:1]
    return (
        kelurahan.annotate(
            rt_count=Count("rts"),
            with_data=Coalesce(Subquery(records), 0),
            status=Subquery(status),
        )
        .annotate(missing=F("rt_count") - F("with_data"))
        .filter(rt_count__gt=0)
    )


def fasilitator_tasks(scope: Scope, round: DataRound) -> dict[str, Bounded]:
    """Drafts not yet submitted and RTs without data (current round), rejections (any round)."""
    kelurahan = _with_rt_counts(
        Region.objects.filter(level=Region.Level.KELURAHAN).filter(scope_filter(scope, "code")), round
    ).order_by("code")
    drafts = kelurahan.filter(Q(status="draft") | Q(status__isnull=True))
    rejected = (
        _submissions(scope)
        .filter(status=Submission.Status.DRAFT, last_action="reject")
        .order_by("-round__year", "kelurahan__code")
    )
    return {
        "drafts": bounded(drafts),
        "rejections": bounded(rejected),
        "missing": bounded(kelurahan.filter(missing__gt=0)),
    }


def waiting_submissions(scope: Scope, status: str) -> Bounded:
    """The kelurahan data (any round) in this status inside the scope, newest round first."""
    return bounded(_submissions(scope).filter(status=status).order_by("-round__year", "kelurahan__code"))


def unlock_requests(scope: Scope) -> Bounded:
    """The waiting unlock requests inside the scope, oldest first."""
    return bounded(
        UnlockRequest.objects.filter(status=UnlockRequest.Status.OPEN)
        .filter(scope_filter(scope, "submission__kelurahan__code"))
        .select_related("submission__kelurahan", "submission__round", "requested_by")
        .order_by("at", "id")
    )


@dataclass
class CityCompleteness:
    """One city in a round: its program kelurahan by status, and RTs with data of all its RTs."""

    code: str
    name: str
    kelurahan: int
    rts: int
    with_data: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def share(self) -> float:
        return self.with_data / self.rts if self.rts else 0.0


def completeness(scope: Scope, round: DataRound) -> Bounded:
    """Per city (least complete first): kelurahan with RTs by workflow status (without a workflow
    row: draft), and RTs with data of all RTs in the round. Four grouped queries."""
    city = Substr("kelurahan__code", 1, CITY_CODE)
    rts = (
        Rt.objects.filter(scope_filter(scope, "kelurahan__code"))
        .annotate(city=city)
        .order_by()
        .values("city")
        .annotate(rt_count=Count("id"), kel_count=Count("kelurahan", distinct=True))
    )
    cities = {r["city"]: CityCompleteness(r["city"], r["city"], r["kel_count"], r["rt_count"]) for r in rts}
    records = (
        RtRecord.objects.filter(round=round)
        .filter(scope_filter(scope, "rt__kelurahan__code"))
        .annotate(city=Substr("rt__kelurahan__code", 1, CITY_CODE))
        .order_by()
        .values("city")
        .annotate(n=Count("id"))
    )
    for r in records:
        if r["city"] in cities:
            cities[r["city"]].with_data = r["n"]
    steps = (
        Submission.objects.filter(round=round, kelurahan__rts__isnull=False)
        .filter(scope_filter(scope, "kelurahan__code"))
        .annotate(city=city)
        .order_by()
        .values("city", "status")
        .annotate(n=Count("id", distinct=True))
    )
    for r in steps:
        if r["city"] in cities:
            cities[r["city"]].by_status[r["status"]] = r["n"]
    for item in cities.values():
        counted = sum(n for s, n in item.by_status.items() if s != "draft")
        item.by_status["draft"] = item.kelurahan - counted
    names = dict(Region.objects.filter(code__in=cities).values_list("code", "name"))
    ordered = sorted(cities.values(), key=lambda c: (c.share, c.code))
    limit = LIST_LIMIT
    for item in ordered[:limit]:
        item.name = names.get(item.code, item.code)
    return Bounded(ordered[:limit], len(ordered))


def waiting_realizations(scope: Scope) -> Bounded | None:
    """Realizations whose next step is the viewer's role, inside the scope."""
    status = ROLE_WAITS.get(scope.role or "")
    if status is None:
        return None
    return bounded(
        Realization.objects.filter(status=status)
        .filter(scope_filter(scope, "rt__kelurahan__code"))
        .select_related("rt__kelurahan")
        .order_by("-year", "rt__kelurahan__code", "id"),
        limit=20,
    )


def waiting_kpi_values(scope: Scope) -> Bounded | None:
    """Hand-entered KPI values whose next step is the viewer's role, inside the scope."""
    status = ROLE_WAITS.get(scope.role or "")
    if status is None:
        return None
    found = bounded(
        KpiValue.objects.filter(status=status)
        .filter(scope_filter(scope, "region__code"))
        .select_related("region")
        .order_by("-year", "region__code", "indicator"),
        limit=20,
    )
    names = {i.key: i for i in default_framework().indicators}
    for value in found.items:  # the indicator's name and unit, never its key alone
        indicator = names.get(value.indicator)
        value.indicator_name = f"{indicator.name_id} ({indicator.unit})" if indicator else value.indicator
    return found


def my_tasks(scope: Scope) -> dict[str, Any]:
    """Everything the Tugas saya page lists for this viewer (see the module's docstring)."""
    round = current_round()
    tasks: dict[str, Any] = {"round": round, "role": scope.role}
    if round is None or scope.role is None:
        return tasks
    if scope.role == Role.FASILITATOR:
        tasks.update(fasilitator_tasks(scope, round))
    if scope.role in (Role.ASKOT, Role.KORKOT):
        status = ROLE_WAITS[scope.role]
        tasks["waiting"] = waiting_submissions(scope, status)
        tasks["bulk_action"] = "verify" if status == "submitted" else "approve"
    if scope.role in (Role.PROVINSI, Role.ADMIN):
        tasks["unlock_requests"] = unlock_requests(scope)
        tasks["completeness"] = completeness(scope, round)
    tasks["realizations"] = waiting_realizations(scope)
    tasks["kpi_values"] = waiting_kpi_values(scope)
    return tasks
