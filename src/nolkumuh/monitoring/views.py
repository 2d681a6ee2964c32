"""Pages: the program dashboard of a region, KPI control, institutions, and the progress report."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nolkumuh.accounts.services import WorkflowError, previous_actors, user_scope, visibility, workflow_state
from nolkumuh.core.bounds import year_or_404
from nolkumuh.core.cache import cached, data_key
from nolkumuh.core.downloads import send_once, temporary_file
from nolkumuh.monitoring.construction_views import _errors, _region
from nolkumuh.monitoring.dashboard import dashboard, default_year
from nolkumuh.monitoring.documents import Period, progress_docx, progress_report, progress_xlsx
from nolkumuh.monitoring.forms import InstitutionForm, KpiTargetForm, KpiValueForm, MemberForm
from nolkumuh.monitoring.framework import default_framework
from nolkumuh.monitoring.institutions import institution_save, member_add, member_set_active
from nolkumuh.monitoring.kpi import kpi_target_set, kpi_value_save, kpi_value_transition
from nolkumuh.monitoring.models import Institution, KpiTarget, KpiValue, Member
from nolkumuh.regions.models import Region
from nolkumuh.regions.selectors import nation, within


def _year(request: HttpRequest) -> int:
    """The year asked for (outside the bounds table: 404), else the year of the latest data round."""
    return year_or_404(request.GET.get("tahun")) or default_year()


@login_required
def dashboard_page(request: HttpRequest, code: str = "") -> HttpResponse:
    """The program dashboard: slum, KPIs, construction, KPP and trainings, drilled down by region;
    without a code, the whole country with a row per province (those whose scope covers it:
    administrators)."""
    if code:
        region, ancestors = _region(request, code)
    elif user_scope(request.user).covers(""):
        region, ancestors = nation(), []
    else:
        raise Http404
    year = _year(request)
    # kept until the next change to any data (every change is audited, core.cache) or the next day
    # (schedules and KPP assessments age): the province and country dashboards read every activity,
    # KPP and training below them
    today = timezone.localdate()
    scope = user_scope(request.user)
    key = data_key(
        "dashboard-1", (region.code, visibility(request.user, region.code), scope.role, year, today)
    )
    context = dict(cached(key, lambda: dashboard(user=request.user, region=region, year=year, today=today)))
    context.update(
        fragment_key=key,  # the page's body is kept with it (monitoring/dashboard.html)
        region=region,
        ancestors=ancestors,
        nation=nation(),
        here=_("Dasbor program"),
        framework=default_framework(),
    )
    return render(request, "monitoring/dashboard.html", context)


def _kpi_post(
    request: HttpRequest, region: Region, value_form: KpiValueForm, target_form: KpiTargetForm
) -> bool:
    """Save a hand-entered value or a region target; True when saved (errors go on the form)."""
    try:
        if value_form.is_bound and value_form.is_valid():
            data = value_form.cleaned_data
            kpi_value_save(
                user=request.user,
                region=region,
                indicator=data["indicator"],
                year=data["year"],
                value=data["value"],
                evidence=data["evidence"],
            )
            messages.success(request, _("Nilai KPI tersimpan sebagai draf; ajukan untuk disetujui."))
            return True
        if target_form.is_bound and target_form.is_valid():
            data = target_form.cleaned_data
            kpi_target_set(
                user=request.user,
                region=region,
                indicator=data["indicator"],
                year=data["year"],
                target=data["target"],
                reason=data["reason"],
            )
            messages.success(request, _("Target wilayah tersimpan."))
            return True
    except ValidationError as exc:
        _errors(value_form if value_form.is_bound else target_form, exc)
    except PermissionDenied:
        messages.error(request, _("Anda tidak berwenang melakukan langkah ini."))
    return False


@login_required
def kpi_page(request: HttpRequest, code: str) -> HttpResponse:
    """Hand-entered KPI values of a region (entry and approval) and its own targets (administrator)."""
    region, ancestors = _region(request, code)
    scope = user_scope(request.user)
    value_form = KpiValueForm(
        request.POST if request.POST.get("form") == "value" else None, initial={"year": _year(request)}
    )
    target_form = KpiTargetForm(
        request.POST if request.POST.get("form") == "target" else None, initial={"year": _year(request)}
    )
    if request.method == "POST" and _kpi_post(request, region, value_form, target_form):
        return redirect("monitoring:kpi", region.code)
    framework = default_framework()
    names = {i.key: i for i in framework.indicators}
    values = list(
        KpiValue.objects.filter(within(region.code, "region__code"))
        .select_related("region")
        .order_by("-year", "indicator", "region__code")[:200]
    )
    actors = previous_actors(object_type="kpi_value", ids=[v.pk for v in values])
    targets = KpiTarget.objects.filter(region=region).order_by("indicator", "year")
    context = {
        "region": region,
        "ancestors": [*ancestors, region],
        "here": _("KPI"),
        "framework": framework,
        # each value with the steps this viewer may take on it now (the rule the service enforces)
        "values": [
            (
                v,
                names.get(v.indicator),
                workflow_state(
                    user=request.user, kelurahan=v.region, status=v.status, previous_actor_id=actors.get(v.pk)
                ),
            )
            for v in values
        ],
        "targets": [(t, names.get(t.indicator)) for t in targets],
        "value_form": value_form,
        "target_form": target_form,
        "may_enter": scope.may_edit(region),
        "is_admin": scope.is_admin,
    }
    return render(request, "monitoring/kpi.html", context)


@login_required
@require_POST
def kpi_value_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    record = get_object_or_404(KpiValue.objects.select_related("region"), pk=pk)
    if not user_scope(request.user).covers(record.region.code):
        raise Http404
    try:
        kpi_value_transition(
            user=request.user, record=record, action=action, reason=request.POST.get("reason", "")
        )
    except PermissionDenied:
        messages.error(request, _("Anda tidak berwenang melakukan langkah ini."))
    except WorkflowError as exc:
        messages.error(request, exc.message())
    else:
        messages.success(request, _("Status nilai KPI diperbarui."))
    back = request.POST.get("back", "")
    if not (Region.objects.filter(code=back).exists() and user_scope(request.user).covers(back)):
        back = record.region.code
    return redirect("monitoring:kpi", back)


@login_required
def institutions_page(request: HttpRequest, code: str) -> HttpResponse:
    """BKM/LKM, Pokja PKP and volunteers of a region and below, with members and status."""
    region, ancestors = _region(request, code)
    may_add = user_scope(request.user).role in {"fasilitator", "korkot", "admin"}
    form = InstitutionForm(request.POST or None) if may_add else None
    if request.method == "POST" and form is not None and form.is_valid():
        institution = form.save(commit=False)
        institution.region = region
        try:
            institution_save(user=request.user, institution=institution)
        except ValidationError as exc:
            _errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("Anda tidak berwenang mengubah data wilayah ini."))
        else:
            messages.success(request, _("Kelembagaan tersimpan."))
            return redirect("monitoring:institutions", region.code)
    rows = Institution.objects.filter(within(region.code, "region__code")).select_related("region")
    context = {
        "region": region,
        "ancestors": [*ancestors, region],
        "here": _("Kelembagaan"),
        "rows": rows,
        "form": form,
    }
    return render(request, "monitoring/institutions.html", context)


@login_required
def report_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The monthly (?bulan=2024-05) or quarterly (?triwulan=2024-2) progress report of a city."""
    region, _ancestors = _region(request, code)
    if region.level not in {Region.Level.KABKOTA, Region.Level.PROVINSI} or fmt not in {"docx", "xlsx"}:
        raise Http404
    try:
        period = Period.parse(month=request.GET.get("bulan"), quarter=request.GET.get("triwulan"))
    except ValueError:
        messages.error(request, _("Pilih periode: bulan (2024-05) atau triwulan (2024-2)."))
        return redirect("monitoring:dashboard", region.code)
    report = progress_report(user=request.user, region=region, period=period)
    path = temporary_file(f".{fmt}")
    (progress_docx if fmt == "docx" else progress_xlsx)(report, path)
    return send_once(path, f"laporan_kemajuan_{region.code}_{period.slug}.{fmt}")


