"""The participants of an event: the list (search, filter by class, page), registration by code or
by role and region, removal, import, moves between classes, and the lists per venue (the workbook
with phone numbers, the printable rooming list with check-in PINs, the name tags)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nolkumuh.core.downloads import send_once, temporary_file
from nolkumuh.regions.selectors import within
from nolkumuh.training import documents
from nolkumuh.training.forms import RegisterFilterForm
from nolkumuh.training.imports import participants_apply, participants_check
from nolkumuh.training.models import Participant, Person, TrainingClass
from nolkumuh.training.services import (
    may_organise,
    participant_move,
    participant_remove,
    participants_register,
)
from nolkumuh.training.texts import REASONS, reason_text
from nolkumuh.training.upload import as_id, import_flow
from nolkumuh.training.view_helpers import PAGE, require_organiser, visible_event


@login_required
def event_participants(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant list (filter, page), registration by role and region, and manual moves."""
    event = visible_event(request, pk)
    may = may_organise(request.user, event.programme.region)
    form = RegisterFilterForm(request.POST or None, region_code=event.programme.region.code)
    if request.method == "POST" and may and "remove" in request.POST:
        gone = event.participants.filter(pk=as_id(request.POST["remove"])).select_related("person").first()
        if gone is not None:
            try:
                participant_remove(user=request.user, participant=gone)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("%(name)s dihapus dari kegiatan.") % {"name": gone.person.name})
        return redirect("training:participants", event.pk)
    if request.method == "POST" and may and "one" in request.POST:
        code = request.POST["one"].strip()
        someone = Person.objects.filter(
            within(event.programme.region.code, "kabkota__code"), code__iexact=code, active=True
        ).first()
        if someone is None:
            messages.error(
                request, _("Kode personel %(code)s tidak ada di daftar personel.") % {"code": code}
            )
        else:
            count = participants_register(user=request.user, event=event, persons=[someone])
            messages.success(
                request,
                _("%(name)s didaftarkan.") % {"name": someone.name}
                if count
                else _("%(name)s sudah terdaftar.") % {"name": someone.name},
            )
        return redirect("training:participants", event.pk)
    if request.method == "POST" and may and form.is_valid():
        people = Person.objects.filter(active=True, kabkota__code__startswith=event.programme.region.code)
        if form.cleaned_data["role"]:
            people = people.filter(role__in=form.cleaned_data["role"])
        if form.cleaned_data["kabkota"]:
            people = people.filter(kabkota__in=form.cleaned_data["kabkota"])
        count = participants_register(
            user=request.user, event=event, persons=people.order_by("kabkota__code", "name")
        )
        messages.success(request, _("%(count)s peserta baru didaftarkan.") % {"count": count})
        return redirect("training:participants", event.pk)
    rows = event.participants.select_related("person__kabkota", "klass__venue")
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(
            Q(person__name__icontains=q)
            | Q(person__kabkota__name__icontains=q)
            | Q(person__code__icontains=q)
        )
    if as_id(request.GET.get("kelas")):
        rows = rows.filter(klass_id=as_id(request.GET.get("kelas")))
    page = Paginator(rows, PAGE).get_page(request.GET.get("hal"))
    for p in page:
        p.reason_lines = [reason_text(code, params) for code, params in p.reason]
    classes = TrainingClass.objects.filter(venue__event=event).select_related("venue")
    return render(
        request,
        "training/participants.html",
        {
            "event": event,
            "may": may,
            "form": form,
            "page": page,
            "q": q,
            "classes": classes,
            "reasons": REASONS,
        },
    )


@login_required
@require_POST
def participant_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_object_or_404(Participant.objects.select_related("event__programme__region"), pk=pk)
    klass = get_object_or_404(
        TrainingClass.objects.select_related("venue"), pk=as_id(request.POST.get("klass"))
    )
    try:
        participant_move(user=request.user, participant=participant, klass=klass)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(who)s dipindah ke %(klass)s.") % {"who": participant.person.name, "klass": klass}
        )
    back = request.POST.get("back", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("training:participants", args=[participant.event_id])
    return redirect(back)


@login_required
def participants_import(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    require_organiser(request, event)
    return import_flow(
        request,
        key=f"peserta-{event.pk}",
        check=lambda path: participants_check(event=event, path=path),
        apply=lambda checked: participants_apply(user=request.user, event=event, checked=checked),
        done=_("%(count)s peserta baru didaftarkan."),
        back=reverse("training:participants", args=[event.pk]),
        title=_("Impor peserta") + " · " + event.title,
        columns=_("kolom: kode (kode personel dari daftar personel)"),
        template_url=None,
    )


@login_required
def event_lists(request: HttpRequest, pk: int) -> HttpResponse:
    """Participant lists per venue with phone numbers: for the organisers only."""
    event = visible_event(request, pk)
    require_organiser(request, event)
    path = temporary_file(".xlsx")
    documents.participant_lists_xlsx(path, event)
    return send_once(path, f"daftar-peserta-{event.pk}.xlsx")


@login_required
def venue_print(request: HttpRequest, pk: int, venue: int) -> HttpResponse:
    """The printable participant (rooming) list of one venue with the check-in PINs, or (?kartu=1)
    its participants' name tags: name, number and PIN for check-in on a phone."""
    event = visible_event(request, pk)
    require_organiser(request, event)
    place = get_object_or_404(event.venues, pk=venue)
    people = (
        event.participants.filter(klass__venue=place)
        .select_related("person__kabkota", "klass")
        .order_by("klass__name", "person__name")
    )
    tags = request.GET.get("kartu") == "1"
    return render(
        request, "training/venue_print.html", {"event": event, "venue": place, "people": people, "tags": tags}
    )
