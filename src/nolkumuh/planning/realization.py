"""Realization: completed activities, approved like RT data, and what they do to the volumes.

Approved realizations are handled volume (through the activity catalogue): they give the measured
kumuh akhir beside the projected one, and they are subtracted from the previous round's volumes when
the next round's template is prepared.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from nolkumuh.accounts.services import user_scope, workflow_step
from nolkumuh.core.models import AuditEntry
from nolkumuh.core.services import audit_change, audit_record
from nolkumuh.planning.models import Realization
from nolkumuh.regions.models import Rt
from nolkumuh.scoring.activities import default_activities
from nolkumuh.scoring.simulate import PlanLine as EngineLine
from nolkumuh.scoring.simulate import handled_volumes


@transaction.atomic
def realization_add(*, user: AbstractBaseUser, realization: Realization) -> Realization:
    """Record a completed activity (a draft) at an RT the user may edit."""
    if not user_scope(user).may_edit(realization.rt.kelurahan):
        raise PermissionDenied("outside_scope")
    if realization.activity not in default_activities():
        raise ValidationError({"activity": "kegiatan tidak dikenal"})
    realization.entered_by = user
    realization.status = Realization.Status.DRAFT
    realization.full_clean()
    realization.save()
    audit_change(
        user=user,
        object_type="realization",
        object_id=realization.pk,
        before=None,
        after={
            "rt": realization.rt_id,
            "activity": realization.activity,
            "volume": str(realization.volume),
            "year": realization.year,
        },
        summary=str(realization.rt),
    )
    return realization


@transaction.atomic
def realization_transition(
    *, user: AbstractBaseUser, realization: Realization, action: str, reason: str = ""
) -> None:
    """submit, verify, approve, reject (with a reason) or unlock (with a reason), as for RT data."""
    locked = Realization.objects.select_for_update().get(pk=realization.pk)
    previous = AuditEntry.objects.filter(object_type="realization", object_id=str(locked.pk)).first()
    to_status = workflow_step(
        user=user,
        kelurahan=realization.rt.kelurahan,
        status=locked.status,
        action=action,
        reason=reason,
        previous_actor_id=previous.user_id if previous else None,
    )
    before = locked.status
    locked.status = to_status
    locked.save(update_fields=["status"])
    audit_record(
        user=user,
        action=action,
        object_type="realization",
        object_id=locked.pk,
        before={"status": before},
        after={"status": to_status, "reason": reason.strip()},
        summary=str(locked.rt),
    )
    realization.status = to_status


def realized_volumes(
    rts: Sequence[Rt], keys: Sequence[str], *, after_year: int, up_to_year: int
) -> dict[str, np.ndarray]:
    """Deficient volume handled per criterion and RT (in the order of ``rts``) by approved
    realizations completed after ``after_year`` and up to ``up_to_year``."""
    row_of = {rt.pk: i for i, rt in enumerate(rts)}
    done = Realization.objects.filter(
        rt_id__in=row_of, status=Realization.Status.APPROVED, year__gt=after_year, year__lte=up_to_year
    ).values_list("rt_id", "activity", "volume", "year")
    lines = [
        EngineLine(row_of[rt_id], activity, float(volume), year) for rt_id, activity, volume, year in done
    ]
    return handled_volumes(lines, default_activities(), len(rts), keys)
