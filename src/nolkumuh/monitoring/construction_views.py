"""Pages for construction (activities, weekly reports, quality, photos, handover) and KPP."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nolkumuh.accounts.services import user_scope
from nolkumuh.core.downloads import send_once, temporary_file
from nolkumuh.core.numbers import NumberField
from nolkumuh.exchange.bounds import bound
from nolkumuh.monitoring.charts import s_curve_chart
from nolkumuh.monitoring.construction import (
    activity_handover,
    activity_start,
    quality_check_add,
    report_save,
)
from nolkumuh.monitoring.documents import activities_xlsx
from nolkumuh.monitoring.forms import ActivityForm, HandoverForm, ReportForm
from nolkumuh.monitoring.framework import default_settings
from nolkumuh.monitoring.models import Activity, Photo
from nolkumuh.monitoring.photos import photo_add, photo_file
from nolkumuh.monitoring.scurve import PlanError, curve, parse_plan
from nolkumuh.monitoring.selectors import activities_in, schedule_now
from nolkumuh.regions.models import Region
from nolkumuh.regions.selectors import region_with_ancestors

PAGE_SIZE = 100
PHOTO_WARNINGS = {
    "no_gps": gettext_lazy(
        "Foto tidak punya posisi GPS: aktifkan lokasi pada kamera dan ambil ulang bila bisa."
    ),
    "no_location": gettext_lazy("Lokasi kegiatan belum diketahui; jarak foto tidak dapat diperiksa."),
    "far": gettext_lazy(
        "Posisi foto jauh dari lokasi kegiatan: periksa apakah foto diambil di lokasi yang benar."
    ),
    "no_time": gettext_lazy("Foto tidak punya waktu pengambilan (EXIF)."),
}


def _region(request: HttpRequest, code: str) -> tuple[Region, list[Region]]:
    region, ancestors = region_with_ancestors(code=code)
    if region is None or not user_scope(request.user).covers(region.code):
        raise Http404
    return region, ancestors


def _activity(request: HttpRequest, pk: int) -> Activity:
    activity = get_object_or_404(
        Activity.objects.select_related("kelurahan", "plan_line", "plan_line__rt", "plan_line__plan", "kpp"),
        pk=pk,
    )
    if not user_scope(request.user).covers(activity.kelurahan.code):
        raise Http404
    return activity


def _errors(form: BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names (the rest above the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def activity_list(request: HttpRequest, code: str) -> HttpResponse:
    """Activities of a region with progress against plan; korkot start new ones from plan lines."""
    region, ancestors = _region(request, code)
    scope = user_scope(request.user)
    may_start = scope.may("approve", region) and scope.role in {"korkot", "admin"}
    form = ActivityForm(request.POST or None, code=region.code) if may_start else None
    if request.method == "POST" and form is not None and form.is_valid():
        activity = form.save(commit=False)
        try:
            if form.cleaned_data["planned_text"].strip():
                activity.planned = parse_plan(form.cleaned_data["planned_text"])
            activity = activity_start(user=request.user, activity=activity)
        except PlanError as exc:
            form.add_error("planned_text", str(exc))
        except ValidationError as exc:
            _errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("Anda tidak berwenang memulai kegiatan di lokasi ini."))
        else:
            messages.success(request, _("Kegiatan konstruksi dicatat."))
            return redirect("monitoring:activity", activity.pk)
    rows = activities_in(code=region.code)
    behind_only = request.GET.get("status") == "behind"
    if behind_only:
        rows = [r for r in rows if r["schedule"] == "behind"]
    if request.GET.get("format") == "xlsx":
        path = temporary_file(".xlsx")
        activities_xlsx(rows, path)
        return send_once(path, f"konstruksi_{region.code}.xlsx")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("halaman"))
    context = {
        "region": region,
        "ancestors": [*ancestors, region],
        "here": _("Konstruksi"),
        "page": page,
        "count": len(rows),
        "behind_only": behind_only,
        "form": form,
    }
    context["margin"] = default_settings().alert_margin
    return render(request, "monitoring/activities.html", context)


def _post_report(request: HttpRequest, activity: Activity, forms: dict) -> bool:
    if not forms["report"].is_valid():
        return False
    data = forms["report"].cleaned_data
    report_save(
        user=request.user,
        activity=activity,
        week=data["week"],
        physical=data["physical"],
        disbursed=data["disbursed"],
        note=data["note"],
    )
    return True


def _post_quality(request: HttpRequest, activity: Activity, forms: dict) -> bool:
    answers = {item.key: request.POST.get(f"q_{item.key}") == "1" for item in default_settings().quality}
    on = date.fromisoformat(request.POST.get("checked_on") or timezone.localdate().isoformat())
    quality_check_add(
        user=request.user,
        activity=activity,
        checked_on=on,
        answers=answers,
        note=request.POST.get("note", ""),
    )
    return True


def _post_photo(request: HttpRequest, activity: Activity, forms: dict) -> bool:
    upload = request.FILES.get("photo")
    if upload is None:
        return False
    result = photo_add(
        user=request.user,
        activity=activity,
        stage=NumberField(bound_name="percent", integer=True).clean(request.POST.get("stage")),
        name=upload.name,
        size=upload.size,
        stream=upload.file,
    )
    for warning in result.warnings:
        messages.error(request, PHOTO_WARNINGS[warning])
    return True


def _post_handover(request: HttpRequest, activity: Activity, forms: dict) -> bool:
    if not forms["handover"].is_valid():
        return False
    data = forms["handover"].cleaned_data
    activity_handover(
        user=request.user,
        activity=activity,
        kpp=data["kpp"],
        on=data["on"],
        realized_volume=data["realized_volume"],
        condition=data["condition"],
        rt=data.get("rt"),
    )
    messages.success(
        request,
        _("Serah terima tercatat. Realisasi kegiatan diajukan dan menunggu verifikasi serta persetujuan."),
    )
    return True


POST_ACTIONS = {
    "report": _post_report,
    "quality": _post_quality,
    "photo": _post_photo,
    "handover": _post_handover,
}


def _activity_post(request: HttpRequest, activity: Activity, forms: dict) -> bool:
    """Handle one of the activity page's forms; True when it succeeded."""
    handler = POST_ACTIONS.get(request.POST.get("action", ""))
    try:
        if handler is not None and handler(request, activity, forms):
            return True
        messages.error(request, _("Periksa isian formulir."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except (ValueError, PermissionDenied):
        messages.error(request, _("Isian tidak valid atau Anda tidak berwenang melakukan langkah ini."))
    return False


@login_required
def activity_page(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    scope = user_scope(request.user)
    forms = {
        "report": ReportForm(
            request.POST if request.POST.get("action") == "report" else None,
            initial={"week": activity.last_week + 1, "disbursed": activity.disbursed},
        ),
        "handover": HandoverForm(
            request.POST if request.POST.get("action") == "handover" else None, activity=activity
        ),
    }
    if request.method == "POST" and not scope.may_edit(activity.kelurahan):
        messages.error(request, _("Anda tidak berwenang mengubah data kegiatan ini."))
    elif request.method == "POST" and _activity_post(request, activity, forms):
        if request.POST.get("action") != "handover":
            messages.success(request, _("Tersimpan."))
        return redirect("monitoring:activity", activity.pk)
    reports = list(activity.reports.all())
    by_week = {r.week: float(r.physical) for r in reports}
    row = schedule_now(
        {f: getattr(activity, f) for f in ("status", "actual", "last_week", "start_date", "planned")},
        timezone.localdate(),
        default_settings().alert_margin,
    )
    # never more weeks than the bounds table allows, also for reports stored before it existed
    weeks = min(max(len(activity.planned), row["week"], activity.last_week), int(bound("week").high or 520))
    points = curve(activity.planned, by_week, up_to_week=weeks)
    # the actual line stops at this week: carrying it into the future would look like a forecast
    chart = s_curve_chart(
        [p.planned for p in points], [p.actual if p.week <= row["week"] else None for p in points]
    )
    _region, ancestors = region_with_ancestors(code=activity.kelurahan.code)
    tuning = default_settings()
    photos = list(activity.photos.all())
    context = {
        "activity": activity,
        "ancestors": [*ancestors, activity.kelurahan],
        "here": activity.name,
        "row": row,
        "points": points,
        "chart": chart,
        "reports": reports,
        "forms": forms,
        "quality": tuning.quality,
        "checks": list(activity.quality_checks.all()[:10]),
        "stages": [(s, [p for p in photos if p.stage == s]) for s in tuning.photo_stages],
        "tolerance": tuning.photo_tolerance_m,
        "may_edit": scope.may_edit(activity.kelurahan) and activity.status == "ongoing",
        "may_handover": scope.may("approve", activity.kelurahan)
        and scope.may_edit(activity.kelurahan)
        and activity.status == "ongoing",
        "next_week": (activity.last_week or 0) + 1,
    }
    return render(request, "monitoring/activity.html", context)


@login_required
def photo_view(request: HttpRequest, pk: int, small: bool = False) -> HttpResponse:
    """A documentation photo (or its thumbnail), only for signed-in users whose regions include
    the activity."""
    photo = get_object_or_404(Photo.objects.select_related("activity__kelurahan"), pk=pk)
    if not user_scope(request.user).covers(photo.activity.kelurahan.code):
        raise Http404
    path = photo_file(photo, small=small)
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"))
