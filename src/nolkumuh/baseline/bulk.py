"""Verifying or approving several kelurahan at once: one confirmed action, each kelurahan stepped
and audited on its own by the service the single step uses (services.submission_transition).

Decision (docs/architecture.md): a bulk step is not all-or-nothing. Each kelurahan's step is its
own decision about its own data, recorded on its own; a refusal for one (the same person who took
the previous step, a status changed meanwhile) is reported by name with its message and neither
stops the others nor undoes them. The all-or-nothing rule stays for imports, where the rows of one
file are one piece of work.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from nolkumuh.accounts.services import (
    TRANSITIONS,
    WORKFLOW_MESSAGES,
    Scope,
    WorkflowError,
    step_refusal,
    user_scope,
)
from nolkumuh.baseline.models import Submission, SubmissionEvent
from nolkumuh.baseline.services import submission_transition
from nolkumuh.regions.selectors import within

# the steps a list may take for several kelurahan at once
BULK_ACTIONS = ("verify", "approve")
# at most this many kelurahan in one bulk step (the lists show as many)
BULK_LIMIT = 50


@dataclass(frozen=True)
class BulkItem:
    """One kelurahan of a bulk step: the submission and why the step would be (or was) refused,
    empty when it may be (or was) taken."""

    submission: Submission
    refusal: str

    @property
    def name(self) -> str:
        return f"{self.submission.kelurahan.display_name} {self.submission.round.year}"


def scope_filter(scope: Scope, field: str) -> Q:
    """The rows whose region code (``field``) lies inside the scope; nothing for the public."""
    if scope.is_admin:
        return Q()
    if not scope.prefixes:
        return Q(pk__in=[])
    query = Q()
    for prefix in scope.prefixes:
        query |= within(prefix, field)
    return query


def _message(code: str) -> str:
    if code == "outside_scope":
        return _("Anda tidak berwenang melakukan langkah ini.")
    return str(WORKFLOW_MESSAGES.get(code, code))


def bulk_candidates(*, user: AbstractBaseUser | AnonymousUser, ids: list[int], action: str) -> list[BulkItem]:
    """The submissions named (inside the viewer's scope; others are left out as if they did not
    exist), each with the refusal the step would meet now (the rule the service enforces)."""
    scope = user_scope(user)
    latest = SubmissionEvent.objects.filter(submission=OuterRef("pk")).order_by("-at", "-id")
    rows = (
        Submission.objects.filter(pk__in=ids)
        .filter(scope_filter(scope, "kelurahan__code"))
        .select_related("kelurahan", "round")
        .annotate(previous_actor=Subquery(latest.values("user_id")[:1]))
        .order_by("kelurahan__code", "round__year")
    )
    items = []
    for submission in rows:
        refusal = step_refusal(
            scope=scope,
            user_id=user.pk,
            kelurahan=submission.kelurahan,
            status=submission.status,
            action=action,
            previous_actor_id=submission.previous_actor,
        )
        items.append(BulkItem(submission, _message(refusal) if refusal else ""))
    return items


def bulk_step(*, user: AbstractBaseUser, ids: list[int], action: str) -> list[BulkItem]:
    """Take the step for each named kelurahan, each in its own transaction through
    submission_transition (checked, recorded as an event and audited). Returns every kelurahan
    with its refusal message, empty for the ones done."""
    if action not in BULK_ACTIONS or action not in TRANSITIONS:
        raise WorkflowError("unknown_action")
    outcome = []
    for item in bulk_candidates(user=user, ids=ids, action=action):
        submission = item.submission
        try:
            submission_transition(
                user=user, kelurahan=submission.kelurahan, round=submission.round, action=action
            )
        except PermissionDenied:
            outcome.append(BulkItem(submission, _message("outside_scope")))
        except WorkflowError as exc:
            outcome.append(BulkItem(submission, exc.message()))
        else:
            outcome.append(BulkItem(submission, ""))
    return outcome