@login_required
def institution_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One institution with its members (add, or mark as no longer active)."""
    institution = get_object_or_404(Institution.objects.select_related("region"), pk=pk)
    region, ancestors = _region(request, institution.region.code)
    may_edit = user_scope(request.user).role in {"fasilitator", "korkot", "admin"}
    form = MemberForm(request.POST or None) if may_edit else None
    try:
        if request.method == "POST" and may_edit and request.POST.get("member"):
            if not re.fullmatch(r"[0-9]{1,11}", request.POST["member"]):
                raise Http404
            member = get_object_or_404(Member, pk=int(request.POST["member"]), institution=institution)
            member_set_active(user=request.user, member=member, active=request.POST.get("active") == "1")
            return redirect("monitoring:institution", institution.pk)
        if request.method == "POST" and form is not None and form.is_valid():
            member_add(user=request.user, institution=institution, member=form.save(commit=False))
            messages.success(request, _("Anggota ditambahkan."))
            return redirect("monitoring:institution", institution.pk)
    except PermissionDenied:
        messages.error(request, _("Anda tidak berwenang mengubah data wilayah ini."))
    context = {
        "institution": institution,
        "region": region,
        "ancestors": [*ancestors, region],
        "here": institution.name,
        "members": list(institution.members.all()),
        "form": form,
    }
    return render(request, "monitoring/institution.html", context)
