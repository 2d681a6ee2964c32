"""Results that change only when the data changes, kept in the shared cache.

Every change to data is recorded in the audit trail, one row per change, so the id of the newest
audit entry is a version of all the data: a result stored under it can never be stale. The heavy
read-only computations (province and city profiles, their maps, the portal home) are computed once
per data version and per visibility (what the viewer may see), then served from the cache until
the next change anywhere. The cache lives on disk across upgrades, so the keys also carry a
fingerprint of the code (:func:`code_fingerprint`): a new version never reads an entry of another
shape written by the old one.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max

from nolkumuh.core.models import AuditEntry

T = TypeVar("T")
LIFETIME = 24 * 3600  # a day; a change makes a new key long before that


def data_version() -> tuple[int, ...]:
    """The newest audit id, and on PostgreSQL the number of audit entries: there ids are handed
    out in transaction order, not commit order, so a change committed after a later one still
    changes the count. SQLite has one writer at a time, holding the write lock from its first
    write to its commit, so its ids follow commit order and the newest id is enough: counting 1.5 M
    entries took 140-200 ms on every request (docs/benchmarks.md), the newest id is one index step."""
    if connection.vendor == "sqlite":
        return (AuditEntry.objects.aggregate(newest=Max("id"))["newest"] or 0,)
    found = AuditEntry.objects.aggregate(newest=Max("id"), count=Count("id"))
    return found["newest"] or 0, found["count"]


def code_fingerprint(root: Path) -> str:
    """A hash of the code and templates under ``root`` (names and contents): it changes with
    every change of what computes or shows a cached result."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html", ".toml") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def _this_code() -> str:
    return code_fingerprint(Path(__file__).resolve().parent.parent)


def data_key(name: str, parts: tuple[Any, ...]) -> str:
    """The cache key of ``name`` and ``parts`` at the current data version and code fingerprint."""
    version = (name, parts, data_version(), _this_code())
    return "data:" + hashlib.sha256(repr(version).encode()).hexdigest()


def region_key(name: str, parts: tuple[Any, ...]) -> str:
    """The cache key of ``name`` and ``parts`` (which hold their own versions) and the code."""
    return "region:" + hashlib.sha256(repr((name, parts, _this_code())).encode()).hexdigest()


def cached(key: str, compute: Callable[[], T]) -> T:
    """The value kept under ``key``, else ``compute()`` kept there. A template can keep what it
    renders from that value under the same key ({% cache %} with the key as vary-on), so a kept
    page skips its rendering too."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, LIFETIME)
    return value


def data_cached(name: str, parts: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()`` once per name, parts, data version and code fingerprint."""
    return cached(data_key(name, parts), compute)


def region_cached(name: str, parts: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()`` once per name, parts and code fingerprint: ``parts`` must hold a version of
    everything the result stands on (a region's summary version, ADR 0011), so that a change in
    one city leaves the other cities' and provinces' entries in place."""
    return cached(region_key(name, parts), compute)
