"""Plans: list and create, the plan page (lines, simulation, collaboration), and the optimizer."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nolkumuh.accounts.services import WorkflowError, user_scope
from nolkumuh.baseline.figures import region_headline
from nolkumuh.baseline.scoring import ruleset_of
from nolkumuh.core.allornothing import not_saved_message
from nolkumuh.core.downloads import send_once, temporary_file
from nolkumuh.core.numbers import NumberField
from nolkumuh.core.uploads import store_upload
from nolkumuh.exchange.bounds import range_problem
from nolkumuh.planmath.activities import default_activities
from nolkumuh.planmath.optimize import Proposal, optimize
from nolkumuh.planning.costs import activities_for
from nolkumuh.planning.documents import memorandum_docx, memorandum_xlsx
from nolkumuh.planning.forms import OptimizeForm, PlanForm, PlanLineForm
from nolkumuh.planning.imports import LinesPlan, plan_lines_apply, plan_lines_plan, template_lines
from nolkumuh.planning.models import Plan, PlanLine, Realization
from nolkumuh.planning.realization import realization_add, realization_transition, realized_by_line
from nolkumuh.planning.realization_kawasan import realization_add_at_kawasan
from nolkumuh.planning.selectors import (
    base_table,
    collaboration_matrix,
    commitments,
    plan_simulation,
    plan_total,
)
from nolkumuh.planning.services import plan_adopt, plan_create, plan_line_add
from nolkumuh.regions.models import Rt
from nolkumuh.regions.selectors import region_with_ancestors
from nolkumuh.scoring.issues import InvalidInput


def _visible_plan(request: HttpRequest, pk: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("region", "base_round"), pk=pk)
    if not user_scope(request.user).covers(plan.region.code):
        raise Http404
    return plan


@login_required
def plan_list(request: HttpRequest, code: str) -> HttpResponse:
    region, ancestors = region_with_ancestors(code=code)
    if region is None or not user_scope(request.user).covers(region.code):
        raise Http404
    may_plan = user_scope(request.user).may("approve", region)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and may_plan and form.is_valid():
        plan = form.save(commit=False)
        plan.region = region
        try:
            plan = plan_create(user=request.user, plan=plan)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("planning:plan", plan.pk)
    plans = Plan.objects.filter(region=region)
    return render(
        request,
        "planning/list.html",
        {
            "region": region,
            "ancestors": [*ancestors, region],
            "here": _("Rencana"),
            "plans": plans,
            "form": form,
            "may_plan": may_plan,
        },
    )


@login_required
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    may_plan = user_scope(request.user).may("approve", plan.region)
    form = PlanLineForm(request.POST or None, plan=plan, initial={"year": plan.start_year})
    if request.method == "POST" and may_plan and form.is_valid():
        try:
            plan_line_add(user=request.user, plan=plan, line=form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Baris rencana ditambahkan."))
            return redirect("planning:plan", plan.pk)
    _region, ancestors = region_with_ancestors(code=plan.region.code)
    activities = default_activities()
    lines = list(plan.lines.select_related("rt", "rt__kelurahan", "kawasan"))
    realized = realized_by_line(lines)
    return render(
        request,
        "planning/plan.html",
        {
            "plan": plan,
            "ancestors": [*ancestors, plan.region],
            "here": plan.title,
            "form": form,
            "may_plan": may_plan,
            "lines": [(line, activities.get(line.activity), realized.get(line.pk)) for line in lines],
            "kawasan_lines": [line for line in lines if line.kawasan_id],
            "simulation": plan_simulation(plan),
            # the plan projects all data of its base round; the official figure of that round
            # (approved data, ADR 0009) is shown beside it, labelled
            "official": region_headline(code=plan.region.code, year=plan.base_round.year),
            "matrix": collaboration_matrix(plan),
            "commitments": commitments(plan),
            "total": plan_total(plan),
        },
    )


@login_required
def plan_optimize(request: HttpRequest, pk: int) -> HttpResponse:
    """A proposal for a budget (exact MILP); the planner can adopt it into the plan."""
    plan = _visible_plan(request, pk)
    if not user_scope(request.user).may("approve", plan.region):
        raise Http404
    form = OptimizeForm(request.POST or request.GET or None, plan=plan)
    proposal, rts = None, []
    if form.is_bound and form.is_valid():
        rts, table = base_table(plan)
        costs = activities_for(region=plan.region, year=plan.start_year)
        if rts:
            ruleset = ruleset_of(plan.base_round.ruleset_id)
            objective = form.cleaned_data["objective"]
            proposal = optimize(table, ruleset, costs, form.budget_caps(), objective=objective, time_limit=30)
        if request.method == "POST" and request.POST.get("adopt") and proposal is not None:
            funder = form.cleaned_data["funder"]
            count = plan_adopt(
                user=request.user, plan=plan, proposal=proposal, rts=rts, funder=funder, activities=costs
            )
            messages.success(request, _("%(count)s baris usulan ditambahkan ke rencana.") % {"count": count})
            return redirect("planning:plan", plan.pk)
    activities = default_activities()
    labels = dict(PlanLine.Source.choices)
    rows = [
        (c, rts[c.row], activities[c.activity], labels.get(c.funder or "", c.funder))
        for c in (proposal.choices if proposal else [])
    ]
    _region, ancestors = region_with_ancestors(code=plan.region.code)
    return render(
        request,
        "planning/optimize.html",
        {
            "plan": plan,
            "ancestors": [*ancestors, plan.region],
            "here": _("Optimasi anggaran"),
            "form": form,
            "proposal": proposal,
            "rows": rows,
            "spent": _spent_rows(proposal),
            "sources": PlanLine.Source.choices,
        },
    )


def _spent_rows(proposal: Proposal | None) -> list[tuple[int | None, str, float]]:
    labels = dict(PlanLine.Source.choices)
    if proposal is None:
        return []
    return [
        (y, str(labels.get(f or "", f or "–")), v) for (y, f), v in sorted(proposal.spent.items(), key=str)
    ]


@login_required
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The memorandum program as a Word document (with the maps where RT polygons exist)."""
    plan = _visible_plan(request, pk)
    response = HttpResponse(
        memorandum_docx(plan),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="memorandum_{plan.region.code}_{plan.pk}.docx"'
    return response


@login_required
def plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan as an Excel workbook (projection, lines, collaboration, kelurahan investment)."""
    plan = _visible_plan(request, pk)
    path = temporary_file(".xlsx")
    memorandum_xlsx(plan, path)
    return send_once(path, f"memorandum_{plan.region.code}_{plan.pk}.xlsx")


@login_required
def plan_template(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    path = temporary_file(".xlsx")
    template_lines(path, plan)
    return send_once(path, f"templat_kegiatan_{plan.pk}.xlsx")


def _issue_lines(checked: LinesPlan) -> list[str]:
    lang = get_language() or "id"
    sheet = _("lembar %(sheet)s, ") % {"sheet": checked.sheet} if checked.sheet else ""
    return [sheet + i.line(lang) for i in checked.issues]


@login_required
def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload plan lines: the dry run lists every problem; confirming adds all lines or none."""
    plan = _visible_plan(request, pk)
    if not user_scope(request.user).may("approve", plan.region):
        raise Http404
    context: dict[str, object] = {"plan": plan}
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        try:
            stored = store_upload(upload, key=f"rencana-{plan.pk}", kinds=("csv", "xlsx"))
        except InvalidInput as exc:
            context.update(refused=exc.lines(get_language() or "id"))
            return render(request, "planning/import.html", context)
        request.session[f"rencana-{plan.pk}"] = str(stored)
        checked = plan_lines_plan(user=request.user, plan=plan, path=stored)
        context.update(checked=checked, issue_lines=_issue_lines(checked))
    elif request.method == "POST" and request.POST.get("confirm"):
        stored = Path(request.session.get(f"rencana-{plan.pk}", ""))
        if not stored.is_file():
            raise Http404
        checked = plan_lines_plan(user=request.user, plan=plan, path=stored)
        try:
            count = plan_lines_apply(user=request.user, plan=plan, checked=checked)
        except InvalidInput:  # e.g. a kawasan of the file was renamed since the dry run
            messages.error(request, _("Berkas bermasalah; tidak ada baris yang ditambahkan."))
            context.update(checked=checked, issue_lines=_issue_lines(checked))
        except ValidationError as exc:  # a rule only the save checks: every line was rolled back
            problems = "; ".join(exc.messages)
            messages.error(
                request, _("Tidak ada baris yang ditambahkan: %(problems)s") % {"problems": problems}
            )
        except DatabaseError as exc:  # a line refused when saved: every line was rolled back
            messages.error(request, not_saved_message(exc, what="plan line import"))
            context.update(checked=checked)  # the same file may be confirmed again
        else:
            stored.unlink(missing_ok=True)
            messages.success(request, _("%(count)s baris rencana ditambahkan.") % {"count": count})
            return redirect("planning:plan", plan.pk)
    return render(request, "planning/import.html", context)


@login_required
@require_POST
def realization_new(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Record a completed activity at an RT of the kelurahan (a draft, approved like RT data)."""
    rt = (
        Rt.objects.filter(pk=request.POST.get("rt"), kelurahan__code=code).select_related("kelurahan").first()
    )
    if rt is None or not user_scope(request.user).covers(rt.kelurahan.code):
        raise Http404
    completed = _completed(request)
    if completed is None:
        return redirect("baseline:kelurahan", code, year)
    volume, done_year = completed
    line = PlanLine.objects.filter(pk=_int(request.POST.get("plan_line"))).first()
    realization = Realization(
        rt=rt, activity=request.POST.get("activity", ""), volume=volume, year=done_year, plan_line=line
    )
    try:
        realization_add(user=request.user, realization=realization)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Realisasi kegiatan dicatat."))
    return redirect("baseline:kelurahan", code, year)


@login_required
@require_POST
def realization_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    realization = get_object_or_404(Realization.objects.select_related("rt__kelurahan"), pk=pk)
    code = realization.rt.kelurahan.code
    if not user_scope(request.user).covers(code):
        raise Http404
    try:
        realization_transition(
            user=request.user, realization=realization, action=action, reason=request.POST.get("reason", "")
        )
    except PermissionDenied:
        messages.error(request, _("Anda tidak berwenang melakukan langkah ini."))
    except WorkflowError as exc:
        messages.error(request, exc.message())
    else:
        messages.success(request, _("Status realisasi diperbarui."))
    year = _int(request.POST.get("tahun"))
    known = year is not None and range_problem("year", year) is None
    return redirect("baseline:kelurahan", code, year if known else realization.year)


@login_required
@require_POST
def realization_kawasan(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a completed kawasan-wide line: shared into draft realizations of the kawasan's RTs."""
    plan = _visible_plan(request, pk)
    line = plan.lines.filter(pk=_int(request.POST.get("plan_line")), kawasan__isnull=False).first()
    completed = _completed(request)
    if completed is None:
        return redirect("planning:plan", plan.pk)
    volume, done_year = completed
    if line is None:
        raise Http404
    try:
        made = realization_add_at_kawasan(user=request.user, line=line, volume=volume, year=done_year)
    except PermissionDenied:
        messages.error(request, _("Anda tidak berwenang mencatat realisasi di semua kelurahan kawasan ini."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Realisasi dicatat sebagai %(count)s draf per RT; ajukan dari halaman data kelurahannya.")
            % {"count": len(made)},
        )
    return redirect("planning:plan", plan.pk)


def _completed(request: HttpRequest) -> tuple[Decimal, int] | None:
    """The volume built and the year completed of a realization form, typed in the page's language
    and within the bounds table; None (with the message shown) otherwise."""
    try:
        volume = NumberField(bound_name="volume", decimal_places=3).clean(request.POST.get("volume"))
        done_year = NumberField(bound_name="year").clean(request.POST.get("tahun"))
    except ValidationError as exc:
        messages.error(
            request, _("Realisasi tidak dicatat: %(problem)s") % {"problem": " ".join(exc.messages)}
        )
        return None
    if volume <= 0:
        messages.error(request, _("Isi volume terbangun lebih dari 0."))
        return None
    return volume, done_year


def _int(text: str | None) -> int | None:
    return int(text) if text and re.fullmatch(r"[0-9]{1,11}", text) else None
