"""Writes of the capacity-building app. Every change is checked and recorded in the audit trail."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from nolkumuh.accounts.models import Role as UserRole
from nolkumuh.accounts.services import user_scope
from nolkumuh.core.bounds import validated
from nolkumuh.core.services import audit_change, audit_record
from nolkumuh.regions.models import Region
from nolkumuh.training.models import (
    Attendance,
    Certificate,
    CommunityAttendance,
    CommunityTraining,
    Competency,
    Event,
    Participant,
    Person,
    Programme,
    Session,
    Topic,
    TrainingClass,
    Venue,
)
from nolkumuh.training.reallocation import event_classes, planned_allocation

ORGANISERS = frozenset({UserRole.ADMIN, UserRole.PROVINSI, UserRole.KORKOT})
CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def may_organise(user: AbstractBaseUser, region: Region) -> bool:
    """Organisers (admin, provincial manager, korkot) may run trainings in the regions they cover."""
    scope = user_scope(user)
    return scope.role in ORGANISERS and scope.covers(region.code)


def may_see(user: AbstractBaseUser, region: Region) -> bool:
    """Signed-in users see trainings of their regions, of regions inside them, and of the regions
    above them (a provincial programme concerns every city in the province)."""
    scope = user_scope(user)
    if scope.role is None:
        return False
    return scope.covers(region.code) or any(p.startswith(region.code + ".") for p in scope.prefixes)


def ensure_organiser(user: AbstractBaseUser, region: Region) -> None:
    if not may_organise(user, region):
        raise PermissionDenied


def _snapshot(obj: object, exclude: tuple[str, ...] = ()) -> dict:
    data = model_to_dict(obj, exclude=list(exclude))  # type: ignore[arg-type]
    return {
        k: (str(v) if v is not None and not isinstance(v, int | bool | str | list) else v)
        for k, v in data.items()
    }


def person_save(*, user: AbstractBaseUser, person: Person) -> Person:
    """Create or update a registry entry (organisers of its kab/kota only)."""
    ensure_organiser(user, person.kabkota)
    stored = Person.objects.select_related("kabkota").get(pk=person.pk) if person.pk else None
    if stored is not None:
        ensure_organiser(user, stored.kabkota)  # nobody takes over a person of another region
    before = _snapshot(stored) if stored else None
    person.full_clean()
    person.save()
    audit_change(user=user, object_type="person", object_id=person.pk, before=before, after=_snapshot(person))
    return person


def programme_create(*, user: AbstractBaseUser, programme: Programme) -> Programme:
    ensure_organiser(user, programme.region)
    programme.created_by = user
    programme.full_clean()
    programme.save()
    audit_change(
        user=user, object_type="programme", object_id=programme.pk, before=None, after=_snapshot(programme)
    )
    return programme


def event_create(*, user: AbstractBaseUser, event: Event) -> Event:
    ensure_organiser(user, event.programme.region)
    event.full_clean()
    event.save()
    audit_change(user=user, object_type="event", object_id=event.pk, before=None, after=_snapshot(event))
    return event


def venue_add(*, user: AbstractBaseUser, venue: Venue, classes: int) -> Venue:
    """A venue and its classes, the capacity shared evenly (the first classes take the remainder)."""
    ensure_organiser(user, venue.event.programme.region)
    if not 1 <= classes <= venue.capacity:
        raise ValidationError(
            {"classes": ValidationError(_("Jumlah kelas harus antara 1 dan kapasitas tempat."))}
        )
    venue.full_clean()
    venue.save()
    size, extra = divmod(venue.capacity, classes)
    letters = [chr(ord("A") + i) if i < 26 else str(i + 1) for i in range(classes)]
    TrainingClass.objects.bulk_create(
        validated(
            TrainingClass(venue=venue, name=f"Kelas {letters[i]}", capacity=size + (i < extra))
            for i in range(classes)
        )
    )
    audit_change(
        user=user,
        object_type="venue",
        object_id=venue.pk,
        before=None,
        after={**_snapshot(venue), "classes": classes},
    )
    return venue


def _fallback_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_LETTERS) for _i in range(6))
        if not Session.objects.filter(fallback_code=code).exists():
            return code


def session_add(*, user: AbstractBaseUser, session: Session) -> Session:
    ensure_organiser(user, session.event.programme.region)
    session.checkin_token = secrets.token_urlsafe(18)
    session.fallback_code = _fallback_code()
    if session.klass_id and session.venue_id and session.klass.venue_id != session.venue_id:
        raise ValidationError(
            {"klass": ValidationError(_("Kelas itu ada di tempat lain; pilih kelas dari tempat sesi."))}
        )
    if session.klass_id and not session.venue_id:
        session.venue = session.klass.venue
    session.full_clean()
    if not session.event.start_date <= session.day <= session.event.end_date:
        raise ValidationError(
            {"day": ValidationError(_("Hari sesi harus di antara tanggal mulai dan selesai kegiatan."))}
        )
    session.save()
    audit_change(
        user=user,
        object_type="session",
        object_id=session.pk,
        before=None,
        after=_snapshot(session, ("checkin_token",)),
    )
    return session


def session_checkin_toggle(*, user: AbstractBaseUser, session: Session, open_: bool) -> None:
    ensure_organiser(user, session.event.programme.region)
    if session.checkin_open != open_:
        session.checkin_open = open_
        session.save(update_fields=["checkin_open"])
        audit_change(
            user=user,
            object_type="session",
            object_id=session.pk,
            before={"checkin_open": not open_},
            after={"checkin_open": open_},
        )


@transaction.atomic
def participants_register(*, user: AbstractBaseUser, event: Event, persons: Iterable[Person]) -> int:
    """Register people (those already registered are left as they are); returns how many were added."""
    ensure_organiser(user, event.programme.region)
    Event.objects.select_for_update().filter(pk=event.pk).first()  # one registration at a time
    taken = set(event.participants.values_list("person_id", flat=True))
    number = (event.participants.aggregate(m=Max("number"))["m"] or 0) + 1
    new = []
    for person in persons:
        if person.pk in taken:
            continue
        taken.add(person.pk)
        new.append(Participant(event=event, person=person, number=number))
        number += 1
    Participant.objects.bulk_create(validated(new))
    if new:
        audit_record(
            user=user,
            action="register",
            object_type="event",
            object_id=event.pk,
            after={"persons": [p.person_id for p in new]},
            summary=f"{len(new)} peserta didaftarkan",
        )
    return len(new)


@transaction.atomic
def event_allocate(*, user: AbstractBaseUser, event: Event) -> int:
    """Allocate every participant to a venue and class (people moved by hand stay). Raises
    ValidationError when there are not enough places, and then nothing changes."""
    ensure_organiser(user, event.programme.region)
    participants = list(event.participants.select_related("person__kabkota").select_for_update(of=("self",)))
    classes = event_classes(event)
    result = planned_allocation(event, participants, classes)
    venues = len({c.venue_id for c in classes})
    before = {p.pk: p.klass_id for p in participants}
    for p in participants:
        p.klass_id = result.klass[p.pk]
        p.reason = [[code, params] for code, params in result.reasons[p.pk]]
    Participant.objects.bulk_update(participants, ["klass", "reason"], batch_size=500)
    audit_record(
        user=user,
        action="allocate",
        object_type="event",
        object_id=event.pk,
        before={str(k): v for k, v in before.items() if v != result.klass[k]},
        after={str(p.pk): p.klass_id for p in participants if before[p.pk] != p.klass_id},
        summary=f"{len(participants)} peserta dibagi ke {venues} tempat",
    )
    return len(participants)


@transaction.atomic
def participant_move(*, user: AbstractBaseUser, participant: Participant, klass: TrainingClass) -> None:
    """Move someone to another class by hand, within its capacity; the move sticks on re-allocation."""
    event = participant.event
    ensure_organiser(user, event.programme.region)
    if klass.venue.event_id != event.pk:
        raise ValidationError(_("Kelas itu bukan bagian dari kegiatan ini."))
    TrainingClass.objects.select_for_update().filter(pk=klass.pk).first()
    in_class = Participant.objects.filter(klass=klass).exclude(pk=participant.pk).count()
    in_venue = Participant.objects.filter(klass__venue=klass.venue).exclude(pk=participant.pk).count()
    if in_class >= klass.capacity or in_venue >= klass.venue.capacity:
        raise ValidationError(
            _(
                "%(klass)s sudah penuh (%(capacity)s orang). Pindahkan orang lain keluar dulu"
                " atau tambah kapasitas."
            ),
            params={"klass": str(klass), "capacity": klass.capacity},
        )
    before = {"klass": participant.klass_id}
    participant.klass = klass
    participant.pinned = True
    participant.reason = [["pinned", {"place": str(klass)}]]
    participant.save(update_fields=["klass", "pinned", "reason"])
    audit_change(
        user=user,
        object_type="participant",
        object_id=participant.pk,
        before=before,
        after={"klass": klass.pk},
    )


@transaction.atomic
def attendance_set(
    *,
    user: AbstractBaseUser,
    session: Session,
    present: set[int],
    expected: set[int],
    shown: set[int] | None = None,
) -> tuple[int, int]:
    """The class register: those ticked are present, the other expected ones absent. ``shown`` are
    those the register showed as present when it was opened: only they can be unticked, so a
    check-in by phone made meanwhile is kept. Returns (added, removed)."""
    ensure_organiser(user, session.event.programme.region)
    rows = Attendance.objects.filter(session=session, participant_id__in=expected)
    now = set(rows.values_list("participant_id", flat=True))
    removable = now if shown is None else now & shown
    add, drop = (present & expected) - now, removable - present
    Attendance.objects.bulk_create(
        Attendance(session=session, participant_id=p, method=Attendance.Method.REGISTER) for p in sorted(add)
    )
    rows.filter(participant_id__in=drop).delete()
    if add or drop:
        audit_record(
            user=user,
            action="attendance",
            object_type="session",
            object_id=session.pk,
            before={"present": sorted(now)},
            after={"present": sorted((now | add) - drop)},
            summary=f"+{len(add)} -{len(drop)}",
        )
    return len(add), len(drop)


def community_training_add(
    *, user: AbstractBaseUser, training: CommunityTraining, audience: Mapping[str, tuple[int, int]]
) -> CommunityTraining:
    """Record a training run in a kelurahan with its participants per group (men, women)."""
    scope = user_scope(user)
    if not scope.may_edit(training.kelurahan) and not may_organise(user, training.kelurahan):
        raise PermissionDenied
    if not any(m + w for m, w in audience.values()):
        raise ValidationError(
            _("Isi jumlah peserta (laki-laki dan perempuan) untuk paling sedikit satu kelompok.")
        )
    training.created_by = user
    training.full_clean()
    with transaction.atomic():
        training.save()
        CommunityAttendance.objects.bulk_create(
            validated(
                CommunityAttendance(training=training, audience=group, men=m, women=w)
                for group, (m, w) in audience.items()
                if m or w
            )
        )
        audit_change(
            user=user,
            object_type="community_training",
            object_id=training.pk,
            before=None,
            after={**_snapshot(training), "audience": {k: list(v) for k, v in audience.items()}},
        )
    return training


@transaction.atomic
def certificates_issue(
    *, user: AbstractBaseUser, event: Event, eligible: Iterable[Participant]
) -> list[Certificate]:
    """Certificates for everyone who reached the attendance threshold (numbers never change once
    issued); returns all certificates of the event, in participant order."""
    ensure_organiser(user, event.programme.region)
    have = set(Certificate.objects.filter(participant__event=event).values_list("participant_id", flat=True))
    new = [
        Certificate(participant=p, number=f"{event.pk:03d}/PK/{event.start_date.year}/{p.number:04d}")
        for p in eligible
        if p.pk not in have
    ]
    Certificate.objects.bulk_create(new)
    if new:
        audit_record(
            user=user,
            action="certificates",
            object_type="event",
            object_id=event.pk,
            after={"numbers": [c.number for c in new]},
            summary=f"{len(new)} sertifikat",
        )
    return list(
        Certificate.objects.filter(participant__event=event)
        .select_related("participant__person__kabkota")
        .order_by("participant__number")
    )


def may_edit_curriculum(user: AbstractBaseUser) -> bool:
    return user_scope(user).role in {UserRole.ADMIN, UserRole.PROVINSI}


def curriculum_save(*, user: AbstractBaseUser, item: Topic | Competency) -> None:
    """Change or add a topic or a competency of the questionnaire (administrators and provincial
    managers: the catalogue is shared by every region)."""
    if not may_edit_curriculum(user):
        raise PermissionDenied
    before = _snapshot(type(item).objects.get(pk=item.pk)) if item.pk else None
    item.full_clean()
    item.save()
    audit_change(
        user=user,
        object_type=type(item).__name__.lower(),
        object_id=item.pk,
        before=before,
        after=_snapshot(item),
    )


def event_update(*, user: AbstractBaseUser, event: Event) -> Event:
    """Change an event's title, dates, city, threshold or class mode; its sessions must stay within
    the dates."""
    ensure_organiser(user, event.programme.region)
    before = _snapshot(Event.objects.get(pk=event.pk))
    event.full_clean()
    outside = event.sessions.exclude(day__range=(event.start_date, event.end_date)).count()
    if outside:
        raise ValidationError(
            _("%(count)s sesi jatuh di luar tanggal baru; pindahkan atau hapus sesinya dulu."),
            params={"count": outside},
        )
    event.save()
    audit_change(user=user, object_type="event", object_id=event.pk, before=before, after=_snapshot(event))
    return event


def session_delete(*, user: AbstractBaseUser, session: Session) -> None:
    """Remove a session from the schedule, only while nobody has been recorded present."""
    ensure_organiser(user, session.event.programme.region)
    if session.attendance.exists():
        raise ValidationError(_("Sesi ini sudah punya daftar hadir; kosongkan dulu daftar hadirnya."))
    audit_record(
        user=user,
        action="delete",
        object_type="session",
        object_id=session.pk,
        before=_snapshot(session, ("checkin_token",)),
    )
    session.delete()


def participant_remove(*, user: AbstractBaseUser, participant: Participant) -> None:
    """Take someone off the event, only while they have no attendance, scores or certificate."""
    ensure_organiser(user, participant.event.programme.region)
    if (
        participant.attendance.exists()
        or participant.scores.exists()
        or Certificate.objects.filter(participant=participant).exists()
    ):
        raise ValidationError(
            _("%(name)s sudah punya presensi, nilai atau sertifikat dan tidak bisa dihapus dari kegiatan."),
            params={"name": participant.person.name},
        )
    audit_record(
        user=user,
        action="delete",
        object_type="participant",
        object_id=participant.pk,
        before={"event": participant.event_id, "person": participant.person_id, "number": participant.number},
    )
    participant.delete()
