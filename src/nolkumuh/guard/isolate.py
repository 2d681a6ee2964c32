"""Parsing untrusted files in a child process with memory and time limits.

A spreadsheet or GIS reader that aborts in native code, or allocates without end, takes its own
process down. Run in a child (a fresh interpreter: ``python -m nolkumuh.guard.child``), that is the
child alone: the web server, its worker and the command line carry on and tell the user that the
file cannot be read. The function and its arguments go in and the result comes back by pickle,
so the function must be importable by name and its result picklable.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from nolkumuh.guard.limits import limits_from_env
from nolkumuh.scoring.issues import InvalidInput, Issue

T = TypeVar("T")


def run_isolated(
    func: Callable[..., T],
    *args: Any,
    memory_mb: int | None = None,
    seconds: int | None = None,
    kind: str = "berkas",
    **kwargs: Any,
) -> T:
    """``func(*args, **kwargs)`` computed in a child process under an address-space and time limit.

    An InvalidInput raised by ``func`` is raised here; a crash, running out of memory or time, or
    any other error becomes an InvalidInput that says the file cannot be read and why.
    """
    limits = limits_from_env()
    memory_mb = memory_mb or limits.child_memory_mb
    seconds = seconds or limits.child_seconds
    payload = pickle.dumps(
        (func.__module__, func.__qualname__, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL
    )
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    try:
        done = subprocess.run(
            # the child sets its own limits first thing (no preexec_fn: the server has threads)
            [sys.executable, "-m", "nolkumuh.guard.child", str(memory_mb), str(seconds)],
            input=payload,
            stdout=subprocess.PIPE,  # the result; the child's stderr (progress bars, warnings) passes
            timeout=seconds + 2,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise InvalidInput([Issue("parse_timeout", params={"kind": kind, "seconds": seconds})]) from None
    return _outcome(done, kind=kind, memory_mb=memory_mb, seconds=seconds)


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
