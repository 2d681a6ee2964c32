"""Benchmark: allocating participants to venues and classes (450 to 3 venues, 5,000 to 20), the
same through the allocation service with its database writes, and the event report of the demo's
450-participant event (median of 10 renders through Django's test client).

Baseline in the same run: a naive fill (participants in list order into the first class with room,
no groups kept together). Run: make bench. Results go into docs/benchmarks.md.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time

os.environ.setdefault("NOLKUMUH_DEMO", "1")
os.environ["NOLKUMUH_DATA_DIR"] = tempfile.mkdtemp(prefix="nolkumuh-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nolkumuh.site.settings")
os.environ["NOLKUMUH_ALLOWED_HOSTS"] = "testserver,127.0.0.1"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from nolkumuh.demo import demo_load  # noqa: E402
from nolkumuh.training.allocate import Hall, Room, Seat, allocate  # noqa: E402
from nolkumuh.training.models import Event  # noqa: E402
from nolkumuh.training.services import event_allocate  # noqa: E402

ROLES = ["fasilitator"] * 8 + ["askot", "korkot"]


def case(participants: int, venues: int, cities: int = 35, seed: int = 1) -> tuple[list, list, list]:
    rng = random.Random(seed)
    seats = [
        Seat(id=i, city=f"K{rng.randrange(cities):02d}", role=rng.choice(ROLES)) for i in range(participants)
    ]
    per_venue = -(-participants * 11 // 10 // venues)  # 10 % spare places
    halls = [Hall(id=v, name=f"Hotel {v:02d}", capacity=per_venue) for v in range(venues)]
    classes = max(1, per_venue // 30)
    rooms = [
        Room(id=v * 100 + c, venue=v, name=f"H{v} K{c}", capacity=-(-per_venue // classes))
        for v in range(venues)
        for c in range(classes)
    ]
    return seats, rooms, halls


def naive(seats: list, rooms: list) -> dict[int, int]:
    left = {r.id: r.capacity for r in rooms}
    placed = {}
    for seat in seats:
        room = next(r for r in left if left[r] > 0)
        left[room] -= 1
        placed[seat.id] = room
    return placed


def timed(function, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _i in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def split_cities(seats: list, rooms: list, placed: dict[int, int]) -> int:
    venue = {r.id: r.venue for r in rooms}
    where: dict[str, set] = {}
    for s in seats:
        where.setdefault(s.city, set()).add(venue[placed[s.id]])
    return sum(len(v) > 1 for v in where.values())


def main() -> None:
    for participants, venues, cities in ((450, 3, 35), (5000, 20, 35), (5000, 20, 300)):
        seats, rooms, halls = case(participants, venues, cities)
        ours = timed(lambda s=seats, r=rooms, h=halls: allocate(s, r, h, "campur"))
        simple = timed(lambda s=seats, r=rooms: naive(s, r))
        result = allocate(seats, rooms, halls, "campur")
        print(
            f"allocate {participants} from {cities} cities to {venues} venues ({len(rooms)} classes):"
            f" {ours * 1000:.1f} ms"
            f" (naive fill {simple * 1000:.1f} ms, x{ours / simple:.1f});"
            f" cities split over venues: {split_cities(seats, rooms, result.klass)} vs naive"
            f" {split_cities(seats, rooms, naive(seats, rooms))}"
        )
    call_command("migrate", verbosity=0)
    demo_load()
    event = Event.objects.get()
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin")
    service = timed(lambda: event_allocate(user=admin, event=event), repeat=3)
    print(
        f"allocation service for the demo event (450 participants, reads + writes): {service * 1000:.0f} ms"
    )
    client = Client()
    client.force_login(admin)
    url = f"/pelatihan/kegiatan/{event.pk}/laporan/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries.captured_queries)  # read now: the next request clears the log
    assert client.get(url).status_code == 200
    page = timed(lambda: client.get(url), repeat=10)
    docx = timed(lambda: client.get(url + "?format=docx"), repeat=3)
    print(
        f"event report (450 participants): page {page * 1000:.0f} ms, {count} queries;"
        f" Word {docx * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
