"""Pages for KPP: the registry of a region, and one KPP with its assets, their condition over
time, and its functioning assessments."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from nolkumuh.accounts.services import user_scope
from nolkumuh.core.downloads import send_once, temporary_file
from nolkumuh.monitoring.assets import asset_condition_record
from nolkumuh.monitoring.construction_views import _errors, _region
from nolkumuh.monitoring.documents import kpps_xlsx
from nolkumuh.monitoring.forms import AssetConditionForm, KppForm
from nolkumuh.monitoring.framework import default_settings
from nolkumuh.monitoring.institutions import kpp_assess, kpp_save
from nolkumuh.monitoring.models import AssetCondition, Kpp
from nolkumuh.monitoring.selectors import kpps_in
from nolkumuh.regions.models import Region
from nolkumuh.regions.selectors import region_with_ancestors

REGISTRARS = {"fasilitator", "korkot", "admin"}


@login_required
def kpp_list(request: HttpRequest, code: str) -> HttpResponse:
    region, ancestors = _region(request, code)
    may_add = region.level == Region.Level.KELURAHAN and user_scope(request.user).role in REGISTRARS
    form = KppForm(request.POST or None) if may_add else None
    if request.method == "POST" and form is not None and form.is_valid():
        kpp = form.save(commit=False)
        kpp.kelurahan = region
        try:
            kpp = kpp_save(user=request.user, kpp=kpp)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("KPP tersimpan."))
            return redirect("monitoring:kpp", kpp.pk)
    rows = kpps_in(code=region.code)
    if request.GET.get("format") == "xlsx":
        path = temporary_file(".xlsx")
        kpps_xlsx(rows, path)
        return send_once(path, f"kpp_{region.code}.xlsx")
    context = {
        "region": region,
        "ancestors": [*ancestors, region],
        "here": _("KPP"),
        "rows": rows,
        "form": form,
    }
    return render(request, "monitoring/kpp_list.html", context)


def _post_assessment(request: HttpRequest, kpp: Kpp) -> bool:
    checklist = default_settings().kpp_checklist
    try:
        on = date.fromisoformat(request.POST.get("assessed_on", ""))
        answers = {item.key: request.POST.get(f"k_{item.key}") == "1" for item in checklist}
        kpp_assess(
            user=request.user, kpp=kpp, assessed_on=on, answers=answers, note=request.POST.get("note", "")
        )
    except ValueError:
        messages.error(request, _("Isi tanggal penilaian."))
    except ValidationError:
        messages.error(request, _("Tanggal penilaian tidak boleh di masa depan atau sebelum KPP dibentuk."))
    except PermissionDenied:
        messages.error(request, _("Anda tidak berwenang menilai KPP ini."))
    else:
        messages.success(request, _("Penilaian KPP tersimpan."))
        return True
    return False


def _post_condition(request: HttpRequest, form: AssetConditionForm) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        asset_condition_record(
            user=request.user,
            asset=data["asset"],
            on=data["recorded_on"],
            condition=data["condition"],
            note=data["note"],
        )
    except ValidationError as exc:
        _errors(form, exc)
    except PermissionDenied:
        form.add_error(None, _("Anda tidak berwenang mencatat kondisi aset KPP ini."))
    else:
        messages.success(request, _("Kondisi aset tercatat."))
        return True
    return False


@login_required
def kpp_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A KPP: members, assets (handed-over works) with their condition over time, O&P fund, and
    its assessments over time."""
    kpp = get_object_or_404(Kpp.objects.select_related("kelurahan"), pk=pk)
    if not user_scope(request.user).covers(kpp.kelurahan.code):
        raise Http404
    action = request.POST.get("action", "assessment")
    condition_form = AssetConditionForm(request.POST if action == "condition" else None, kpp=kpp)
    if request.method == "POST":
        done = (
            _post_condition(request, condition_form)
            if action == "condition"
            else _post_assessment(request, kpp)
        )
        if done:
            return redirect("monitoring:kpp", kpp.pk)
    return render(request, "monitoring/kpp.html", _kpp_context(request, kpp, condition_form))


def _kpp_context(request: HttpRequest, kpp: Kpp, condition_form: AssetConditionForm) -> dict:
    tuning = default_settings()
    assessments = list(kpp.assessments.all())
    history = AssetCondition.objects.select_related("recorded_by").order_by("-recorded_on", "-id")
    ancestors = region_with_ancestors(code=kpp.kelurahan.code)[1]
    return {
        "kpp": kpp,
        "ancestors": [*ancestors, kpp.kelurahan],
        "here": kpp.name,
        "assessments": assessments,
        # bars of 1.2 px per percent on a 120 px axis, the score written above each bar
        "history": [
            (a, round(float(a.score) * 1.2, 1), round(116 - float(a.score) * 1.2, 1))
            for a in reversed(assessments)
        ],
        "threshold_y": round(120 - tuning.kpp_threshold * 1.2, 1),
        "assets": list(kpp.assets.prefetch_related(Prefetch("conditions", queryset=history))),
        "checklist": tuning.kpp_checklist,
        "threshold": tuning.kpp_threshold,
        "note": tuning.kpp_note,
        "may_assess": user_scope(request.user).role in REGISTRARS,
        "condition_form": condition_form,
        "today": timezone.localdate(),
    }


@login_required
def kpp_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a KPP's name, chair, members and O&P fund (audited by kpp_save)."""
    kpp = get_object_or_404(Kpp.objects.select_related("kelurahan"), pk=pk)
    scope = user_scope(request.user)
    if not scope.covers(kpp.kelurahan.code):
        raise Http404
    if scope.role not in REGISTRARS:
        messages.error(request, _("Anda tidak berwenang mengubah data KPP ini."))
        return redirect("monitoring:kpp", kpp.pk)
    form = KppForm(request.POST or None, instance=kpp)
    if request.method == "POST" and form.is_valid():
        try:
            kpp_save(user=request.user, kpp=form.save(commit=False))
        except ValidationError as exc:
            _errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("Anda tidak berwenang mengubah data KPP ini."))
        else:
            messages.success(request, _("Data KPP diperbarui."))
            return redirect("monitoring:kpp", kpp.pk)
    ancestors = region_with_ancestors(code=kpp.kelurahan.code)[1]
    context = {"form": form, "subject": kpp, "ancestors": [*ancestors, kpp.kelurahan], "here": _("Ubah data")}
    context["back"] = redirect("monitoring:kpp", kpp.pk).url
    return render(request, "monitoring/edit.html", context)
