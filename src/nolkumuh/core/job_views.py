"""The status page of a background job (polled with htmx until it finishes) and its file."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from nolkumuh.core.jobs import job_for


def job_page(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    job = job_for(request=request, pk=pk)
    if job is None:
        raise Http404
    template = "core/_job.html" if request.htmx else "core/job.html"
    return render(request, template, {"job": job, "here": job.title})


def job_download(request: HttpRequest, pk: uuid.UUID) -> FileResponse:
    job = job_for(request=request, pk=pk)
    if job is None or not job.result_path or not Path(job.result_path).is_file():
        raise Http404
    return FileResponse(Path(job.result_path).open("rb"), as_attachment=True, filename=job.result_name)
