"""The workflow's refusals as a table: every step x every status x every role, for RT data,
realizations and KPI values, each refusal matched by its message, and the status unchanged after
it. The rules the table expects are written out in tests/web/workflow_cases.py."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from nolkumuh.accounts.services import WorkflowError
from tests.web.workflow_cases import (
    ACTIONS,
    KINDS,
    REASON_REQUIRED,
    ROLES,
    SAME_PERSON,
    STATUSES,
    UNKNOWN_ACTION,
    expected,
    with_admin,
)


@pytest.fixture
def people(users):
    return with_admin(users)


def outcome(subject, user, action: str, reason: str = "") -> str:
    """The status after the step, or the refusal's message."""
    before = subject.status()
    try:
        subject.act(user, action, reason)
    except PermissionDenied as exc:
        assert subject.status() == before
        return str(exc)
    except WorkflowError as exc:
        assert subject.status() == before
        return exc.message()
    return subject.status()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_step_in_every_status_by_every_role(kind, status, action, people, tree, round2024):
    subject = KINDS[kind](people, tree, round2024)
    results = {}
    for role in ROLES:
        subject.set_status(status, people["colleague"])  # someone else took the last step
        results[role] = outcome(subject, people[role], action, reason="alasan uji")
    assert results == {role: expected(action, status, role) for role in ROLES}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("status", "action", "role"),
    [
        ("submitted", "verify", "askot"),
        ("submitted", "verify", "korkot"),
        ("verified", "approve", "korkot"),
        ("verified", "approve", "provinsi"),
    ],
)
def test_nobody_verifies_or_approves_after_their_own_step(
    kind, status, action, role, people, tree, round2024
):
    subject = KINDS[kind](people, tree, round2024)
    subject.set_status(status, people[role])
    assert outcome(subject, people[role], action) == SAME_PERSON
    subject.set_status(status, people["colleague"])
    assert outcome(subject, people[role], action) == expected(action, status, role)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("status", "action"), [("submitted", "verify"), ("verified", "approve")])
def test_an_administrator_may_take_the_next_step_after_their_own(
    kind, status, action, people, tree, round2024
):
    subject = KINDS[kind](people, tree, round2024)
    subject.set_status(status, people["admin"])
    assert outcome(subject, people["admin"], action) == expected(action, status, "admin")


@pytest.mark.parametrize("kind", KINDS)
def test_the_verifier_cannot_approve_what_they_verified(kind, people, tree, round2024):
    subject = KINDS[kind](people, tree, round2024)
    subject.act(people["fasilitator"], "submit")
    subject.act(people["korkot"], "verify")
    assert outcome(subject, people["korkot"], "approve") == SAME_PERSON
    assert outcome(subject, people["provinsi"], "approve") == "approved"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("status", "action"), [("submitted", "reject"), ("verified", "reject"), ("approved", "unlock")]
)
def test_rejecting_and_unlocking_need_a_reason(kind, status, action, people, tree, round2024):
    subject = KINDS[kind](people, tree, round2024)
    subject.set_status(status, people["colleague"])
    assert outcome(subject, people["admin"], action, reason="   ") == REASON_REQUIRED
    assert outcome(subject, people["admin"], action, reason="luas salah") == "draft"


@pytest.mark.parametrize("kind", KINDS)
def test_an_unknown_step_is_refused_by_name(kind, people, tree, round2024):
    subject = KINDS[kind](people, tree, round2024)
    assert outcome(subject, people["admin"], "publish") == UNKNOWN_ACTION
