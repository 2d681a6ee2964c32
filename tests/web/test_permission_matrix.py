"""Every URL pattern of the site × every identity (the public, a user without a role, and each role
inside and outside its regions), for GET and for POST with a valid CSRF token.

``tests/web/permission_table.py`` has one entry per URL pattern: how to build a concrete address on
the demo (all objects lie in Kota Semarang, most in Bandarharjo 33.74.02.1001) and the expected
answer of every identity. A pattern without an entry fails ``test_every_url_pattern_has_an_entry``.
The rules checked on top of the table (docs/security.md, "Permissions: the same 404"):

- a 403 goes only to an identity that may see the thing (an action its role may not take); what it
  may not see answers 404, exactly like an object that does not exist;
- a POST from outside (the public, a user without a role, a role outside its regions) changes
  nothing: the row count of every table and the audit trail are the same before and after;
- every POST without a CSRF token is refused.
"""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.crypto import get_random_string

from nolkumuh.accounts.models import Membership, Role
from nolkumuh.demo import demo_load
from tests.web.permission_table import IDENTITIES, OUTSIDE, PARENT, TABLE

# identity -> (role, region codes); the demo users are the inside ones
EXTRA_USERS = {
    "tanpa_peran": (None, ()),
    "provinsi_luar": (Role.PROVINSI, ("35",)),
    "korkot_luar": (Role.KORKOT, ("33.72",)),
    "askot_luar": (Role.ASKOT, ("33.72",)),
    "fasilitator_luar": (Role.FASILITATOR, ("33.72.01.1001",)),
}
# The module's data is built once (fixture ``world``); each test runs inside it, rolled back after.
pytestmark = pytest.mark.django_db
CODES = {200: "O", 403: "F", 404: "N", 405: "M", 400: "X"}


def answer(response) -> str:  # type: ignore[no-untyped-def]
    if response.status_code in (301, 302, 303):
        return "L" if "/akun/masuk/" in response["Location"] else "R"
    return CODES.get(response.status_code, str(response.status_code))


