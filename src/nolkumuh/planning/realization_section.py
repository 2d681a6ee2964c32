"""The realizations part of the kelurahan data page: completed activities at the kelurahan's RTs,
their approval, and the form to record one. The data page belongs to the data rounds, which
planning stands above: site/urls.py hands this section to the page (docs/adr/0008-floors.md)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from nolkumuh.accounts.services import user_scope
from nolkumuh.baseline.models import DataRound
from nolkumuh.planning.models import Realization
from nolkumuh.planning.realization import plan_lines_for_kelurahan
from nolkumuh.regions.models import Region, Rt
from nolkumuh.scoring.activities import default_activities

ACTIONS = ("submit", "verify", "approve", "reject", "unlock")


def kelurahan_realizations(request: HttpRequest, kelurahan: Region, round: DataRound, rts: list[Rt]) -> str:
    """The section's HTML for this kelurahan and round, as the viewer may act on it."""
    scope = user_scope(request.user)
    context = {
        "kelurahan": kelurahan,
        "round": round,
        "rts": rts,
        "actions": [a for a in ACTIONS if scope.may(a, kelurahan)],
        "realizations": Realization.objects.filter(rt__kelurahan=kelurahan).select_related(
            "rt", "plan_line__plan"
        ),
        "plan_lines": plan_lines_for_kelurahan(kelurahan),
        "activities": default_activities().values(),
    }
    return render_to_string("planning/_kelurahan_realizations.html", context, request)
