"""Starting the baseline's background jobs from a request: the check of a large upload and the
export of a large region (anonymous visitors are asked to sign in instead)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nolkumuh.baseline.tasks import export_task, import_check_task
from nolkumuh.core.jobs import JobRefused, job_create
from nolkumuh.regions.models import Region


def import_check_start(request: HttpRequest, token: str, info: dict[str, object]) -> HttpResponse | None:
    """The dry run of a large upload as a job (its page then offers the confirmation); None when
    the user may not start another job now (the upload is dropped, the message says why)."""
    params = {**info, "token": token, "lang": get_language() or "id"}
    title = _("Uji impor %(name)s") % {"name": info["name"]}
    try:
        job = job_create(
            request=request, kind="import-check", title=title, params=params, task=import_check_task
        )
    except JobRefused as exc:
        Path(str(info["path"])).unlink(missing_ok=True)
        messages.error(request, exc.message)
        return None
    # confirming a large file applies it in the background too
    request.session[f"import-{token}"] = {**info, "rows": settings.NOLKUMUH_TASK_ROWS}
    return redirect("core:job", job.pk)


def export_start(request: HttpRequest, region: Region, year: int | None, fmt: str) -> HttpResponse:
    """A large export runs as a job of the signed-in user; anonymous visitors are asked to sign in
    (or to download a smaller region), so that no visitor can fill the queue and the disk."""
    if not request.user.is_authenticated:
        messages.info(
            request,
            _(
                "Data wilayah sebesar ini disiapkan di latar belakang, hanya untuk pengguna yang "
                "masuk. Masuk dulu, atau unduh per kecamatan atau kelurahan."
            ),
        )
        return redirect_to_login(request.get_full_path())
    params = {"code": region.code, "year": year, "fmt": fmt}
    title = _("Unduh data %(region)s") % {"region": region.display_name}
    try:
        job = job_create(request=request, kind="export", title=title, params=params, task=export_task)
    except JobRefused as exc:
        messages.error(request, exc.message)
        return redirect("regions:profile", region.code)
    return redirect("core:job", job.pk)
