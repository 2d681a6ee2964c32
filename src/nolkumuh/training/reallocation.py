"""Allocating an event's participants to venues and classes, worked out before it is stored: the
service stores it, and the page asks who would move before an event with attendance is re-allocated
(moving people after they have signed in for sessions changes where their attendance counts)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nolkumuh.training.allocate import Allocation, Hall, NotEnoughPlaces, Room, Seat, allocate
from nolkumuh.training.models import Attendance, Event, Participant, Role, TrainingClass

ROLE_RANK = {role: i for i, role in enumerate(Role.values)}
MOVES_LISTED = 50  # names shown on the confirmation page; the count is always whole


@dataclass(frozen=True)
class Move:
    """A participant who would change class (and so sessions, and perhaps venue)."""

    participant: Participant
    before: TrainingClass | None
    after: TrainingClass

    @property
    def changes_venue(self) -> bool:
        return self.before is None or self.before.venue_id != self.after.venue_id


def planned_allocation(
    event: Event, participants: list[Participant], classes: list[TrainingClass]
) -> Allocation:
    """Where each participant would go (people moved by hand stay). Raises ValidationError when
    there are no classes or not enough places."""
    if not classes:
        raise ValidationError(_("Tambahkan dulu tempat dan kelasnya."))
    seats = [
        Seat(
            id=p.pk,
            city=p.person.kabkota.name,
            role=p.person.role,
            role_rank=ROLE_RANK[p.person.role],
            pinned_class=p.klass_id if p.pinned else None,
        )
        for p in participants
    ]
    rooms = [
        Room(id=c.pk, venue=c.venue_id, name=f"{c.venue.name} · {c.name}", capacity=c.capacity)
        for c in classes
    ]
    halls = [Hall(id=v.pk, name=v.name, capacity=v.capacity) for v in {c.venue for c in classes}]
    try:
        return allocate(seats, rooms, halls, event.class_mode)
    except NotEnoughPlaces as exc:
        raise ValidationError(
            _(
                "%(needed)s peserta belum punya tempat, tetapi hanya ada %(available)s tempat kosong."
                " Tambahkan"
                " %(missing)s tempat (kapasitas tempat atau kelas) lalu bagi lagi."
            ),
            params={"needed": exc.needed, "available": exc.available, "missing": exc.needed - exc.available},
        ) from exc


def event_classes(event: Event) -> list[TrainingClass]:
    return list(TrainingClass.objects.filter(venue__event=event).select_related("venue"))


def event_has_attendance(event: Event) -> bool:
    """Whether anyone has been marked present at a session of the event."""
    return Attendance.objects.filter(session__event=event).exists()


def allocation_moves(*, event: Event) -> list[Move]:
    """Who would change class if the event were allocated now, in participant-number order.
    Raises ValidationError as the allocation does."""
    participants = list(event.participants.select_related("person__kabkota", "klass__venue"))
    classes = event_classes(event)
    result = planned_allocation(event, participants, classes)
    by_id = {c.pk: c for c in classes}
    return [
        Move(participant=p, before=p.klass, after=by_id[result.klass[p.pk]])
        for p in participants
        if result.klass[p.pk] != p.klass_id
    ]
