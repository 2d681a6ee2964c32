"""Programmes, events (venues, classes, schedule, participants, allocation), session registers,
check-in by QR link or code, test scores, reports and certificates."""

from __future__ import annotations

import io
from collections import defaultdict
from decimal import Decimal

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nolkumuh.accounts.services import client_address
from nolkumuh.core.downloads import send_once, temporary_file
from nolkumuh.regions.selectors import region_with_ancestors, within
from nolkumuh.training import documents
from nolkumuh.training.checkin import (
    CHECKIN_LOCK_SECONDS,
    CheckIn,
    checkin,
    evaluation_submit,
    guess_failed,
    guessing_blocked,
    participant_confirmed,
    scores_save,
    session_by_code,
)
from nolkumuh.training.forms import (
    EventForm,
    ProgrammeForm,
    RegisterFilterForm,
    SessionForm,
    SurveyForm,
    VenueForm,
)
from nolkumuh.training.imports import (
    parse_score,
    participants_apply,
    participants_check,
    scores_apply,
    scores_check,
    scores_template,
)
from nolkumuh.training.measures import expected_at
from nolkumuh.training.models import (
    Attendance,
    Event,
    NeedsSurvey,
    Participant,
    Person,
    Programme,
    Session,
    TestScore,
    Topic,
    TrainingClass,
)
from nolkumuh.training.selectors import (
    cascade_coverage,
    chosen_region,
    event_report,
    participant_rows,
    working_regions,
)
from nolkumuh.training.services import (
    attendance_set,
    certificates_issue,
    event_allocate,
    event_create,
    event_update,
    may_organise,
    may_see,
    participant_move,
    participant_remove,
    participants_register,
    programme_create,
    session_add,
    session_checkin_toggle,
    session_delete,
    venue_add,
)
from nolkumuh.training.texts import REASONS, reason_text
from nolkumuh.training.upload import as_id, import_flow

PAGE = 100


def _programme(request: HttpRequest, pk: int) -> Programme:
    programme = get_object_or_404(Programme.objects.select_related("region"), pk=pk)
    if not may_see(request.user, programme.region):
        raise Http404
    return programme


def _event(request: HttpRequest, pk: int) -> Event:
    event = get_object_or_404(Event.objects.select_related("programme__region", "city"), pk=pk)
    if not may_see(request.user, event.programme.region):
        raise Http404
    return event


def _organiser(request: HttpRequest, event: Event) -> None:
    if not may_organise(request.user, event.programme.region):
        raise PermissionDenied


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
            from nolkumuh.training.needs import survey_create

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
    event = _event(request, pk)
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
    event = _event(request, pk)
    _organiser(request, event)
    try:
        count = event_allocate(user=request.user, event=event)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(count)s peserta sudah dibagi ke tempat dan kelas.") % {"count": count})
    return redirect("training:event", event.pk)


