"""A starting worker deals with the jobs of workers that died: an import apply is failed with a
message for its owner, an export is queued again (once), and a live worker's jobs stay running."""

import subprocess
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from nolkumuh.baseline.tasks import export_task, import_apply_task
from nolkumuh.core.models import Job, Worker
from nolkumuh.core.workers import (
    HOST,
    _process_start,
    database_now,
    jobs_recover,
    this_worker,
    worker_alive,
)

DIED = "Pekerjaan terhenti karena pekerja tugas mati; tidak ada data yang tersimpan, jalankan lagi."


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def process():
    """A live process on this host standing in for a worker; killed by the test when it wants."""
    child = subprocess.Popen(["sleep", "120"])
    yield child
    child.kill()
    child.wait()


def worker_for(child: subprocess.Popen) -> Worker:
    return Worker.objects.create(
        host=HOST, pid=child.pid, process_start=_process_start(child.pid), seen_at=timezone.now()
    )


def running_job(worker: Worker, *, kind: str, task, attempts: int = 1) -> tuple[Job, DBTaskResult]:
    """A job that ``worker`` claimed and started, as the worker leaves it in the database."""
    user = get_user_model().objects.get_or_create(username="pemilik")[0]
    job = Job.objects.create(
        id=uuid.uuid4(), kind=kind, title="t", user=user, params={}, status="running", worker=worker,
        attempts=attempts,
    )  # fmt: skip
    task.enqueue(str(job.pk))
    row = DBTaskResult.objects.get(args_kwargs__args__0=str(job.pk))
    row.claim(f"nolkumuh-{worker.pk}")
    return job, row


def test_an_import_of_a_dead_worker_is_failed_with_a_message_and_its_task_row_closed(
    db, database_queue, process
):
    worker = worker_for(process)
    job, row = running_job(worker, kind="import", task=import_apply_task)
    assert jobs_recover() == {"queued": 0, "failed": 0}  # alive: left alone
    assert Job.objects.get(pk=job.pk).status == "running"
    process.kill()
    process.wait()
    assert not worker_alive(worker)
    assert jobs_recover() == {"queued": 0, "failed": 1}
    job.refresh_from_db()
    row.refresh_from_db()
    assert job.status == "failed" and job.messages == [DIED] and job.finished_at is not None
    assert row.status == "FAILED" and "died" in row.traceback
    assert not Worker.objects.filter(pk=worker.pk).exists()  # a dead worker is forgotten


def test_an_export_of_a_dead_worker_is_queued_again_once_then_failed(db, database_queue, process):
    process.kill()
    process.wait()
    worker = worker_for(process)
    job, row = running_job(worker, kind="export", task=export_task)
    assert jobs_recover() == {"queued": 1, "failed": 0}
    job.refresh_from_db()
    row.refresh_from_db()
    assert job.status == "queued" and job.worker is None and row.status == "READY"
    worker = worker_for(process)  # the second start dies too
    job, row = running_job(worker, kind="export", task=export_task, attempts=2)
    assert jobs_recover()["failed"] == 1
    assert Job.objects.get(pk=job.pk).messages == [DIED]


def test_a_new_process_with_a_dead_workers_pid_is_not_that_worker(db, process):
    impostor = Worker.objects.create(host=HOST, pid=process.pid, process_start="1", seen_at=timezone.now())
    assert not worker_alive(impostor)
    assert worker_alive(worker_for(process))


def test_a_worker_on_another_host_is_alive_while_its_heartbeat_is_fresh(db, database_queue, settings):
    settings.NOLKUMUH_WORKER_STALE_SECONDS = 120
    elsewhere = Worker.objects.create(host="server-lain", pid=1, seen_at=timezone.now())
    job, _row = running_job(elsewhere, kind="import", task=import_apply_task)
    assert jobs_recover()["failed"] == 0 and Job.objects.get(pk=job.pk).status == "running"
    Worker.objects.filter(pk=elsewhere.pk).update(seen_at=timezone.now() - timedelta(seconds=121))
    assert jobs_recover()["failed"] == 1 and Job.objects.get(pk=job.pk).messages == [DIED]


def test_a_task_claimed_by_a_dead_worker_before_its_job_started_runs_again(db, database_queue, process):
    process.kill()
    process.wait()
    worker = worker_for(process)
    job, row = running_job(worker, kind="import", task=import_apply_task)
    Job.objects.filter(pk=job.pk).update(status="queued", worker=None, attempts=0)
    jobs_recover()
    row.refresh_from_db()
    assert row.status == "READY" and Job.objects.get(pk=job.pk).status == "queued"


def test_the_running_process_is_a_live_worker(db):
    assert worker_alive(this_worker()) and this_worker().pk == this_worker().pk


def test_a_worker_on_another_host_is_judged_by_the_database_clock_not_this_machines(
    db, database_queue, settings, monkeypatch
):
    """Two machines whose clocks differ by ten minutes: the live worker's job is not taken from it."""
    settings.NOLKUMUH_WORKER_STALE_SECONDS = 120
    elsewhere = Worker.objects.create(host="server-lain", pid=1, seen_at=database_now())
    job, _row = running_job(elsewhere, kind="export", task=export_task)
    ahead = timezone.now() + timedelta(minutes=10)
    monkeypatch.setattr(timezone, "now", lambda: ahead)  # this machine's clock runs ahead
    assert worker_alive(elsewhere)
    assert jobs_recover() == {"queued": 0, "failed": 0} and Job.objects.get(pk=job.pk).status == "running"
