"""A link is a promise: templates ask `{% may_open "monitoring:dashboard" region as ok %}` before they
show a link or button to a page, and show it only when the page would open for this viewer.

Each rule is the one the page itself refuses with (its view calls the same function), so a link
and its page cannot disagree. The library stands on the top floor (docs/architecture.md) because
it asks several apps; templates of any app load it by name, which is not an import."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from nolkumuh.accounts.services import user_scope
from nolkumuh.training.services import may_see

register = template.Library()

User = AbstractBaseUser | AnonymousUser


def _covers_region(user: User, region: Any) -> bool:
    return user_scope(user).covers(region.code)


def _covers_kelurahan(user: User, region: Any) -> bool:
    return region.level == "kelurahan" and user_scope(user).covers(region.code)


def _covers_plan(user: User, plan: Any) -> bool:
    return user_scope(user).covers(plan.region.code)


# URL name -> who may open it, for the pages that refuse viewers outside their work area. The views
# refuse with the same functions: monitoring.views.dashboard_page and planning.views.plan_list
# (scope covers the region), planning.views._visible_plan (scope covers the plan's region),
# training.people_views.cascade (training.services.may_see).
# baseline.views._kelurahan (the data page, the review page: scope covers the kelurahan),
# monitoring.construction_views._region (the KPI page), baseline.views.completeness (signed in).
RULES: dict[str, Callable[[User, Any], bool]] = {
    "baseline:kelurahan": _covers_kelurahan,
    "baseline:review": _covers_kelurahan,
    "baseline:completeness": lambda user, region: user.is_authenticated,
    "monitoring:kpi": _covers_region,
    "monitoring:dashboard": _covers_region,
    "monitoring:nation_dashboard": _covers_region,  # the country (code ""): administrators
    "planning:list": _covers_region,
    "planning:plan": _covers_plan,
    "training:cascade": lambda user, region: may_see(user, region),
}


@register.simple_tag(takes_context=True)
def may_open(context: template.Context, name: str, target: Any) -> bool:
    """True when the page ``name`` for ``target`` (a region, or a plan) would open for the viewer."""
    request = context.get("request")
    if request is None or target is None:
        return False
    return RULES[name](request.user, target)
