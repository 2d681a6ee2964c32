"""Fixtures for the web application: a small region tree, a data round, users of every role."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import transaction

from nolkumuh.accounts.models import Membership, Role
from nolkumuh.accounts.services import user_scope
from nolkumuh.baseline.models import DataRound
from nolkumuh.regions.models import Kawasan, Region
from nolkumuh.regions.services import kawasan_save
from tests.helpers import oracle_row

PASSWORD = "rahasia-uji-123"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The whole demo, loaded once for a test module inside a transaction rolled back at its end."""
    from nolkumuh.demo import demo_load

    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Login failure counts live in the shared caches: start every test without any."""
    for cache in caches.all():
        cache.clear()


def _region(code: str, name: str, level: str, parent: Region | None, kind: str = "") -> Region:
    return Region.objects.create(code=code, name=name, level=level, parent=parent, kind=kind)


@pytest.fixture
def tree(db):
    """Jawa Tengah > Kota Semarang > Semarang Utara > Bandarharjo, Bulu Lor; Kota Surakarta > ... > Pajang."""
    jateng = _region("33", "Jawa Tengah", "provinsi", None, "provinsi")
    semarang = _region("33.74", "Kota Semarang", "kabkota", jateng, "kota")
    utara = _region("33.74.02", "Semarang Utara", "kecamatan", semarang, "kecamatan")
    solo = _region("33.72", "Kota Surakarta", "kabkota", jateng, "kota")
    laweyan = _region("33.72.01", "Laweyan", "kecamatan", solo, "kecamatan")
    for city, names in ((semarang, ("Bandarharjo", "Bulu Lor")), (solo, ("Pajang",))):
        for name in names:
            Kawasan.objects.create(kabkota=city, name=f"Kawasan {name}", sk_number="050/1/2016", sk_year=2016)
    return {
        "jateng": jateng,
        "semarang": semarang,
        "bandarharjo": _region("33.74.02.1001", "Bandarharjo", "kelurahan", utara, "kelurahan"),
        "bululor": _region("33.74.02.1002", "Bulu Lor", "kelurahan", utara, "kelurahan"),
        "pajang": _region("33.72.01.1001", "Pajang", "kelurahan", laweyan, "kelurahan"),
    }


@pytest.fixture
def round2024(db):
    return DataRound.objects.create(year=2024, ruleset_id="permen-pupr-14-2018", name="Data 2024")


def make_user(username: str, role: str, *regions: Region):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    membership = Membership.objects.create(user=user, role=role)
    membership.regions.set(regions)
    return user


@pytest.fixture
def users(tree):
    return {
        "fasilitator": make_user("fasil", Role.FASILITATOR, tree["bandarharjo"]),
        "fasilitator_solo": make_user("fasil_solo", Role.FASILITATOR, tree["pajang"]),
        "askot": make_user("askot", Role.ASKOT, tree["semarang"]),
        "korkot": make_user("korkot", Role.KORKOT, tree["semarang"]),
        "provinsi": make_user("prov", Role.PROVINSI, tree["jateng"]),
    }


def save_kawasan(user, kawasan: Kawasan, kelurahan: list[Region], rts: list) -> Kawasan:  # type: ignore[no-untyped-def]
    """Store a kawasan as this user, with the user's own scope (as the kawasan page does)."""
    return kawasan_save(user=user, scope=user_scope(user), kawasan=kawasan, kelurahan=kelurahan, rts=rts)


def rt_values(**changes: str) -> dict[str, str]:
    """Values of the published RT of RULES.md section 10 by field key (total 24, KR)."""
    values = {k.removeprefix("v_"): v for k, v in oracle_row().items()}
    values.update(changes)
    return values


def memorandum(users, tree, base_round, title="Memorandum Program Kota Semarang 2025-2027", end_year=2027):  # type: ignore[no-untyped-def]
    """A 2025-... memorandum program of Kota Semarang, created by its korkot."""
    from nolkumuh.planning.models import Plan
    from nolkumuh.planning.services import plan_create

    return plan_create(
        user=users["korkot"],
        plan=Plan(
            region=tree["semarang"],
            kind="memorandum",
            title=title,
            start_year=2025,
            end_year=end_year,
            base_round=base_round,
        ),
    )
