"""Boundary import for a signed-in user, as the web pages and `nolkumuh geo import` run it: the
region tree's import (`regions.boundaries`) given the user's scope and the RTs' declared luas from
the data rounds, which the region tree stands below (docs/architecture.md, Floors)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from nolkumuh.accounts.services import user_scope
from nolkumuh.baseline import summaries
from nolkumuh.baseline.selectors import latest_luas
from nolkumuh.regions import boundaries
from nolkumuh.regions.boundaries import BoundaryPlan
from nolkumuh.regions.models import Boundary


def boundary_plan(*, user: AbstractBaseUser, **options: Any) -> BoundaryPlan:
    """The dry run of a boundary file for this user (options as `regions.boundaries.boundary_plan`)."""
    return boundaries.boundary_plan(scope=user_scope(user), rt_luas=latest_luas, **options)


@transaction.atomic
def boundary_apply(*, user: AbstractBaseUser, plan: BoundaryPlan) -> int:
    """Store a checked plan's polygons for this user, all or nothing. RT polygons give the area
    from the map in the figures of their kelurahan and the regions above (baseline.summaries)."""
    saved = boundaries.boundary_apply(user=user, scope=user_scope(user), plan=plan)
    if plan.kind == Boundary.Kind.RT:
        summaries.refresh_ids(m.target.kelurahan_id for m in plan.matches)
    return saved
