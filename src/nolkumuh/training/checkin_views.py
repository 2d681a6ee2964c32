"""Attendance and check-in: a session's class register (tick who is present, open or close
check-in, delete the session), its QR code, and the check-in page a participant opens from the QR
code or by typing the session code, where after check-in they also rate the session."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nolkumuh.accounts.services import client_address
from nolkumuh.core.links import public_url
from nolkumuh.core.numbers import NumberField
from nolkumuh.training.checkin import (
    CHECKIN_LOCK_SECONDS,
    CheckIn,
    checkin,
    evaluation_submit,
    guess_failed,
    guessing_blocked,
    participant_confirmed,
    session_by_code,
)
from nolkumuh.training.measures import expected_at
from nolkumuh.training.models import Attendance, Participant, Session
from nolkumuh.training.services import attendance_set, may_organise, session_checkin_toggle, session_delete
from nolkumuh.training.upload import as_id

RATING = NumberField(bound_name="level")  # a session evaluation, 1-5 typed or chosen


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
    link = public_url(reverse("training:checkin", args=[session.checkin_token]), request)
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
            "code_url": public_url(reverse("training:checkin_code"), request),
        },
    )


@login_required
def session_qr(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    buffer = io.BytesIO()
    link = public_url(reverse("training:checkin", args=[session.checkin_token]), request)
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
        content = RATING.clean(request.POST.get("content"))
        trainer = RATING.clean(request.POST.get("trainer"))
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
