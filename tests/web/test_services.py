"""Services of the web application on the real database: scoring on save, history, workflow."""

import pytest
from django.core.exceptions import PermissionDenied

from nolkumuh.accounts.services import WorkflowError
from nolkumuh.baseline.models import RtRecord, Submission
from nolkumuh.baseline.services import rt_record_save, submission_transition
from nolkumuh.core.models import AuditEntry
from nolkumuh.regions.services import rt_get_or_create
from nolkumuh.scoring import InvalidInput
from tests.web.conftest import rt_values


@pytest.fixture
def rt(tree):
    return rt_get_or_create(kelurahan=tree["bandarharjo"], rw="001", rt="002")[0]


def test_saving_an_rt_stores_the_engine_scores(users, round2024, rt):
    record = rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values())
    record.refresh_from_db()
    assert (record.total, record.class_code) == (24, "KR")
    assert record.hundredths["air_minum_akses"] == 238 and record.scores["jalan_permukaan_rusak"] == 3
    assert record.volumes["jalan_cakupan"] == "100"
    assert str(record.luas) == "2.6600"


def test_every_change_keeps_who_when_and_old_and_new_values(users, round2024, rt):
    user = users["fasilitator"]
    rt_record_save(user=user, round=round2024, rt=rt, values=rt_values())
    rt_record_save(user=user, round=round2024, rt=rt, values=rt_values(sampah_sarpras="0"))
    rt_record_save(user=user, round=round2024, rt=rt, values=rt_values(sampah_sarpras="0"))  # no change
    entries = list(AuditEntry.objects.filter(object_type="rt_record").order_by("id"))
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].user == user
    changes = {field: (old, new) for field, old, new in entries[1].changes()}
    assert changes["sampah_sarpras"] == ("42", "0")
    assert changes["total"] == (24, 19)


def test_rt_numbers_with_and_without_leading_zeros_are_the_same_rt(tree):
    first, created = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="001", rt="002")
    again, created_again = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="1", rt="2")
    assert created and not created_again and first == again and again.rw == "001"


def test_bad_values_are_rejected_whole_with_every_problem(users, round2024, rt):
    values = rt_values(luas="-1", air_minum_akses="50")  # negative; 50 KK of 42
    with pytest.raises(InvalidInput) as caught:
        rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=values)
    assert {(i.code, i.column) for i in caught.value.issues} == {
        ("negative", "luas"),
        ("above_denominator", "air_minum_akses"),
    }
    assert not RtRecord.objects.exists() and not AuditEntry.objects.filter(object_type="rt_record").exists()


def test_a_fasilitator_cannot_change_another_kelurahan(users, round2024, tree):
    other = rt_get_or_create(kelurahan=tree["pajang"], rw="001", rt="001")[0]
    with pytest.raises(PermissionDenied):
        rt_record_save(user=users["fasilitator"], round=round2024, rt=other, values=rt_values())
    assert not RtRecord.objects.exists()


def test_workflow_submit_verify_approve_locks_and_unlock_needs_reason_and_higher_role(
    users, round2024, rt, tree
):
    kel = tree["bandarharjo"]
    rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values())

    def step(who, action, reason=""):
        return submission_transition(
            user=users[who], kelurahan=kel, round=round2024, action=action, reason=reason
        )

    with pytest.raises(PermissionDenied):
        step("fasilitator", "verify")  # a fasilitator does not verify
    assert step("fasilitator", "submit").status == "submitted"
    with pytest.raises(WorkflowError) as caught:
        step("askot", "reject")
    assert caught.value.code == "reason_required"
    assert step("askot", "reject", "luas RT 002 tidak sesuai peta").status == "draft"
    step("fasilitator", "submit")
    assert step("askot", "verify").status == "verified"
    with pytest.raises(PermissionDenied):
        step("askot", "approve")
    assert step("korkot", "approve").status == "approved"
    with pytest.raises(PermissionDenied):  # locked: nobody edits approved data
        rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values(luas="3"))
    with pytest.raises(PermissionDenied):
        step("korkot", "unlock", "salah ketik")  # unlocking needs a higher role
    with pytest.raises(WorkflowError):
        step("provinsi", "unlock")  # and a reason
    assert step("provinsi", "unlock", "salah ketik luas").status == "draft"
    submission = Submission.objects.get(kelurahan=kel, round=round2024)
    assert [e.action for e in submission.events.order_by("id")] == [
        "submit",
        "reject",
        "submit",
        "verify",
        "approve",
        "unlock",
    ]
    assert submission.events.get(action="reject").reason == "luas RT 002 tidak sesuai peta"


def test_submitting_nothing_is_refused(users, round2024, tree):
    with pytest.raises(WorkflowError) as caught:
        submission_transition(
            user=users["fasilitator"], kelurahan=tree["bandarharjo"], round=round2024, action="submit"
        )
    assert caught.value.code == "no_data"


def test_verifying_or_approving_needs_a_second_person(users, round2024, rt, tree):
    kel = tree["bandarharjo"]
    rt_record_save(user=users["korkot"], round=round2024, rt=rt, values=rt_values())
    submission_transition(user=users["korkot"], kelurahan=kel, round=round2024, action="submit")
    with pytest.raises(WorkflowError) as caught:
        submission_transition(user=users["korkot"], kelurahan=kel, round=round2024, action="verify")
    assert caught.value.code == "same_person"
    submission_transition(user=users["askot"], kelurahan=kel, round=round2024, action="verify")
    submission_transition(user=users["korkot"], kelurahan=kel, round=round2024, action="approve")
