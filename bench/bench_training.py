"""Benchmark: allocating participants to venues and classes (450 to 3 venues, 5,000 to 20), the
same through the allocation service with its database writes on the demo's largest event (the
demo has several events: the one with most participants, 450), and that event's report page
(computed and cached, with queries: bench/_pages.py) and its Word document.

Baselines in the same run: a naive fill (participants in list order into the first class with room,
no groups kept together) for the allocation; the sign-in page for the report page.
Run: make bench. Results go into docs/benchmarks.md.
"""

from __future__ import annotations

import random
import statistics
import time

from _pages import baseline_line, load_demo, measure_baseline, measure_page, page_line, setup_django

setup_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

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
    load_demo()
    event = largest_event()
    size = event.participants.count()
    admin = get_user_model().objects.get(username="admin")
    service = timed(lambda: event_allocate(user=admin, event=event), repeat=3)
    print(
        f"allocation service for the demo's largest event ({size} participants, reads + writes):"
        f" {service * 1000:.0f} ms"
    )
    baseline = measure_baseline()
    client = Client()
    client.force_login(admin)
    url = f"/pelatihan/kegiatan/{event.pk}/laporan/"
    print(baseline_line(baseline))
    print(
        page_line(
            f"event report page ({size} participants)", measure_page(client, url, cached_runs=10), baseline
        )
    )
    docx = timed(lambda: client.get(url + "?format=docx"), repeat=3)
    print(f"  event report as Word document: {docx * 1000:.0f} ms")


def largest_event() -> Event:
    """The demo event with the most participants (the demo holds more than one event)."""
    event = Event.objects.annotate(size=Count("participants")).order_by("-size", "pk").first()
    if event is None:
        raise RuntimeError("the demo holds no training event")
    return event


if __name__ == "__main__":
    main()
