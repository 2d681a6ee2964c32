"""The realizations part of the kelurahan data page: completed activities at the kelurahan's RTs,
their approval, and the form to record one. The data page belongs to the data rounds, which
planning stands above: site/urls.py hands this section to the page (docs/adr/0008-floors.md)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from nolkumuh.accounts.services import previous_actors, user_scope, workflow_state
from nolkumuh.baseline.models import DataRound
from nolkumuh.planmath.activities import default_activities
from nolkumuh.planning.models import Realization
from nolkumuh.planning.realization import plan_lines_for_kelurahan
from nolkumuh.regions.models import Region, Rt


def kelurahan_realizations(request: HttpRequest, kelurahan: Region, round: DataRound, rts: list[Rt]) -> str:
    """The section's HTML for this kelurahan and round, as the viewer may act on it."""
    realizations = list(
        Realization.objects.filter(rt__kelurahan=kelurahan).select_related("rt", "plan_line__plan__region")
    )
    actors = previous_actors(object_type="realization", ids=[z.pk for z in realizations])
    user = request.user
    context = {
        "kelurahan": kelurahan,
        "round": round,
        "rts": rts,
        "may_record": user_scope(request.user).may_edit(kelurahan),
        # each realization with the steps this viewer may take on it now (the rule the service enforces)
        "realizations": [
            (
                z,
                workflow_state(
                    user=user, kelurahan=kelurahan, status=z.status, previous_actor_id=actors.get(z.pk)
                ),
            )
            for z in realizations
        ],
        "plan_lines": plan_lines_for_kelurahan(kelurahan),
        "activities": default_activities().values(),
    }
    return render_to_string("planning/_kelurahan_realizations.html", context, request)
