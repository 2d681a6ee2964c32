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
# The workflow's words, in one place: each status, each step as a button and as a line of the
# history, who acts next in each status, and what a locked status means for editing.
STATUS_WORDS = {
    "draft": gettext_lazy("draf"),
    "submitted": gettext_lazy("diajukan"),
    "verified": gettext_lazy("diverifikasi"),
    "approved": gettext_lazy("disetujui"),
}
ACTION_BUTTONS = {
    "submit": gettext_lazy("Ajukan"),
    "verify": gettext_lazy("Verifikasi"),
    "approve": gettext_lazy("Setujui"),
    "reject": gettext_lazy("Tolak"),
    "unlock": gettext_lazy("Buka kunci"),
}
ACTION_DONE = {
    "submit": gettext_lazy("diajukan"),
    "verify": gettext_lazy("diverifikasi"),
    "approve": gettext_lazy("disetujui"),
    "reject": gettext_lazy("ditolak"),
    "unlock": gettext_lazy("dibuka kembali"),
}
WAITING_FOR = {
    "draft": gettext_lazy("Menunggu pengajuan oleh fasilitator"),
    "submitted": gettext_lazy("Menunggu verifikasi askot"),
    "verified": gettext_lazy("Menunggu persetujuan korkot"),
    "approved": gettext_lazy("Selesai: data disetujui"),
}
LOCK_NOTICES = {
    "submitted": gettext_lazy(
        "Data terkunci selama diperiksa. Askot atau korkot dapat menolaknya dengan alasan; "
        "setelah itu data kembali menjadi draf dan bisa diubah."
    ),
    "verified": gettext_lazy(
        "Data terkunci selama menunggu persetujuan. Korkot atau manajer provinsi dapat menolaknya "
        "dengan alasan; setelah itu data kembali menjadi draf dan bisa diubah."
    ),
    "approved": gettext_lazy(
        "Data disetujui dan terkunci. Hanya manajer provinsi atau administrator yang dapat "
        "membukanya kembali, dengan alasan."
    ),
}


def status_word(status: str) -> str:
    """The workflow status in the user's language (draf, diajukan, diverifikasi, disetujui)."""
    return str(STATUS_WORDS.get(status, status))


def action_done_word(action: str) -> str:
    """A step of the history in the user's language (diajukan, ..., ditolak, dibuka kembali)."""
    return str(ACTION_DONE.get(action, action))


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

    @property
    def may_manage_users(self) -> bool:
        """True for administrators and provincial managers with a province: the user pages
        (accounts.users), their links and their services all ask this."""
        return self.is_admin or (self.role == Role.PROVINSI and bool(self.prefixes))

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
    membership = Membership.objects.filter(user=user).prefetch_related("regions").first()
    prefixes = tuple(r.code for r in membership.regions.all()) if membership else ()
    if user.is_superuser:  # administrator everywhere; a work area only says where they land
        scope = Scope(role=Role.ADMIN, prefixes=prefixes)
    elif membership is None:
        scope = PUBLIC
    else:
        scope = Scope(role=membership.role, prefixes=prefixes)
    user._nolkumuh_scope = scope  # type: ignore[attr-defined]
    return scope


