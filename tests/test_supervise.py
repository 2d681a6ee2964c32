"""The worker supervisor of `nolkumuh serve`: a worker that keeps dying is started again after a
pause that doubles up to a ceiling, and back to the first pause once a worker lived long enough."""

import re
import time

from nolkumuh.supervise import WorkerSupervisor


def pauses(text: str) -> list[float]:
    return [float(p) for p in re.findall(r"dijalankan lagi dalam ([\d.]+) detik", text)]


def test_the_pause_doubles_up_to_the_ceiling(capsys):
    supervisor = WorkerSupervisor(["true"], first_pause=0.05, longest_pause=0.2, healthy_after=60)
    supervisor.start()
    deadline = time.time() + 10
    while supervisor.restarts < 5 and time.time() < deadline:
        time.sleep(0.05)
    supervisor.stop()
    assert pauses(capsys.readouterr().out)[:5] == [0.05, 0.1, 0.2, 0.2, 0.2]


def test_the_pause_starts_again_after_a_worker_lived_long_enough(capsys):
    supervisor = WorkerSupervisor(["sleep", "0.3"], first_pause=0.05, longest_pause=1, healthy_after=0.2)
    supervisor.start()
    deadline = time.time() + 10
    while supervisor.restarts < 3 and time.time() < deadline:
        time.sleep(0.05)
    supervisor.stop()
    assert pauses(capsys.readouterr().out)[:3] == [0.05, 0.05, 0.05]


def test_stop_ends_the_worker_and_the_restarts(capsys):
    supervisor = WorkerSupervisor(["sleep", "60"], first_pause=0.05)
    supervisor.start()
    process = supervisor.process
    supervisor.stop()
    assert process.poll() is not None
    time.sleep(0.2)
    assert supervisor.process is process and "berhenti" not in capsys.readouterr().out
