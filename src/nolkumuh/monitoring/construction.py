"""Writing construction records: start an activity from a plan line, weekly reports, quality
checks, and the handover to a KPP (photos: monitoring.photos). Checked and audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import shapely
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nolkumuh.accounts.services import user_scope
from nolkumuh.core.services import audit_change, audit_record
from nolkumuh.exchange.bounds import bound
from nolkumuh.monitoring.assets import asset_condition_at_handover
from nolkumuh.monitoring.framework import default_settings
from nolkumuh.monitoring.models import Activity, Kpp, QualityCheck, WeeklyReport
from nolkumuh.monitoring.scurve import PlanError, check_plan, default_plan
from nolkumuh.planmath.activities import default_activities
from nolkumuh.planning.models import PlanLine, Realization
from nolkumuh.planning.realization import realization_add, realization_transition
from nolkumuh.regions.models import Boundary, Region, Rt

PLAN_MESSAGES = {
    "no_weeks": "rencana mingguan kosong",
    "not_a_number": "rencana mingguan berisi bukan angka",
    "out_of_range": "progres rencana harus antara 0 dan 100",
    "falls": "progres rencana kumulatif tidak boleh turun",
    "not_finished": "progres rencana minggu terakhir harus 100",
}


def ensure_manager(user: AbstractBaseUser, kelurahan: Region) -> None:
    """Starting and handing over works: korkot and administrators (who may also edit data)."""
    scope = user_scope(user)
    if not (scope.may("approve", kelurahan) and scope.may_edit(kelurahan)):
        raise PermissionDenied("outside_scope")


def ensure_reporter(user: AbstractBaseUser, kelurahan: Region) -> None:
    """Weekly reports, quality checks and photos: whoever enters data there (fasilitator and up)."""
    if not user_scope(user).may_edit(kelurahan):
        raise PermissionDenied("outside_scope")


def plan_message(error: PlanError) -> str:
    text = PLAN_MESSAGES.get(error.code, error.code)
    return f"{text} (minggu {error.week})" if error.week else text


def line_kelurahan(line: PlanLine) -> Region | None:
    """Where a plan line's works are: its RT's kelurahan, or the first kelurahan of its kawasan."""
    if line.rt_id is not None:
        return line.rt.kelurahan
    return line.kawasan.kelurahan.order_by("code").first()


def line_position(line: PlanLine) -> tuple[float | None, float | None]:
    """Latitude and longitude of the centre of the line's RT or kawasan polygon, where mapped."""
    if line.rt_id is not None:
        boundary = Boundary.objects.filter(kind="rt", rt_id=line.rt_id).first()
    else:
        boundary = Boundary.objects.filter(kind="kawasan", kawasan_id=line.kawasan_id).first()
    if boundary is None:
        return None, None
    centre = shapely.from_wkb(bytes(boundary.wkb)).representative_point()
    return round(centre.y, 7), round(centre.x, 7)


# Longer contracts are typing mistakes (a start in year 1 makes a plan of half a million weeks).
MAX_CONTRACT_WEEKS = 520


