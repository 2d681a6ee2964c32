"""The demo: Jawa Tengah's regions, a user for every role, data rounds 2017-2023 in five
cities/regencies, boundaries, a memorandum program, construction and KPIs, and a training event.
Deterministic and idempotent. It stands on the top floor (docs/architecture.md): it fills every
app, each through that app's own demo module, in the order the data depends on."""

from __future__ import annotations

from django.db import transaction

from nolkumuh.accounts.demo import PASSWORD, demo_logins, demo_users
from nolkumuh.baseline import summaries
from nolkumuh.baseline.demo import demo_rounds
from nolkumuh.baseline.models import DataRound
from nolkumuh.monitoring.demo import demo_monitoring
from nolkumuh.planning.demo import demo_plan
from nolkumuh.regions.demo_geo import demo_boundaries
from nolkumuh.regions.services import regions_load
from nolkumuh.training.demo import demo_training

PROVINCE = "33"

__all__ = ["PASSWORD", "demo_load", "demo_logins"]


@transaction.atomic
def demo_load() -> dict[str, int]:
    """Load the demo; a second run finds everything in place and changes nothing."""
    regions_load(province_code=PROVINCE)
    demo_users()
    records = demo_rounds()
    boundaries = demo_boundaries()
    if boundaries:  # the RT polygons' areas join the stored figures
        summaries.refresh_rounds(DataRound.objects.values_list("pk", flat=True))
    return {
        "records": records,
        "boundaries": boundaries,
        "plan_lines": demo_plan(),
        "construction": demo_monitoring(),
        "participants": demo_training(),
    }
