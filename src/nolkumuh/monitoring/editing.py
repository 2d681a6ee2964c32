"""Correcting a construction activity after it was started: implementer, contract, dates and
location, until the handover closes it. Checked and audited (KPP changes: institutions.kpp_save)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from nolkumuh.core.bounds import message_language
from nolkumuh.core.services import audit_change
from nolkumuh.exchange.numbers import grouped
from nolkumuh.monitoring.construction import (
    contract_problems,
    contract_weeks,
    ensure_manager,
    plan_message,
    weeks_between,
)
from nolkumuh.monitoring.models import CONTRACT_FIELDS, Activity
from nolkumuh.monitoring.scurve import PlanError, check_plan, default_plan

ACTIVITY_FIELDS = (*CONTRACT_FIELDS, "planned")


def _snapshot(activity: Activity) -> dict[str, object]:
    values = model_to_dict(activity, fields=ACTIVITY_FIELDS)
    return {k: (str(v) if isinstance(v, (Decimal, date)) else v) for k, v in values.items()}


def _problems(activity: Activity, stored: Activity) -> dict[str, str]:
    problems = {}
    if activity.end_date < activity.start_date:
        problems["end_date"] = "tanggal selesai sebelum tanggal mulai"
    if activity.contract_value < stored.disbursed:
        problems["contract_value"] = (
            f"nilai kontrak tidak boleh lebih kecil dari pencairan yang sudah dilaporkan "
            f"(Rp {grouped(stored.disbursed, message_language())})"
        )
    if activity.start_date and activity.end_date and contract_weeks(activity) < stored.last_week:
        problems["end_date"] = _(
            "masa kontrak tidak boleh lebih pendek dari minggu terakhir yang sudah dilaporkan (minggu"
            " %(week)s)"
        ) % {"week": stored.last_week}
    if (activity.latitude is None) != (activity.longitude is None):
        problems["longitude"] = "isi lintang dan bujur bersama-sama, atau kosongkan keduanya"
    return problems


@transaction.atomic
def activity_update(
    *, user: AbstractBaseUser, activity: Activity, planned: list[float] | None = None, recompute: bool = False
) -> Activity:
    """Save corrections to an ongoing activity (the instance carries the new values). A new weekly
    plan replaces the old one; `recompute` draws the default S-curve again from the new dates;
    otherwise the weekly plan stays. Progress, photos and handover are not touched here."""
    stored = Activity.objects.select_for_update().get(pk=activity.pk)
    ensure_manager(user, stored.kelurahan)
    if stored.status != Activity.Status.ONGOING:
        raise ValidationError("kegiatan sudah diserahterimakan; data tidak dapat diubah")
    problems = contract_problems(activity.start_date, activity.end_date) | _problems(activity, stored)
    if problems:
        raise ValidationError(problems)
    try:
        if planned:
            check_plan(planned)
            activity.planned = planned
        elif recompute:
            activity.planned = default_plan(weeks_between(activity.start_date, activity.end_date))
        else:
            activity.planned = stored.planned
    except PlanError as exc:
        raise ValidationError({"planned": plan_message(exc)}) from None
    before, after = _snapshot(stored), _snapshot(activity)
    changed = [k for k in ACTIVITY_FIELDS if before[k] != after[k]]
    if not changed:
        return activity
    # only the corrected fields: progress and handover columns stay as the services set them
    activity.plan_line_id, activity.kelurahan_id = stored.plan_line_id, stored.kelurahan_id
    activity.full_clean(exclude=["plan_line"])
    activity.save(update_fields=changed)
    audit_change(
        user=user,
        object_type="construction",
        object_id=activity.pk,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        summary=activity.name,
    )
    return activity
