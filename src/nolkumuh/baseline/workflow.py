"""What the data pages show of a kelurahan's workflow in a round: the steps the viewer may take now
(asked of accounts.services, the rule the services enforce), who acts next, the lock, the last
rejection and the history, all in the workflow's words."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from nolkumuh.accounts.services import WorkflowState, action_done_word, status_word, workflow_state
from nolkumuh.baseline.models import RtRecord, Submission, SubmissionEvent


@dataclass(frozen=True)
class HistoryLine:
    """One step of the history as the page shows it: ``ditolak (diajukan → draf)``."""

    at: datetime
    who: str
    done: str
    from_word: str
    to_word: str
    reason: str


def _events(submission: Submission, limit: int = 20) -> list[SubmissionEvent]:
    if submission.pk is None:  # not stored yet: nobody has acted
        return []
    return list(submission.events.select_related("user").order_by("-at", "-id")[:limit])


def submission_state(
    *,
    user: AbstractBaseUser | AnonymousUser,
    submission: Submission,
    events: list[SubmissionEvent] | None = None,
) -> WorkflowState:
    """The kelurahan's workflow in a round as this viewer sees it (see WorkflowState)."""
    latest = (events if events is not None else _events(submission, 1))[:1]
    state = workflow_state(
        user=user,
        kelurahan=submission.kelurahan,
        status=submission.status,
        previous_actor_id=latest[0].user_id if latest else None,
    )
    if any(a.key == "submit" for a in state.actions) and not _has_data(submission):
        # the service refuses to submit a round without RT data ("no_data"): no button for it
        return replace(state, actions=tuple(a for a in state.actions if a.key != "submit"))
    return state


def _has_data(submission: Submission) -> bool:
    return RtRecord.objects.filter(
        round_id=submission.round_id, rt__kelurahan_id=submission.kelurahan_id
    ).exists()


def submission_history(events: list[SubmissionEvent]) -> list[HistoryLine]:
    """The steps, newest first, in the workflow's words."""
    return [
        HistoryLine(
            at=e.at,
            who=str(e.user or ""),
            done=action_done_word(e.action),
            from_word=status_word(e.from_status),
            to_word=status_word(e.to_status),
            reason=e.reason,
        )
        for e in events
    ]


def last_rejection(submission: Submission, events: list[SubmissionEvent]) -> SubmissionEvent | None:
    """The rejection the data is back in draft for (so the page can show its reason first), if the
    last step was one."""
    if submission.status == Submission.Status.DRAFT and events and events[0].action == "reject":
        return events[0]
    return None


def kelurahan_workflow(
    *, user: AbstractBaseUser | AnonymousUser, submission: Submission
) -> dict[str, object]:
    """The workflow part of the kelurahan page's context: ``state``, ``history``, ``rejection``."""
    events = _events(submission)
    return {
        "state": submission_state(user=user, submission=submission, events=events),
        "history": submission_history(events),
        "rejection": last_rejection(submission, events),
    }
