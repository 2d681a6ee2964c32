"""The background worker that `nolkumuh serve` runs beside the web server: a child process, started
again whenever it dies (after a pause that doubles from 1 s up to 60 s, and is back to 1 s once a
worker has lived a minute), each restart written to the log; stopped when the server stops."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence


def _say(line: str) -> None:
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    print(f"[{stamp}] {line}", flush=True)


class WorkerSupervisor:
    """Keeps one worker process running until :meth:`stop`."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        preexec: Callable[[], None] | None = None,
        first_pause: float = 1.0,
        longest_pause: float = 60.0,
        healthy_after: float = 60.0,
    ) -> None:
        self.command = list(command)
        self.preexec = preexec
        self.first_pause, self.longest_pause, self.healthy_after = first_pause, longest_pause, healthy_after
        self.pause = first_pause
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the worker and the thread that restarts it when it dies."""
        with self._lock:
            self._spawn()
        self._thread = threading.Thread(target=self._watch, name="nolkumuh-worker-watch", daemon=True)
        self._thread.start()

    def _spawn(self) -> None:
        self.process = subprocess.Popen(self.command, preexec_fn=self.preexec)
        self.started = time.monotonic()
        _say(f"pekerja tugas latar berjalan (proses {self.process.pid})")

    def _watch(self) -> None:
        while not self._stopping.is_set():
            process = self.process
            assert process is not None
            code = process.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - self.started >= self.healthy_after:
                self.pause = self.first_pause  # it had been fine for a while: a fresh start
            _say(
                f"pekerja tugas latar berhenti (proses {process.pid}, kode {code}); "
                f"dijalankan lagi dalam {self.pause:g} detik"
            )
            if self._stopping.wait(self.pause):
                return
            self.pause = min(self.pause * 2, self.longest_pause)
            with self._lock:
                if self._stopping.is_set():
                    return
                self.restarts += 1
                self._spawn()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the worker (SIGTERM: it finishes the task at hand, then ends) and stop restarting."""
        self._stopping.set()
        with self._lock:
            process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            print("pekerja tugas latar tidak berhenti; dihentikan paksa", file=sys.stderr, flush=True)
            process.kill()
            process.wait()
