"""Scope before write in the RT data workflow: a step outside the user's scope creates nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from nolkumuh.baseline.models import Submission
from nolkumuh.baseline.services import submission_transition
from nolkumuh.core.models import AuditEntry


@pytest.mark.parametrize("action", ["submit", "verify", "approve", "reject", "unlock"])
def test_a_workflow_step_outside_the_users_region_creates_no_workflow_row(users, round2024, tree, action):
    with pytest.raises(PermissionDenied):
        submission_transition(
            user=users["fasilitator"], kelurahan=tree["pajang"], round=round2024, action=action, reason="x"
        )
    assert not Submission.objects.exists() and not AuditEntry.objects.exists()
