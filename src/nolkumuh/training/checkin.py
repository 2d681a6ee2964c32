"""Check-in on a phone (QR link or fallback code), the participant's session evaluation, and test
scores. Check-in needs no account: the participant types the number on their name tag."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from nolkumuh.core.bounds import validated
from nolkumuh.core.services import audit_record
from nolkumuh.training.measures import expected_at
from nolkumuh.training.models import Attendance, Evaluation, Participant, Session, TestScore, Topic
from nolkumuh.training.services import ensure_organiser

# Wrong participant numbers for one session from one address before check-in there pauses
# (guessing protection). At a venue many phones share one address, so only failures count.
CHECKIN_FAILURE_LIMIT = 20
CHECKIN_LOCK_SECONDS = 600


@dataclass(frozen=True)
class CheckIn:
    """The outcome: ``ok``, ``already``, ``closed``, ``unknown``, ``not_expected`` or ``locked``."""

    status: str
    participant: Participant | None = None


def session_by_code(code: str) -> Session | None:
    return Session.objects.select_related("event").filter(fallback_code=code.strip().upper()).first()


def participant_number(text: str) -> int | None:
    match = re.fullmatch(r"\s*[Pp]?0*([0-9]{1,6})\s*", text or "")
    return int(match.group(1)) if match else None


def guessing_blocked(key: str) -> bool:
    return cache.get(f"checkin-failures:{key}", 0) >= CHECKIN_FAILURE_LIMIT


def guess_failed(key: str) -> None:
    name = f"checkin-failures:{key}"
    cache.add(name, 0, CHECKIN_LOCK_SECONDS)
    try:
        cache.incr(name)
    except ValueError:
        cache.set(name, 1, CHECKIN_LOCK_SECONDS)


def participant_by_number(session: Session, number_text: str) -> Participant | None:
    number = participant_number(number_text)
    if number is None:
        return None
    return (
        Participant.objects.filter(event_id=session.event_id, number=number)
        .select_related("person", "klass")
        .first()
    )


def checkin(*, session: Session, number_text: str, method: str, address: str) -> CheckIn:
    """Mark a participant present at an open session they are expected at (idempotent). Wrong
    numbers and numbers of other classes are counted per session and address."""
    key = f"{session.pk}:{address}"
    if guessing_blocked(key):
        return CheckIn("locked")
    if not session.checkin_open:
        return CheckIn("closed")
    participant = participant_by_number(session, number_text)
    if participant is None:
        guess_failed(key)
        return CheckIn("unknown")
    venue = participant.klass.venue_id if participant.klass else None
    if not expected_at(session.venue_id, session.klass_id, venue, participant.klass_id):
        guess_failed(key)
        return CheckIn("not_expected")
    try:
        with transaction.atomic():
            Attendance.objects.create(session=session, participant=participant, method=method)
    except IntegrityError:
        return CheckIn("already", participant)
    audit_record(
        user=None,
        action="checkin",
        object_type="session",
        object_id=session.pk,
        after={"participant": participant.pk, "method": method},
        summary=participant.code,
    )
    return CheckIn("ok", participant)


def evaluation_submit(
    *, session: Session, participant: Participant, content: int, trainer: int, comment: str
) -> Evaluation:
    """A participant's rating of a session they attended (one per session; a second one replaces it)."""
    if not Attendance.objects.filter(session=session, participant=participant).exists():
        raise PermissionError("not present")
    if not (1 <= content <= 5 and 1 <= trainer <= 5):
        raise ValidationError("ratings are 1-5")
    validated([Evaluation(session=session, participant=participant, content=content, trainer=trainer)])
    evaluation, created = Evaluation.objects.update_or_create(
        session=session,
        participant=participant,
        defaults={"content": content, "trainer": trainer, "comment": comment[:2000]},
    )
    audit_record(
        user=None,
        action="create" if created else "update",
        object_type="evaluation",
        object_id=evaluation.pk,
        after={"content": content, "trainer": trainer},
        summary=participant.code,
    )
    return evaluation


@transaction.atomic
def scores_save(
    *,
    user: AbstractBaseUser,
    event_id: int,
    rows: list[tuple[Participant, Topic, Decimal | None, Decimal | None]],
) -> int:
    """Store pre/post-test scores (replacing earlier ones for the same participant and topic)."""
    participants = {p.pk for p, *_rest in rows}
    if not rows:
        return 0
    event = rows[0][0].event
    ensure_organiser(user, event.programme.region)
    if any(p.event_id != event_id for p, *_rest in rows):
        raise PermissionError("participants of another event")
    existing = {
        (s.participant_id, s.topic_id): s for s in TestScore.objects.filter(participant_id__in=participants)
    }
    changed = []
    for participant, topic, pre, post in rows:
        score = existing.get((participant.pk, topic.pk)) or TestScore(participant=participant, topic=topic)
        before = (score.pre, score.post)
        score.pre, score.post = pre, post
        if score.pk is None or before != (pre, post):
            changed.append((score, before))
    for score, _before in changed:
        score.full_clean()
        score.save()
    if changed:
        audit_record(
            user=user,
            action="scores",
            object_type="event",
            object_id=event_id,
            before={f"{s.participant_id}:{s.topic_id}": [str(v) for v in b] for s, b in changed},
            after={f"{s.participant_id}:{s.topic_id}": [str(s.pre), str(s.post)] for s, _b in changed},
            summary=f"{len(changed)} nilai tes",
        )
    return len(changed)
