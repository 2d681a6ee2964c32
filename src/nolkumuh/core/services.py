"""Writing the audit trail. Every service that changes data calls :func:`audit_record`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from nolkumuh.core.models import AuditEntry


def audit_entry(
    *,
    user: AbstractBaseUser | None,
    action: str,
    object_type: str,
    object_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str = "",
) -> AuditEntry:
    """An unsaved audit entry (bulk writers save many at once; :func:`audit_record` saves one)."""
    return AuditEntry(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
        summary=summary[:300],
    )


def audit_record(**fields: Any) -> AuditEntry:
    """Save one audit entry; ``fields`` as :func:`audit_entry` takes them."""
    entry = audit_entry(**fields)
    entry.save()
    return entry


def audit_change(
    *,
    user: AbstractBaseUser | None,
    object_type: str,
    object_id: object,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    summary: str = "",
) -> AuditEntry | None:
    """Record a create (no ``before``) or an update, but only when something changed."""
    if before == after:
        return None
    action = "create" if before is None else "update"
    return audit_record(
        user=user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
        summary=summary,
    )


def refresh_statistics() -> None:
    """After a bulk load inside one transaction, let PostgreSQL's planner see the new rows (it has
    no statistics for them until autovacuum runs, and may then pick plans that take minutes).
    Nothing to do on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
