"""The work of the baseline's background jobs: checking (dry run) and applying a large RT import,
and exporting a large region. Each reads its job's parameters, calls the service, and says what
came out."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nolkumuh.baseline import exports
from nolkumuh.baseline.imports import ImportPlan, import_apply, import_plan
from nolkumuh.baseline.models import DataRound
from nolkumuh.baseline.quality import ImportWarning, import_flags
from nolkumuh.core.allornothing import not_saved_message
from nolkumuh.core.jobs import Action, JobFailed, Outcome, job_owner
from nolkumuh.core.models import Job
from nolkumuh.regions.models import Region
from nolkumuh.scoring import InvalidInput


def import_job(job: Job) -> Outcome:
    """Check the uploaded file again and write every row or none (params: path, year, decimal_comma)."""
    plan = _planned(job)
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


def import_is_large(path: Path) -> bool:
    """Whether checking this upload belongs in the background: at least ``NOLKUMUH_TASK_BYTES``
    bytes, or at least ``NOLKUMUH_TASK_ROWS`` rows as counted without parsing (CSV lines, or the
    dimension an XLSX sheet declares)."""
    size = path.stat().st_size
    if size >= settings.NOLKUMUH_TASK_BYTES:
        return True
    return (_declared_rows(path) or 0) - 1 >= settings.NOLKUMUH_TASK_ROWS


WARNING_LINES = 200  # the rest are counted: the job page stays light
_ROW = re.compile(rb"<(?:[\w.-]{1,20}:)?row[\s>/]")


def _declared_rows(path: Path) -> int | None:
    """CSV lines, or the most row elements of any part of the workbook: a sheet may declare no
    dimension or a false one, and its rows may carry no numbers (a 1 MB file of 100,000 such rows
    was checked in the request for half a minute). Files this small unpack to at most
    ``NOLKUMUH_TASK_BYTES`` times the guard's zip ratio."""
    if path.suffix.lower() != ".xlsx":
        with path.open("rb") as handle:  # lines may end in a carriage return alone
            counts = [(c.count(b"\n"), c.count(b"\r")) for c in iter(lambda: handle.read(1 << 16), b"")]
        return max(sum(n for n, _r in counts), sum(r for _n, r in counts))
    most = 0
    try:
        with zipfile.ZipFile(path) as book:
            for name in book.namelist():
                with book.open(name) as handle:
                    count, tail = 0, b""
                    for chunk in iter(lambda handle=handle: handle.read(1 << 20), b""):
                        # a tag cut between two blocks is found in the joined window; one wholly
                        # in the carried tail was counted with the block before
                        window = tail + chunk
                        count += len(_ROW.findall(window)) - len(_ROW.findall(tail))
                        tail = window[-24:]
                    most = max(most, count)
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError, NotImplementedError, zlib.error):
        return None  # not readable as a workbook: the check itself says why
    return most


def import_check_job(job: Job) -> Outcome:
    """The dry run of a large upload: the counts and the confirm button, or every problem, in the
    uploader's language (params: path, year, decimal_comma, token, lang)."""
    with translation.override(job.params.get("lang", "id")):
        return _import_check(job)


def _planned(job: Job) -> ImportPlan:
    """The dry run of the job's upload (params: path, year, decimal_comma)."""
    path = Path(job.params["path"])
    round = DataRound.objects.filter(year=job.params["year"]).first()
    if round is None or not path.is_file():
        raise JobFailed([_("Berkas unggahan atau tahun data tidak ditemukan lagi; unggah ulang.")])
    return import_plan(user=job.user, round=round, path=path, decimal_comma=bool(job.params["decimal_comma"]))


def _import_check(job: Job) -> Outcome:
    plan = _planned(job)
    token = job.params["token"]
    if not plan.ok:
        count = len(plan.issues)
        heading = ngettext(
            "%(n)s masalah ditemukan; tidak ada yang disimpan. Perbaiki lalu unggah lagi.",
            "%(n)s masalah ditemukan; tidak ada yang disimpan. Perbaiki lalu unggah lagi.",
            count,
        ) % {"n": count}
        marked = Action(
            _("Unduh berkas dengan sel yang salah ditandai"), reverse("baseline:import_marked", args=[token])
        )
        lines = [i.line(job.params.get("lang", "id")) for i in plan.issues]
        raise JobFailed([heading, *lines], [marked])
    counts = {"new": plan.count_new, "changed": plan.count_changed, "unchanged": plan.count_unchanged}
    summary = _("Hasil uji (belum disimpan): %(new)s baris baru, %(changed)s berubah, %(unchanged)s tetap.")
    if not plan.count_new and not plan.count_changed:  # nothing to save: no button that saves nothing
        nothing = _("Semua baris sama dengan data yang tersimpan: tidak ada yang perlu disimpan.")
        return Outcome([summary % counts, nothing, *_warning_lines(import_flags(plan))])
    confirm = Action(_("Simpan semua"), reverse("baseline:import_confirm", args=[token]), post=True)
    return Outcome([summary % counts, *_warning_lines(import_flags(plan))], actions=[confirm])


def _warning_lines(warnings: list[ImportWarning]) -> list[str]:
    """The data-quality warnings of the dry run as lines of the job's page, as the page of a small
    import shows them (row, column, level, message), the first WARNING_LINES of them."""
    if not warnings:
        return []
    heading = ngettext(
        "%(n)s peringatan kualitas data. Ini tidak menghalangi penyimpanan; periksa isian ini di "
        "berkas atau setelah disimpan.",
        "%(n)s peringatan kualitas data. Ini tidak menghalangi penyimpanan; periksa isian ini di "
        "berkas atau setelah disimpan.",
        len(warnings),
    ) % {"n": len(warnings)}
    lines = [heading]
    for w in warnings[:WARNING_LINES]:
        level = _("peringatan") if w.severity == "peringatan" else _("perlu diperiksa")
        where = _("Baris %(row)s, kolom %(column)s") % {"row": w.row, "column": w.column or "–"}
        lines.append(f"{where} [{level}]: {w.message}")
    if len(warnings) > WARNING_LINES:
        lines.append(_("… dan %(n)s peringatan lainnya.") % {"n": len(warnings) - WARNING_LINES})
    lines.append(_("Batas kewajaran ini pengaturan nolkumuh yang bisa diubah, bukan peraturan."))
    return lines
