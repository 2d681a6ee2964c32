"""The processes that run background jobs, and what happens to a job whose worker died.

Every job records the worker that runs it (host, pid and the process's start time). When a worker
starts it looks at every job left running: if that job's worker is gone (a process on this host
that no longer exists, or a worker on another host that has not said it is alive for
``NOLKUMUH_WORKER_STALE_SECONDS``) the job is queued again when repeating it is safe (exports,
import checks: they write nothing) and failed with a message for its owner otherwise (applying an
import: its transaction was rolled back, so nothing was written; the owner decides to run it
again). A live worker's jobs are never touched. The task rows of ``django-tasks-db`` follow their
jobs. See docs/adr/0006-background-tasks.md.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from nolkumuh.core.models import Job, Worker

logger = logging.getLogger(__name__)

HOST = socket.gethostname()[:255]
HEARTBEAT_SECONDS = 15
TASK_WORKER_PREFIX = "nolkumuh-"  # django-tasks-db worker ids of `nolkumuh worker`: nolkumuh-<Worker id>
# Work that writes nothing and may be queued again after its worker died, at most this many starts.
REPEATABLE_KINDS = {"export", "import-check"}
MAX_ATTEMPTS = 2


def worker_died_message() -> str:
    return _("Pekerjaan terhenti karena pekerja tugas mati; tidak ada data yang tersimpan, jalankan lagi.")


def _process_start(pid: int) -> str:
    """When the process started, in clock ticks since boot (Linux); empty where /proc is missing."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]  # field 22, counted after the command name


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def database_now() -> datetime:
    """The database server's clock. Heartbeats are written and judged by it, so that machines
    whose clocks differ never take each other's live workers for dead (and run a job twice)."""
    clock = {
        "sqlite": "STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')",  # milliseconds (CURRENT_TIMESTAMP: seconds)
        "postgresql": "STATEMENT_TIMESTAMP()",  # not the start of the surrounding transaction
    }.get(connection.vendor, "CURRENT_TIMESTAMP")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {clock}")
        value = cursor.fetchone()[0]
    if isinstance(value, str):  # SQLite: UTC as text
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def this_worker() -> Worker:
    """The row of the current process (created on first use; not cached, since a test's rollback
    may remove it)."""
    pid = os.getpid()
    worker, _created = Worker.objects.get_or_create(
        host=HOST, pid=pid, process_start=_process_start(pid), defaults={"seen_at": database_now()}
    )
    return worker


def worker_alive(worker: Worker) -> bool:
    """On this host: its process still exists (the same process, not a new one with its pid).
    Elsewhere: it said it was alive recently (by the database's clock)."""
    if worker.host == HOST:
        return _pid_exists(worker.pid) and _process_start(worker.pid) == worker.process_start
    stale = database_now() - timedelta(seconds=settings.NOLKUMUH_WORKER_STALE_SECONDS)
    return worker.seen_at >= stale


def jobs_recover() -> dict[str, int]:
    """Queue again or fail the jobs and task rows left running by workers that died; forget the
    dead workers. Returns how many jobs were queued again and failed."""
    dead = {w.pk for w in Worker.objects.all() if not worker_alive(w)}
    counts = {"queued": 0, "failed": 0}
    with transaction.atomic():
        orphans = Job.objects.select_for_update().filter(
            Q(worker__isnull=True) | Q(worker_id__in=dead), status=Job.Status.RUNNING
        )
        for job in orphans:
            counts[_job_recover(job)] += 1
        _tasks_recover(dead)
        Worker.objects.filter(pk__in=dead).delete()
    if counts["queued"] or counts["failed"]:
        logger.warning("jobs of dead workers: %(queued)s queued again, %(failed)s failed", counts)
    return counts


def _task_of(job: Job) -> DBTaskResult | None:
    return DBTaskResult.objects.filter(status="RUNNING", args_kwargs__args__0=str(job.pk)).first()


def _job_recover(job: Job) -> str:
    task = _task_of(job)
    if task is not None and job.kind in REPEATABLE_KINDS and job.attempts < MAX_ATTEMPTS:
        job.status, job.worker = Job.Status.QUEUED, None
        job.save(update_fields=["status", "worker"])
        task.status, task.started_at = "READY", None
        task.save(update_fields=["status", "started_at"])
        return "queued"
    job.status, job.messages, job.actions = Job.Status.FAILED, [worker_died_message()], []
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "messages", "actions", "finished_at"])
    if task is not None:
        _task_fail(task)
    return "failed"


def _tasks_recover(dead: set[int]) -> None:
    """Task rows claimed by a dead `nolkumuh worker` whose job is not running (it had not started
    yet: run it; it had finished: close the row)."""
    alive = {
        f"{TASK_WORKER_PREFIX}{pk}" for pk in Worker.objects.exclude(pk__in=dead).values_list("pk", flat=True)
    }
    for task in DBTaskResult.objects.select_for_update().filter(status="RUNNING"):
        last = task.worker_ids[-1] if task.worker_ids else ""
        if not last.startswith(TASK_WORKER_PREFIX) or last in alive:
            continue  # a worker we do not know (started otherwise), or a live one
        job = Job.objects.filter(pk=(task.args_kwargs.get("args") or [""])[0]).first()
        if job is not None and job.status == Job.Status.RUNNING:
            continue  # run by a live worker after all (the job pass settles dead workers' jobs)
        if job is not None and job.status == Job.Status.QUEUED:
            task.status, task.started_at = "READY", None
            task.save(update_fields=["status", "started_at"])
        else:
            _task_fail(task)


def _task_fail(task: DBTaskResult) -> None:
    task.status, task.finished_at = "FAILED", timezone.now()
    task.exception_class_path = "nolkumuh.core.workers.WorkerDied"
    task.traceback = "the worker running this task died"
    task.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])


def _recovered() -> bool:
    """Settle the dead workers' jobs now; False when the database is busy (SQLite: another worker
    writing a long import holds the lock), to try again later."""
    try:
        jobs_recover()
    except DatabaseError:
        logger.warning("jobs of dead workers not settled yet (database busy); trying again", exc_info=True)
        return False
    return True


def heartbeat_start(worker: Worker, *, recovered: bool = True) -> threading.Thread:
    """Say every few seconds that this worker is alive (for workers on other hosts to see), and
    settle the dead workers' jobs if that could not be done at start."""

    def beat() -> None:
        done = recovered
        while True:
            threading.Event().wait(HEARTBEAT_SECONDS)
            try:
                close_old_connections()
                Worker.objects.filter(pk=worker.pk).update(seen_at=Now())
                done = done or _recovered()
            except DatabaseError:  # SQLite busy with a long import: the next beat will do
                logger.debug("heartbeat of worker %s skipped", worker.pk, exc_info=True)
            finally:
                connection.close()

    thread = threading.Thread(target=beat, name="nolkumuh-heartbeat", daemon=True)
    thread.start()
    return thread


def worker_start(*, heartbeat: bool = True) -> str:
    """Register this process as a worker, deal with the jobs of dead workers, start the heartbeat
    (not needed for a short ``--batch`` run); the id to give django-tasks-db's worker."""
    worker = this_worker()
    recovered = _recovered()
    if heartbeat:
        heartbeat_start(worker, recovered=recovered)
    return f"{TASK_WORKER_PREFIX}{worker.pk}"
