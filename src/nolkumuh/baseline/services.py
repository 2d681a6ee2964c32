"""Changing RT data: saving a record (scored by the engine), and the approval workflow.

Every change is checked against the user's scope and the workflow lock, and recorded in the audit
trail with the values before and after.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nolkumuh.accounts.services import (
    TRANSITIONS,
    WorkflowError,
    edit_refusal,
    status_word,
    user_scope,
    workflow_step,
)
from nolkumuh.baseline import summaries
from nolkumuh.baseline.models import DataRound, FlagReview, RtRecord, Submission, SubmissionEvent
from nolkumuh.baseline.scoring import apply_scores, assess_values, record_values, ruleset_of
from nolkumuh.baseline.unlock import unlock_requests_close
from nolkumuh.core.bounds import validated
from nolkumuh.core.services import audit_change, audit_record
from nolkumuh.exchange.bounds import range_params, range_problem
from nolkumuh.regions.models import Region, Rt
from nolkumuh.scoring import HEADER_FIELDS, InvalidInput, Issue

if TYPE_CHECKING:  # the flags are worded in baseline.quality, which imports the import plan
    from nolkumuh.baseline.quality import ShownFlag


def submission_get(*, kelurahan: Region, round: DataRound) -> Submission:
    """The workflow state of a kelurahan in a round (a draft until someone acts)."""
    submission, _ = Submission.objects.get_or_create(kelurahan=kelurahan, round=round)
    return submission


def submission_shown(*, kelurahan: Region, round: DataRound) -> Submission:
    """The workflow state a page shows: the stored one, or an unsaved draft. Looking at a page
    writes nothing; the row is created by the first change (:func:`submission_get`)."""
    stored = Submission.objects.filter(kelurahan=kelurahan, round=round).first()
    return stored or Submission(kelurahan=kelurahan, round=round, status=Submission.Status.DRAFT)


def ensure_editable(*, user: AbstractBaseUser, kelurahan: Region, round: DataRound) -> None:
    """Raise PermissionDenied unless the user may edit this kelurahan and its data is a draft.

    Inside a transaction the workflow row is locked, so a concurrent submit waits for the edit.
    """
    if not user_scope(user).may_edit(kelurahan):
        raise PermissionDenied("outside_scope")
    submission = submission_get(kelurahan=kelurahan, round=round)
    with transaction.atomic():  # a savepoint inside the caller's transaction keeps the lock there
        status = Submission.objects.select_for_update().values_list("status", flat=True).get(pk=submission.pk)
    refusal = edit_refusal(scope=user_scope(user), kelurahan=kelurahan, status=status)
    if refusal is not None:
        raise PermissionDenied(refusal)


def _stored_fields(values: Mapping[str, str], keys: tuple[str, ...]) -> dict[str, object]:
    fields: dict[str, object] = {f: values[f] for f in HEADER_FIELDS}
    fields["volumes"] = {k: values[k] for k in keys}
    return fields


def _volume_bounds(values: Mapping[str, str], keys: tuple[str, ...]) -> list[Issue]:
    """Volumes above the bounds table (stored as JSON, so no model validator sees them)."""
    issues = []
    for key in keys:
        try:
            number = Decimal(str(values[key]))
        except InvalidOperation:
            continue  # not a number: reported by the scoring checks
        if number.is_finite() and range_problem("volume", number) is not None:
            issues.append(Issue("bound_range", 1, key, str(values[key])[:40], range_params("volume")))
    return issues


def record_snapshot(record: RtRecord) -> dict[str, object]:
    """What the audit trail keeps of a record: the values and the result."""
    return {**record_values(record), "total": record.total, "tingkat": record.class_code}


@transaction.atomic
def rt_record_save(
    *, user: AbstractBaseUser, round: DataRound, rt: Rt, values: Mapping[str, str]
) -> RtRecord:
    """Store the RT's values for the round, scored by the round's ruleset.

    ``values`` holds the header fields and the volumes by criterion key as decimal text.
    Raises InvalidInput (with every problem) or PermissionDenied; nothing is half written.
    """
    ensure_editable(user=user, kelurahan=rt.kelurahan, round=round)
    ruleset = ruleset_of(round.ruleset_id)
    assessment, issues = assess_values([values], ruleset)
    issues = [*issues, *_volume_bounds(values, ruleset.keys)]
    if issues:
        raise InvalidInput(issues)
    record = RtRecord.objects.filter(round=round, rt=rt).first()
    before = record_snapshot(record) if record else None
    if record is None:
        record = RtRecord(round=round, rt=rt)
    for name, value in _stored_fields(values, ruleset.keys).items():
        setattr(record, name, value)
    apply_scores([record], assessment)
    record.updated_by = user
    try:
        record.full_clean(exclude=["round", "rt", "updated_by"])
    except ValidationError as exc:
        raise InvalidInput(
            [
                Issue("invalid_field", 1, field, str(values.get(field, "")), {"detail": " ".join(messages)})
                for field, messages in exc.message_dict.items()
            ]
        ) from exc
    record.save()
    audit_change(
        user=user,
        object_type="rt_record",
        object_id=record.pk,
        before=before,
        after=record_snapshot(record),
        summary=f"{rt.kelurahan.name} {rt.rw_rt} {round.year}",
    )
    submission_get(kelurahan=rt.kelurahan, round=round)
    summaries.refresh([rt.kelurahan.code])
    return record


@transaction.atomic
def submission_transition(
    *, user: AbstractBaseUser, kelurahan: Region, round: DataRound, action: str, reason: str = ""
) -> Submission:
    """Move a kelurahan's data of a round one step: submit, verify, approve, reject or unlock. The
    role and region are checked before the kelurahan's workflow row is created (scope before write)."""
    if action in TRANSITIONS and not user_scope(user).may(action, kelurahan):
        raise PermissionDenied("outside_scope")
    submission = Submission.objects.select_for_update().get(
        pk=submission_get(kelurahan=kelurahan, round=round).pk
    )
    previous = submission.events.order_by("-at", "-id").first()
    to_status = workflow_step(
        user=user,
        kelurahan=kelurahan,
        status=submission.status,
        action=action,
        reason=reason,
        previous_actor_id=previous.user_id if previous else None,
    )
    if action == "submit" and not RtRecord.objects.filter(round=round, rt__kelurahan=kelurahan).exists():
        raise WorkflowError("no_data")
    before = submission.status
    submission.status = to_status
    validated(
        [SubmissionEvent(submission=submission, user=user, reason=reason)],
        exclude=("action", "to_status", "from_status"),
    )
    submission.save()
    SubmissionEvent.objects.create(
        submission=submission,
        user=user,
        action=action,
        from_status=before,
        to_status=to_status,
        reason=reason.strip(),
    )
    audit_record(
        user=user,
        action=action,
        object_type="submission",
        object_id=submission.pk,
        before={"status": before},
        after={"status": to_status, "reason": reason.strip()},
        summary=f"{kelurahan.name} {round.year}: {status_word(before)} → {status_word(to_status)}",
    )
    if action == "unlock":  # the data is open again: the requests for it are answered
        unlock_requests_close(user=user, submission=submission)
    if (before == Submission.Status.APPROVED) != (to_status == Submission.Status.APPROVED):
        summaries.refresh([kelurahan.code])  # the approved figures gain or lose this kelurahan
    return submission


