"""A completed kawasan-wide activity: recorded against its plan line as one draft realization per
RT of the kawasan, shared the way the projection shares the line, so that each part is approved
with its kelurahan's data and counts where it was built."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from nolkumuh.accounts.services import user_scope
from nolkumuh.baseline.scoring import ruleset_of
from nolkumuh.planning.models import PlanLine, Realization
from nolkumuh.planning.realization import realization_add
from nolkumuh.planning.selectors import base_table, kawasan_shares

STEP = Decimal("0.001")


@transaction.atomic
def realization_add_at_kawasan(
    *, user: AbstractBaseUser, line: PlanLine, volume: Decimal, year: int
) -> list[Realization]:
    """Share ``volume`` of a kawasan-wide line among the kawasan's RTs with data in the plan's base
    round (by deficit, as the projection does); each part is a draft realization of that RT, linked
    to the line. The user must be allowed to enter data in every kelurahan involved."""
    if line.kawasan_id is None:
        raise ValidationError({"plan_line": "baris rencana ini bukan kegiatan skala kawasan"})
    if volume <= 0:
        raise ValidationError({"volume": "volume harus lebih dari 0"})
    rts, table = base_table(line.plan)
    keys = ruleset_of(line.plan.base_round.ruleset_id).keys
    shares = kawasan_shares(line.kawasan_id, line.activity, rts, table, keys)
    if not shares:
        raise ValidationError({"plan_line": "kawasan ini belum punya RT dengan data pada tahun data rencana"})
    parts = [(volume * Decimal(str(share))).quantize(STEP, rounding=ROUND_DOWN) for _r, share in shares]
    parts[-1] += volume - sum(parts)  # the parts add up to the volume exactly
    todo = [(rts[r], part) for (r, _share), part in zip(shares, parts, strict=True) if part > 0]
    # every kelurahan is checked before the first part is written (scope before write)
    scope = user_scope(user)
    if any(not scope.may_edit(rt.kelurahan) for rt, _part in todo):
        raise PermissionDenied("outside_scope")
    return [
        realization_add(
            user=user,
            realization=Realization(rt=rt, activity=line.activity, volume=part, year=year, plan_line=line),
        )
        for rt, part in todo
    ]
