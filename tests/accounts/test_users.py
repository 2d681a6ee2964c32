"""Managing users (accounts.users): who may manage whom, what they may grant, and the audit trail."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from nolkumuh.accounts.models import Membership, Role
from nolkumuh.accounts.services import user_scope
from nolkumuh.accounts.users import (
    TEMPORARY_ROUNDS,
    UserData,
    manage_refusal,
    password_changed,
    password_reset_temporary,
    user_create,
    user_set_active,
    user_update,
    visible_users,
)
from nolkumuh.core.models import AuditEntry

FASIL = UserData(
    name="Siti Aminah", role=Role.FASILITATOR, codes=("33.74.02.1001",), phone="0812", email="siti@contoh.id"
)


def test_an_administrator_creates_a_user_with_a_temporary_password_that_signs_in(admin):
    user, password = user_create(actor=admin, username="siti", data=FASIL)
    assert authenticate(username="siti", password=password) == user
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.phone, membership.must_change_password) == (
        "fasilitator",
        "0812",
        True,
    )
    assert [r.code for r in membership.regions.all()] == ["33.74.02.1001"]
    entry = AuditEntry.objects.get(object_type="user", object_id=str(user.pk))
    assert (entry.user, entry.action, entry.before) == (admin, "create", None)
    assert entry.after["regions"] == ["33.74.02.1001"] and password not in str(entry.after)


def test_a_temporary_password_is_rehashed_at_full_strength_at_the_first_sign_in(admin, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # production's
    user, password = user_create(actor=admin, username="siti", data=FASIL)
    assert f"${TEMPORARY_ROUNDS}$" in user.password
    authenticate(username="siti", password=password)
    user.refresh_from_db()
    assert f"${TEMPORARY_ROUNDS}$" not in user.password and user.check_password(password)


def test_a_provincial_manager_creates_users_only_inside_the_province(users):
    provinsi = users["provinsi"]
    user, _password = user_create(actor=provinsi, username="siti", data=FASIL)
    assert user.pk
    outside = UserData(name="Budi", role=Role.FASILITATOR, codes=("35.78",))
    with pytest.raises(ValidationError, match=r"Kode wilayah 35\.78 tidak dikenal"):
        user_create(actor=provinsi, username="budi", data=outside)


def test_a_provincial_manager_may_not_grant_admin_or_areas_outside(users, tree):
    from nolkumuh.regions.models import Region

    Region.objects.create(code="35", name="Jawa Timur", level="provinsi", kind="provinsi")
    provinsi = users["provinsi"]
    admin_data = UserData(name="Budi", role=Role.ADMIN, codes=("33",))
    with pytest.raises(ValidationError, match="tidak dapat memberi peran administrator"):
        user_create(actor=provinsi, username="budi", data=admin_data)
    with pytest.raises(ValidationError, match="Wilayah kerja 35 di luar provinsi Anda"):
        user_create(
            actor=provinsi, username="budi", data=UserData(name="Budi", role=Role.KORKOT, codes=("35",))
        )
    assert not get_user_model().objects.filter(username="budi").exists()


def test_a_provincial_manager_sees_and_manages_only_users_inside_the_province(users, tree, admin):
    from nolkumuh.regions.models import Region

    Region.objects.create(code="35", name="Jawa Timur", level="provinsi", kind="provinsi")
    outsider, _ = user_create(
        actor=admin, username="jatim", data=UserData(name="X", role=Role.KORKOT, codes=("35",))
    )
    both, _ = user_create(
        actor=admin, username="dua", data=UserData(name="Y", role=Role.KORKOT, codes=("33.74", "35"))
    )
    scope = user_scope(users["provinsi"])
    names = set(visible_users(scope=scope).values_list("username", flat=True))
    assert names == {"fasil", "fasil_solo", "askot", "korkot", "prov"}
    for target in (outsider, both, admin):
        assert manage_refusal(scope=scope, target=target) == "outside_scope"
        with pytest.raises(PermissionDenied, match="di luar provinsi Anda"):
            password_reset_temporary(actor=users["provinsi"], user=target)
    assert manage_refusal(scope=scope, target=users["korkot"]) is None


@pytest.mark.parametrize("role", ["korkot", "askot", "fasilitator"])
def test_other_roles_may_not_manage_users(users, role):
    actor = users[role]
    assert visible_users(scope=user_scope(actor)).count() == 0
    with pytest.raises(PermissionDenied, match="hanya untuk administrator dan manajer provinsi"):
        user_create(actor=actor, username="siti", data=FASIL)


def test_changing_roles_and_areas_is_audited_before_and_after(users, admin):
    korkot = users["korkot"]
    user_update(actor=admin, user=korkot, data=UserData(name="Kor Kot", role=Role.ASKOT, codes=("33.72",)))
    entry = AuditEntry.objects.get(object_type="user", object_id=str(korkot.pk), action="update")
    assert entry.user == admin
    assert (entry.before["role"], entry.before["regions"]) == ("korkot", ["33.74"])
    assert (entry.after["role"], entry.after["regions"], entry.after["name"]) == (
        "askot",
        ["33.72"],
        "Kor Kot",
    )


def test_nobody_changes_their_own_role_or_deactivates_themselves(users):
    provinsi = users["provinsi"]
    with pytest.raises(ValidationError, match="tidak dapat menonaktifkan diri sendiri atau mengubah peran"):
        user_update(actor=provinsi, user=provinsi, data=UserData(name="P", role=Role.KORKOT, codes=("33",)))
    with pytest.raises(PermissionDenied, match="tidak dapat menonaktifkan diri sendiri"):
        user_set_active(actor=provinsi, user=provinsi, active=False)


def test_a_deactivated_user_cannot_sign_in_and_is_reactivated(users, admin):
    user_set_active(actor=admin, user=users["fasilitator"], active=False)
    assert authenticate(username="fasil", password="rahasia-uji-123") is None
    user_set_active(actor=admin, user=users["fasilitator"], active=True)
    assert authenticate(username="fasil", password="rahasia-uji-123") is not None
    actions = list(AuditEntry.objects.filter(object_type="user").values_list("action", flat=True))
    assert actions == ["activate", "deactivate"]


def test_a_reset_gives_a_temporary_password_the_user_must_change(users):
    password = password_reset_temporary(actor=users["provinsi"], user=users["fasilitator"])
    assert authenticate(username="fasil", password=password) is not None
    assert authenticate(username="fasil", password="rahasia-uji-123") is None
    assert Membership.objects.get(user=users["fasilitator"]).must_change_password
    password_changed(user=users["fasilitator"], how="change")
    assert not Membership.objects.get(user=users["fasilitator"]).must_change_password
    actions = list(AuditEntry.objects.filter(object_type="user").values_list("action", "user__username"))
    assert actions == [("password_change", "fasil"), ("password_reset", "prov")]


def test_a_superuser_from_createsuperuser_is_admin_everywhere(admin, tree):
    scope = user_scope(admin)
    assert scope.is_admin and scope.may_manage_users and scope.covers("35.78")


def test_usernames_are_unique_whatever_the_case(admin, tree):
    user_create(actor=admin, username="siti", data=FASIL)
    with pytest.raises(ValidationError, match="Nama pengguna Siti sudah dipakai"):
        user_create(actor=admin, username="Siti", data=FASIL)
    with pytest.raises(ValidationError, match="tanpa spasi"):
        user_create(actor=admin, username="siti aminah", data=FASIL)
