"""Requests to unlock approved data ("Minta buka kunci"): approved data is unlocked only by the
provinsi or an administrator, with a reason (the workflow's ``unlock`` step); the people who work
on the kelurahan ask for it here, with their reason. Asking, withdrawing and the closing by the
unlock are audited."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nolkumuh.accounts.models import Role
from nolkumuh.accounts.services import Scope, user_scope
from nolkumuh.baseline.models import DataRound, Submission, UnlockRequest
from nolkumuh.core.services import audit_record
from nolkumuh.regions.models import Region

# who works on a kelurahan's data and so may ask for it to be unlocked
REQUESTERS = frozenset({Role.FASILITATOR, Role.ASKOT, Role.KORKOT})
UNLOCK_MESSAGES = {
    "not_approved": gettext_lazy("Hanya data yang sudah disetujui yang bisa dimintakan buka kunci."),
    "already_open": gettext_lazy(
        "Sudah ada permintaan buka kunci yang menunggu untuk kelurahan dan tahun ini."
    ),
    "reason_required": gettext_lazy(
        "Tuliskan alasannya: apa yang perlu diperbaiki dan mengapa (wajib untuk meminta buka kunci)."
    ),
    "not_open": gettext_lazy("Permintaan ini sudah tidak menunggu (sudah ditarik atau data sudah dibuka)."),
}


def may_request_unlock(scope: Scope, kelurahan: Region) -> bool:
    """True when the viewer works on this kelurahan's data (fasilitator, askot, korkot of it)."""
    return scope.role in REQUESTERS and scope.covers(kelurahan.code)


def open_request(submission: Submission) -> UnlockRequest | None:
    """The request waiting for the provinsi on this kelurahan's round, if any."""
    return (
        UnlockRequest.objects.filter(submission=submission, status=UnlockRequest.Status.OPEN)
        .select_related("requested_by")
        .first()
    )


def _summary(submission: Submission) -> str:
    return f"{submission.kelurahan.name} {submission.round.year}"


@transaction.atomic
def unlock_request_create(
    *, user: AbstractBaseUser, kelurahan: Region, round: DataRound, reason: str
) -> UnlockRequest:
    """Ask for the approved data of a kelurahan in a round to be unlocked, with a reason. Raises
    PermissionDenied (not a requester of this kelurahan) or ValidationError (with the message)."""
    if not may_request_unlock(user_scope(user), kelurahan):
        raise PermissionDenied("outside_scope")
    submission = Submission.objects.select_for_update().filter(kelurahan=kelurahan, round=round).first()
    if submission is None or submission.status != Submission.Status.APPROVED:
        raise ValidationError(str(UNLOCK_MESSAGES["not_approved"]))
    if not reason.strip():
        raise ValidationError(str(UNLOCK_MESSAGES["reason_required"]))
    request = UnlockRequest(submission=submission, reason=reason.strip(), requested_by=user)
    request.full_clean(exclude=["submission", "requested_by", "closed_by"])
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as exc:  # one open request per kelurahan and round
        raise ValidationError(str(UNLOCK_MESSAGES["already_open"])) from exc
    audit_record(
        user=user,
        action="unlock_request",
        object_type="unlock_request",
        object_id=request.pk,
        after={"status": request.status, "reason": request.reason},
        summary=_summary(submission),
    )
    return request


@transaction.atomic
def unlock_request_withdraw(*, user: AbstractBaseUser | AnonymousUser, pk: int) -> UnlockRequest:
    """Withdraw a waiting request; only whoever asked may. Raises PermissionDenied or
    ValidationError."""
    request = UnlockRequest.objects.select_for_update().select_related("submission").filter(pk=pk).first()
    if request is None or request.requested_by_id != user.pk:
        raise PermissionDenied("not_requester")
    if request.status != UnlockRequest.Status.OPEN:
        raise ValidationError(str(UNLOCK_MESSAGES["not_open"]))
    _close(request, user=user, status=UnlockRequest.Status.WITHDRAWN)
    return request


def unlock_requests_close(*, user: AbstractBaseUser, submission: Submission) -> int:
    """Close the waiting requests of a kelurahan's round: its data has just been unlocked (called
    by the unlock step, inside its transaction). The number closed."""
    requests = list(
        UnlockRequest.objects.select_for_update().filter(
            submission=submission, status=UnlockRequest.Status.OPEN
        )
    )
    for request in requests:
        _close(request, user=user, status=UnlockRequest.Status.CLOSED)
    return len(requests)


def _close(request: UnlockRequest, *, user: AbstractBaseUser | AnonymousUser, status: str) -> None:
    before = request.status
    request.status, request.closed_by, request.closed_at = status, user, timezone.now()
    request.save(update_fields=["status", "closed_by", "closed_at"])
    audit_record(
        user=user,  # type: ignore[arg-type]
        action="unlock_request_" + status,
        object_type="unlock_request",
        object_id=request.pk,
        before={"status": before},
        after={"status": status},
        summary=_summary(request.submission),
    )


def unlock_message(error: ValidationError) -> str:
    """The message of a refused request, for the page."""
    return " ".join(error.messages) or _("Permintaan tidak bisa disimpan.")


def unlock_section(*, user: AbstractBaseUser | AnonymousUser, submission: Submission) -> dict[str, object]:
    """What the kelurahan data page shows of unlock requests: the waiting one (with whether the
    viewer asked it and may withdraw it), and whether the viewer may ask now."""
    if submission.status != Submission.Status.APPROVED:
        return {"unlock_request": None, "may_request_unlock": False}
    waiting = open_request(submission)
    return {
        "unlock_request": waiting,
        "may_withdraw_unlock": waiting is not None and waiting.requested_by_id == user.pk,
        "may_request_unlock": waiting is None and may_request_unlock(user_scope(user), submission.kelurahan),
    }
