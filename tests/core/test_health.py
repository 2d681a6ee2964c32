"""/sehat/ for an uptime monitor: 200 when the database answers, every migration is applied, a
worker said it is alive lately and the data folder has room; 503 naming what failed otherwise,
as JSON, never an error page (not even with the database down)."""

import json
import os
import signal
import subprocess
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from nolkumuh.baseline.tasks import export_task
from nolkumuh.core.models import Worker
from nolkumuh.core.workers import this_worker
from tests.test_cli import NOLKUMUH

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def health(client):
    response = client.get("/sehat/")
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def test_healthy_with_a_fresh_worker_heartbeat(client, database_queue):
    this_worker()  # a live worker process (this one) that has just said it is alive
    status, body = health(client)
    assert status == 200, body
    assert body["status"] == "ok" and body["failed"] == []
    # fresh: seconds old (a loaded CI machine took 3 s between the heartbeat and the answer),
    # far from the stale limit
    assert body["checks"]["worker"]["heartbeat_age_seconds"] <= 30
    assert body["checks"]["migrations"] == {"ok": True, "unapplied": 0}
    assert body["checks"]["database"] == {"ok": True}


def test_without_any_worker_the_answer_is_503_naming_the_worker(client, database_queue):
    status, body = health(client)
    assert status == 503
    assert body["failed"] == ["worker"]
    assert body["checks"]["worker"]["message"] == "tidak ada pekerja tugas latar"


def test_a_worker_silent_longer_than_the_stale_limit_answers_503(client, database_queue, settings):
    settings.NOLKUMUH_WORKER_STALE_SECONDS = 120
    Worker.objects.create(host="mesin-lain", pid=4242, seen_at=timezone.now() - timedelta(minutes=10))
    status, body = health(client)
    assert status == 503 and body["failed"] == ["worker"]
    assert body["checks"]["worker"]["heartbeat_age_seconds"] >= 600
    assert "pekerja tugas latar diam 6" in body["checks"]["worker"]["message"]


def test_a_worker_on_another_host_with_a_recent_heartbeat_counts(client, database_queue):
    Worker.objects.create(host="mesin-lain", pid=4242, seen_at=timezone.now() - timedelta(seconds=30))
    status, body = health(client)
    assert status == 200, body
    assert 29 <= body["checks"]["worker"]["heartbeat_age_seconds"] <= 35


def test_the_queue_length_counts_waiting_tasks(client, database_queue):
    this_worker()
    export_task.enqueue("00000000-0000-0000-0000-000000000000")
    export_task.enqueue("00000000-0000-0000-0000-000000000001")
    status, body = health(client)
    assert status == 200
    assert body["checks"]["queue"] == {"ok": True, "waiting": 2}


def test_tasks_run_in_the_request_need_no_worker(client):
    status, body = health(client)
    assert status == 200, body
    assert body["checks"]["worker"] == {"ok": True, "used": False}


def test_too_little_free_disk_in_the_shared_files_folder_answers_503(client, settings, tmp_path):
    settings.NOLKUMUH_MEDIA_DIR = tmp_path
    settings.NOLKUMUH_HEALTH_MIN_FREE_MB = 10**12
    status, body = health(client)
    assert status == 503 and "disk" in body["failed"]
    assert "ruang kosong folder berkas bersama" in body["checks"]["disk"]["message"]


def test_too_little_free_disk_in_the_data_folder_answers_503(client, settings):
    settings.NOLKUMUH_HEALTH_MIN_FREE_MB = 10**12  # an exabyte: no disk has that much free
    status, body = health(client)
    assert status == 503 and body["failed"] == ["disk"]
    disk = body["checks"]["disk"]
    assert disk["min_free_mb"] == 10**12 and disk["free_mb"] < disk["min_free_mb"]
    assert "kurang dari 1000000000000 MB" in disk["message"]


def test_health_is_read_only(client):
    assert client.post("/sehat/").status_code in (403, 405)  # CSRF first, then: GET only


# A real installation in a temporary folder: a worker process, the database, migrations.

SHOW = (
    "from django.test import Client; r = Client().get('/sehat/', HTTP_HOST='localhost'); "
    "print(r.status_code, r.content.decode())"
)


def installation(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOLKUMUH_", "DJANGO_", "DATABASE_"))}
    env.update(NOLKUMUH_DEMO="1", NOLKUMUH_DATA_DIR=str(tmp_path), NOLKUMUH_TASKS="database", **extra)
    return env


def served_health(env):
    done = subprocess.run([NOLKUMUH, "manage", "shell", "-c", SHOW], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    status, body = done.stdout.strip().splitlines()[-1].split(" ", 1)
    return int(status), json.loads(body)


@pytest.mark.slow
def test_a_stopped_worker_and_unapplied_migrations_answer_503(tmp_path):
    env = installation(tmp_path)
    subprocess.run([NOLKUMUH, "manage", "migrate", "-v", "0"], env=env, check=True, timeout=180)
    worker = subprocess.Popen([NOLKUMUH, "worker"], env=env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while (answer := served_health(env))[0] != 200:
            assert time.time() < deadline, answer
            time.sleep(0.5)
        assert answer[1]["checks"]["worker"]["ok"] is True
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        status, body = served_health(env)
        assert status == 503 and body["failed"] == ["worker"]
    finally:
        if worker.poll() is None:
            worker.kill()
    subprocess.run(
        [NOLKUMUH, "manage", "migrate", "monitoring", "0005", "-v", "0"], env=env, check=True, timeout=120
    )
    status, body = served_health(env)
    assert status == 503 and "migrations" in body["failed"]
    assert body["checks"]["migrations"]["unapplied"] == 1
    assert "1 migrasi belum dijalankan" in body["checks"]["migrations"]["message"]


@pytest.mark.slow
def test_with_the_database_unreachable_the_answer_is_503_json(tmp_path):
    env = installation(tmp_path, DATABASE_URL="postgres://nolkumuh:salah@127.0.0.1:1/tidak_ada")
    status, body = served_health(env)
    assert status == 503
    assert body["failed"] == ["database", "migrations", "worker", "queue"]
    assert body["checks"]["database"]["message"].startswith("OperationalError")
    assert body["checks"]["queue"]["message"] == "tidak diperiksa: basis data tidak terjangkau"
    assert body["checks"]["disk"]["ok"] is True
