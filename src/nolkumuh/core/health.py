"""The health of a running installation, for an uptime monitor: ``/sehat/`` answers JSON with one
entry per check and status 200 when every check passes, 503 otherwise (naming the failed checks).

The checks are cheap (a few small queries, no table scans) and never raise: a database that
cannot be reached is a failed check, not an error page.

- ``database``: a connection and ``SELECT 1``;
- ``migrations``: no migration of the installed code is left unapplied;
- ``worker``: a background worker said it was alive within ``NOLKUMUH_WORKER_STALE_SECONDS``
  (its heartbeat, core/workers.py); skipped when tasks run inside the request;
- ``queue``: background tasks waiting (information, never failing);
- ``disk``: free space in the data folder of at least ``NOLKUMUH_HEALTH_MIN_FREE_MB``.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

Check = dict[str, Any]
DATABASE_CHECKS = ("migrations", "worker", "queue")


def check_database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def check_migrations() -> Check:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    unapplied = [f"{m.app_label}.{m.name}" for m, _backwards in plan]
    check: Check = {"ok": not unapplied, "unapplied": len(unapplied)}
    if unapplied:
        check["message"] = f"{len(unapplied)} migrasi belum dijalankan: nolkumuh manage migrate"
    return check


def check_worker() -> Check:
    """The age of the newest heartbeat of a worker (on this host, only of a process that still
    exists: a killed worker's last heartbeat says nothing)."""
    if settings.TASKS["default"]["BACKEND"] != settings.TASK_BACKENDS["database"]:
        return {"ok": True, "used": False}
    from nolkumuh.core.models import Worker
    from nolkumuh.core.workers import HOST, database_now, worker_alive

    stale = settings.NOLKUMUH_WORKER_STALE_SECONDS
    seen = [w.seen_at for w in Worker.objects.order_by("-seen_at")[:20] if w.host != HOST or worker_alive(w)]
    if not seen:
        return {"ok": False, "heartbeat_age_seconds": None, "message": "tidak ada pekerja tugas latar"}
    age = round((database_now() - max(seen)).total_seconds())
    check: Check = {"ok": age <= stale, "heartbeat_age_seconds": age, "max_age_seconds": stale}
    if age > stale:
        check["message"] = f"pekerja tugas latar diam {age} detik (batas {stale})"
    return check


def check_queue() -> Check:
    from django_tasks_db.models import DBTaskResult

    return {"ok": True, "waiting": DBTaskResult.objects.filter(status="READY").count()}


def check_disk() -> Check:
    """Free space of the data folder and, when it is elsewhere, of the shared files folder
    (NOLKUMUH_MEDIA_DIR, several machines); the lower of the two is reported."""
    minimum = settings.NOLKUMUH_HEALTH_MIN_FREE_MB
    folders = {"folder data": Path(settings.DATA_DIR).resolve()}
    if (shared := Path(settings.NOLKUMUH_MEDIA_DIR).resolve()) != folders["folder data"]:
        folders["folder berkas bersama"] = shared
    free = {name: shutil.disk_usage(path).free // (1024 * 1024) for name, path in folders.items()}
    check: Check = {
        "ok": min(free.values()) >= minimum,
        "free_mb": min(free.values()),
        "min_free_mb": minimum,
    }
    if low := [
        f"ruang kosong {name} {mb} MB, kurang dari {minimum} MB" for name, mb in free.items() if mb < minimum
    ]:
        check["message"] = "; ".join(low)
    return check


CHECKS: dict[str, Callable[[], Check]] = {
    "database": check_database,
    "migrations": check_migrations,
    "worker": check_worker,
    "queue": check_queue,
    "disk": check_disk,
}


def _run(name: str, check: Callable[[], Check]) -> Check:
    try:
        return check()
    except (DatabaseError, OSError) as exc:
        logger.warning("health check %s failed: %s", name, exc)
        return {"ok": False, "message": f"{type(exc).__name__}: {exc}"[:300]}


def health_report() -> dict[str, Any]:
    """Every check's result, the names of the failed ones and the overall status."""
    checks = {"database": _run("database", check_database)}
    for name, check in CHECKS.items():
        if name == "database":
            continue
        if name in DATABASE_CHECKS and not checks["database"]["ok"]:
            checks[name] = {"ok": False, "message": "tidak diperiksa: basis data tidak terjangkau"}
        else:
            checks[name] = _run(name, check)
    failed = [name for name, result in checks.items() if not result["ok"]]
    return {"status": "gagal" if failed else "ok", "failed": failed, "checks": checks}


@require_safe
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    report = health_report()
    if not report["failed"]:
        return JsonResponse(report)
    logger.warning("health: failed %s", ", ".join(report["failed"]))
    response = JsonResponse(report, status=503)
    # logged above as a warning: Django would log every poll of a monitor as an error (and an error
    # reporter would open an event per poll)
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
