"""Who may see and change what (login throttling: accounts.throttle)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from nolkumuh.accounts.models import Membership, Role
from nolkumuh.regions.models import Region

# Which role may move a kelurahan's data from one workflow state to the next.
TRANSITIONS: dict[str, tuple[str, str, frozenset[str]]] = {
    # action: (from, to, roles)
    "submit": ("draft", "submitted", frozenset({Role.FASILITATOR, Role.KORKOT, Role.ADMIN})),
    "verify": ("submitted", "verified", frozenset({Role.ASKOT, Role.KORKOT, Role.ADMIN})),
    "approve": ("verified", "approved", frozenset({Role.KORKOT, Role.PROVINSI, Role.ADMIN})),
    "reject": (
        "submitted|verified",
        "draft",
        frozenset({Role.ASKOT, Role.KORKOT, Role.PROVINSI, Role.ADMIN}),
    ),
    "unlock": ("approved", "draft", frozenset({Role.PROVINSI, Role.ADMIN})),
}
EDITORS = frozenset({Role.FASILITATOR, Role.KORKOT, Role.ADMIN})
REASON_NEEDED = frozenset({"reject", "unlock"})
# Verifying or approving needs someone other than the person who took the previous step.
SECOND_PAIR_OF_EYES = frozenset({"verify", "approve"})
WORKFLOW_MESSAGES = {
    "wrong_status": gettext_lazy("Langkah ini tidak bisa dilakukan pada status sekarang."),
    "reason_required": gettext_lazy("Tuliskan alasannya (wajib untuk menolak atau membuka kunci)."),
    "no_data": gettext_lazy("Belum ada data RT untuk diajukan."),
    "unknown_action": gettext_lazy("Tindakan tidak dikenal."),
    "same_person": gettext_lazy(
        "Verifikasi dan persetujuan harus oleh orang lain daripada yang melakukan langkah sebelumnya."
    ),
}


class WorkflowError(Exception):
    """A workflow step that is not allowed now; ``code`` names why (see WORKFLOW_MESSAGES)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def message(self) -> str:
        return str(WORKFLOW_MESSAGES.get(self.code, self.code))


@dataclass(frozen=True)
class Scope:
    """A user's role and the region code prefixes they cover (empty for the public)."""

    role: str | None
    prefixes: tuple[str, ...]

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def covers(self, code: str) -> bool:
        """True when the region with this code lies inside the user's regions."""
        if self.is_admin:
            return True
        return any(code == p or code.startswith(p + ".") for p in self.prefixes)

    def may_edit_somewhere(self) -> bool:
        """True when the user may enter RT data in some region (and so has something to import)."""
        return self.role in EDITORS and (self.is_admin or bool(self.prefixes))

    def may_edit(self, kelurahan: Region) -> bool:
        return self.role in EDITORS and self.covers(kelurahan.code)

    def may(self, action: str, kelurahan: Region) -> bool:
        return self.role in TRANSITIONS[action][2] and self.covers(kelurahan.code)


PUBLIC = Scope(role=None, prefixes=())


def user_scope(user: AbstractBaseUser | AnonymousUser) -> Scope:
    """The scope of a signed-in user (cached on the user object for the request)."""
    if not user.is_authenticated:
        return PUBLIC
    cached = getattr(user, "_nolkumuh_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(role=Role.ADMIN, prefixes=())
    else:
        membership = Membership.objects.filter(user=user).prefetch_related("regions").first()
        if membership is None:
            scope = PUBLIC
        else:
            scope = Scope(role=membership.role, prefixes=tuple(r.code for r in membership.regions.all()))
    user._nolkumuh_scope = scope  # type: ignore[attr-defined]
    return scope


def workflow_step(
    *,
    user: AbstractBaseUser,
    kelurahan: Region,
    status: str,
    action: str,
    reason: str,
    previous_actor_id: int | None,
) -> str:
    """The status after one step (submit, verify, approve, reject, unlock) of anything approved like
    RT data, after checking the rules: the role may act in this kelurahan, the current status allows
    the step, rejecting and unlocking have a reason, and verifying and approving are done by someone
    other than the previous actor (administrators excepted). Raises PermissionDenied or
    WorkflowError."""
    if action not in TRANSITIONS:
        raise WorkflowError("unknown_action")
    allowed_from, to_status, _roles = TRANSITIONS[action]
    scope = user_scope(user)
    if not scope.may(action, kelurahan):
        raise PermissionDenied("outside_scope")
    if status not in allowed_from.split("|"):
        raise WorkflowError("wrong_status")
    if action in REASON_NEEDED and not reason.strip():
        raise WorkflowError("reason_required")
    if action in SECOND_PAIR_OF_EYES and scope.role != Role.ADMIN and previous_actor_id == user.pk:
        raise WorkflowError("same_person")
    return to_status


def client_address(request: HttpRequest) -> str:
    """The client's address. Behind a reverse proxy (NOLKUMUH_BEHIND_PROXY=1) `nolkumuh serve`
    (waitress) has already put the address the proxy forwarded here, for requests from the trusted
    proxy only; forwarded headers from anyone else never reach the application."""
    return request.META.get("REMOTE_ADDR", "")


def audited_step(
    *,
    user: AbstractBaseUser,
    record: Any,
    object_type: str,
    region: Region,
    action: str,
    reason: str,
    summary: str,
) -> str:
    """One workflow step (see :func:`workflow_step`) of a record with a ``status`` whose history is
    its audit trail: the previous actor is the author of its latest audit entry. The caller has
    locked the record. Returns the new status."""
    from nolkumuh.core.models import AuditEntry
    from nolkumuh.core.services import audit_record

    previous = AuditEntry.objects.filter(object_type=object_type, object_id=str(record.pk)).first()
    to_status = workflow_step(
        user=user,
        kelurahan=region,
        status=record.status,
        action=action,
        reason=reason,
        previous_actor_id=previous.user_id if previous else None,
    )
    before = record.status
    record.status = to_status
    record.save(update_fields=["status"])
    audit_record(
        user=user,
        action=action,
        object_type=object_type,
        object_id=record.pk,
        before={"status": before},
        after={"status": to_status, "reason": reason.strip()},
        summary=summary,
    )
    return to_status


def visibility(user: AbstractBaseUser | AnonymousUser, code: str) -> str:
    """What a viewer sees of a region's data, as a cache key part: everything (administrators), the
    approved data plus the unapproved data of their own regions touching this one, or the approved
    data only (the public and everyone else)."""
    scope = user_scope(user)
    if scope.is_admin:
        return "admin"
    touching = sorted(
        p for p in scope.prefixes if p == code or p.startswith(code + ".") or code.startswith(p + ".")
    )
    return ",".join(touching) or "public"
