"""Writing plans: create a plan, add a line, adopt an optimizer proposal. Checked and audited."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from nolkumuh.accounts.services import user_scope
from nolkumuh.core.services import audit_change
from nolkumuh.planmath.activities import Activity
from nolkumuh.planmath.optimize import Proposal
from nolkumuh.planning.costs import activities_for
from nolkumuh.planning.models import Plan, PlanLine
from nolkumuh.regions.models import Rt


def ensure_planner(user: AbstractBaseUser, plan: Plan) -> None:
    """Korkot/Pokja, provincial managers and administrators of the plan's region draft plans."""
    if not user_scope(user).may("approve", plan.region):
        raise PermissionDenied("outside_scope")


@transaction.atomic
def plan_create(*, user: AbstractBaseUser, plan: Plan) -> Plan:
    ensure_planner(user, plan)
    plan.created_by = user
    plan.full_clean()
    plan.save()
    audit_change(
        user=user,
        object_type="plan",
        object_id=plan.pk,
        before=None,
        after={"title": plan.title, "region": plan.region.code},
        summary=plan.title,
    )
    return plan


@transaction.atomic
def plan_line_add(*, user: AbstractBaseUser, plan: Plan, line: PlanLine) -> PlanLine:
    """Add one line; its RT must lie in the plan's region and its year in the plan's years."""
    ensure_planner(user, plan)
    activities = activities_for(region=plan.region, year=line.year or plan.start_year)
    problems: dict[str, str] = {}
    if line.activity not in activities:
        problems["activity"] = "kegiatan tidak dikenal"
    if (line.rt_id is None) == (line.kawasan_id is None):
        problems["rt"] = "pilih satu lokasi: RT atau kawasan"
    elif line.rt_id is not None and not within_code(line.rt.kelurahan.code, plan.region.code):
        problems["rt"] = "RT di luar wilayah rencana"
    elif line.kawasan_id is not None and not (
        within_code(line.kawasan.kabkota.code, plan.region.code)
        or within_code(plan.region.code, line.kawasan.kabkota.code)
    ):
        problems["kawasan"] = "kawasan di luar wilayah rencana"
    if not plan.start_year <= line.year <= plan.end_year:
        problems["year"] = f"tahun harus antara {plan.start_year} dan {plan.end_year}"
    if problems:
        raise ValidationError(problems)
    if line.unit_cost is None:
        line.unit_cost = Decimal(str(activities[line.activity].unit_cost))
    line.plan = plan
    line.full_clean()
    line.save()
    audit_change(
        user=user,
        object_type="plan_line",
        object_id=line.pk,
        before=None,
        after={
            "activity": line.activity,
            "rt": line.rt_id,
            "kawasan": line.kawasan_id,
            "volume": str(line.volume),
            "year": line.year,
            "source": line.source,
        },
        summary=plan.title,
    )
    return line


@transaction.atomic
def plan_adopt(
    *,
    user: AbstractBaseUser,
    plan: Plan,
    proposal: Proposal,
    rts: list[Rt],
    funder: str,
    year: int | None = None,
    activities: Mapping[str, Activity] | None = None,
) -> int:
    """Put an optimizer proposal into the plan as proposed lines (rows refer to ``rts``), each in the
    year and with the funder the optimizer gave it (else ``year`` or the plan's first year, and
    ``funder``), at the unit costs the optimizer used (``activities``; else the region's costs of
    the plan's first year)."""
    ensure_planner(user, plan)
    activities = activities or activities_for(region=plan.region, year=plan.start_year)
    count = 0
    for choice in proposal.choices:
        line = PlanLine(
            rt=rts[choice.row],
            activity=choice.activity,
            volume=Decimal(str(round(choice.volume, 3))),
            unit_cost=Decimal(str(activities[choice.activity].unit_cost)),
            source=choice.funder or funder,
            agency="usulan optimasi",
            year=choice.year or year or plan.start_year,
        )
        if line.volume > 0:
            plan_line_add(user=user, plan=plan, line=line)
            count += 1
    return count


def within_code(code: str, region_code: str) -> bool:
    """True when ``code`` is the region or lies below it."""
    return code == region_code or code.startswith(region_code + ".")
