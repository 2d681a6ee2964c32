"""Who may see and change what, and protection of the login against guessing."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache

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
    if user.is_superuser:
        scope = Scope(role=Role.ADMIN, prefixes=())
    else:
        membership = Membership.objects.filter(user=user).prefetch_related("regions").first()
        if membership is None:
            scope = PUBLIC
        else:
            scope = Scope(role=membership.role, prefixes=tuple(r.code for r in membership.regions.all()))
    user._nolkumuh_scope = scope  # type: ignore[attr-defined]
    return scope


# Guessing from many addresses is also stopped: a user name gets this many times the limit in all.
ANY_ADDRESS_FACTOR = 4


def _failure_keys(username: str, address: str) -> tuple[str, str]:
    name = username.strip().lower()
    return f"login-failures:{name}:{address}", f"login-failures:{name}:*"


def login_locked(*, username: str, address: str) -> bool:
    here, anywhere = _failure_keys(username, address)
    limit = settings.LOGIN_FAILURE_LIMIT
    return cache.get(here, 0) >= limit or cache.get(anywhere, 0) >= limit * ANY_ADDRESS_FACTOR


def login_failed(*, username: str, address: str) -> None:
    for key in _failure_keys(username, address):
        cache.add(key, 0, settings.LOGIN_LOCK_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_LOCK_SECONDS)


def login_succeeded(*, username: str, address: str) -> None:
    cache.delete(_failure_keys(username, address)[0])
