"""A real `nolkumuh worker` killed with SIGKILL while it writes a large import: nothing of the import
remains, and the next worker that starts fails the job with a message for its owner."""

import os
import signal
import sqlite3
import subprocess
import time
import uuid

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from nolkumuh.baseline.models import RtRecord
from nolkumuh.baseline.tasks import import_apply_task
from nolkumuh.core.downloads import upload_folder
from nolkumuh.core.models import AuditEntry, Job
from nolkumuh.exchange.synthetic import generate_rows
from nolkumuh.regions.models import Kawasan, Rt
from nolkumuh.scoring import load_ruleset
from tests.exchange.conftest import PLACES, write_csv
from tests.test_cli import NOLKUMUH

DIED = "Pekerjaan terhenti karena pekerja tugas mati; tidak ada data yang tersimpan, jalankan lagi."
ROWS = 4000


def large_upload(rows: int):
    """An RT file of Bandarharjo with ``rows`` RTs (RW 001-…, RT 001-500 in each RW)."""
    ruleset = load_ruleset("permen-pupr-14-2018")
    data = generate_rows(PLACES[:1], ruleset=ruleset, years=[2024], rts_per_kelurahan=rows)
    for n, row in enumerate(data):
        row["rw"], row["rt"] = f"{n // 500 + 1:03d}", f"{n % 500 + 1:03d}"
    return write_csv(upload_folder() / f"{uuid.uuid4().hex}.csv", data)


def worker_env(settings) -> dict[str, str]:
    """The environment of a worker that uses the test database."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{db['NAME']}"
    else:
        where = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        url = f"postgres://{db['USER']}:{db['PASSWORD']}@{where}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "NOLKUMUH_DATA_DIR": str(settings.DATA_DIR)}
    env.update(NOLKUMUH_DEMO="1", NOLKUMUH_TASKS="database")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def writing_now() -> bool:
    """Whether another connection holds an open write transaction (the worker writing the import)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        probe = sqlite3.connect(db["NAME"], timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.rollback()
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
        )
        return cursor.fetchone()[0] > 0


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.time() + timeout
    while not condition():
        assert time.time() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def counts() -> tuple[int, ...]:
    return (RtRecord.objects.count(), Rt.objects.count(), Kawasan.objects.count(), AuditEntry.objects.count())


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_writing_leaves_nothing_and_the_next_worker_fails_the_job(
    tree, users, round2024, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    path = large_upload(ROWS)
    job = Job.objects.create(
        id=uuid.uuid4(), kind="import", title="Impor besar", user=users["fasilitator"],
        params={"path": str(path), "year": 2024, "decimal_comma": False},
    )  # fmt: skip
    import_apply_task.enqueue(str(job.pk))
    before = counts()
    env = worker_env(settings)
    worker = subprocess.Popen([NOLKUMUH, "worker"], env=env, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: Job.objects.get(pk=job.pk).status == "running", 120, "the job to start")
        # the dry run comes first and writes nothing: wait until the writing is under way
        wait_for(lambda: all(writing_now() or time.sleep(0.2) for _ in range(3)), 300, "the import writing")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert counts() == before  # the transaction died with the worker
    assert Job.objects.get(pk=job.pk).status == "running"  # nobody has noticed yet
    again = subprocess.run([NOLKUMUH, "worker", "--batch"], env=env, capture_output=True, timeout=120)
    assert again.returncode == 0, again.stderr.decode()[-2000:]
    job.refresh_from_db()
    assert job.status == "failed" and job.messages == [DIED] and job.finished_at is not None
    assert DBTaskResult.objects.get(args_kwargs__args__0=str(job.pk)).status == "FAILED"
    assert counts() == before
