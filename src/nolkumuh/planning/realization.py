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
from django.db.models import Q

from nolkumuh.accounts.services import audited_step, user_scope
from nolkumuh.core.services import audit_change
from nolkumuh.planmath.activities import default_activities
from nolkumuh.planmath.simulate import PlanLine as EngineLine
from nolkumuh.planmath.simulate import handled_volumes
from nolkumuh.planning.models import PlanLine, Realization
from nolkumuh.regions.models import Region, Rt


@transaction.atomic
def realization_add(*, user: AbstractBaseUser, realization: Realization) -> Realization:
    """Record a completed activity (a draft) at an RT the user may edit."""
    if not user_scope(user).may_edit(realization.rt.kelurahan):
        raise PermissionDenied("outside_scope")
    if realization.activity not in default_activities():
        raise ValidationError({"activity": "kegiatan tidak dikenal"})
    if realization.plan_line_id is not None:
        _check_plan_line(realization)
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
            "plan_line": realization.plan_line_id,
        },
        summary=str(realization.rt),
    )
    return realization


def _check_plan_line(realization: Realization) -> None:
    """A realization carries out its plan line: the same activity, at the line's RT or at an RT of
    the line's kawasan (a kawasan-wide line is realized RT by RT)."""
    line = realization.plan_line
    problems = {}
    if line.activity != realization.activity:
        problems["activity"] = "kegiatan berbeda dengan baris rencana yang dipilih"
    at_line = realization.rt_id == line.rt_id if line.rt_id else realization.rt.kawasan_id == line.kawasan_id
    if not at_line:
        problems["plan_line"] = "RT ini bukan lokasi baris rencana yang dipilih"
    if problems:
        raise ValidationError(problems)


def plan_lines_for_kelurahan(kelurahan: Region) -> list[PlanLine]:
    """Plan lines a realization in this kelurahan can carry out: at its RTs, or at a kawasan that
    has RTs in it."""
    kawasan = Rt.objects.filter(kelurahan=kelurahan, kawasan__isnull=False).values("kawasan_id")
    return list(
        PlanLine.objects.filter(Q(rt__kelurahan=kelurahan) | Q(kawasan_id__in=kawasan))
        .select_related("plan", "rt", "rt__kelurahan", "kawasan")
        .order_by("plan__title", "year", "id")
    )


def realized_by_line(lines: Sequence[PlanLine]) -> dict[int, dict[str, float | int]]:
    """Per plan line: the approved realized volume and the number of realizations still in the
    workflow."""
    result: dict[int, dict[str, float | int]] = {}
    rows = Realization.objects.filter(plan_line__in=[line.pk for line in lines]).values_list(
        "plan_line_id", "status", "volume"
    )
    for line_id, status, volume in rows:
        entry = result.setdefault(line_id, {"approved": 0.0, "pending": 0})
        if status == Realization.Status.APPROVED:
            entry["approved"] += float(volume)
        else:
            entry["pending"] += 1
    return result


@transaction.atomic
def realization_transition(
    *, user: AbstractBaseUser, realization: Realization, action: str, reason: str = ""
) -> None:
    """submit, verify, approve, reject (with a reason) or unlock (with a reason), as for RT data."""
    locked = Realization.objects.select_for_update().get(pk=realization.pk)
    to_status = audited_step(
        user=user,
        record=locked,
        object_type="realization",
        region=realization.rt.kelurahan,
        action=action,
        reason=reason,
        summary=str(realization.rt),
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
