"""`nolkumuh serve` runs a background worker beside the web server, starts it again when it dies, and
stops it when it stops."""

import os
import queue
import re
import signal
import socket
import subprocess
import threading
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


def _lines(stream):
    """The server's output lines, read in a thread so that the test can wait with a timeout."""
    found: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [found.put(line) for line in stream], daemon=True).start()
    return found


def _next(lines, pattern, timeout=30.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        if match := re.search(pattern, line):
            return match
    raise AssertionError(f"no line matching {pattern!r}")


@pytest.mark.slow
def test_serve_restarts_a_worker_that_dies_with_a_growing_pause(tmp_path):
    env = {
        **os.environ,
        "NOLKUMUH_DEMO": "1",
        "NOLKUMUH_DATA_DIR": str(tmp_path),
        "NOLKUMUH_TASKS": "database",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    subprocess.run([NOLKUMUH, "manage", "migrate", "-v", "0"], env=env, check=True, timeout=120)
    server = subprocess.Popen(
        [NOLKUMUH, "serve", "--port", str(free_port())], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        lines = _lines(server.stdout)
        first = int(_next(lines, r"pekerja tugas latar berjalan \(proses (\d+)\)")[1])
        os.kill(first, signal.SIGKILL)
        assert _next(lines, rf"berhenti \(proses {first}, kode -9\); dijalankan lagi dalam 1 detik")
        second = int(_next(lines, r"pekerja tugas latar berjalan \(proses (\d+)\)")[1])
        assert second != first and any(c.split()[0] == str(second) for c in children(server.pid))
        os.kill(second, signal.SIGKILL)  # dies again soon: the pause doubles
        assert _next(lines, rf"berhenti \(proses {second}, kode -9\); dijalankan lagi dalam 2 detik")
        third = int(_next(lines, r"pekerja tugas latar berjalan \(proses (\d+)\)")[1])
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        deadline = time.time() + 10
        while subprocess.run(["ps", "-p", str(third)], capture_output=True).returncode == 0:
            assert time.time() < deadline, "the worker outlived the server"
            time.sleep(0.2)
    finally:
        if server.poll() is None:
            server.kill()