def weeks_between(start: date, end: date) -> int:
    return max(1, ((end - start).days + 6) // 7)


def contract_weeks(activity: Activity) -> int:
    """The weeks a weekly report may name: the contract's length, never more than the bounds
    table's ``week`` (520); a report for week 99999999999 would make every page of the activity
    walk through that many weeks."""
    limit = int(bound("week").high or MAX_CONTRACT_WEEKS)
    return min(weeks_between(activity.start_date, activity.end_date), limit)


def contract_problems(start: date | None, end: date | None) -> dict[str, str]:
    """What is wrong with a contract's dates (an empty dict when nothing is)."""
    if start and end and end < start:
        return {"end_date": "tanggal selesai sebelum tanggal mulai"}
    if start and end and weeks_between(start, end) > MAX_CONTRACT_WEEKS:
        return {"end_date": "masa kontrak lebih dari 10 tahun; periksa tanggal mulai dan selesai"}
    return {}


@transaction.atomic
def activity_start(*, user: AbstractBaseUser, activity: Activity) -> Activity:
    """Start monitoring the construction of a plan line. Without a weekly plan, a smooth S-curve
    over the contract's weeks is used; without a position, the centre of the RT/kawasan polygon."""
    line = activity.plan_line
    kelurahan = line_kelurahan(line)
    if kelurahan is None:
        raise ValidationError({"plan_line": "kawasan baris rencana ini belum punya kelurahan"})
    ensure_manager(user, kelurahan)
    if Activity.objects.filter(plan_line=line).exists():
        raise ValidationError({"plan_line": "baris rencana ini sudah dipantau"})
    problems = contract_problems(activity.start_date, activity.end_date)
    if problems:
        raise ValidationError(problems)
    try:
        if activity.planned:
            check_plan(activity.planned)
        else:
            activity.planned = default_plan(weeks_between(activity.start_date, activity.end_date))
    except PlanError as exc:
        raise ValidationError({"planned": plan_message(exc)}) from None
    if activity.latitude is None or activity.longitude is None:
        activity.latitude, activity.longitude = line_position(line)
    if not activity.name:
        known = default_activities().get(line.activity)
        activity.name = f"{known.name_id if known else line.activity} – {line.location}"[:200]
    activity.kelurahan = kelurahan
    activity.created_by = user
    activity.full_clean()
    activity.save()
    audit_change(
        user=user,
        object_type="construction",
        object_id=activity.pk,
        before=None,
        after={
            "plan_line": line.pk,
            "implementer": activity.implementer,
            "contract_value": str(activity.contract_value),
            "start": activity.start_date.isoformat(),
            "end": activity.end_date.isoformat(),
            "weeks": len(activity.planned),
        },
        summary=activity.name,
    )
    return activity


def _ongoing(activity: Activity) -> None:
    if activity.status != Activity.Status.ONGOING:
        raise ValidationError("kegiatan sudah diserahterimakan; data tidak dapat diubah")


def _report_problems(activity: Activity, week: int, physical: Decimal, disbursed: Decimal) -> dict[str, str]:
    problems = {}
    weeks = contract_weeks(activity)
    if not 1 <= week <= weeks:
        problems["week"] = _(
            "minggu ke harus antara 1 dan %(weeks)s (masa kontrak %(weeks)s minggu); bila pekerjaan"
            " berjalan lebih lama, perpanjang dulu tanggal selesai kegiatan"
        ) % {"weeks": weeks}
    if not Decimal(0) <= physical <= Decimal(100):
        problems["physical"] = "progres fisik harus antara 0 dan 100 %"
    if disbursed < 0 or disbursed > activity.contract_value:
        problems["disbursed"] = "pencairan harus antara 0 dan nilai kontrak"
    others = dict(activity.reports.exclude(week=week).values_list("week", "physical"))
    before = [p for w, p in others.items() if w < week]
    after = [p for w, p in others.items() if w > week]
    if before and physical < max(before):
        problems["physical"] = f"progres tidak boleh lebih kecil dari minggu sebelumnya ({max(before)} %)"
    if after and physical > min(after):
        problems["physical"] = f"progres tidak boleh lebih besar dari minggu berikutnya ({min(after)} %)"
    return problems


@transaction.atomic
def report_save(
    *,
    user: AbstractBaseUser,
    activity: Activity,
    week: int,
    physical: Decimal,
    disbursed: Decimal,
    note: str = "",
) -> WeeklyReport:
    """Record (or correct) a week's cumulative physical progress and disbursement. Progress never
    falls from one reported week to a later one, and disbursement stays within the contract."""
    ensure_reporter(user, activity.kelurahan)
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    _ongoing(locked)
    problems = _report_problems(locked, week, physical, disbursed)
    if problems:
        raise ValidationError(problems)
    report = WeeklyReport.objects.filter(activity=locked, week=week).first()
    previous = (
        None if report is None else {"physical": str(report.physical), "disbursed": str(report.disbursed)}
    )
    report = report or WeeklyReport(activity=locked, week=week)
    report.physical, report.disbursed, report.note, report.reported_by = physical, disbursed, note, user
    report.full_clean()
    report.save()
    latest = locked.reports.order_by("-week").first()
    locked.last_week, locked.actual, locked.disbursed = latest.week, latest.physical, latest.disbursed
    locked.save(update_fields=["last_week", "actual", "disbursed"])
    activity.last_week, activity.actual, activity.disbursed = (
        locked.last_week,
        locked.actual,
        locked.disbursed,
    )
    audit_change(
        user=user,
        object_type="construction_report",
        object_id=report.pk,
        before=previous,
        after={"physical": str(physical), "disbursed": str(disbursed)},
        summary=f"{locked.name} · minggu {week}",
    )
    return report


@transaction.atomic
def quality_check_add(
    *, user: AbstractBaseUser, activity: Activity, checked_on: date, answers: dict[str, bool], note: str = ""
) -> QualityCheck:
    """One round of the quality checklist (items from data/monitoring.toml)."""
    ensure_reporter(user, activity.kelurahan)
    _ongoing(activity)
    keys = [item.key for item in default_settings().quality]
    check = QualityCheck(
        activity=activity,
        checked_on=checked_on,
        answers={k: bool(answers.get(k)) for k in keys},
        note=note,
        checked_by=user,
    )
    check.full_clean()
    check.save()
    audit_change(
        user=user,
        object_type="construction_quality",
        object_id=check.pk,
        before=None,
        after={"on": checked_on.isoformat(), **check.answers},
        summary=activity.name,
    )
    return check


def _handover_problems(
    activity: Activity, kpp: Kpp, on: date, volume: Decimal | None, place: Rt | None
) -> dict[str, str]:
    problems = {}
    if activity.actual < 100:
        problems["actual"] = f"progres fisik baru {activity.actual} %; serah terima setelah 100 %"
    if kpp.kelurahan_id != activity.kelurahan_id:
        problems["kpp"] = "KPP harus dari kelurahan lokasi kegiatan"
    if volume is None or volume <= 0:
        problems["realized_volume"] = "isi volume yang terbangun (lebih dari 0)"
    line = activity.plan_line
    if place is None or place.kelurahan_id != activity.kelurahan_id:
        problems["rt"] = "pilih RT lokasi kegiatan di kelurahan ini"
    elif line.rt_id is None and place.kawasan_id != line.kawasan_id:
        # a kawasan-wide line is realized at an RT of that kawasan (as the projection shares it)
        problems["rt"] = "pilih RT yang termasuk kawasan baris rencana ini"
    if on < activity.start_date:
        problems["handed_over_on"] = "tanggal serah terima sebelum tanggal mulai"
    return problems


def _line_done(user: AbstractBaseUser, line: PlanLine) -> None:
    """Mark the plan line done (the memorandum shows what has been built)."""
    if line.status == PlanLine.Status.DONE:
        return
    before = line.status
    PlanLine.objects.filter(pk=line.pk).update(status=PlanLine.Status.DONE)
    audit_change(
        user=user,
        object_type="plan_line",
        object_id=line.pk,
        before={"status": before},
        after={"status": "done"},
    )


@transaction.atomic
def activity_handover(
    *,
    user: AbstractBaseUser,
    activity: Activity,
    kpp: Kpp,
    on: date,
    realized_volume: Decimal,
    condition: str = "baik",
    rt: Rt | None = None,
) -> Activity:
    """Serah terima: the finished works go to a KPP of the kelurahan, the activity closes, the plan
    line is marked done, and a realization of the built volume is recorded and submitted, so that
    once verified and approved it reaches the memorandum's measured column and the next round."""
    ensure_manager(user, activity.kelurahan)
    locked = (
        # lock only the activity row: PostgreSQL refuses FOR UPDATE on the nullable side of a join
        Activity.objects.select_for_update(of=("self",))
        .select_related("plan_line", "plan_line__rt")
        .get(pk=activity.pk)
    )
    _ongoing(locked)
    place = locked.plan_line.rt or rt
    problems = _handover_problems(locked, kpp, on, realized_volume, place)
    if problems:
        raise ValidationError(problems)
    realization = realization_add(
        user=user,
        realization=Realization(
            rt=place,
            activity=locked.plan_line.activity,
            volume=realized_volume,
            year=on.year,
            plan_line=locked.plan_line,
        ),
    )
    realization_transition(user=user, realization=realization, action="submit")
    locked.status, locked.kpp, locked.handed_over_on = Activity.Status.HANDED_OVER, kpp, on
    locked.realized_volume, locked.realization, locked.asset_condition = (
        realized_volume,
        realization,
        condition,
    )
    locked.full_clean()
    locked.save()
    asset_condition_at_handover(user=user, asset=locked)
    _line_done(user, locked.plan_line)
    audit_record(
        user=user,
        action="handover",
        object_type="construction",
        object_id=locked.pk,
        before={"status": "ongoing"},
        after={
            "kpp": kpp.pk,
            "on": on.isoformat(),
            "volume": str(realized_volume),
            "realization": realization.pk,
        },
        summary=locked.name,
    )
    activity.refresh_from_db()
    return activity
