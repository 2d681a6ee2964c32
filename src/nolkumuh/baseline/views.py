"""Data entry, import, export and the approval workflow. Views parse, call one service, render."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nolkumuh.accounts.services import WorkflowError, user_scope
from nolkumuh.baseline import exports
from nolkumuh.baseline.forms import ImportForm, NewRtForm, ReasonForm, form_values, rt_form_class
from nolkumuh.baseline.import_tables import upload_discard
from nolkumuh.baseline.imports import import_apply, import_plan
from nolkumuh.baseline.job_starts import export_start, import_check_start
from nolkumuh.baseline.jobs import import_is_large
from nolkumuh.baseline.models import DataRound, RtRecord
from nolkumuh.baseline.quality import id_or_zero, import_flags, kelurahan_quality, rt_flags
from nolkumuh.baseline.scoring import assess_values, record_values, ruleset_of
from nolkumuh.baseline.services import (
    ensure_editable,
    rt_record_save,
    submission_shown,
    submission_transition,
)
from nolkumuh.baseline.tasks import import_apply_task
from nolkumuh.baseline.unlock import unlock_section
from nolkumuh.baseline.workflow import kelurahan_workflow, submission_state
from nolkumuh.core.allornothing import not_saved_message
from nolkumuh.core.bounds import year_or_404
from nolkumuh.core.downloads import send_once, temporary_file
from nolkumuh.core.jobs import JobRefused, job_create
from nolkumuh.core.uploads import store_upload
from nolkumuh.exchange import read_sheet
from nolkumuh.exchange.workbooks import marked_workbook
from nolkumuh.regions.models import Region, Rt
from nolkumuh.regions.selectors import region_with_ancestors, within
from nolkumuh.regions.services import rt_get_or_create
from nolkumuh.scoring import InvalidInput, catalogue
from nolkumuh.scoring.issues import Issue


def _kelurahan(request: HttpRequest, code: str) -> Region:
    """The kelurahan, if the user may see its unapproved data; 404 otherwise (no hint it exists)."""
    region = (
        Region.objects.filter(code=code, level=Region.Level.KELURAHAN)
        .select_related("parent__parent")
        .first()
    )
    if region is None or not user_scope(request.user).covers(region.code):
        raise Http404
    return region


# A part of the kelurahan data page that a higher floor supplies (planning's realizations), wired
# in site/urls.py rather than imported (docs/adr/0008-floors.md): called with the request, the
# kelurahan, the round and its RTs, it returns its HTML (rendered by its own template).
PageSection = Callable[[HttpRequest, Region, DataRound, list[Rt]], str]


@login_required
def kelurahan_data(
    request: HttpRequest, code: str, year: int, *, sections: Sequence[PageSection]
) -> HttpResponse:
    kelurahan = _kelurahan(request, code)
    rounds = list(DataRound.objects.order_by("year"))
    round = next((r for r in rounds if r.year == year), None)
    if round is None:
        raise Http404
    submission = submission_shown(kelurahan=kelurahan, round=round)
    records = {r.rt_id: r for r in RtRecord.objects.filter(round=round, rt__kelurahan=kelurahan)}
    rts = list(Rt.objects.filter(kelurahan=kelurahan).select_related("kawasan"))
    ruleset = ruleset_of(round.ruleset_id)
    workflow = kelurahan_workflow(user=request.user, submission=submission)
    _region, ancestors = region_with_ancestors(code=kelurahan.code)
    return render(
        request,
        "baseline/kelurahan.html",
        {
            "kelurahan": kelurahan,
            "ancestors": [*ancestors, kelurahan],
            "here": str(round.year),
            "round": round,
            "rounds": rounds,
            "submission": submission,
            **workflow,
            "rows": [(rt, records.get(rt.pk)) for rt in rts],
            "criteria": ruleset.criteria,
            "new_rt_form": NewRtForm(),
            "sections": [section(request, kelurahan, round, rts) for section in sections],
            "reason_form": ReasonForm(),
            **unlock_section(user=request.user, submission=submission),
            **kelurahan_quality(scope=user_scope(request.user), kelurahan=kelurahan, round=round),
        },
    )


@login_required
@require_POST
def rt_new(request: HttpRequest, code: str, year: int) -> HttpResponse:
    kelurahan = _kelurahan(request, code)
    round = get_object_or_404(DataRound, year=year)
    form = NewRtForm(request.POST)
    try:
        ensure_editable(user=request.user, kelurahan=kelurahan, round=round)
    except PermissionDenied:
        messages.error(
            request, _("Data kelurahan ini tidak bisa diubah (terkunci atau di luar wilayah Anda).")
        )
        return redirect("baseline:kelurahan", code, year)
    if not form.is_valid():
        messages.error(request, _("Isi nomor RW dan RT."))
        return redirect("baseline:kelurahan", code, year)
    rt, _created = rt_get_or_create(
        kelurahan=kelurahan, rw=form.cleaned_data["rw"], rt=form.cleaned_data["rt"], user=request.user
    )
    return redirect("baseline:rt_edit", code, year, rt.pk)


def _rt_form(round: DataRound, data=None, initial=None):  # type: ignore[no-untyped-def]
    ruleset = ruleset_of(round.ruleset_id)
    return ruleset, rt_form_class(ruleset, get_language() or "id")(data=data, initial=initial)


@login_required
def rt_edit(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    kelurahan = _kelurahan(request, code)
    round = get_object_or_404(DataRound, year=year)
    rt = get_object_or_404(Rt, pk=pk, kelurahan=kelurahan)
    record = RtRecord.objects.filter(round=round, rt=rt).first()
    initial = record_values(record) if record else None
    state = submission_state(user=request.user, submission=submission_shown(kelurahan=kelurahan, round=round))
    # locked or not the viewer's to change: the values as text, nothing to type into or to lose
    ruleset, form = _rt_form(round, request.POST or None if state.may_edit else None, initial)
    problems: list[str] = []
    if request.method == "POST" and not state.may_edit:
        problems.append(_("Data ini tidak bisa diubah sekarang; perubahan tidak disimpan."))
    elif request.method == "POST" and form.is_valid():
        try:
            rt_record_save(user=request.user, round=round, rt=rt, values=form_values(form.cleaned_data))
        except InvalidInput as exc:
            for issue in exc.issues:
                form.add_error(
                    issue.column if issue.column in form.fields else None,
                    issue.message(get_language() or "id"),
                )
        except PermissionDenied:
            problems.append(
                _("Data kelurahan ini terkunci atau di luar wilayah Anda; perubahan tidak disimpan.")
            )
        else:
            messages.success(request, _("Data RT tersimpan."))
            for flag in rt_flags(
                round=round, rt=rt, values=form_values(form.cleaned_data)
            ):  # warnings, never blocking
                messages.warning(request, _("Perlu diperiksa: %(message)s") % {"message": flag.message})
            return redirect("baseline:kelurahan", code, year)
    _region, ancestors = region_with_ancestors(code=kelurahan.code)
    aspects = [catalogue().aspects[n] for n in ruleset.aspects]
    return render(
        request,
        "baseline/rt_form.html",
        {
            "aspects": aspects,
            "kelurahan": kelurahan,
            "round": round,
            "rt": rt,
            "form": form,
            "record": record,
            "problems": problems,
            "state": state,
            "ruleset": ruleset,
            "ancestors": [*ancestors, kelurahan],
            "here": str(rt),
            "flags": rt_flags(round=round, rt=rt, values=initial) if initial and not form.is_bound else [],
        },
    )


def _issue_text(issue: Issue, lang: str) -> str:
    """'volume lebih besar dari Jumlah KK (151) (3a Ketidaktersediaan akses aman air minum)'."""
    where = issue.label.text(lang) if issue.label else issue.column
    return f"{issue.message(lang)} ({where})" if where else issue.message(lang)


@login_required
@require_POST
def rt_preview(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """htmx: the percentages, scores, total and class for the values typed so far."""
    kelurahan = _kelurahan(request, code)
    round = get_object_or_404(DataRound, year=year)
    rt = Rt.objects.filter(pk=id_or_zero(request.GET.get("rt", "")), kelurahan=kelurahan).first()
    ruleset, form = _rt_form(round, request.POST)
    if not form.is_valid():
        return render(request, "baseline/_preview.html", {"incomplete": True})
    assessment, issues = assess_values([form_values(form.cleaned_data)], ruleset)
    rows = [
        {
            "code": c.code,
            "key": c.key,
            "percent": int(assessment.hundredths[j, 0]) / 100,
            "score": int(assessment.scores[j, 0]),
        }
        for j, c in enumerate(ruleset.criteria)
    ]
    context = {
        "rows": rows,
        "issues": [_issue_text(i, get_language() or "id") for i in issues],
        "total": int(assessment.total[0]),
        "class_code": str(assessment.class_codes()[0]),
        "class_label": str(assessment.class_labels()[0]),
        "max_total": ruleset.max_total,
        "flags": rt_flags(round=round, rt=rt, values=form_values(form.cleaned_data))
        if rt and not issues
        else [],
    }
    return render(request, "baseline/_preview.html", context)


@login_required
@require_POST
def transition(request: HttpRequest, code: str, year: int, action: str) -> HttpResponse:
    kelurahan = _kelurahan(request, code)
    round = get_object_or_404(DataRound, year=year)
    try:
        submission_transition(
            user=request.user,
            kelurahan=kelurahan,
            round=round,
            action=action,
            reason=request.POST.get("reason", ""),
        )
    except PermissionDenied:
        messages.error(request, _("Anda tidak berwenang melakukan langkah ini."))
    except WorkflowError as exc:
        messages.error(request, exc.message())
    else:
        messages.success(request, _("Status data diperbarui."))
    return redirect("baseline:kelurahan", code, year)


@login_required
def template_download(
    request: HttpRequest, code: str, year: int, *, handled: exports.HandledVolumes
) -> HttpResponse:
    """The entry template of a kelurahan, or of any region the user covers (a korkot's city).
    ``handled`` (wired in site/urls.py) is what completed activities handled since a record."""
    region = Region.objects.filter(code=code).first()
    if region is None or not user_scope(request.user).covers(region.code):
        raise Http404
    round = get_object_or_404(DataRound, year=year)
    path = exports.template_file(region=region, round=round, lang=get_language() or "id", handled=handled)
    return send_once(path, f"templat_{region.code}_{year}.xlsx")


@login_required
def import_start(request: HttpRequest, year: int) -> HttpResponse:
    """Upload, then the dry run: new/changed/unchanged rows and every problem."""
    round = get_object_or_404(DataRound, year=year)
    if not user_scope(request.user).may_edit_somewhere():
        # refused before the upload is read: a user without a data-entry area has nothing to import
        return render(request, "baseline/import.html", {"round": round, "no_area": True}, status=403)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form, "round": round}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        token = uuid.uuid4().hex
        try:
            stored = store_upload(upload, key=token, kinds=("csv", "xlsx"))
        except InvalidInput as exc:
            context.update(refused=exc.lines(get_language() or "id"), name=upload.name)
            return render(request, "baseline/import.html", context)
        decimal_comma = form.cleaned_data["decimal_comma"]
        if import_is_large(stored):  # checked in the background, the result on the job's page
            info = {"path": str(stored), "decimal_comma": decimal_comma, "year": year, "name": upload.name}
            return import_check_start(request, token, info) or render(
                request, "baseline/import.html", context
            )
        plan = import_plan(user=request.user, round=round, path=stored, decimal_comma=decimal_comma)
        request.session[f"import-{token}"] = {
            "path": str(stored),
            "decimal_comma": decimal_comma,
            "year": year,
            "name": upload.name,
            "rows": len(plan.rows),
        }
        lang = get_language() or "id"
        context.update(
            plan=plan,
            token=token,
            issue_lines=[i.line(lang) for i in plan.issues],
            name=upload.name,
            warnings=import_flags(plan),
        )
    return render(request, "baseline/import.html", context)


def _stored_import(request: HttpRequest, token: str) -> dict[str, object]:
    info = request.session.get(f"import-{token}")
    if not info or not Path(str(info["path"])).exists():
        raise Http404
    return info


@login_required
@require_POST
def import_confirm(request: HttpRequest, token: str) -> HttpResponse:
    info = _stored_import(request, token)
    round = get_object_or_404(DataRound, year=info["year"])
    if int(info.get("rows", 0)) >= settings.NOLKUMUH_TASK_ROWS:  # large: in the background
        params = {"path": info["path"], "year": round.year, "decimal_comma": bool(info["decimal_comma"])}
        title = _("Impor %(name)s") % {"name": info["name"]}
        try:
            job = job_create(
                request=request, kind="import", title=title, params=params, task=import_apply_task
            )
        except JobRefused as exc:  # the upload stays: the user may confirm again later
            messages.error(request, exc.message)
            return redirect("baseline:import", round.year)
        del request.session[f"import-{token}"]
        return redirect("core:job", job.pk)
    plan = import_plan(
        user=request.user,
        round=round,
        path=Path(str(info["path"])),
        decimal_comma=bool(info["decimal_comma"]),
    )
    try:
        counts = import_apply(user=request.user, plan=plan)
    except InvalidInput as exc:  # e.g. the kelurahan was submitted since the dry run
        problems = "; ".join(exc.lines(get_language() or "id")[:3])
        messages.error(
            request,
            _("Tidak ada data yang disimpan: %(problems)s. Unggah ulang untuk melihat semua masalahnya.")
            % {"problems": problems},
        )
        return redirect("baseline:import", round.year)
    except DatabaseError as exc:  # a row refused when saved: the whole import was rolled back
        messages.error(request, not_saved_message(exc, what="RT import"))
        return redirect("baseline:import", round.year)
    del request.session[f"import-{token}"]
    upload_discard(Path(str(info["path"])))
    messages.success(
        request,
        _("Impor selesai: %(new)s baru, %(changed)s berubah, %(unchanged)s tetap.") % counts,
    )
    return redirect("accounts:home")


@login_required
def import_marked(request: HttpRequest, token: str) -> HttpResponse:
    """The uploaded workbook with every faulty cell marked red and commented."""
    info = _stored_import(request, token)
    round = get_object_or_404(DataRound, year=info["year"])
    path = Path(str(info["path"]))
    plan = import_plan(user=request.user, round=round, path=path, decimal_comma=bool(info["decimal_comma"]))
    try:
        sheet = read_sheet(path)
    except InvalidInput:
        raise Http404 from None
    out = temporary_file(".xlsx")
    marked_workbook(out, sheet, plan.issues, lang=get_language() or "id")
    return send_once(out, Path(str(info["name"])).stem + "_perlu_diperbaiki.xlsx")


def export(request: HttpRequest, code: str) -> HttpResponse:
    """Any region's visible data in the exchange format (XLSX or CSV), scored."""
    region, _ancestors = region_with_ancestors(code=code)
    if region is None:
        raise Http404
    year = year_or_404(request.GET.get("tahun"))
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    if Rt.objects.filter(within(region.code, "kelurahan__code")).count() >= settings.NOLKUMUH_TASK_ROWS:
        return export_start(request, region, year, fmt)
    path, round = exports.export_file(user=request.user, region=region, year=year, fmt=fmt)
    if path is None:
        messages.error(request, _("Belum ada data yang bisa diunduh untuk wilayah dan tahun ini."))
        return redirect("regions:profile", code)
    return send_once(path, f"nolkumuh_{region.code}_{round.year}.{fmt}")


@login_required
def completeness(request: HttpRequest, code: str) -> HttpResponse:
    """Per kelurahan below the region: how many RTs have data and where the workflow stands."""
    region, ancestors = region_with_ancestors(code=code)
    if region is None:
        raise Http404
    rounds = list(DataRound.objects.order_by("year"))
    year = year_or_404(request.GET.get("tahun"), default=rounds[-1].year if rounds else 0)
    round = next((r for r in rounds if r.year == year), None)
    rows = exports.completeness_rows(user=request.user, region=region, round=round) if round else []
    missing = sum(1 for r in rows if r["status"] in ("", "draft"))
    return render(
        request,
        "baseline/completeness.html",
        {
            "region": region,
            "ancestors": [*ancestors, region],
            "here": _("Kelengkapan"),
            "round": round,
            "rounds": rounds,
            "rows": rows,
            "missing": missing,
            "may_quality": user_scope(request.user).covers(region.code),
        },
    )
