"""Managing users in the app: who may manage whom, and the audited changes (create, roles and
work areas, deactivate, temporary passwords). An administrator manages everyone; a provincial
manager manages the users whose work areas all lie inside their province, and grants only roles
below administrator and work areas inside it. The pages ask the same refusal functions the
services enforce."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nolkumuh.accounts.models import Membership, Role
from nolkumuh.accounts.services import Scope, user_scope
from nolkumuh.core.services import audit_record
from nolkumuh.regions.models import Region

OBJECT_TYPE = "user"
USER_MESSAGES = {
    "not_manager": gettext_lazy(
        "Halaman pengguna hanya untuk administrator dan manajer provinsi. Minta mereka bila perlu"
        " menambah atau mengubah pengguna."
    ),
    "outside_scope": gettext_lazy(
        "Pengguna ini bekerja di luar provinsi Anda (atau administrator); hanya administrator yang"
        " dapat mengubahnya."
    ),
    "grant_admin": gettext_lazy(
        "Manajer provinsi tidak dapat memberi peran administrator; pilih peran lain atau minta administrator."
    ),
    "grant_outside": gettext_lazy(
        "Wilayah kerja %(codes)s di luar provinsi Anda; pilih wilayah di dalam provinsi Anda."
    ),
    "no_region": gettext_lazy("Isi setidaknya satu kode wilayah kerja (mis. 33.74)."),
    "unknown_region": gettext_lazy(
        "Kode wilayah %(codes)s tidak dikenal; tulis kode Kemendagri seperti 33 atau 33.74, pisahkan"
        " dengan koma."
    ),
    "self": gettext_lazy(
        "Anda tidak dapat menonaktifkan diri sendiri atau mengubah peran sendiri; minta pengelola lain."
    ),
    "username_taken": gettext_lazy("Nama pengguna %(username)s sudah dipakai; pilih nama lain."),
    "bad_username": gettext_lazy(
        "Nama pengguna hanya boleh huruf, angka dan . @ + - _ (tanpa spasi), paling banyak 150 karakter."
    ),
    "bad_role": gettext_lazy("Peran tidak dikenal; pilih salah satu: %(choices)s."),
    "bad_email": gettext_lazy("Alamat surel tidak sah; tulis seperti nama@contoh.id atau kosongkan."),
    "no_name": gettext_lazy("Isi nama lengkap pengguna."),
    "too_long": gettext_lazy("%(field)s terlalu panjang: paling banyak %(limit)s karakter."),
}
# Temporary passwords: 12 characters from 31 that cannot be mistaken for each other (about 59
# bits), hashed with fewer PBKDF2 rounds so that an import of hundreds stays fast; Django re-hashes
# at full strength when the user signs in with it, and the user must choose a new one anyway.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TEMPORARY_ROUNDS = 5_000


def user_message(code: str, **params: object) -> str:
    text = str(USER_MESSAGES[code])
    return text % params if params else text


def manage_refusal(*, scope: Scope, target: AbstractBaseUser | None = None) -> str | None:
    """Why this viewer may not manage users at all (``not_manager``) or this user
    (``outside_scope``), or None when they may."""
    if not scope.may_manage_users:
        return "not_manager"
    if target is None or scope.is_admin:
        return None
    membership = Membership.objects.filter(user=target).prefetch_related("regions").first()
    if target.is_superuser or membership is None or membership.role == Role.ADMIN:  # type: ignore[attr-defined]
        return "outside_scope"
    codes = [r.code for r in membership.regions.all()]
    if not codes or not all(scope.covers(c) for c in codes):
        return "outside_scope"
    return None


def grant_refusal(*, scope: Scope, role: str, codes: Iterable[str]) -> tuple[str, dict[str, Any]] | None:
    """Why this viewer may not give this role and these work areas, or None."""
    if scope.is_admin:
        return None
    if not scope.may_manage_users:
        return "not_manager", {}
    if role == Role.ADMIN:
        return "grant_admin", {}
    outside = [c for c in codes if not scope.covers(c)]
    if outside:
        return "grant_outside", {"codes": ", ".join(outside)}
    return None


def visible_users(*, scope: Scope) -> Any:
    """The users this viewer manages (a queryset): everyone for an administrator; for a provincial
    manager, the non-admin users with a work area in the province and none outside it."""
    model = get_user_model()
    users = model.objects.select_related("membership").order_by("username")
    if scope.is_admin:
        return users
    if not scope.may_manage_users:
        return users.none()
    inside = Region.objects.none()
    for prefix in scope.prefixes:
        inside = (
            inside | Region.objects.filter(code=prefix) | Region.objects.filter(code__startswith=prefix + ".")
        )
    outside = Region.objects.exclude(pk__in=inside.values("pk"))
    return (
        users.filter(is_superuser=False, membership__regions__in=inside.values("pk"))
        .exclude(membership__role=Role.ADMIN)
        .exclude(membership__regions__in=outside.values("pk"))
        .distinct()
    )


@dataclass(frozen=True)
class UserData:
    """What a manager fills in for a user; ``codes`` are work-area region codes."""

    name: str
    role: str
    codes: tuple[str, ...]
    phone: str = ""
    email: str = ""


def parse_codes(text: str) -> tuple[str, ...]:
    """Region codes from a comma, semicolon or space separated text, each once, in order."""
    parts = [p.strip() for p in text.replace(";", ",").replace(" ", ",").split(",")]
    return tuple(dict.fromkeys(p for p in parts if p))


def data_problems(*, scope: Scope, data: UserData) -> tuple[list[tuple[str, str]], list[Region]]:
    """Every problem of the data as (field, message), field one of name, role, codes, phone,
    email; and the work-area regions found."""
    problems: list[tuple[str, str]] = []
    if not data.name.strip():
        problems.append(("name", user_message("no_name")))
    for key, label, value, limit in (
        ("name", _("Nama"), data.name, 150),
        ("phone", _("Telepon"), data.phone, 30),
        ("email", _("Surel"), data.email, 254),
    ):
        if len(value) > limit:
            problems.append((key, user_message("too_long", field=label, limit=limit)))
    if data.role not in Role.values:
        problems.append(("role", user_message("bad_role", choices=", ".join(Role.values))))
    if data.email:
        try:
            validate_email(data.email)
        except ValidationError:
            problems.append(("email", user_message("bad_email")))
    regions = list(Region.objects.filter(code__in=data.codes).order_by("code"))
    unknown = [c for c in data.codes if c not in {r.code for r in regions}]
    if unknown:
        problems.append(("codes", user_message("unknown_region", codes=", ".join(unknown))))
    elif not data.codes and data.role != Role.ADMIN:
        problems.append(("codes", user_message("no_region")))
    refusal = grant_refusal(scope=scope, role=data.role, codes=[r.code for r in regions])  # known ones
    if refusal is not None:
        problems.append(
            ("role" if refusal[0] == "grant_admin" else "codes", user_message(refusal[0], **refusal[1]))
        )
    return problems, regions


def username_problem(username: str, taken: set[str] | None = None) -> str | None:
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        return user_message("bad_username")
    if not username or len(username) > 150:
        return user_message("bad_username")
    exists = (
        username.lower() in taken
        if taken is not None
        else get_user_model().objects.filter(username__iexact=username).exists()
    )
    if exists:
        return user_message("username_taken", username=username)
    return None


def temporary_password() -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _i in range(4)) for _j in range(3))


def temporary_hash(password: str) -> str:
    """The stored form of a temporary password (see TEMPORARY_ROUNDS); the default hasher when it
    is not PBKDF2 (then nothing is gained by fewer rounds)."""
    hasher = get_hasher()
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(password, hasher.salt(), iterations=TEMPORARY_ROUNDS)
    return make_password(password)


def snapshot(user: AbstractBaseUser) -> dict[str, Any]:
    """What the audit trail keeps of a user (never a password)."""
    membership = Membership.objects.filter(user=user).prefetch_related("regions").first()
    return {
        "username": user.get_username(),
        "name": user.first_name,  # type: ignore[attr-defined]
        "email": user.email,  # type: ignore[attr-defined]
        "active": user.is_active,
        "role": membership.role if membership else ("admin" if user.is_superuser else ""),  # type: ignore[attr-defined]
        "regions": sorted(r.code for r in membership.regions.all()) if membership else [],
        "phone": membership.phone if membership else "",
    }


def _check(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise ValidationError([message for _field, message in problems])


def _refuse(code: str | None) -> None:
    if code is not None:
        raise PermissionDenied(user_message(code))


def user_create(
    *, actor: AbstractBaseUser, username: str, data: UserData, audit: bool = True
) -> tuple[AbstractBaseUser, str]:
    """A new active user with a membership and a temporary password (returned, shown once; the
    user must change it at the first sign-in). Raises PermissionDenied or ValidationError."""
    scope = user_scope(actor)
    _refuse(manage_refusal(scope=scope))
    problems, regions = data_problems(scope=scope, data=data)
    problem = username_problem(username)
    _check(([("username", problem)] if problem else []) + problems)
    password = temporary_password()
    with transaction.atomic():
        user = get_user_model().objects.create(
            username=username,
            first_name=data.name.strip(),
            email=data.email,
            password=temporary_hash(password),
        )
        membership = Membership.objects.create(
            user=user, role=data.role, phone=data.phone, must_change_password=True
        )
        membership.regions.set(regions)
        if audit:
            audit_record(
                user=actor,
                action="create",
                object_type=OBJECT_TYPE,
                object_id=user.pk,
                after=snapshot(user),
                summary=f"pengguna {username} dibuat",
            )
    return user, password


def _membership(user: AbstractBaseUser) -> Membership:
    """The user's membership; a superuser made on the command line gets an administrator's."""
    membership = Membership.objects.filter(user=user).first()
    return membership or Membership.objects.create(user=user, role=Role.ADMIN)


@transaction.atomic
def user_update(*, actor: AbstractBaseUser, user: AbstractBaseUser, data: UserData) -> None:
    """A user's name, contact, role and work areas changed, audited before/after."""
    scope = user_scope(actor)
    _refuse(manage_refusal(scope=scope, target=user))
    problems, regions = data_problems(scope=scope, data=data)
    before = snapshot(user)
    if user.pk == actor.pk and (data.role != before["role"] or sorted(data.codes) != before["regions"]):
        problems.append(("role", user_message("self")))
    _check(problems)
    user.first_name, user.email = data.name.strip(), data.email  # type: ignore[attr-defined]
    user.save(update_fields=["first_name", "email"])
    membership = _membership(user)
    membership.role, membership.phone = data.role, data.phone
    membership.save(update_fields=["role", "phone"])
    membership.regions.set(regions)
    after = snapshot(user)
    if after != before:
        audit_record(
            user=actor,
            action="update",
            object_type=OBJECT_TYPE,
            object_id=user.pk,
            before=before,
            after=after,
            summary=f"pengguna {user.get_username()} diubah",
        )


