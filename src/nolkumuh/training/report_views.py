"""An event's report (on screen, as Word, and as Excel for the organisers) and its certificates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from nolkumuh.core.downloads import send_once, temporary_file
from nolkumuh.training import documents
from nolkumuh.training.selectors import event_report, participant_rows
from nolkumuh.training.services import certificates_issue, may_organise
from nolkumuh.training.view_helpers import require_organiser, visible_event

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx_download(content: bytes, filename: str) -> HttpResponse:
    """A Word document made in memory, sent as an attachment."""
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def event_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The event report on screen, and as Word or Excel."""
    event = visible_event(request, pk)
    report = event_report(event=event)
    fmt = request.GET.get("format")
    if fmt == "docx":
        return _docx_download(
            documents.event_report_docx(event, report), f"laporan-pelatihan-{event.pk}.docx"
        )
    if fmt == "xlsx":  # holds every participant's results: organisers only
        require_organiser(request, event)
        path = temporary_file(".xlsx")
        documents.event_report_xlsx(path, event, report)
        return send_once(path, f"laporan-pelatihan-{event.pk}.xlsx")
    return render(
        request,
        "training/report.html",
        {"event": event, "report": report, "may": may_organise(request.user, event.programme.region)},
    )


@login_required
@require_POST
def event_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the certificates of everyone meeting the threshold (numbers stay once issued) and
    download them as one Word document."""
    event = visible_event(request, pk)
    require_organiser(request, event)
    rows = {r.participant.pk: r for r in participant_rows(event=event)}
    certificates = certificates_issue(
        user=request.user, event=event, eligible=[r.participant for r in rows.values() if r.eligible]
    )
    certificates = [c for c in certificates if c.participant_id in rows and rows[c.participant_id].eligible]
    return _docx_download(
        documents.certificates_docx(event, certificates, rows), f"sertifikat-{event.pk}.docx"
    )