@login_required
def event_participants(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant list (filter, page), registration by role and region, and manual moves."""
    event = _event(request, pk)
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
    event = _event(request, pk)
    _organiser(request, event)
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


def _session(request: HttpRequest, pk: int) -> Session:
    session = get_object_or_404(
        Session.objects.select_related("event__programme__region", "topic", "venue", "klass"), pk=pk
    )
    if not may_organise(request.user, session.event.programme.region):
        raise Http404
    return session


def _expected(session: Session) -> list[Participant]:
    people = session.event.participants.select_related("person__kabkota", "klass")
    return [
        p
        for p in people
        if expected_at(session.venue_id, session.klass_id, p.klass.venue_id if p.klass else None, p.klass_id)
    ]


@login_required
def session_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The class register of a session (tick who is present), and its QR code and fallback code."""
    session = _session(request, pk)
    expected = _expected(session)
    if request.method == "POST" and "delete" in request.POST:
        try:
            session_delete(user=request.user, session=session)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("training:session", session.pk)
        messages.success(request, _("Sesi dihapus dari jadwal."))
        return redirect(reverse("training:event", args=[session.event_id]) + "#jadwal")
    if request.method == "POST" and "open" in request.POST:
        session_checkin_toggle(user=request.user, session=session, open_=request.POST["open"] == "1")
        return redirect("training:session", session.pk)
    if request.method == "POST":
        present = {as_id(v) for v in request.POST.getlist("present")}
        shown = {as_id(v) for v in request.POST.get("shown", "").split(",")}
        added, removed = attendance_set(
            user=request.user,
            session=session,
            present=present,
            expected={p.pk for p in expected},
            shown=shown,
        )
        messages.success(
            request,
            _("Daftar hadir disimpan (+%(added)s, -%(removed)s).") % {"added": added, "removed": removed},
        )
        return redirect("training:session", session.pk)
    present = dict(Attendance.objects.filter(session=session).values_list("participant_id", "method"))
    link = request.build_absolute_uri(reverse("training:checkin", args=[session.checkin_token]))
    return render(
        request,
        "training/session.html",
        {
            "session": session,
            "event": session.event,
            "expected": expected,
            "present": present,
            "count": sum(p.pk in present for p in expected),
            "shown": ",".join(str(p) for p in present),
            "link": link,
            "code_url": request.build_absolute_uri(reverse("training:checkin_code")),
        },
    )


@login_required
def session_qr(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    buffer = io.BytesIO()
    link = request.build_absolute_uri(reverse("training:checkin", args=[session.checkin_token]))
    segno.make(link, error="m").save(buffer, kind="svg", scale=8, border=2, title=str(session))
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


CHECKIN_MESSAGES = {
    "ok": gettext_lazy("Terima kasih, %(name)s: kehadiran Anda di sesi ini tercatat."),
    "already": gettext_lazy("%(name)s: kehadiran Anda sudah tercatat sebelumnya."),
    "closed": gettext_lazy("Presensi sesi ini belum dibuka atau sudah ditutup. Hubungi panitia kelas."),
    "mismatch": gettext_lazy(
        "Nomor peserta dan PIN tidak cocok. Ketik keduanya persis seperti pada kartu nama Anda "
        "(mis. nomor P0012, PIN 6 angka)."
    ),
    "not_expected": gettext_lazy(
        "Anda tidak terdaftar di kelas sesi ini. Periksa sesi yang Anda pindai atau tanyakan panitia."
    ),
    "pin_locked": gettext_lazy(
        "PIN untuk nomor ini salah terlalu sering. Presensi lewat ponsel untuk nomor ini dijeda; coba lagi "
        "dalam %(minutes)s menit atau minta panitia mencentang daftar hadir."
    ),
    "locked": gettext_lazy(
        "Terlalu banyak percobaan presensi untuk sesi ini dari jaringan ini. Coba lagi dalam %(minutes)s "
        "menit atau minta panitia mencentang daftar hadir."
    ),
}


def _checkin_message(result: CheckIn) -> str:
    name = result.participant.person.name if result.participant else ""
    minutes = max(1, -(-result.seconds // 60))
    return str(CHECKIN_MESSAGES[result.status] % {"name": name, "minutes": minutes})


def _evaluate(request: HttpRequest, session: Session) -> dict[str, object]:
    """A participant's rating of a session they attended (also after check-in has closed): the
    number and PIN confirm who rates, as at check-in."""
    number, pin = request.POST.get("number", ""), request.POST.get("pin", "")
    confirmed = participant_confirmed(
        session=session, number_text=number, pin_text=pin, address=client_address(request)
    )
    participant = confirmed.participant
    if confirmed.status in ("locked", "pin_locked"):
        return {"error": _checkin_message(confirmed)}
    attended = (
        participant is not None
        and Attendance.objects.filter(session=session, participant=participant).exists()
    )
    if not attended:
        return {"error": _("Penilaian hanya untuk peserta yang tercatat hadir di sesi ini.")}
    try:
        content, trainer = int(request.POST.get("content", "")), int(request.POST.get("trainer", ""))
        evaluation_submit(
            session=session,
            participant=participant,
            content=content,
            trainer=trainer,
            comment=request.POST.get("comment", ""),
        )
    except (ValueError, ValidationError):
        return {
            "error": _("Penilaian tidak tersimpan: pilih nilai 1–5 untuk materi dan pelatih."),
            "number": participant.code,
            "pin": participant.pin,
            "evaluate": True,
        }
    return {"thanks": True}


def _checkin_page(request: HttpRequest, session: Session, method: str) -> HttpResponse:
    context: dict[str, object] = {"session": session, "event": session.event, "method": method}
    if request.method == "POST" and "content" in request.POST:
        context.update(_evaluate(request, session))
    elif request.method == "POST":
        result = checkin(
            session=session,
            number_text=request.POST.get("number", ""),
            pin_text=request.POST.get("pin", ""),
            method=method,
            address=client_address(request),
        )
        ok = result.status in ("ok", "already")
        context["message"] = _checkin_message(result)
        context["ok"] = context["evaluate"] = ok
        if ok and result.participant:
            context["number"], context["pin"] = result.participant.code, result.participant.pin
    return render(request, "training/checkin.html", context)


def checkin_token(request: HttpRequest, token: str) -> HttpResponse:
    """Opened from the session's QR code on the participant's phone: no account needed."""
    session = get_object_or_404(Session.objects.select_related("event", "topic"), checkin_token=token)
    return _checkin_page(request, session, Attendance.Method.QR)


def checkin_code(request: HttpRequest) -> HttpResponse:
    """The fallback when a phone cannot scan: type the session code shown by the trainer."""
    code = request.POST.get("code") or request.GET.get("kode") or ""
    key = f"kode:{client_address(request)}"
    blocked = guessing_blocked(key)
    session = session_by_code(code) if code and not blocked else None
    if session is None:
        if code and not blocked:
            guess_failed(key)
        paused = _("Terlalu banyak kode sesi salah dari jaringan ini. Coba lagi dalam %(minutes)s menit.") % {
            "minutes": CHECKIN_LOCK_SECONDS // 60
        }
        message = paused if blocked else _("Kode sesi tidak dikenal.") if code else ""
        return render(request, "training/checkin.html", {"ask_code": True, "code": code, "message": message})
    return _checkin_page(request, session, Attendance.Method.CODE)


@login_required
def event_scores(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    _organiser(request, event)
    if request.GET.get("templat"):
        path = temporary_file(".xlsx")
        scores_template(path, event)
        return send_once(path, f"nilai-tes-{event.pk}.xlsx")
    return import_flow(
        request,
        key=f"nilai-{event.pk}",
        check=lambda path: scores_check(event=event, path=path),
        apply=lambda checked: scores_apply(user=request.user, event=event, checked=checked),
        done=_("%(count)s nilai tes disimpan."),
        back=reverse("training:report", args=[event.pk]),
        title=_("Nilai pra-tes dan pasca-tes") + " · " + event.title,
        columns=_("kolom: nomor_peserta, topik (kode), pra, pasca (0–100; boleh kosong)"),
        template_url=reverse("training:scores", args=[event.pk]) + "?templat=1",
    )


def _plain(value: Decimal | None) -> str:
    """A stored score as typed back into the form: 50.5, 80 (no trailing zeros)."""
    return "" if value is None else format(value.normalize(), "f")


@login_required
def event_scores_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Type the pre/post-test scores of one class on one topic."""
    event = _event(request, pk)
    _organiser(request, event)
    topics = Topic.objects.order_by("order")
    classes = TrainingClass.objects.filter(venue__event=event).select_related("venue")
    topic = topics.filter(pk=as_id(request.GET.get("topik"))).first()
    klass = classes.filter(pk=as_id(request.GET.get("kelas"))).first()
    people = list(event.participants.filter(klass=klass).select_related("person")) if klass else []
    typed: dict[str, str] = {}
    if request.method == "POST" and topic and klass:
        rows, wrong = [], []
        for p in people:
            values = []
            for kind in ("pre", "post"):
                text = typed[f"{kind}-{p.pk}"] = request.POST.get(f"{kind}-{p.pk}", "").strip()
                value, problem = parse_score(text)
                if problem:
                    wrong.append(p.code)
                values.append(value)
            if values != [None, None]:
                rows.append((p, topic, *values))
        if wrong:
            messages.error(
                request,
                _("Nilai harus angka 0–100; periksa %(who)s. Tidak ada yang disimpan.")
                % {"who": ", ".join(sorted(set(wrong)))},
            )
        else:
            count = scores_save(user=request.user, event_id=event.pk, rows=rows)
            messages.success(request, _("%(count)s nilai tes disimpan.") % {"count": count})
            return redirect(request.get_full_path())
    scores = {s.participant_id: s for s in TestScore.objects.filter(participant__in=people, topic=topic)}
    return render(
        request,
        "training/scores_entry.html",
        {
            "event": event,
            "topics": topics,
            "classes": classes,
            "topic": topic,
            "klass": klass,
            "rows": [
                (
                    p,
                    typed.get(f"pre-{p.pk}", _plain(scores[p.pk].pre if p.pk in scores else None)),
                    typed.get(f"post-{p.pk}", _plain(scores[p.pk].post if p.pk in scores else None)),
                )
                for p in people
            ],
        },
    )


@login_required
def event_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The event report on screen, and as Word or Excel."""
    event = _event(request, pk)
    report = event_report(event=event)
    fmt = request.GET.get("format")
    if fmt == "docx":
        response = HttpResponse(
            documents.event_report_docx(event, report),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = f'attachment; filename="laporan-pelatihan-{event.pk}.docx"'
        return response
    if fmt == "xlsx":  # holds every participant's results: organisers only
        _organiser(request, event)
        path = temporary_file(".xlsx")
        documents.event_report_xlsx(path, event, report)
        return send_once(path, f"laporan-pelatihan-{event.pk}.xlsx")
    return render(
        request,
        "training/report.html",
        {"event": event, "report": report, "may": may_organise(request.user, event.programme.region)},
    )


@login_required
def event_lists(request: HttpRequest, pk: int) -> HttpResponse:
    """Participant lists per venue with phone numbers: for the organisers only."""
    event = _event(request, pk)
    _organiser(request, event)
    path = temporary_file(".xlsx")
    documents.participant_lists_xlsx(path, event)
    return send_once(path, f"daftar-peserta-{event.pk}.xlsx")


@login_required
def venue_print(request: HttpRequest, pk: int, venue: int) -> HttpResponse:
    """The printable participant (rooming) list of one venue with the check-in PINs, or (?kartu=1)
    its participants' name tags: name, number and PIN for check-in on a phone."""
    event = _event(request, pk)
    _organiser(request, event)
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


@login_required
@require_POST
def event_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the certificates of everyone meeting the threshold (numbers stay once issued) and
    download them as one Word document."""
    event = _event(request, pk)
    _organiser(request, event)
    rows = {r.participant.pk: r for r in participant_rows(event=event)}
    certificates = certificates_issue(
        user=request.user, event=event, eligible=[r.participant for r in rows.values() if r.eligible]
    )
    certificates = [c for c in certificates if c.participant_id in rows and rows[c.participant_id].eligible]
    response = HttpResponse(
        documents.certificates_docx(event, certificates, rows),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{event.pk}.docx"'
    return response
