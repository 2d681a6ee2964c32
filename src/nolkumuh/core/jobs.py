"""Background jobs: a large import or export asked for by a user runs in a task (``<app>/tasks.py``)
while the user watches its status page. A task takes the job's id and calls :func:`job_run` with
the work to do; running a job twice does nothing the second time (idempotent)."""

from __future__ import annotations

import logging
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from nolkumuh.core.downloads import swept_folder
from nolkumuh.core.models import Job

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What a finished job gives the user: message lines and perhaps a file."""

    messages: list[str] = field(default_factory=list)
    path: Path | None = None
    filename: str = ""


class JobFailed(Exception):
    """The work could not be done; ``lines`` say why (every problem, not just the first)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("; ".join(lines))
        self.lines = lines


def job_create(*, request: HttpRequest, kind: str, title: str, params: dict[str, Any], task: Any) -> Job:
    """A queued job owned by the user (or, when not logged in, by the browser session); the task is
    enqueued once the surrounding transaction commits."""
    user = request.user if request.user.is_authenticated else None
    if user is None and not request.session.session_key:
        request.session.save()
    job = Job.objects.create(
        id=uuid.uuid4(),
        kind=kind,
        title=title,
        user=user,
        session_key="" if user else str(request.session.session_key),
        params=params,
    )
    transaction.on_commit(lambda: task.enqueue(str(job.pk)))
    return job


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
    """Run the job's work once and record the outcome. A finished job is left alone; a job left
    running by a stopped worker is run again (the work must be safe to repeat)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return
        job.status = Job.Status.RUNNING
        job.save(update_fields=["status"])
    try:
        outcome = work(job)
        if outcome.path is not None:
            kept = job_folder() / f"{job.pk}{outcome.path.suffix}"
            shutil.move(str(outcome.path), kept)
            job.result_path, job.result_name = str(kept), outcome.filename
        job.status, job.messages = Job.Status.DONE, outcome.messages
    except JobFailed as exc:
        job.status, job.messages = Job.Status.FAILED, exc.lines
    except Exception:  # the job page must say it failed rather than spin forever
        logger.exception("background job %s (%s) failed", job.pk, job.kind)
        job.status, job.messages = (
            Job.Status.FAILED,
            [_("Terjadi kesalahan tak terduga; hubungi administrator.")],
        )
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "messages", "result_path", "result_name", "finished_at"])


def job_folder() -> Path:
    """Where finished jobs' files wait for download."""
    return swept_folder("jobs")
