"""Check-in on a phone (QR link or fallback code), the participant's session evaluation, and test
scores. Check-in needs no account: the participant types the number and the PIN on their name tag;
no name is shown before both match, and every attempt counts towards the limits below."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare

from nolkumuh.core.bounds import validated
from nolkumuh.core.services import audit_record
from nolkumuh.training.measures import expected_at
from nolkumuh.training.models import Attendance, Evaluation, Participant, Session, TestScore, Topic
from nolkumuh.training.services import ensure_organiser

# Every check-in or evaluation attempt for one session from one address counts (a venue's phones
# share one address, so the limit grows with the event: each participant may mistype twice).
CHECKIN_ATTEMPT_BASE = 30
CHECKIN_ATTEMPTS_PER_PARTICIPANT = 2
CHECKIN_LOCK_SECONDS = 600
# Wrong PINs for one participant (from anywhere) before their own check-in pauses: guessing one
# person's PIN from many addresses stops here; the organiser can still tick the register.
PIN_FAILURE_LIMIT = 5
PIN_LOCK_SECONDS = 900
# Unknown session codes from one address before the code page pauses.
CHECKIN_FAILURE_LIMIT = 20


@dataclass(frozen=True)
class CheckIn:
    """The outcome: ``ok``, ``already``, ``closed``, ``mismatch`` (number and PIN do not belong
    together), ``pin_locked``, ``not_expected`` or ``locked``; ``participant`` only after a match.
    ``seconds``: how long a pause lasts."""

    status: str
    participant: Participant | None = None
    seconds: int = 0


def session_by_code(code: str) -> Session | None:
    return Session.objects.select_related("event").filter(fallback_code=code.strip().upper()).first()


def participant_number(text: str) -> int | None:
    match = re.fullmatch(r"\s*[Pp]?0*([0-9]{1,6})\s*", text or "")
    return int(match.group(1)) if match else None


def _window(name: str) -> dict[str, float] | None:
    count = caches["counters"].get(name)
    return count if count and count["until"] > time.time() else None


def _count(name: str, seconds: int) -> None:
    """One more in a fixed window that starts at the first one."""
    now = time.time()
    count = _window(name) or {"n": 0, "until": now + seconds}
    count["n"] += 1
    caches["counters"].set(name, count, max(1, int(count["until"] - now) + 1))


def _paused(name: str, limit: int) -> int:
    """Seconds left of the pause when the window holds ``limit`` or more, else 0."""
    count = _window(name)
    return int(count["until"] - time.time()) + 1 if count and count["n"] >= limit else 0


def guessing_blocked(key: str) -> bool:
    return bool(_paused(f"checkin-failures:{key}", CHECKIN_FAILURE_LIMIT))


def guess_failed(key: str) -> None:
    _count(f"checkin-failures:{key}", CHECKIN_LOCK_SECONDS)


def participant_confirmed(*, session: Session, number_text: str, pin_text: str, address: str) -> CheckIn:
    """The participant whose name-tag number and PIN were typed (status ``ok``), or why not. Counts
    the attempt for the session and address, and a wrong PIN for the participant."""
    attempts = f"checkin-attempts:{session.pk}:{address}"
    limit = CHECKIN_ATTEMPT_BASE + CHECKIN_ATTEMPTS_PER_PARTICIPANT * session.event.participants.count()
    if seconds := _paused(attempts, limit):
        return CheckIn("locked", seconds=seconds)
    _count(attempts, CHECKIN_LOCK_SECONDS)
    number = participant_number(number_text)
    participant = (
        Participant.objects.filter(event_id=session.event_id, number=number)
        .select_related("person", "klass")
        .first()
        if number is not None
        else None
    )
    if participant is None:
        return CheckIn("mismatch")
    wrong_pins = f"checkin-pin:{participant.pk}"
    if seconds := _paused(wrong_pins, PIN_FAILURE_LIMIT):
        return CheckIn("pin_locked", seconds=seconds)
    if not constant_time_compare(re.sub(r"[\s.-]", "", pin_text or ""), participant.pin):
        _count(wrong_pins, PIN_LOCK_SECONDS)
        return CheckIn("mismatch")
    return CheckIn("ok", participant)


def checkin(*, session: Session, number_text: str, pin_text: str, method: str, address: str) -> CheckIn:
    """Mark a participant present at an open session they are expected at (idempotent), once the
    number and PIN on their name tag match (see :func:`participant_confirmed`)."""
    if not session.checkin_open:
        return CheckIn("closed")
    confirmed = participant_confirmed(
        session=session, number_text=number_text, pin_text=pin_text, address=address
    )
    participant = confirmed.participant
    if participant is None:
        return confirmed
    venue = participant.klass.venue_id if participant.klass else None
    if not expected_at(session.venue_id, session.klass_id, venue, participant.klass_id):
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