@transaction.atomic
def flag_review_save(
    *, user: AbstractBaseUser, round: DataRound, rt: Rt, flag: ShownFlag, note: str
) -> FlagReview:
    """Mark a data-quality flag "sudah diperiksa" with a note (askot, korkot, admin of the
    kelurahan). The review holds while the RT's values behind the flag are unchanged; marking again
    replaces it. Audited with the review before and after."""
    if not user_scope(user).may("verify", rt.kelurahan):
        raise PermissionDenied("outside_scope")
    note = note.strip()
    if not note:
        raise ValidationError(_("Tuliskan catatan pemeriksaannya: apa yang dicek dan hasilnya."))
    review = FlagReview.objects.filter(round=round, rt=rt, kind=flag.kind, field=flag.field).first()
    before = _review_snapshot(review) if review else None
    review = review or FlagReview(round=round, rt=rt, kind=flag.kind, field=flag.field)
    review.fingerprint, review.value, review.note, review.user = flag.fingerprint, flag.value, note, user
    review.full_clean(exclude=["round", "rt", "user"])
    review.save()
    audit_change(
        user=user,
        object_type="flag_review",
        object_id=review.pk,
        before=before,
        after=_review_snapshot(review),
        summary=f"{rt.kelurahan.name} {rt.rw_rt} {round.year}: {flag.message}"[:300],
    )
    return review


def _review_snapshot(review: FlagReview) -> dict[str, object]:
    return {
        "kind": review.kind,
        "field": review.field,
        "value": review.value,
        "fingerprint": review.fingerprint,
        "note": review.note,
    }
