"""The unit costs page: the catalogue's default costs and a region's own costs per year, edited by
administrators (estimates, not regulation)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from nolkumuh.accounts.services import user_scope
from nolkumuh.core.bounds import message_language, year_or_404
from nolkumuh.core.numbers import RupiahField
from nolkumuh.exchange.numbers import grouped
from nolkumuh.planmath.activities import default_activities
from nolkumuh.planning.costs import LEVELS, unit_cost_table, unit_costs_save
from nolkumuh.regions.selectors import region_with_ancestors


def _year(text: str | None) -> int:
    """The year asked for (outside the bounds table: 404), else this year."""
    return year_or_404(text) or timezone.localdate().year


@login_required
def unit_costs(request: HttpRequest, code: str) -> HttpResponse:
    """Shows every activity's default, inherited and own cost for a year; administrators save the
    region's own costs (empty: back to the inherited cost), all or nothing."""
    region, ancestors = region_with_ancestors(code=code)
    if region is None or region.level not in LEVELS or not user_scope(request.user).covers(region.code):
        raise Http404
    year = _year(request.POST.get("tahun") or request.GET.get("tahun"))
    is_admin = user_scope(request.user).is_admin
    problems: list[str] = []
    if request.method == "POST" and is_admin:
        costs, problems = _parse_costs(request)
        if not problems:
            try:
                count = unit_costs_save(
                    user=request.user,
                    region=region,
                    year=year,
                    costs=costs,
                    note=request.POST.get("note", ""),
                )
            except (PermissionDenied, ValidationError) as exc:
                problems = [str(exc)]
            else:
                messages.success(request, _("%(count)s harga satuan diubah.") % {"count": count})
                return redirect(f"{request.path}?tahun={year}")
    return render(
        request,
        "planning/unit_costs.html",
        {
            "region": region,
            "ancestors": [*ancestors, region],
            "here": _("Harga satuan"),
            "year": year,
            "rows": [
                (
                    r,
                    f"cost_{r.activity.key}",
                    _shown(r.own, request.POST.get(f"cost_{r.activity.key}"), problems),
                )
                for r in unit_cost_table(region=region, year=year)
            ],
            "is_admin": is_admin,
            "problems": problems,
        },
    )


def _shown(own: Decimal | None, posted: str | None, problems: list[str]) -> str:
    """What an input shows: what was typed when nothing was saved, else the stored value."""
    if problems:
        return posted or ""
    return "" if own is None else grouped(own, message_language())


COST = RupiahField(required=False)


def _parse_costs(request: HttpRequest) -> tuple[dict[str, Decimal | None], list[str]]:
    costs: dict[str, Decimal | None] = {}
    problems = []
    for key, activity in default_activities().items():
        text = request.POST.get(f"cost_{key}", "")
        try:
            costs[key] = COST.clean(text)
        except ValidationError as exc:
            problems.append(
                _("%(activity)s: %(problem)s (%(value)s)")
                % {"activity": activity.name_id, "problem": " ".join(exc.messages), "value": text[:40]}
            )
    return costs, problems
