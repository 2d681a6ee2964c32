"""Allocation of participants to venues and classes: capacity, groups kept together, role mix,
manual moves, and determinism."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nolkumuh.training.allocate import Hall, NotEnoughPlaces, Room, Seat, allocate

ROLES = ["korkot", "askot", "fasilitator"]


def venues(*sizes: tuple[int, int]) -> tuple[list[Hall], list[Room]]:
    """(capacity, classes) per venue; the classes share the capacity evenly."""
    halls, rooms = [], []
    for v, (capacity, classes) in enumerate(sizes, start=1):
        halls.append(Hall(id=v, name=f"Hotel {v}", capacity=capacity))
        size, extra = divmod(capacity, classes)
        for c in range(classes):
            rooms.append(Room(id=v * 100 + c, venue=v, name=f"H{v} K{c}", capacity=size + (c < extra)))
    return halls, rooms


def seats_of(groups: dict[str, int], rng: random.Random | None = None) -> list[Seat]:
    rng = rng or random.Random(1)
    seats, n = [], 0
    for city, size in groups.items():
        for _i in range(size):
            n += 1
            seats.append(Seat(id=n, city=city, role=rng.choice(ROLES)))
    return seats


def usage(result, rooms):  # type: ignore[no-untyped-def]
    venue_of = {r.id: r.venue for r in rooms}
    per_class = Counter(result.klass.values())
    per_venue = Counter(venue_of[c] for c in result.klass.values())
    return per_class, per_venue


def test_groups_that_fit_stay_together_and_capacity_holds():
    halls, rooms = venues((160, 5), (150, 5), (150, 5))
    groups = {
        f"Kota {i:02d}": size for i, size in enumerate([40, 35, 30, 30, 25, 25, 20, 20, 20, 15, 15, 10])
    }
    seats = seats_of(groups)
    result = allocate(seats, rooms, halls, "campur")
    per_class, per_venue = usage(result, rooms)
    assert all(per_class[r.id] <= r.capacity for r in rooms)
    assert all(per_venue[h.id] <= h.capacity for h in halls)
    venue_of = {r.id: r.venue for r in rooms}
    cities = defaultdict(set)
    for seat in seats:
        cities[seat.city].add(venue_of[result.klass[seat.id]])
    assert all(len(v) == 1 for v in cities.values())
    assert not any(code == "split" for reasons in result.reasons.values() for code, _p in reasons)


def test_a_group_larger_than_any_venue_is_split_with_the_reason():
    halls, rooms = venues((30, 1), (30, 1))
    seats = seats_of({"Kota Semarang": 45, "Kota Surakarta": 10})
    result = allocate(seats, rooms, halls, "campur")
    split = [s for s in seats if any(code == "split" for code, _p in result.reasons[s.id])]
    assert {s.city for s in split} == {"Kota Semarang"}
    params = dict(next(p for code, p in result.reasons[split[0].id] if code == "split"))
    assert params["count"] == 45 and params["largest"] == 30
    per_class, _ = usage(result, rooms)
    assert sorted(per_class.values()) == [25, 30]


def test_not_enough_places_is_refused_before_anything_is_placed():
    halls, rooms = venues((10, 1))
    with pytest.raises(NotEnoughPlaces) as error:
        allocate(seats_of({"A": 11}), rooms, halls, "campur")
    assert (error.value.needed, error.value.available) == (11, 10)


def test_venue_capacity_below_its_classes_is_respected():
    halls = [Hall(id=1, name="Kecil", capacity=5), Hall(id=2, name="Besar", capacity=50)]
    rooms = [Room(id=10, venue=1, name="a", capacity=30), Room(id=20, venue=2, name="b", capacity=50)]
    result = allocate(seats_of({"A": 4, "B": 4, "C": 4}), rooms, halls, "campur")
    _, per_venue = usage(result, rooms)
    assert per_venue[1] <= 5


def test_roles_are_mixed_evenly_over_the_classes_of_a_venue():
    halls, rooms = venues((90, 3))
    seats = [Seat(id=i, city="A" if i < 45 else "B", role=ROLES[i % 3]) for i in range(90)]
    result = allocate(seats, rooms, halls, "campur")
    counts = Counter((result.klass[s.id], s.role) for s in seats)
    for role in ROLES:
        per_class = [counts[(r.id, role)] for r in rooms]
        assert max(per_class) - min(per_class) <= 1, role


def test_classes_by_role_keep_each_role_in_as_few_classes_as_possible():
    halls, rooms = venues((60, 3))
    seats = [Seat(id=i, city="A", role="askot" if i < 12 else "fasilitator") for i in range(40)]
    result = allocate(seats, rooms, halls, "peran")
    askot_classes = {result.klass[s.id] for s in seats if s.role == "askot"}
    assert len(askot_classes) == 1


def test_manual_moves_stay_and_reduce_the_room_left():
    halls, rooms = venues((4, 2), (4, 2))
    seats = seats_of({"A": 3, "B": 3})
    pinned = Seat(id=99, city="A", role="askot", pinned_class=rooms[-1].id)
    result = allocate([*seats, pinned], rooms, halls, "campur")
    assert result.klass[99] == rooms[-1].id
    assert result.reasons[99] == [("pinned", {"place": rooms[-1].name})]
    per_class, _ = usage(result, rooms)
    assert all(per_class[r.id] <= r.capacity for r in rooms)


def test_the_same_input_in_another_order_gives_the_same_allocation():
    halls, rooms = venues((50, 2), (40, 2))
    seats = seats_of({"A": 20, "B": 18, "C": 15, "D": 12, "E": 10})
    first = allocate(seats, rooms, halls, "campur")
    shuffled = list(seats)
    random.Random(7).shuffle(shuffled)
    second = allocate(shuffled, rooms, list(reversed(halls)), "campur")
    assert first.klass == second.klass


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(1, 40), min_size=1, max_size=12),
    st.lists(st.tuples(st.integers(5, 80), st.integers(1, 4)), min_size=1, max_size=5),
    st.sampled_from(["campur", "kabkota", "peran"]),
)
def test_capacity_is_never_exceeded_and_everyone_is_placed(groups, sizes, mode):
    halls, rooms = venues(*sizes)
    seats = seats_of({f"K{i}": n for i, n in enumerate(groups)})
    room = sum(min(h.capacity, sum(r.capacity for r in rooms if r.venue == h.id)) for h in halls)
    if len(seats) > room:
        with pytest.raises(NotEnoughPlaces):
            allocate(seats, rooms, halls, mode)
        return
    result = allocate(seats, rooms, halls, mode)
    assert set(result.klass) == {s.id for s in seats}
    per_class, per_venue = usage(result, rooms)
    assert all(per_class[r.id] <= r.capacity for r in rooms)
    assert all(per_venue[h.id] <= h.capacity for h in halls)
    venue_of = {r.id: r.venue for r in rooms}
    for city in {s.city for s in seats}:
        members = [s for s in seats if s.city == city]
        together = len({venue_of[result.klass[s.id]] for s in members}) == 1
        said_split = any(code == "split" for code, _p in result.reasons[members[0].id])
        assert together != said_split