def _pattern_names(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every named URL pattern of the URLconf as namespace:name (unnamed ones by their route)."""
    names = []
    for item in (resolver or get_resolver()).url_patterns:
        if isinstance(item, URLResolver):
            space = f"{prefix}{item.namespace}:" if item.namespace else prefix
            names += _pattern_names(item, space)
        elif isinstance(item, URLPattern):
            names.append(f"{prefix}{item.name}" if item.name else f"{prefix}{item.pattern}")
    return names


def _world() -> dict[str, Any]:
    """The demo plus a second province, users outside every role's regions, and the few objects
    the demo has not (a finished job, a realization in Bandarharjo)."""
    from nolkumuh.core.models import Job
    from nolkumuh.monitoring.models import Activity, Institution, KpiValue, Kpp, Photo
    from nolkumuh.planning.models import Plan, Realization
    from nolkumuh.regions.models import Kawasan, Region, Rt
    from nolkumuh.training.models import Event, NeedsSurvey, Participant, Person, Programme, Session, Venue

    demo_load()
    Region.objects.get_or_create(
        code="35", defaults={"name": "Jawa Timur", "level": "provinsi", "kind": "provinsi"}
    )
    model = get_user_model()
    users = {
        name: model.objects.get(username=name)
        for name in ("admin", "provinsi", "korkot", "askot", "fasilitator")
    }
    for name, (role, codes) in EXTRA_USERS.items():
        user = model.objects.create_user(username=name, password="x-" + get_random_string(20))
        if role:
            Membership.objects.create(user=user, role=role).regions.set(Region.objects.filter(code__in=codes))
        users[name] = user
    plan = Plan.objects.get(region__code="33.74")
    event = Event.objects.order_by("pk").first()
    survey = NeedsSurvey.objects.get()
    activity = Activity.objects.filter(kelurahan__code__startswith="33.74.").order_by("pk").first()
    job = Job.objects.create(
        id=uuid.uuid4(), kind="export", title="Unduh", user=users["korkot"], status="done"
    )
    return {
        "users": users,
        "plan": plan,
        "kawasan": Kawasan.objects.filter(kabkota__code="33.74", kelurahan__code="33.74.02.1001").first(),
        "rt": Rt.objects.filter(kelurahan__code="33.74.02.1001").order_by("pk").first(),
        "event": event,
        "programme": Programme.objects.order_by("pk").first(),
        "venue": Venue.objects.filter(event=event).order_by("pk").first(),
        "participant": Participant.objects.filter(event=event).order_by("pk").first(),
        "session": Session.objects.filter(event=event, klass__isnull=False).order_by("pk").first(),
        "person": Person.objects.filter(kabkota__code="33.74").order_by("pk").first(),
        "survey": survey,
        "activity": activity,
        "photo": Photo.objects.filter(activity=activity).order_by("pk").first()
        or Photo.objects.order_by("pk").first(),
        "kpp": Kpp.objects.filter(kelurahan__code__startswith="33.74.").order_by("pk").first(),
        "institution": Institution.objects.filter(region__code__startswith="33.74").order_by("pk").first(),
        "kpi_value": KpiValue.objects.filter(region__code__startswith="33.74").order_by("pk").first(),
        "realization": Realization.objects.filter(rt__kelurahan__code__startswith="33.74")
        .order_by("pk")
        .first(),
        "job": job,
        "managed": users["fasilitator"],  # a user the user pages manage
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The data, built once for the module inside a transaction that is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        data = _world()
        data["clients"] = {name: _client(data["users"].get(name)) for name in IDENTITIES}
        yield data
        transaction.set_rollback(True)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    client.cookies["csrftoken"] = get_random_string(32)
    return client


def _rows() -> tuple[int, int]:
    """The number of rows in all tables together (one query) and of audit entries."""
    tables = [t for t in connection.introspection.table_names() if not t.startswith("django_session")]
    total = " + ".join(f'(SELECT COUNT(*) FROM "{t}")' for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {total}")
        (count,) = cursor.fetchone()
        cursor.execute('SELECT COUNT(*) FROM "core_auditentry"')
        (audit,) = cursor.fetchone()
    return count, audit


def _request(client: Client, method: str, path: str, csrf: bool = True, count: bool = True):  # type: ignore[no-untyped-def]
    """One request whose effects are rolled back, with the client's cookies kept as they were."""
    cookies = client.cookies
    client.cookies = type(cookies)(cookies)  # a copy: logging out must not sign the client out
    headers = {"HTTP_X_CSRFTOKEN": cookies["csrftoken"].value} if csrf else {}
    try:
        with transaction.atomic():
            before = _rows() if count else None
            response = getattr(client, method)(path, **headers)
            after = _rows() if count else None
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response, before != after


def test_every_url_pattern_has_an_entry():
    names = _pattern_names()
    assert sorted(set(names) - set(TABLE)) == [], "add an entry to TABLE for every new URL pattern"
    assert sorted(set(TABLE) - set(names)) == [], "an entry for a URL pattern that no longer exists"


def _observe(world, name: str) -> tuple[str, str, list[str]]:  # type: ignore[no-untyped-def]
    entry = TABLE[name]
    path = entry.build(world)
    got, posted, changed = [], [], []
    for cache in caches.all():
        cache.clear()
    for identity in IDENTITIES:
        response, _changed = _request(world["clients"][identity], "get", path, count=False)
        got.append(answer(response))
        if entry.heavy and identity not in OUTSIDE:
            posted.append("-")  # a heavy download: the GET answer shows what a POST would do
            continue
        response, wrote = _request(world["clients"][identity], "post", path, count=identity in OUTSIDE)
        posted.append(answer(response))
        if wrote:
            changed.append(identity)
    return "".join(got), "".join(posted), changed


def _spaced(codes: str) -> str:
    return f"{codes[:2]} {codes[2]} {codes[3:5]} {codes[5:7]} {codes[7:9]} {codes[9:]}"


def _sees(name: str, identity: str) -> bool:
    """Whether the identity may see the thing behind the pattern (its parent's GET answers 200)."""
    codes = TABLE[PARENT.get(name, name)].get.replace(" ", "")
    return codes[IDENTITIES.index(identity)] == "O"


@pytest.mark.parametrize("name", sorted(TABLE))
def test_permissions_of(world, name):
    got, posted, changed = _observe(world, name)
    entry = TABLE[name]
    assert (_spaced(got), _spaced(posted)) == (entry.get, entry.post)
    for identity, get_code, post_code in zip(IDENTITIES, got, posted, strict=True):
        if "F" in (get_code, post_code):
            assert _sees(name, identity), (
                f"{identity}: 403 for what it may not see tells it exists; answer 404"
            )
    assert not set(changed) & OUTSIDE, f"a POST from outside changed data: {changed}"


def test_every_post_without_a_csrf_token_is_refused(world):
    client = world["clients"]["admin"]
    refused = {name: _request(client, "post", entry.build(world), csrf=False, count=False)[0].status_code
               for name, entry in TABLE.items()}  # fmt: skip
    assert {name for name, status in refused.items() if status != 403} == set()


class _Missing(dict):
    """A world in which every object is one that does not exist."""

    def __getitem__(self, key: str) -> Any:
        return SimpleNamespace(pk=999999, checkin_token="tidak-ada")


def test_from_outside_an_object_answers_as_if_it_did_not_exist(world):
    """For the public, a user without a role and every role outside its regions, asking for an
    object they may not see answers exactly as asking for one that does not exist."""
    differences = []
    for name, entry in TABLE.items():
        path, missing = entry.build(world), entry.build(_Missing())
        if path == missing:
            continue  # an address without an object (a region code, a page)
        for identity in sorted(OUTSIDE):
            client = world["clients"][identity]
            real = answer(_request(client, "get", path, count=False)[0])
            if real != "O" and not _sees(name, identity):  # what one may see exists anyway
                absent = answer(_request(client, "get", missing, count=False)[0])
                if absent != real:
                    differences.append(f"{name} {identity}: {real} for an existing object, {absent} for none")
    assert differences == []