@transaction.atomic
def user_set_active(*, actor: AbstractBaseUser, user: AbstractBaseUser, active: bool) -> None:
    """Deactivate (no sign-in, open sessions end) or reactivate a user; never oneself."""
    _refuse(manage_refusal(scope=user_scope(actor), target=user))
    if user.pk == actor.pk:
        raise PermissionDenied(user_message("self"))
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        user=actor,
        action="activate" if active else "deactivate",
        object_type=OBJECT_TYPE,
        object_id=user.pk,
        before={"active": not active},
        after={"active": active},
        summary=f"pengguna {user.get_username()} {'diaktifkan' if active else 'dinonaktifkan'}",
    )


@transaction.atomic
def password_reset_temporary(*, actor: AbstractBaseUser, user: AbstractBaseUser) -> str:
    """A new temporary password for the user (returned, shown once), to be changed at the next
    sign-in; the user's open sessions end (Django ties them to the password)."""
    _refuse(manage_refusal(scope=user_scope(actor), target=user))
    password = temporary_password()
    user.password = temporary_hash(password)
    user.save(update_fields=["password"])
    membership = _membership(user)
    membership.must_change_password = True
    membership.save(update_fields=["must_change_password"])
    audit_record(
        user=actor,
        action="password_reset",
        object_type=OBJECT_TYPE,
        object_id=user.pk,
        after={"must_change_password": True},
        summary=f"kata sandi sementara untuk {user.get_username()}",
    )
    return password


@transaction.atomic
def password_changed(*, user: AbstractBaseUser, how: str) -> None:
    """After the user set a new password themselves (``how``: "change" on the password page,
    "email" through a reset link): the temporary password is over, and the trail says so."""
    Membership.objects.filter(user=user).update(must_change_password=False)
    audit_record(
        user=user,
        action=f"password_{how}",
        object_type=OBJECT_TYPE,
        object_id=user.pk,
        summary=f"kata sandi {user.get_username()} diganti sendiri",
    )


def must_change_password(user: AbstractBaseUser) -> bool:
    return Membership.objects.filter(user=user, must_change_password=True).exists()
