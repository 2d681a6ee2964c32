"""Programmes and events: the training home, a programme's dashboard, an event's venues, classes
and schedule, and the allocation of its participants to venues and classes."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nolkumuh.regions.selectors import region_with_ancestors
from nolkumuh.training.forms import EventForm, ProgrammeForm, SessionForm, SurveyForm, VenueForm
from nolkumuh.training.models import Event, NeedsSurvey, Person, Programme, TrainingClass
from nolkumuh.training.needs import survey_create
from nolkumuh.training.reallocation import MOVES_LISTED, Move, allocation_moves, event_has_attendance
from nolkumuh.training.selectors import cascade_coverage, chosen_region, event_report, working_regions
from nolkumuh.training.services import (
    event_allocate,
    event_create,
    event_update,
    may_organise,
    may_see,
    programme_create,
    session_add,
    venue_add,
)
from nolkumuh.training.view_helpers import require_organiser, visible_event, visible_or_404


def _programme(request: HttpRequest, pk: int) -> Programme:
    return visible_or_404(request, Programme.objects.select_related("region"), pk, lambda p: p.region)


@login_required
def training_home(request: HttpRequest) -> HttpResponse:
    """Programmes and needs surveys the user can see; organisers start new ones here."""
    regions = working_regions(user=request.user)
    chosen = chosen_region(user=request.user, code=request.GET.get("wilayah"))
    region = chosen if chosen is not None and may_organise(request.user, chosen) else None
    programmes = [
        p
        for p in Programme.objects.select_related("region").annotate(n=Count("events"))
        if may_see(request.user, p.region)
    ]
    surveys = [s for s in NeedsSurvey.objects.select_related("region") if may_see(request.user, s.region)]
    form = ProgrammeForm(request.POST if "programme" in request.POST else None, prefix="programme")
    survey_form = SurveyForm(request.POST if "survey" in request.POST else None, prefix="survey")
    if request.method == "POST" and region is not None:
        if "programme" in request.POST and form.is_valid():
            programme = form.save(commit=False)
            programme.region = region
            programme = programme_create(user=request.user, programme=programme)
            return redirect("training:programme", programme.pk)
        if "survey" in request.POST and survey_form.is_valid():
            survey = survey_form.save(commit=False)
            survey.region = region
            survey = survey_create(user=request.user, survey=survey)
            return redirect("training:survey", survey.pk)
    return render(
        request,
        "training/home.html",
        {
            "programmes": programmes,
            "surveys": surveys,
            "form": form,
            "survey_form": survey_form,
            "region": region,
            "regions": regions,
            "persons": Person.objects.count(),
        },
    )


@login_required
def programme_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme dashboard: its events with participants, attendance, gains and certificates,
    and the cascade in the programme's region."""
    programme = _programme(request, pk)
    may = may_organise(request.user, programme.region)
    form = EventForm(request.POST or None, region_code=programme.region.code)
    if request.method == "POST" and may and form.is_valid():
        event = form.save(commit=False)
        event.programme = programme
        try:
            event = event_create(user=request.user, event=event)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("training:event", event.pk)
    events = []
    for event in programme.events.select_related("city"):
        report = event_report(event=event)
        events.append({"event": event, "report": report})
    region, ancestors = region_with_ancestors(code=programme.region.code)
    return render(
        request,
        "training/programme.html",
        {
            "programme": programme,
            "events": events,
            "form": form,
            "may": may,
            "cascade": cascade_coverage(region=programme.region),
            "ancestors": [*ancestors, region],
            "here": programme.title,
        },
    )


def _allocation_summary(event: Event) -> list[dict]:
    classes = (
        TrainingClass.objects.filter(venue__event=event)
        .select_related("venue")
        .annotate(
            n=Count("participant"), women=Count("participant", filter=Q(participant__person__gender="P"))
        )
    )
    venues: dict[int, dict] = {}
    for c in classes:
        v = venues.setdefault(c.venue_id, {"venue": c.venue, "classes": [], "n": 0})
        v["classes"].append(c)
        v["n"] += c.n
    return list(venues.values())


@login_required
def event_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Venues and classes, the allocation, the schedule, and the event's documents."""
    event = visible_event(request, pk)
    may = may_organise(request.user, event.programme.region)
    venue_form = VenueForm(request.POST if "venue" in request.POST else None, prefix="venue")
    session_form = SessionForm(
        request.POST if "session" in request.POST else None, prefix="session", event=event
    )
    event_form = EventForm(
        request.POST if "event" in request.POST else None,
        instance=Event.objects.get(pk=event.pk),
        prefix="event",
        region_code=event.programme.region.code,
    )
    if request.method == "POST" and may:
        try:
            if "event" in request.POST and event_form.is_valid():
                event_update(user=request.user, event=event_form.save(commit=False))
                messages.success(request, _("Kegiatan diperbarui."))
                return redirect("training:event", event.pk)
            if "venue" in request.POST and venue_form.is_valid():
                venue = venue_form.save(commit=False)
                venue.event = event
                venue_add(user=request.user, venue=venue, classes=venue_form.cleaned_data["classes"])
                return redirect("training:event", event.pk)
            if "session" in request.POST and session_form.is_valid():
                session = session_form.save(commit=False)
                session.event = event
                session_add(user=request.user, session=session)
                return redirect(reverse("training:event", args=[event.pk]) + "#jadwal")
        except ValidationError as exc:
            form = {"venue": venue_form, "event": event_form}.get(
                next(iter(request.POST.keys() & {"venue", "event"}), "")
            )
            (form or session_form).add_error(None, exc)
    # sessions at the same time on the same topic (one per class) share one row of the schedule
    slots: dict = defaultdict(list)
    for s in event.sessions.select_related("topic", "venue", "klass").annotate(n=Count("attendance")):
        slots[(s.day, s.start, s.end, s.topic_id, s.title)].append(s)
    days: dict = defaultdict(list)
    for (day, *_rest), sessions in slots.items():
        days[day].append(sessions)
    unplaced = event.participants.filter(klass__isnull=True).count()
    return render(
        request,
        "training/event.html",
        {
            "event": event,
            "may": may,
            "venues": _allocation_summary(event),
            "venue_form": venue_form,
            "event_form": event_form,
            "session_form": session_form,
            "days": sorted(days.items()),
            "participants": event.participants.count(),
            "unplaced": unplaced,
            "ancestors": [],
            "here": event.title,
        },
    )


@login_required
@require_POST
def event_allocate_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Allocate the participants. Once anyone has attended a session, the organiser first sees who
    would move (count and names) and confirms; without attendance it goes straight."""
    event = visible_event(request, pk)
    require_organiser(request, event)
    try:
        if "confirm" not in request.POST and event_has_attendance(event):
            moves = allocation_moves(event=event)
            if moves:
                return render(request, "training/allocate_confirm.html", _confirmation(event, moves))
        count = event_allocate(user=request.user, event=event)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(count)s peserta sudah dibagi ke tempat dan kelas.") % {"count": count})
    return redirect("training:event", event.pk)


def _confirmation(event: Event, moves: list[Move]) -> dict[str, object]:
    return {
        "event": event,
        "moves": moves[:MOVES_LISTED],
        "count": len(moves),
        "venue_changes": sum(1 for m in moves if m.changes_venue),
        "more": max(0, len(moves) - MOVES_LISTED),
    }