def step_refusal(
    *,
    scope: Scope,
    user_id: int | None,
    kelurahan: Region,
    status: str,
    action: str,
    previous_actor_id: int | None,
) -> str | None:
    """Why this user may not take this step now, or None when they may: the one rule the pages ask
    for their buttons and the services enforce. The reasons: ``unknown_action``, ``outside_scope``
    (the role may not take this step, or not in this kelurahan), ``wrong_status`` (the step does
    not start from this status), ``same_person`` (verifying and approving are done by someone other
    than the previous actor; administrators excepted)."""
    if action not in TRANSITIONS:
        return "unknown_action"
    allowed_from, _to_status, _roles = TRANSITIONS[action]
    if not scope.may(action, kelurahan):
        return "outside_scope"
    if status not in allowed_from.split("|"):
        return "wrong_status"
    if action in SECOND_PAIR_OF_EYES and scope.role != Role.ADMIN and previous_actor_id == user_id:
        return "same_person"
    return None


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
    RT data, after checking the rules (:func:`step_refusal`) and that rejecting and unlocking have a
    reason. Raises PermissionDenied or WorkflowError."""
    refusal = step_refusal(
        scope=user_scope(user),
        user_id=user.pk,
        kelurahan=kelurahan,
        status=status,
        action=action,
        previous_actor_id=previous_actor_id,
    )
    if refusal == "outside_scope":
        raise PermissionDenied("outside_scope")
    if refusal is not None:
        raise WorkflowError(refusal)
    if action in REASON_NEEDED and not reason.strip():
        raise WorkflowError("reason_required")
    return TRANSITIONS[action][1]


@dataclass(frozen=True)
class WorkflowAction:
    """A step a page offers as a button: its key (the URL's action), its label, and whether the
    page asks for a reason with it."""

    key: str
    label: str
    needs_reason: bool


@dataclass(frozen=True)
class WorkflowState:
    """What a page shows of a record's workflow to one viewer: the status in words, the steps this
    viewer may take now, who acts next, and whether (and why not) the data can be changed."""

    status: str
    word: str
    actions: tuple[WorkflowAction, ...]
    waiting: str
    lock_notice: str
    may_edit: bool

    @property
    def locked(self) -> bool:
        return self.status != "draft"

    @property
    def needs_reason(self) -> bool:
        return any(a.needs_reason for a in self.actions)


def allowed_actions(
    *, user: AbstractBaseUser | AnonymousUser, kelurahan: Region, status: str, previous_actor_id: int | None
) -> list[str]:
    """The workflow steps this user may take now on a record of this kelurahan in this status."""
    scope = user_scope(user)
    return [
        action
        for action in TRANSITIONS
        if step_refusal(
            scope=scope,
            user_id=user.pk,
            kelurahan=kelurahan,
            status=status,
            action=action,
            previous_actor_id=previous_actor_id,
        )
        is None
    ]


def edit_refusal(*, scope: Scope, kelurahan: Region, status: str) -> str | None:
    """Why this user may not change the data (``outside_scope``, ``locked``), or None: only editors
    of the kelurahan change it, and only while it is a draft."""
    if not scope.may_edit(kelurahan):
        return "outside_scope"
    if status != "draft":
        return "locked"
    return None


def workflow_state(
    *, user: AbstractBaseUser | AnonymousUser, kelurahan: Region, status: str, previous_actor_id: int | None
) -> WorkflowState:
    """The workflow as this viewer sees it (see :class:`WorkflowState`); the templates only ask this."""
    actions = allowed_actions(
        user=user, kelurahan=kelurahan, status=status, previous_actor_id=previous_actor_id
    )
    return WorkflowState(
        status=status,
        word=status_word(status),
        actions=tuple(WorkflowAction(a, str(ACTION_BUTTONS[a]), a in REASON_NEEDED) for a in actions),
        waiting=str(WAITING_FOR.get(status, "")),
        lock_notice=str(LOCK_NOTICES.get(status, "")),
        may_edit=edit_refusal(scope=user_scope(user), kelurahan=kelurahan, status=status) is None,
    )


def previous_actors(*, object_type: str, ids: list[int]) -> dict[int, int | None]:
    """Per record of an audited workflow (realizations, KPI values): who took its latest step, the
    author of its latest audit entry (one query)."""
    from nolkumuh.core.models import AuditEntry

    latest: dict[int, int | None] = {}
    rows = AuditEntry.objects.filter(object_type=object_type, object_id__in=[str(i) for i in ids])
    for object_id, user_id in rows.order_by("-at", "-id").values_list("object_id", "user_id"):
        latest.setdefault(int(object_id), user_id)
    return latest


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
