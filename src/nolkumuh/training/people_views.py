"""The personnel registry, the training-needs assessment, the curriculum, and the cascade of
community trainings with its coverage table and map."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from nolkumuh.core.downloads import send_once, temporary_file
from nolkumuh.regions.models import Boundary, Region
from nolkumuh.regions.selectors import region_with_ancestors, within
from nolkumuh.training.forms import CommunityTrainingForm, CompetencyForm, PersonForm, TopicForm
from nolkumuh.training.imports import (
    needs_apply,
    needs_check,
    needs_template,
    persons_apply,
    persons_check,
    persons_template,
)
from nolkumuh.training.models import Competency, NeedsResponse, NeedsSurvey, Person, Role, Topic
from nolkumuh.training.needs import (
    competencies_for,
    needs_response_save,
    people_in,
    person_needs,
    proposal_adopt,
    survey_results,
)
from nolkumuh.training.selectors import cascade_coverage, chosen_region, person_history
from nolkumuh.training.services import (
    community_training_add,
    curriculum_save,
    may_edit_curriculum,
    may_organise,
    may_see,
    person_save,
)
from nolkumuh.training.upload import as_id, import_flow
from nolkumuh.training.view_helpers import PAGE, visible_or_404


def _home_region(request: HttpRequest) -> Region:
    region = chosen_region(user=request.user, code=request.GET.get("wilayah"))
    if region is None:
        raise Http404
    return region


@login_required
def persons(request: HttpRequest) -> HttpResponse:
    """The registry: filter by role, kab/kota or name; organisers add people here."""
    region = _home_region(request)
    may = may_organise(request.user, region)
    form = PersonForm(request.POST or None, region_code=region.code)
    if request.method == "POST" and may and form.is_valid():
        try:
            person = person_save(user=request.user, person=form.save(commit=False))
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(
                None, exc if isinstance(exc, ValidationError) else _("Di luar wilayah kerja Anda.")
            )
        else:
            messages.success(request, _("%(name)s ditambahkan.") % {"name": person.name})
            return redirect("training:person", person.pk)
    rows = Person.objects.filter(within(region.code, "kabkota__code")).select_related("kabkota", "kelurahan")
    q, role = request.GET.get("q", "").strip(), request.GET.get("peran", "")
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(kabkota__name__icontains=q))
    if role:
        rows = rows.filter(role=role)
    page = Paginator(rows, PAGE).get_page(request.GET.get("hal"))
    return render(
        request,
        "training/persons.html",
        {
            "region": region,
            "may": may,
            "form": form,
            "page": page,
            "q": q,
            "role": role,
            "roles": Role.choices,
        },
    )


def _person(request: HttpRequest, pk: int) -> Person:
    return visible_or_404(
        request, Person.objects.select_related("kabkota", "kelurahan"), pk, lambda p: p.kabkota
    )


@login_required
def person_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One person: details (editable by organisers), training history and latest needs."""
    person = _person(request, pk)
    may = may_organise(request.user, person.kabkota)
    form = PersonForm(request.POST or None, instance=person, region_code=person.kabkota.code[:2])
    if request.method == "POST" and may and form.is_valid():
        try:
            person_save(user=request.user, person=form.save(commit=False))
        except (ValidationError, PermissionDenied):
            messages.error(
                request, _("Perubahan tidak disimpan: periksa kabupaten/kota dan wilayah kerja Anda.")
            )
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("training:person", person.pk)
    return render(
        request,
        "training/person.html",
        {
            "person": person,
            "may": may,
            "form": form,
            "history": person_history(person_id=person.pk),
            "needs": person_needs(person=person),
        },
    )


@login_required
def persons_import(request: HttpRequest) -> HttpResponse:
    region = _home_region(request)
    if not may_organise(request.user, region):
        raise Http404
    if request.GET.get("templat"):
        path = temporary_file(".xlsx")
        persons_template(path)
        return send_once(path, "templat-personel.xlsx")
    return import_flow(
        request,
        key="personel",
        check=lambda path: persons_check(user=request.user, path=path),
        apply=lambda checked: persons_apply(user=request.user, checked=checked),
        done=_("%(count)s personel disimpan."),
        back=reverse("training:persons"),
        title=_("Impor personel"),
        columns=_("kolom: kode, nama, peran, jenis_kelamin (L/P), kabkota, kode_kelurahan, telepon, surel"),
        template_url=reverse("training:persons_import") + "?templat=1",
    )


def _survey(request: HttpRequest, pk: int) -> NeedsSurvey:
    return visible_or_404(request, NeedsSurvey.objects.select_related("region"), pk, lambda s: s.region)


