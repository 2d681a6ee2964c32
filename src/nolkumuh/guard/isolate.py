"""Parsing untrusted files in a child process with memory and time limits.

A spreadsheet or GIS reader that aborts in native code, or allocates without end, takes its own
process down. Run in a child (a fresh interpreter: ``python -m nolkumuh.guard.child``), that is the
child alone: the web server, its worker and the command line carry on and tell the user that the
file cannot be read. The function and its arguments go in and the result comes back by pickle,
so the function must be importable by name and its result picklable.

Starting the child (a new interpreter importing numpy and the readers) takes about 0.3 s; the
caller's cheap checks of the file (``meanwhile``) run during that time, and the child is given the
call only once they passed. The checks that read the whole file (``alongside``: every cell
reference of a workbook) run while the child parses, where the operating system holds the child to
its limits (Linux), and the child's result is taken only once they passed too: a refused file is
refused with the guard's message and its parse thrown away. Elsewhere, or with
``NOLKUMUH_PARSE_DURING_SCAN=0``, they run before the child gets the call (ADR 0007).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from nolkumuh.guard.limits import Limits, limits_from_env
from nolkumuh.scoring.issues import InvalidInput, Issue

T = TypeVar("T")


def run_isolated(
    func: Callable[..., T],
    *args: Any,
    memory_mb: int | None = None,
    seconds: int | None = None,
    kind: str = "berkas",
    meanwhile: Callable[[], object] | None = None,
    alongside: Callable[[], object] | None = None,
    preload: Sequence[str] = (),
    guard_limits: Limits | None = None,
    **kwargs: Any,
) -> T:
    """``func(*args, **kwargs)`` computed in a child process under an address-space and time limit.

    An InvalidInput raised by ``func`` is raised here; a crash, running out of memory or time, or
    any other error becomes an InvalidInput that says the file cannot be read and why.
    ``meanwhile`` (the guard's checks of the file) runs here while the child starts and imports
    ``func``'s module and ``preload``; whatever it raises is raised and the child ended unused.
    ``guard_limits`` (else the environment's) give the child's limits and whether the parse may
    run during the scan. ``alongside`` (the guard's scan of the content) runs after ``meanwhile``,
    while the child already parses
    where :func:`parse_during_scan` allows it; whatever it raises is raised and the child killed.
    """
    limits = guard_limits or limits_from_env()
    memory_mb = memory_mb or limits.child_memory_mb
    seconds = seconds or limits.child_seconds
    payload = pickle.dumps(
        (func.__module__, func.__qualname__, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL
    )
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    # the child sets its own limits first thing (no preexec_fn: the server has threads)
    command = [sys.executable, "-m", "nolkumuh.guard.child", str(memory_mb), str(seconds)]
    # the result comes back on stdout; the child's stderr (progress bars, warnings) passes
    with subprocess.Popen(
        [*command, func.__module__, *preload], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
    ) as child:
        try:
            if meanwhile is not None:
                meanwhile()
            if alongside is not None and parse_during_scan(limits):
                _give(child, payload)
                payload = b""
            if alongside is not None:
                alongside()
            out, _ = child.communicate(payload or None, timeout=seconds + 2)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise InvalidInput([Issue("parse_timeout", params={"kind": kind, "seconds": seconds})]) from None
        except BaseException:
            child.kill()
            raise
    done = subprocess.CompletedProcess(command, child.returncode, out)
    return _outcome(done, kind=kind, memory_mb=memory_mb, seconds=seconds)


def parse_during_scan(limits: Limits) -> bool:
    """Whether a parser may start before the guard's scan of the file ended: only where the child's
    address-space and processor-time limits are enforced (Linux), and unless configured off."""
    return limits.parse_during_scan and sys.platform.startswith("linux")


def _give(child: subprocess.Popen[bytes], payload: bytes) -> None:
    """The call, written to the child's input and closed, without waiting for its result."""
    assert child.stdin is not None
    try:
        child.stdin.write(payload)
    except BrokenPipeError:  # the child ended already: its exit status says why
        pass
    finally:
        with contextlib.suppress(BrokenPipeError):
            child.stdin.close()
    child.stdin = None  # closed: communicate() must not flush it again


def _outcome(done: subprocess.CompletedProcess[bytes], *, kind: str, memory_mb: int, seconds: int) -> Any:
    if done.returncode == 0:
        status, value = pickle.loads(done.stdout)
        if status == "ok":
            return value
        if status == "invalid":
            raise InvalidInput(value)
        if status == "memory":
            raise InvalidInput([Issue("parse_memory", params={"kind": kind, "limit": memory_mb})])
        raise InvalidInput([Issue("parse_failed", params={"kind": kind, "detail": str(value)[:120]})])
    if -done.returncode in (signal.SIGXCPU, signal.SIGKILL):
        raise InvalidInput([Issue("parse_timeout", params={"kind": kind, "seconds": seconds})])
    # A native abort (SIGABRT), a crash (SIGSEGV) or an allocation refused by the memory limit.
    raise InvalidInput([Issue("parse_crash", params={"kind": kind, "limit": memory_mb})])
