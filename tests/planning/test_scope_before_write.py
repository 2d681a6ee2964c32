"""Scope before write in planning: a refused request leaves no record and no audit entry."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from nolkumuh.baseline.services import rt_record_save
from nolkumuh.core.models import AuditEntry
from nolkumuh.planning.models import PlanLine, Realization
from nolkumuh.planning.realization_kawasan import realization_add_at_kawasan
from nolkumuh.planning.services import plan_line_add
from nolkumuh.regions.models import Kawasan
from nolkumuh.regions.services import rt_get_or_create
from tests.web.conftest import rt_values


def test_a_kawasan_realization_reaching_outside_the_users_kelurahan_writes_no_part(users, plan, rts, tree):
    """The kawasan spans Bandarharjo (the fasilitator's) and Bulu Lor (not theirs)."""
    kawasan = Kawasan.objects.get(name="Kawasan Bandarharjo")
    other = rt_get_or_create(kelurahan=tree["bululor"], rw="002", rt="001")[0]
    rt_record_save(user=users["korkot"], round=plan.base_round, rt=other, values=rt_values())
    for rt in [*rts, other]:
        rt.kawasan = kawasan
        rt.save()
    wide = plan_line_add(
        user=users["korkot"],
        plan=plan,
        line=PlanLine(
            kawasan=kawasan,
            activity="gerobak_sampah",
            volume=Decimal("1"),
            unit_cost=None,
            source="apbn",
            year=2025,
        ),
    )
    audits = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        realization_add_at_kawasan(user=users["fasilitator"], line=wide, volume=Decimal("1"), year=2025)
    assert not Realization.objects.exists() and AuditEntry.objects.count() == audits
    made = realization_add_at_kawasan(user=users["korkot"], line=wide, volume=Decimal("1"), year=2025)
    assert len(made) == 3 and sum(r.volume for r in made) == 1