@login_required
def survey_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The needs matrix by kab/kota and by role, and the proposed next trainings."""
    survey = _survey(request, pk)
    may = may_organise(request.user, survey.region)
    if request.method == "POST" and may and request.POST.get("adopt"):
        try:
            adopted = proposal_adopt(user=request.user, survey=survey, topic_code=request.POST["adopt"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Program baru dibuat dengan %(count)s peserta terdaftar; atur tanggal dan tempatnya.")
                % {"count": adopted.registered},
            )
            return redirect("training:event", adopted.event.pk)
    q = request.GET.get("q", "").strip()
    people = (
        [p for p in people_in(survey=survey) if not q or q.lower() in p.name.lower() or q in p.code][:50]
        if q
        else []
    )
    return render(
        request,
        "training/survey.html",
        {"survey": survey, "may": may, "results": survey_results(survey=survey), "people": people, "q": q},
    )


@login_required
def survey_fill(request: HttpRequest, pk: int, person: int) -> HttpResponse:
    """The questionnaire of one person: self rating and supervisor rating side by side."""
    survey = _survey(request, pk)
    someone = _person(request, person)
    if not may_organise(request.user, someone.kabkota):
        raise Http404
    asked = competencies_for(someone.role)
    if request.method == "POST":
        for rater in NeedsResponse.Rater.values:
            levels = {}
            for c in asked:
                value = request.POST.get(f"{rater}-{c.pk}", "")
                levels[c.pk] = int(value) if value in {"1", "2", "3", "4", "5"} else None
            needs_response_save(user=request.user, survey=survey, person=someone, rater=rater, levels=levels)
        messages.success(request, _("Kuesioner %(name)s disimpan.") % {"name": someone.name})
        return redirect("training:survey", survey.pk)
    current = {
        (r.response.rater, r.competency_id): r.level
        for response in NeedsResponse.objects.filter(survey=survey, person=someone)
        for r in response.ratings.select_related("response")
    }
    rows = [(c, current.get(("diri", c.pk)), current.get(("atasan", c.pk))) for c in asked]
    return render(
        request,
        "training/survey_fill.html",
        {"survey": survey, "person": someone, "rows": rows, "levels": range(1, 6)},
    )


@login_required
def survey_import(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    if not may_organise(request.user, survey.region):
        raise Http404
    if request.GET.get("templat"):
        path = temporary_file(".xlsx")
        needs_template(path, survey, people_in(survey=survey))
        return send_once(path, f"kuesioner-kebutuhan-{survey.pk}.xlsx")
    return import_flow(
        request,
        key=f"kebutuhan-{survey.pk}",
        check=lambda path: needs_check(user=request.user, survey=survey, path=path),
        apply=lambda checked: needs_apply(user=request.user, survey=survey, checked=checked),
        done=_("%(count)s kuesioner disimpan."),
        back=reverse("training:survey", args=[survey.pk]),
        title=_("Impor kuesioner kebutuhan pelatihan") + " · " + survey.title,
        columns=_(
            "kolom: kode_personel, penilai (diri/atasan), lalu satu kolom per kode kompetensi berisi 1–5"
        ),
        template_url=reverse("training:survey_import", args=[survey.pk]) + "?templat=1",
    )


@login_required
def curriculum(request: HttpRequest) -> HttpResponse:
    """The topics and the competency questionnaire; administrators and provincial managers edit."""
    may = may_edit_curriculum(request.user)
    edit_topic = Topic.objects.filter(pk=as_id(request.GET.get("topik"))).first()
    edit_comp = Competency.objects.filter(pk=as_id(request.GET.get("kompetensi"))).first()
    topic_form = TopicForm(
        request.POST if "topic" in request.POST else None, instance=edit_topic, prefix="topic"
    )
    comp_form = CompetencyForm(
        request.POST if "competency" in request.POST else None, instance=edit_comp, prefix="competency"
    )
    if request.method == "POST" and may:
        form = topic_form if "topic" in request.POST else comp_form
        if form.is_valid():
            curriculum_save(user=request.user, item=form.save(commit=False))
            messages.success(request, _("Kurikulum disimpan."))
            return redirect("training:curriculum")
    topics = Topic.objects.prefetch_related("competencies")
    return render(
        request,
        "training/curriculum.html",
        {
            "topics": topics,
            "may": may,
            "topic_form": topic_form,
            "comp_form": comp_form,
            "roles": dict(Role.choices),
        },
    )


@login_required
def cascade(request: HttpRequest, code: str) -> HttpResponse:
    """Community trainings run by facilitators: coverage per region, the map, and entry."""
    region, ancestors = region_with_ancestors(code=code)
    if region is None or not may_see(request.user, region):
        raise Http404
    form = CommunityTrainingForm(request.POST or None, region_code=region.code)
    if request.method == "POST" and form.is_valid():
        try:
            community_training_add(
                user=request.user, training=form.save(commit=False), audience=form.audience()
            )
        except PermissionDenied:
            form.add_error("kelurahan", _("Anda tidak bertugas di kelurahan ini."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Pelatihan masyarakat dicatat."))
            return redirect("training:cascade", region.code)
    coverage = cascade_coverage(region=region)
    has_map = Boundary.objects.filter(within(region.code, "code"), kind="kelurahan").exists()
    return render(
        request,
        "training/cascade.html",
        {
            "region": region,
            "ancestors": [*ancestors, region],
            "here": _("Pelatihan masyarakat"),
            "coverage": coverage,
            "form": form,
            "has_map": has_map,
        },
    )


REACHED, NOT_YET, OUTSIDE = "#27ae60", "#e67e22", "#bdc3c7"


@login_required
def cascade_geojson(request: HttpRequest, code: str) -> JsonResponse:
    """Kelurahan polygons coloured by whether a community training has been held there."""
    region = get_object_or_404(Region, code=code)
    if not may_see(request.user, region):
        raise Http404
    coverage = cascade_coverage(region=region)
    features = []
    for b in Boundary.objects.filter(within(region.code, "code"), kind="kelurahan").values(
        "display", "region__code", "region__name"
    ):
        kel = b["region__code"]
        reached, program = kel in coverage["reached_codes"], kel in coverage["program_codes"]
        colour = REACHED if reached else NOT_YET if program else OUTSIDE
        label = (
            _("sudah ada pelatihan masyarakat")
            if reached
            else _("belum")
            if program
            else _("bukan lokasi dampingan")
        )
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(b["display"]),
                "properties": {
                    "name": b["region__name"],
                    "url": reverse("training:cascade", args=[kel]),
                    "color": colour,
                    "tooltip": f"{b['region__name']}: {label}",
                },
            }
        )
    legend = [
        (REACHED, _("sudah ada pelatihan masyarakat")),
        (NOT_YET, _("belum")),
        (OUTSIDE, _("bukan lokasi dampingan")),
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features, "legend": legend})
