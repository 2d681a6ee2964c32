"""The child side of :func:`nolkumuh.guard.isolate.run_isolated`: import the modules named on the
command line (the parent's own, while it checks the file), read the call from standard input, make
it, and write ``(status, value)`` to standard output, all by pickle."""

from __future__ import annotations

import importlib
import pickle
import resource
import sys
from typing import Any

from nolkumuh.scoring.issues import InvalidInput


def _call(module: str, qualname: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    return target(*args, **kwargs)


def limit(memory_mb: int, seconds: int) -> None:
    """Cap this process's address space and processor time; no core dumps of untrusted data."""
    for kind, wanted in ((resource.RLIMIT_AS, memory_mb << 20), (resource.RLIMIT_CPU, seconds)):
        _soft, hard = resource.getrlimit(kind)  # never above what the parent itself may use
        cap = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(kind, (cap, hard if kind == resource.RLIMIT_CPU else cap))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main() -> int:
    limit(int(sys.argv[1]), int(sys.argv[2]))
    # The parent trusts only what comes back on this pipe: keep stray prints of libraries away.
    out = sys.stdout.buffer
    sys.stdout = sys.stderr
    for name in sys.argv[3:]:
        importlib.import_module(name)
    call = sys.stdin.buffer.read()
    if not call:  # the parent's checks refused the file: nothing to do
        return 0
    module, qualname, args, kwargs = pickle.loads(call)
    try:
        result: tuple[str, Any] = ("ok", _call(module, qualname, args, kwargs))
    except InvalidInput as exc:
        result = ("invalid", exc.issues)
    except MemoryError:
        result = ("memory", None)
    except Exception as exc:  # any other failure of a reader is a file it cannot read
        result = ("error", type(exc).__name__)
    try:
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps(("memory", None))
    out.write(data)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
