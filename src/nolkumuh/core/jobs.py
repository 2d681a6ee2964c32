"""Background jobs: a large import or export asked for by a user runs in a task (``<app>/tasks.py``)
while the user watches its status page. A task takes the job's id and calls :func:`job_run` with
the work to do; running a job twice does nothing the second time (idempotent). Only signed-in
users create jobs, within per-user limits."""

from __future__ import annotations

import logging
import shutil
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from nolkumuh.core.downloads import swept_folder
from nolkumuh.core.models import Job
from nolkumuh.core.requestlog import job_logged
from nolkumuh.core.workers import this_worker

logger = logging.getLogger(__name__)


@dataclass
class Action:
    """A link (or, with ``post``, a button) the job page offers once the job is finished."""

    label: str
    url: str
    post: bool = False


@dataclass
class Outcome:
    """What a finished job gives the user: message lines and perhaps a file and actions."""

    messages: list[str] = field(default_factory=list)
    path: Path | None = None
    filename: str = ""
    actions: list[Action] = field(default_factory=list)


class JobFailed(Exception):
    """The work could not be done; ``lines`` say why (every problem, not just the first)."""

    def __init__(self, lines: list[str], actions: list[Action] | None = None) -> None:
        super().__init__("; ".join(lines))
        self.lines = lines
        self.actions = actions or []


class JobRefused(Exception):
    """The job was not created: the user is not signed in, or has reached a limit (``message``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def job_create(*, request: HttpRequest, kind: str, title: str, params: dict[str, Any], task: Any) -> Job:
    """A queued job owned by the signed-in user; the task is enqueued once the surrounding
    transaction commits. Anonymous visitors never create jobs, and a user may start at most
    ``NOLKUMUH_JOBS_PER_HOUR`` jobs an hour and have ``NOLKUMUH_JOBS_ACTIVE`` waiting or running."""
    if not request.user.is_authenticated:
        raise JobRefused(_("Masuk dulu untuk menjalankan pekerjaan besar ini."))
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=request.user.pk)  # one at a time
        _check_limits(user)
        job = Job.objects.create(id=uuid.uuid4(), kind=kind, title=title, user=user, params=params)
    transaction.on_commit(lambda: task.enqueue(str(job.pk)))
    return job


def _check_limits(user: AbstractBaseUser) -> None:
    mine = Job.objects.filter(user=user)
    active = settings.NOLKUMUH_JOBS_ACTIVE
    if mine.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).count() >= active:
        raise JobRefused(
            _(
                "Anda sudah punya %(count)s pekerjaan latar yang menunggu atau berjalan; tunggu "
                "sampai selesai (lihat halaman statusnya), lalu coba lagi."
            )
            % {"count": active}
        )
    hour_ago = timezone.now() - timedelta(hours=1)
    started = list(
        mine.filter(created_at__gte=hour_ago).order_by("created_at").values_list("created_at", flat=True)
    )
    per_hour = settings.NOLKUMUH_JOBS_PER_HOUR
    if len(started) >= per_hour:
        # the time the oldest job that counts leaves the hour (a limit of 0: an hour from now)
        oldest = started[len(started) - per_hour] if per_hour > 0 else timezone.now()
        free_at = timezone.localtime(oldest + timedelta(hours=1))
        raise JobRefused(
            _("Batas %(count)s pekerjaan latar per jam sudah tercapai; coba lagi setelah pukul %(time)s.")
            % {"count": per_hour, "time": free_at.strftime("%H:%M")}
        )


def job_for(*, request: HttpRequest, pk: uuid.UUID) -> Job | None:
    """The job if it belongs to whoever asks."""
    job = Job.objects.filter(pk=pk).first()
    if job is None:
        return None
    if job.user_id is not None:
        return job if request.user.is_authenticated and request.user.pk == job.user_id else None
    return job if job.session_key and job.session_key == request.session.session_key else None


def job_owner(job: Job) -> AbstractBaseUser | AnonymousUser:
    return job.user if job.user is not None else AnonymousUser()


def job_run(*, job_id: str, work: Callable[[Job], Outcome]) -> None:
    """Run the job's work once and record the outcome, and which worker ran it. A finished job is
    left alone; a job left running by a stopped worker is run again (the work must be safe to
    repeat; see nolkumuh.core.workers for what a new worker does with such jobs)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return
        job.status, job.worker, job.started_at = Job.Status.RUNNING, this_worker(), timezone.now()
        job.attempts += 1
        job.save(update_fields=["status", "worker", "started_at", "attempts"])
    owner = job.user.get_username() if job.user is not None else "-"
    with job_logged(job_id=str(job.pk), kind=job.kind, user=owner) as logged:
        _job_work(job, work)
        logged["status"] = job.status
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "messages", "actions", "result_path", "result_name", "finished_at"])


def _job_work(job: Job, work: Callable[[Job], Outcome]) -> None:
    """Do the work and put its outcome (or why it failed) on the job, unsaved."""
    try:
        outcome = work(job)
        if outcome.path is not None:
            kept = job_folder() / f"{job.pk}{outcome.path.suffix}"
            shutil.move(str(outcome.path), kept)
            job.result_path, job.result_name = str(kept), outcome.filename
        job.status, job.messages = Job.Status.DONE, outcome.messages
        job.actions = [asdict(a) for a in outcome.actions]
    except JobFailed as exc:
        job.status, job.messages = Job.Status.FAILED, exc.lines
        job.actions = [asdict(a) for a in exc.actions]
    except Exception:  # the job page must say it failed rather than spin forever
        logger.exception("background job %s (%s) failed", job.pk, job.kind)
        job.status, job.messages = (
            Job.Status.FAILED,
            [_("Terjadi kesalahan tak terduga; hubungi administrator.")],
        )


def job_folder() -> Path:
    """Where finished jobs' files wait for download."""
    return swept_folder("jobs")
