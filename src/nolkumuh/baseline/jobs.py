"""The work of the baseline's background jobs: applying a large RT import and exporting a large
region. Each reads its job's parameters, calls the service, and says what came out."""

from __future__ import annotations

from pathlib import Path

from django.db import DatabaseError
from django.utils.translation import gettext as _

from nolkumuh.baseline import exports
from nolkumuh.baseline.imports import import_apply, import_plan
from nolkumuh.baseline.models import DataRound
from nolkumuh.core.allornothing import not_saved_message
from nolkumuh.core.jobs import JobFailed, Outcome, job_owner
from nolkumuh.core.models import Job
from nolkumuh.regions.models import Region
from nolkumuh.scoring import InvalidInput


def import_job(job: Job) -> Outcome:
    """Check the uploaded file again and write every row or none (params: path, year, decimal_comma)."""
    path = Path(job.params["path"])
    round = DataRound.objects.filter(year=job.params["year"]).first()
    if round is None or not path.is_file():
        raise JobFailed([_("Berkas unggahan atau tahun data tidak ditemukan lagi; unggah ulang.")])
    plan = import_plan(user=job.user, round=round, path=path, decimal_comma=bool(job.params["decimal_comma"]))
    try:
        counts = import_apply(user=job.user, plan=plan)
    except InvalidInput as exc:
        raise JobFailed([_("Tidak ada data yang disimpan."), *(i.line() for i in exc.issues)]) from None
    except DatabaseError as exc:  # a row refused when saved: the whole import was rolled back
        raise JobFailed([not_saved_message(exc, what=f"RT import job {job.pk}")]) from None
    # the upload stays (swept after NOLKUMUH_UPLOAD_HOURS) so that a job interrupted after writing
    # can run again: every row is then unchanged
    return Outcome([_("Impor selesai: %(new)s baru, %(changed)s berubah, %(unchanged)s tetap.") % counts])


def export_job(job: Job) -> Outcome:
    """The region's visible data, scored, as a file (params: code, year, fmt)."""
    region = Region.objects.filter(code=job.params["code"]).first()
    if region is None:
        raise JobFailed([_("Wilayah tidak ditemukan.")])
    fmt = job.params["fmt"]
    path, round = exports.export_file(user=job_owner(job), region=region, year=job.params["year"], fmt=fmt)
    if path is None or round is None:
        raise JobFailed([_("Belum ada data yang bisa diunduh untuk wilayah dan tahun ini.")])
    return Outcome([_("Data siap diunduh.")], path, f"nolkumuh_{region.code}_{round.year}.{fmt}")
