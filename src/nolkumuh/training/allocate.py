"""Allocation of an event's participants to venues and classes (pure: no Django, no database).

The rules, in order:

1. Capacity is never exceeded: a venue holds at most its own capacity and the sum of its classes.
2. People moved by hand (pinned) stay where they were put; the others fill the room that is left.
3. The participants of one kab/kota stay together in one venue. Groups are placed largest first in
   the venue with the most room left (which also balances the venues); a group that fits in no venue
   whole is split over the venues with the most room, and its members are told why.
4. Inside a venue the classes are filled as the event is configured: roles mixed evenly over the
   classes, or classes filled per kab/kota, or per role (groups kept whole where a class can hold
   them).
5. The result is deterministic: the same input always gives the same allocation.

Every participant gets the reasons for their place as (code, parameters) pairs that the app turns
into sentences.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

Reason = tuple[str, dict[str, object]]


@dataclass(frozen=True)
class Seat:
    """A participant to place: their kab/kota and role, and the class they were moved to by hand."""

    id: int
    city: str
    role: str
    role_rank: int = 0
    pinned_class: int | None = None


@dataclass(frozen=True)
class Room:
    """A class of a venue."""

    id: int
    venue: int
    name: str
    capacity: int


@dataclass(frozen=True)
class Hall:
    """A venue with its capacity."""

    id: int
    name: str
    capacity: int


@dataclass
class Allocation:
    klass: dict[int, int] = field(default_factory=dict)
    reasons: dict[int, list[Reason]] = field(default_factory=lambda: defaultdict(list))


class NotEnoughPlaces(Exception):
    def __init__(self, needed: int, available: int) -> None:
        super().__init__(f"{needed} participants, {available} places")
        self.needed = needed
        self.available = available


def _pack(
    groups: dict[str, list[Seat]], bins: dict[int, int], label: Callable[[int], str], prefix: str = ""
) -> tuple[dict[int, int], dict[int, list[Reason]]]:
    """Place whole groups largest first in the bin with most room; split a group only when no bin can
    hold it, over the bins with most room. Returns seat -> bin and the reasons."""
    room = dict(bins)
    placed: dict[int, int] = {}
    reasons: dict[int, list[Reason]] = defaultdict(list)
    for key, seats in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        fitting = [b for b in room if room[b] >= len(seats)]
        if fitting:
            chosen = min(fitting, key=lambda b: (-room[b], label(b)))
            room[chosen] -= len(seats)
            for seat in seats:
                placed[seat.id] = chosen
                reasons[seat.id].append(
                    (prefix + "together", {"group": key, "count": len(seats), "place": label(chosen)})
                )
            continue
        order = sorted((b for b in room if room[b] > 0), key=lambda b: (-room[b], label(b)))
        rest = list(seats)
        parts: list[str] = []
        for b in order:
            take, rest = rest[: room[b]], rest[room[b] :]
            room[b] -= len(take)
            parts.append(f"{label(b)} ({len(take)})")
            for seat in take:
                placed[seat.id] = b
            if not rest:
                break
        for seat in seats:
            reasons[seat.id].append(
                (
                    prefix + "split",
                    {
                        "group": key,
                        "count": len(seats),
                        "largest": max(bins.values()),
                        "parts": ", ".join(parts),
                    },
                )
            )
    return placed, reasons


def _mix(seats: list[Seat], rooms: list[Room], room_left: dict[int, int]) -> dict[int, int]:
    """Deal the seats over the classes so that every class gets an even share of every role."""
    per_role: dict[tuple[int, str], int] = defaultdict(int)
    placed: dict[int, int] = {}
    for seat in sorted(seats, key=lambda s: (s.role_rank, s.role, s.city, s.id)):
        open_rooms = [r for r in rooms if room_left[r.id] > 0]
        chosen = min(open_rooms, key=lambda r: (per_role[(r.id, seat.role)], -room_left[r.id], r.name))
        room_left[chosen.id] -= 1
        per_role[(chosen.id, seat.role)] += 1
        placed[seat.id] = chosen.id
    return placed


def allocate(seats: Sequence[Seat], rooms: Sequence[Room], halls: Sequence[Hall], mode: str) -> Allocation:
    """Place every seat in a class. ``mode`` is ``campur`` (roles mixed), ``kabkota`` or ``peran``.
    Raises :class:`NotEnoughPlaces` when the unpinned participants outnumber the free places."""
    result = Allocation()
    room_of = {r.id: r for r in rooms}
    room_left = {r.id: r.capacity for r in rooms}
    hall_left = {h.id: min(h.capacity, sum(r.capacity for r in rooms if r.venue == h.id)) for h in halls}
    free: list[Seat] = []
    for seat in sorted(seats, key=lambda s: s.id):
        if seat.pinned_class in room_of and room_left[seat.pinned_class] > 0:
            room = room_of[seat.pinned_class]
            room_left[room.id] -= 1
            hall_left[room.venue] -= 1
            result.klass[seat.id] = room.id
            result.reasons[seat.id].append(("pinned", {"place": room.name}))
        else:
            free.append(seat)
    available = sum(max(0, v) for v in hall_left.values())
    if len(free) > available:
        raise NotEnoughPlaces(len(free), available)
    hall_name = {h.id: h.name for h in halls}
    by_city: dict[str, list[Seat]] = defaultdict(list)
    for seat in free:
        by_city[seat.city].append(seat)
    venue_of, venue_reasons = _pack(
        by_city, {h: max(0, n) for h, n in hall_left.items()}, hall_name.__getitem__
    )
    for seat_id, reasons in venue_reasons.items():
        result.reasons[seat_id] += reasons
    for hall in halls:
        here = [s for s in free if venue_of[s.id] == hall.id]
        hall_rooms = [r for r in rooms if r.venue == hall.id]
        if not here:
            continue
        if mode == "campur":
            placed = _mix(here, hall_rooms, room_left)
            counts: dict[tuple[int, str], int] = defaultdict(int)
            for seat in here:
                counts[(placed[seat.id], seat.role)] += 1
            for seat in here:
                name = room_of[placed[seat.id]].name
                result.reasons[seat.id].append(
                    (
                        "mixed",
                        {"place": name, "role": seat.role, "count": counts[(placed[seat.id], seat.role)]},
                    )
                )
        else:
            key: Callable[[Seat], str] = (lambda s: s.city) if mode == "kabkota" else (lambda s: s.role)
            groups: dict[str, list[Seat]] = defaultdict(list)
            for seat in here:
                groups[key(seat)].append(seat)
            bins = {r.id: room_left[r.id] for r in hall_rooms}
            placed, reasons = _pack(groups, bins, lambda r: room_of[r].name, "class_")
            for r_id in bins:
                room_left[r_id] -= sum(1 for v in placed.values() if v == r_id)
            for seat_id, rs in reasons.items():
                result.reasons[seat_id] += rs
        result.klass.update(placed)
    return result
