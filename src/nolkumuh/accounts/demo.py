"""The demo's users: one for every role, with their work areas, all with the public demo password."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from nolkumuh.accounts.models import Membership, Role
from nolkumuh.regions.models import Region

PASSWORD = "nolkumuh-demo"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    regions: tuple[str, ...]
    name: str


USERS = [
    # administrator everywhere; lands in the demo province
    DemoUser("admin", Role.ADMIN, ("33",), "Administrator Demo"),
    DemoUser("provinsi", Role.PROVINSI, ("33",), "Rina Wulandari"),
    DemoUser("korkot", Role.KORKOT, ("33.74",), "Bambang Sutrisno"),
    DemoUser("askot", Role.ASKOT, ("33.74",), "Dewi Lestari"),
    DemoUser("fasilitator", Role.FASILITATOR, ("33.74.02.1001",), "Agus Santoso"),
    DemoUser("fasilitator2", Role.FASILITATOR, ("33.74.03.1001",), "Siti Rahmawati"),
]


def demo_users() -> list[DemoUser]:
    """Create the demo users once (a second run keeps their passwords) and set their work areas."""
    model = get_user_model()
    for demo in USERS:
        user, created = model.objects.get_or_create(username=demo.username)
        if created:
            user.set_password(PASSWORD)
            user.is_superuser = user.is_staff = demo.role == Role.ADMIN
            user.first_name = demo.name  # the name the user pages and the records show
            user.save()
        membership, _ = Membership.objects.get_or_create(user=user, defaults={"role": demo.role})
        membership.regions.set(Region.objects.filter(code__in=demo.regions))
    return USERS


def demo_logins() -> list[tuple[str, str, str]]:
    """(user name, password, role) of every demo user, as printed by `make run`."""
    return [(u.username, PASSWORD, Role(u.role).label) for u in USERS]
