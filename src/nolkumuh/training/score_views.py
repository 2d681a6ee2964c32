"""Pre- and post-test scores of an event: the import of a workbook (with its template) and the
entry of one class's scores on one topic."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from nolkumuh.core.bounds import message_language
from nolkumuh.core.downloads import send_once, temporary_file
from nolkumuh.exchange.numbers import write
from nolkumuh.training.checkin import scores_save
from nolkumuh.training.imports import parse_score, scores_apply, scores_check, scores_template
from nolkumuh.training.models import TestScore, Topic, TrainingClass
from nolkumuh.training.upload import as_id, import_flow
from nolkumuh.training.view_helpers import require_organiser, visible_event


@login_required
def event_scores(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    require_organiser(request, event)
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
    return "" if value is None else write(value, message_language())


@login_required
def event_scores_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Type the pre/post-test scores of one class on one topic."""
    event = visible_event(request, pk)
    require_organiser(request, event)
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
                value, problem = parse_score(text, message_language())
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
