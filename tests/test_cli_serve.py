"""`nolkumuh serve` runs a background worker beside the web server and stops it when it stops."""

import os
import signal
import socket
import subprocess
import time

import pytest

from tests.test_cli import NOLKUMUH


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid):
    out = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(pid)], capture_output=True, text=True)
    return [line for line in out.stdout.splitlines() if line.strip()]


@pytest.mark.slow
def test_serve_starts_a_worker_and_stops_it_on_sigterm(tmp_path):
    env = {
        **os.environ,
        "NOLKUMUH_DEMO": "1",
        "NOLKUMUH_DATA_DIR": str(tmp_path),
        "NOLKUMUH_TASKS": "database",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([NOLKUMUH, "manage", "migrate", "-v", "0"], env=env, check=True, timeout=120)
    server = subprocess.Popen(
        [NOLKUMUH, "serve", "--port", str(free_port())], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert "pekerja tugas latar berjalan" in server.stdout.readline()
        deadline = time.time() + 20
        while not [c for c in children(server.pid) if "worker" in c] and time.time() < deadline:
            time.sleep(0.2)
        workers = [c for c in children(server.pid) if "nolkumuh.cli worker" in c]
        assert len(workers) == 1
        worker_pid = int(workers[0].split()[0])
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        deadline = time.time() + 10
        while subprocess.run(["ps", "-p", str(worker_pid)], capture_output=True).returncode == 0:
            assert time.time() < deadline, "the worker outlived the server"
            time.sleep(0.2)
    finally:
        if server.poll() is None:
            server.kill()


@pytest.mark.slow
def test_the_first_run_creates_the_data_folder(tmp_path):
    """`make run` on a fresh clone: the data folder does not exist yet; migrate creates it."""
    data = tmp_path / "not" / "yet"
    env = {**os.environ, "NOLKUMUH_DEMO": "1", "NOLKUMUH_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)  # the embedded SQLite database of a first run
    done = subprocess.run(
        [NOLKUMUH, "manage", "migrate", "--noinput", "-v", "0"], env=env, capture_output=True
    )
    assert done.returncode == 0, done.stderr.decode()[-500:]
    assert (data / "nolkumuh.sqlite3").is_file()
